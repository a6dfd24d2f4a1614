/**
 * Long-term keys in the OS keychain, end to end: the built binary, moto_server, and a real Secret
 * Service (gnome-keyring on a private D-Bus, test/helpers/keyring.ts), looked at from outside with
 * secret-tool. Every scenario walks HOME for secrets the design promises are in no file.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync, realpathSync, renameSync, copyFileSync, symlinkSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { useKeyring, startKeyring, startBus } from '../helpers/keyring.js';
import { makeHome, runCli, runAwsCli, runProcess, BIN, type Home } from '../helpers/cli.js';
import { createUser, type OnboardedUser } from '../helpers/onboard.js';
import { assertNoSecretIn } from '../helpers/secrets-scan.js';
import { ROOT } from '../helpers/shared.js';

const emu = useMoto();
const kr = useKeyring();
before(async () => {
  await emu.ready;
});

const BOM = '\uFEFF';
/** A user's file: BOM, CRLF, comments, another profile, the long-term section in the middle. */
const fileWith = (u: OnboardedUser, keyLines: string[]) =>
  [
    `${BOM}# my credentials`,
    '[other]',
    'aws_access_key_id = AKIAOTHEROTHEROTHER0',
    'aws_secret_access_key = other-secret-stays-here',
    '',
    '[work-long-term]',
    '# the laptop key',
    ...keyLines,
    `aws_mfa_device = ${u.deviceArn}`,
    '',
    '; the end',
    '',
  ].join('\r\n');
const inFile = (u: OnboardedUser) => fileWith(u, [`aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`]);
/** The same file after the move: the key lines gone, the marker and the entry's id after the section's last key. */
const moved = (u: OnboardedUser, id: string) =>
  inFile(u)
    .replace(`aws_access_key_id = ${u.accessKeyId}\r\naws_secret_access_key = ${u.secretAccessKey}\r\n`, '')
    .replace(`aws_mfa_device = ${u.deviceArn}\r\n`, `aws_mfa_device = ${u.deviceArn}\r\naws_mfa_keychain = true\r\naws_mfa_keychain_id = ${id}\r\n`);

/** The id of the keychain entries [work-long-term] names in a credentials file. */
function entryId(text: string): string {
  const m = /^aws_mfa_keychain_id = ([0-9a-f]{24})\r?$/m.exec(text);
  assert.ok(m, `no aws_mfa_keychain_id in:\n${text}`);
  return m[1]!;
}

function homeWithKey(u: OnboardedUser, env: Record<string, string> = { DBUS_SESSION_BUS_ADDRESS: kr.keyring.address }): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...env });
  home.write(inFile(u));
  return home;
}

const lookup = (account: string) => kr.keyring.secretTool(['lookup', 'service', 'aws-mfa', 'username', account]);
const longTermEntry = (home: Home, file = home.credentials) => lookup(`long-term@${entryId(home.read(file))}`);
const sessionEntry = (home: Home, file = home.credentials) => lookup(`session@${entryId(home.read(file))}:work`);

async function moveIn(home: Home): Promise<void> {
  const r = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
}

/** A user whose key was moved into the keychain, with a session credential-process kept there. */
async function sessionInKeychain(): Promise<{ u: OnboardedUser; home: Home }> {
  const u = await createUser(emu.moto.endpoint);
  const home = homeWithKey(u);
  await moveIn(home);
  const cp = await runCli(['credential-process', '--profile', 'work', '--token', '123456'], { env: home.env, detached: true });
  assert.equal(cp.code, 0, cp.stderr);
  assert.equal(sessionEntry(home).status, 0);
  return { u, home };
}

test('keys move --to keychain: the key leaves the file (every other byte kept), the Secret Service holds it, sessions are got with it', { skip: kr.skip }, async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeWithKey(u);
  const r = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`Moved the key ${u.accessKeyId} of \\[work-long-term\\] into the Secret Service`));
  const id = entryId(home.read());
  assert.equal(home.read(), moved(u, id), 'only the two key lines went and the marker and id came; BOM, CRLF and comments kept');
  assert.match(r.stderr, new RegExp(`account long-term@${id}\\)`));
  const entry = lookup(`long-term@${id}`);
  assert.equal(entry.status, 0, 'secret-tool finds the entry');
  assert.deepEqual(JSON.parse(entry.stdout), { Version: 1, AccessKeyId: u.accessKeyId, SecretAccessKey: u.secretAccessKey, Section: 'work-long-term', Owner: realpathSync(home.credentials) }, 'the entry records the file that owns it');
  assert.ok(!r.stderr.includes(u.secretAccessKey) && !r.stdout.includes(u.secretAccessKey));

  // the plain command reads the key from the keychain and still writes [work] for file-only tools
  await emu.moto.resetRecording();
  const s = await runCli(['--profile', 'work', '--token', '123456'], { env: home.env });
  assert.equal(s.code, 0, s.stderr);
  const sent = (await emu.moto.requests()).filter((x) => x.action === 'GetSessionToken');
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.accessKeyId, u.accessKeyId, 'GetSessionToken was signed with the key from the keychain');
  assert.match(home.read(), /\[work\]\r\nassumed_role = False\r\naws_access_key_id = [A-Z0-9]{16,}\r\n/);
  assertNoSecretIn(home.dir, { 'the long-term secret': u.secretAccessKey });

  const list = await runCli(['keys', 'list'], { env: home.env });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`^work\\s+${u.accessKeyId}\\s+keychain$`, 'm'));
  assert.ok(!list.stdout.includes(u.secretAccessKey));
});

test('with the key in the keychain, credential-process, export and exec keep the session there and in no file', { skip: kr.skip }, async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeWithKey(u);
  home.write(inFile(u).replace(BOM, '')); // the AWS CLI, used below, cannot read a file with a BOM
  await moveIn(home);
  const before = home.read();
  const cp = await runCli(['credential-process', '--profile', 'work', '--token', '123456'], { env: home.env, detached: true });
  assert.equal(cp.code, 0, cp.stderr);
  const session = JSON.parse(cp.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  assert.equal(home.read(), before, 'the credentials file is untouched');
  const kept = sessionEntry(home);
  assert.equal(kept.status, 0, 'the session is in the keychain');
  const stored = JSON.parse(kept.stdout) as Record<string, string>;
  assert.equal(stored.SessionToken, session.SessionToken);
  assert.equal(Math.floor(Date.parse(stored.Expiration!) / 1000), Date.parse(session.Expiration) / 1000, 'with its expiration');

  // reused: no second GetSessionToken, and no code needed
  await emu.moto.resetRecording();
  const ex = await runCli(['export', '--profile', 'work', '--format', 'json'], { env: home.env, detached: true });
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal((JSON.parse(ex.stdout) as Record<string, string>).AWS_SESSION_TOKEN, session.SessionToken);
  const run = await runCli(['exec', '--profile', 'work', '--', 'sh', '-c', 'printf %s "$AWS_SESSION_TOKEN"'], { env: home.env, detached: true });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, session.SessionToken);
  assert.deepEqual((await emu.moto.requests()).map((x) => x.action), []);

  // the AWS CLI through credential_process: level three, nothing secret in ~/.aws
  const setup = await runCli(['setup-credential-process', '--profile', 'work'], { env: home.env });
  assert.equal(setup.code, 0, setup.stderr);
  const who = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'work-auto', '--output', 'json'], { env: { ...home.env, AWS_DEFAULT_REGION: 'us-east-1' } });
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.stdout, /"Arn"/);

  const status = await runCli(['status'], { env: home.env });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^work\s+\d+h \d+m left .*keychain/m);
  assert.equal(home.read(), before);
  assertNoSecretIn(home.dir, { 'the long-term secret': u.secretAccessKey, 'the session token': session.SessionToken, 'the session secret': session.SecretAccessKey });
  // the guides' empty [work]: still one row, the keychain's (not a second "no session yet" in the file)
  home.write(`${before}[work]\r\n`);
  const rows = await runCli(['status', '--json'], { env: home.env });
  assert.deepEqual((JSON.parse(rows.stdout) as Array<{ profile: string; kept: string; state: string }>).map((r) => [r.profile, r.kept, r.state]), [['work', 'keychain', 'valid']]);
});

test('keys move --to file puts the key back and deletes the keychain entries', { skip: kr.skip }, async () => {
  const { u, home } = await sessionInKeychain();
  const id = entryId(home.read());
  const r = await runCli(['keys', 'move', '--profile', 'work', '--to', 'file'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  // the pair comes back at the section's end, where the marker was
  assert.equal(home.read(), moved(u, id).replace(`aws_mfa_keychain = true\r\naws_mfa_keychain_id = ${id}`, `aws_access_key_id = ${u.accessKeyId}\r\naws_secret_access_key = ${u.secretAccessKey}`));
  assert.notEqual(lookup(`long-term@${id}`).status, 0, 'the long-term entry is gone');
  assert.notEqual(lookup(`session@${id}:work`).status, 0, 'the session kept in the keychain is gone');
  const s = await runCli(['--profile', 'work', '--token', '123456'], { env: home.env });
  assert.equal(s.code, 0, s.stderr);
});

test('clear removes the session kept in the keychain (and the file section, if any)', { skip: kr.skip }, async () => {
  const { home } = await sessionInKeychain();
  const before = home.read();
  const r = await runCli(['clear', '--profile', 'work'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Removed the MFA session of \[work\] from the Secret Service/);
  assert.notEqual(sessionEntry(home).status, 0, 'the kept session is gone');
  assert.equal(longTermEntry(home).status, 0, 'the long-term key stays');
  assert.equal(home.read(), before);
});

test('no Secret Service: keys move is refused with exit 3 and what is missing, the file unchanged, nothing in the kernel keyring', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeWithKey(u, {}); // no DBUS_SESSION_BUS_ADDRESS
  const before = readFileSync(home.credentials);
  const kernelBefore = kernelKeys();
  const r = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env });
  // @napi-rs/keyring 2.x falls back to the kernel keyring by itself; aws-mfa pins the Secret Service
  if (kernelBefore !== undefined) assert.deepEqual(kernelKeys(), kernelBefore, 'no key was put in the kernel keyring');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^aws-mfa: error: moving the key of \[work-long-term\] to the keychain needs the OS keychain, which cannot be used: no Secret Service on the session bus \(DBUS_SESSION_BUS_ADDRESS is not set\)\. Nothing was changed; run aws-mfa in your desktop session.*\n$/);
  assert.doesNotMatch(r.stderr, /Couldn't access platform storage/);
  assert.deepEqual(readFileSync(home.credentials), before);

  // a session bus with nothing providing org.freedesktop.secrets
  if (kr.skip) return;
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-bus-'));
  const bus = await startBus(dir);
  try {
    const r2 = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: { ...home.env, DBUS_SESSION_BUS_ADDRESS: bus.address } });
    assert.equal(r2.code, 3, r2.stderr);
    assert.match(r2.stderr, /no Secret Service on the session bus \(nothing provides org\.freedesktop\.secrets\)\. Nothing was changed; install and start a Secret Service/);
    assert.deepEqual(readFileSync(home.credentials), before);
  } finally {
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  // a Secret Service without a keyring to store into (gnome-keyring started without --unlock)
  const bare = await startKeyring({ unlock: false });
  try {
    const r3 = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: { ...home.env, DBUS_SESSION_BUS_ADDRESS: bare.address } });
    assert.equal(r3.code, 3, r3.stderr);
    assert.match(r3.stderr, /which cannot be used: the Secret Service has no default keyring to store into\. Nothing was changed; unlock your keyring/);
    assert.deepEqual(readFileSync(home.credentials), before);
  } finally {
    await bare.stop();
  }
});

/** The kernel keyring's entries this process can see that name aws-mfa (undefined: /proc/keys unreadable). */
function kernelKeys(): string[] | undefined {
  if (!existsSync('/proc/keys')) return undefined;
  return readFileSync('/proc/keys', 'utf8').split('\n').filter((l) => /aws-mfa/.test(l) && !/^\S+ \S*i/.test(l));
}

test('a profile whose key is in the keychain: without a bus, every command says so (exit 3) and calls nothing', { skip: kr.skip }, async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeWithKey(u);
  await moveIn(home);
  const before = home.read();
  const noBus = { ...home.env };
  delete noBus.DBUS_SESSION_BUS_ADDRESS;
  await emu.moto.resetRecording();
  for (const args of [['--profile', 'work', '--token', '123456'], ['credential-process', '--profile', 'work', '--token', '123456'], ['rotate', '--profile', 'work']]) {
    const r = await runCli(args, { env: noBus, detached: true });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /needs the OS keychain, which cannot be used: no Secret Service on the session bus \(DBUS_SESSION_BUS_ADDRESS is not set\)/);
  }
  assert.deepEqual(await emu.moto.requests(), []);
  assert.equal(home.read(), before);
});

test('a locked keyring: credential-process says the keyring is locked (exit 3) instead of asking for a code', { skip: kr.skip }, async () => {
  const own = await startKeyring();
  try {
    const u = await createUser(emu.moto.endpoint);
    const home = homeWithKey(u, { DBUS_SESSION_BUS_ADDRESS: own.address });
    await moveIn(home);
    const cp = await runCli(['credential-process', '--profile', 'work', '--token', '123456'], { env: home.env, detached: true });
    assert.equal(cp.code, 0, cp.stderr);
    own.lock();
    await emu.moto.resetRecording();
    const r = await runCli(['credential-process', '--profile', 'work'], { env: home.env, detached: true });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /reading the MFA session of \[work\] needs the OS keychain, which cannot be used: the keyring is locked and no unlock prompt could be shown\. Nothing was changed; unlock your keyring/);
    assert.deepEqual(await emu.moto.requests(), []);
    // the advice, run by bash as given, the keyring password typed and Enter (a line feed the daemon must not
    // get: gnome-keyring reads its stdin to the end): the kept session answers again, no code asked
    const advice = /and Enter: (.+)$/m.exec(r.stderr)?.[1];
    assert.match(advice ?? '', /gnome-keyring-daemon --replace --unlock --components=secrets/, r.stderr);
    const typed = spawnSync('bash', ['-c', advice!], { env: own.env, input: `${own.password}\n`, encoding: 'utf8' });
    assert.equal(typed.status, 0, typed.stderr);
    const again = await runCli(['credential-process', '--profile', 'work'], { env: home.env, detached: true });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, cp.stdout);
  } finally {
    await own.stop();
  }
});

test('the Secret Service died and was started again by the bus: the key and the session are still there, no code asked', { skip: kr.skip }, async () => {
  const own = await startKeyring();
  try {
    const u = await createUser(emu.moto.endpoint);
    const home = homeWithKey(u, { DBUS_SESSION_BUS_ADDRESS: own.address });
    await moveIn(home);
    const first = await runCli(['credential-process', '--profile', 'work', '--token', '123456'], { env: home.env, detached: true });
    assert.equal(first.code, 0, first.stderr);
    await own.crash();
    await emu.moto.resetRecording();
    // no --token and no terminal: only the kept session can answer
    const again = await runCli(['credential-process', '--profile', 'work'], { env: home.env, detached: true });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, first.stdout);
    assert.deepEqual(await emu.moto.requests(), []);
  } finally {
    await own.stop();
  }
});

test('the Secret Service died while answering the first call (gnome-keyring#196): the move is made again, against the restarted daemon', { skip: kr.skip }, async () => {
  const own = await startKeyring();
  try {
    const u = await createUser(emu.moto.endpoint);
    const home = homeWithKey(u, { DBUS_SESSION_BUS_ADDRESS: own.address });
    let run: ReturnType<typeof runCli> | undefined;
    await own.dieDuringCallOf(() => (run = runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env })));
    const r = await run!;
    assert.equal(r.code, 0, r.stderr);
    const id = entryId(home.read());
    assert.equal(home.read(), moved(u, id));
    const stored = own.secretTool(['lookup', 'service', 'aws-mfa', 'username', `long-term@${id}`]);
    assert.equal(stored.status, 0);
    assert.equal(JSON.parse(stored.stdout).AccessKeyId, u.accessKeyId);
  } finally {
    await own.stop();
  }
});

test('the native addon is loaded only where the keychain is used', { skip: kr.skip }, async () => {
  const recorder = join(ROOT, 'test', 'fixtures', 'record-modules.cjs');
  const loads = async (args: string[], env: Record<string, string>, file: string) => {
    const r = await runProcess(process.execPath, ['--require', recorder, BIN, ...args], { env: { ...env, RECORD_MODULES_TO: file }, detached: true });
    assert.equal(r.code, 0, r.stderr);
    return readFileSync(file, 'utf8').split('\n').some((m) => m.includes('@napi-rs/keyring'));
  };
  const plain = homeWithKey(await createUser(emu.moto.endpoint));
  assert.equal(await loads(['--profile', 'work', '--token', '123456'], plain.env, join(plain.dir, 'a.txt')), false, 'a refresh with the key in the file');
  assert.equal(await loads(['credential-process', '--profile', 'work'], plain.env, join(plain.dir, 'b.txt')), false, 'a cached credential-process');
  const kc = homeWithKey(await createUser(emu.moto.endpoint));
  await moveIn(kc);
  assert.equal(await loads(['credential-process', '--profile', 'work', '--token', '123456'], kc.env, join(kc.dir, 'c.txt')), true, 'the keychain path (so this test can see it)');
  writeFileSync(join(kc.dir, 'done'), '');
});

// ---- issue 23, finding 1: entries belong to their file's section, never to a section name alone ----

/** A second credentials file in the same home (AWS_SHARED_CREDENTIALS_FILE), and the env that uses it. */
function secondFile(home: Home, text: string): { file: string; env: Record<string, string> } {
  const file = join(home.aws, 'credentials-b');
  home.write(text, file);
  return { file, env: { ...home.env, AWS_SHARED_CREDENTIALS_FILE: file } };
}

/** Write an entry as aws-mfa did before ids (same library, same attributes, the old JSON shape). */
async function storeOldEntry(account: string, value: unknown): Promise<void> {
  const script = "const { Entry } = require('@napi-rs/keyring'); new Entry('aws-mfa', process.argv[1], { linux: { store: 'secret-service' } }).setSecret(new Uint8Array(Buffer.from(process.argv[2], 'utf8')));";
  const r = await runProcess(process.execPath, ['-e', script, account, JSON.stringify(value)], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DBUS_SESSION_BUS_ADDRESS: kr.keyring.address }, cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
}

const oldKeyEntry = (u: OnboardedUser) => ({ Version: 1, AccessKeyId: u.accessKeyId, SecretAccessKey: u.secretAccessKey });
/** The file as aws-mfa left it before ids: the marker, no key, no id. */
const oldMarked = (u: OnboardedUser) => fileWith(u, ['aws_mfa_keychain = true']).replace(BOM, '');
const cp = (env: Record<string, string>, token?: string) => runCli(['credential-process', '--profile', 'work', ...(token ? ['--token', token] : [])], { env, detached: true });
/** The session credential-process printed, told apart by its key id (moto gives every session the same token). */
const sessionOf = (stdout: string) => (JSON.parse(stdout) as { AccessKeyId: string }).AccessKeyId;

test('two files with the same section: both moved to the keychain, a session each (signed by its own key), both moved back: each file ends with its own key', { skip: kr.skip }, async () => {
  const alice = await createUser(emu.moto.endpoint);
  const bob = await createUser(emu.moto.endpoint);
  const home = homeWithKey(alice);
  const b = secondFile(home, inFile(bob));
  await moveIn(home);
  const moveB = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: b.env });
  assert.equal(moveB.code, 0, moveB.stderr);
  const [idA, idB] = [entryId(home.read()), entryId(home.read(b.file))];
  assert.notEqual(idA, idB, 'each section has an entry of its own');
  assert.equal((JSON.parse(lookup(`long-term@${idA}`).stdout) as Record<string, string>).SecretAccessKey, alice.secretAccessKey, "alice's secret was not overwritten");
  assert.equal((JSON.parse(lookup(`long-term@${idB}`).stdout) as Record<string, string>).SecretAccessKey, bob.secretAccessKey);
  const list = await runCli(['keys', 'list'], { env: home.env });
  assert.match(list.stdout, new RegExp(`^work\\s+${alice.accessKeyId}\\s+keychain$`, 'm'));

  await emu.moto.resetRecording();
  const a1 = await cp(home.env, '123456');
  assert.equal(a1.code, 0, a1.stderr);
  // moto gives every session the same keys: A's kept session is marked, to tell it from any other
  const keptA = JSON.parse(lookup(`session@${idA}:work`).stdout) as Record<string, string>;
  assert.equal(keptA.LongTermAccessKeyId, alice.accessKeyId, "A's session is kept with the key that made it");
  const markedA = 'ASIAMARKEDSESSIONOFA';
  await storeOldEntry(`session@${idA}:work`, { ...keptA, AccessKeyId: markedA });
  // B has no session yet: it never gets A's (without a code it cannot make one, and says so)
  const b0 = await cp(b.env);
  assert.notEqual(b0.code, 0, 'B has no session of its own and no code');
  assert.equal(b0.stdout, '', "B's credential-process never returns A's session");
  const b1 = await cp(b.env, '123456');
  assert.equal(b1.code, 0, b1.stderr);
  assert.equal((JSON.parse(lookup(`session@${idB}:work`).stdout) as Record<string, string>).LongTermAccessKeyId, bob.accessKeyId);
  const signers = (await emu.moto.requests('GetSessionToken')).map((x) => x.accessKeyId);
  assert.deepEqual(signers, [alice.accessKeyId, bob.accessKeyId], "each session was signed by its own file's key");

  // cached: each file gets its own session back, without a call
  await emu.moto.resetRecording();
  const [a2, b2] = [await cp(home.env), await cp(b.env)];
  assert.equal(sessionOf(a2.stdout), markedA);
  assert.equal(sessionOf(b2.stdout), sessionOf(b1.stdout));
  assert.notEqual(sessionOf(b2.stdout), markedA);
  assert.deepEqual(await emu.moto.requests(), []);

  for (const env of [home.env, b.env]) {
    const r = await runCli(['keys', 'move', '--profile', 'work', '--to', 'file'], { env });
    assert.equal(r.code, 0, r.stderr);
  }
  const [textA, textB] = [home.read(), home.read(b.file)];
  assert.ok(textA.includes(`aws_access_key_id = ${alice.accessKeyId}\r\naws_secret_access_key = ${alice.secretAccessKey}\r\n`), textA);
  assert.ok(textB.includes(`aws_access_key_id = ${bob.accessKeyId}\r\naws_secret_access_key = ${bob.secretAccessKey}\r\n`), textB);
  assert.doesNotMatch(textA + textB, /aws_mfa_keychain/);
  for (const account of [`long-term@${idA}`, `long-term@${idB}`, `session@${idA}:work`, `session@${idB}:work`]) assert.notEqual(lookup(account).status, 0, `${account} is gone`);
});

test('a move that would overwrite an entry holding another key is refused: exit 3, one line with both key ids and the fix, nothing changed', { skip: kr.skip }, async () => {
  const alice = await createUser(emu.moto.endpoint);
  const bob = await createUser(emu.moto.endpoint);
  const home = homeWithKey(alice);
  await moveIn(home);
  const idA = entryId(home.read());
  // B: a copy of A's file, with bob's key pasted into the section (the marker lines kept)
  const b = secondFile(home, fileWith(bob, [`aws_access_key_id = ${bob.accessKeyId}`, `aws_secret_access_key = ${bob.secretAccessKey}`, 'aws_mfa_keychain = true', `aws_mfa_keychain_id = ${idA}`]));
  const bytesB = readFileSync(b.file);
  const entryA = lookup(`long-term@${idA}`).stdout;
  const r = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: b.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`^aws-mfa: error: the keychain entry long-term@${idA}, which aws_mfa_keychain_id in \\[work-long-term\\] of \\S+ names, holds another key, ${alice.accessKeyId}, not this file's ${bob.accessKeyId} .*; nothing was changed\\. Give this key an entry of its own with: aws-mfa keys move --profile work --to keychain --new-entry\\n$`),
  );
  for (const secret of [alice.secretAccessKey, bob.secretAccessKey]) assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
  assert.deepEqual(readFileSync(b.file), bytesB, 'the file is unchanged');
  assert.equal(lookup(`long-term@${idA}`).stdout, entryA, "A's entry is unchanged");

  // the fix, as printed, works: bob's key gets an entry of its own, alice's stays
  const fixed = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain', '--new-entry'], { env: b.env });
  assert.equal(fixed.code, 0, fixed.stderr);
  const idB = entryId(home.read(b.file));
  assert.notEqual(idB, idA);
  assert.equal((JSON.parse(lookup(`long-term@${idB}`).stdout) as Record<string, string>).AccessKeyId, bob.accessKeyId);
  assert.equal(lookup(`long-term@${idA}`).stdout, entryA);
});

test('a session kept in the keychain is reused only while the entry holds the key that made it', { skip: kr.skip }, async () => {
  const { home } = await sessionInKeychain();
  const other = await createUser(emu.moto.endpoint);
  // the section's entry now holds another key (as another tool, or a restore, might leave it)
  await storeOldEntry(`long-term@${entryId(home.read())}`, { Version: 1, AccessKeyId: other.accessKeyId, SecretAccessKey: other.secretAccessKey, Section: 'work-long-term' });
  await emu.moto.resetRecording();
  const r = await cp(home.env);
  assert.notEqual(r.code, 0, 'the session made with the earlier key is not reused (and there is no code)');
  assert.equal(r.stdout, '');
  const again = await cp(home.env, '123456');
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((x) => x.accessKeyId), [other.accessKeyId]);
});

test('an entry under the old shared name is migrated once, at first use: an entry of its own, the old one keeps no secret, its session is not reused', { skip: kr.skip }, async () => {
  const alice = await createUser(emu.moto.endpoint);
  const home = homeWithKey(alice);
  home.write(oldMarked(alice));
  await storeOldEntry('long-term:work-long-term', oldKeyEntry(alice));
  const future = new Date(Date.now() + 3_600_000).toISOString();
  await storeOldEntry('session:work', { Version: 1, AccessKeyId: 'ASIAOLDOLDOLDOLD0000', SecretAccessKey: 'old-session-secret', SessionToken: 'old-session-token', Expiration: future });

  await emu.moto.resetRecording();
  const r = await cp(home.env, '123456');
  assert.equal(r.code, 0, r.stderr);
  assert.notEqual(sessionOf(r.stdout), 'ASIAOLDOLDOLDOLD0000', 'the old shared session is not reused: nothing says whose key made it');
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((x) => x.accessKeyId), [alice.accessKeyId]);
  const id = entryId(home.read());
  assert.equal(home.read(), oldMarked(alice).replace(`aws_mfa_device = ${alice.deviceArn}\r\n`, `aws_mfa_device = ${alice.deviceArn}\r\naws_mfa_keychain_id = ${id}\r\n`), 'only the id line came');
  assert.match(r.stderr, new RegExp(`Gave the key ${alice.accessKeyId} of \\[work-long-term\\] in \\S+ a keychain entry of its own \\(long-term@${id}\\)`));
  assert.deepEqual(JSON.parse(lookup(`long-term@${id}`).stdout), { ...oldKeyEntry(alice), Section: 'work-long-term', Owner: realpathSync(home.credentials) });
  const old = JSON.parse(lookup('long-term:work-long-term').stdout) as Record<string, unknown>;
  assert.deepEqual(old, { Version: 2, AccessKeyId: alice.accessKeyId, ClaimedBy: { File: home.credentials, Id: id } }, 'the old entry keeps only who took the key');
  assert.notEqual(lookup('session:work').status, 0, 'the old session is gone');

  // once: the next run reuses the new session, migrates nothing, calls nothing
  await emu.moto.resetRecording();
  const again = await cp(home.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(sessionOf(again.stdout), sessionOf(r.stdout));
  assert.doesNotMatch(again.stderr, /Gave the key/);
  assert.deepEqual(await emu.moto.requests(), []);
  const back = await runCli(['keys', 'move', '--profile', 'work', '--to', 'file'], { env: home.env });
  assert.equal(back.code, 0, back.stderr);
  assert.ok(home.read().includes(`aws_access_key_id = ${alice.accessKeyId}\r\naws_secret_access_key = ${alice.secretAccessKey}\r\n`));
});

test('two files that both carry the old marker: the old entry goes to the file whose key it is (its user has the file\'s device), never to the other', { skip: kr.skip }, async () => {
  const alice = await createUser(emu.moto.endpoint);
  const bob = await createUser(emu.moto.endpoint);
  const home = homeWithKey(alice);
  home.write(oldMarked(alice));
  const b = secondFile(home, oldMarked(bob));
  // before ids, bob's move overwrote alice's key: the old entry holds bob's, and a session made with it
  await storeOldEntry('long-term:work-long-term', oldKeyEntry(bob));
  await storeOldEntry('session:work', { Version: 1, AccessKeyId: 'ASIAOLDOLDOLDOLD0000', SecretAccessKey: 'old-session-secret', SessionToken: 'old-session-token', Expiration: new Date(Date.now() + 3_600_000).toISOString() });
  const beforeA = readFileSync(home.credentials);
  const oldEntry = lookup('long-term:work-long-term').stdout;

  // A is used first: AWS says the key is bob's, whose devices do not include A's: A does not get it
  await emu.moto.resetRecording();
  const a0 = await cp(home.env, '123456');
  assert.equal(a0.code, 3, a0.stderr);
  assert.equal(a0.stdout, '', 'A gets neither the key nor the old session');
  assert.match(
    a0.stderr,
    new RegExp(`^aws-mfa: error: the key aws-mfa kept under the old name that every file shared \\(long-term:work-long-term\\), ${bob.accessKeyId}, is IAM user ${bob.userName}'s, who does not have the MFA device ${alice.deviceArn.replace(/[.]/g, '\\.')} that \\[work-long-term\\] in \\S+ uses: .*nothing was changed\\. .*aws-mfa --setup --profile work\n$`),
  );
  assert.ok(!a0.stderr.includes(bob.secretAccessKey));
  assert.deepEqual((await emu.moto.requests()).map((x) => x.action), ['GetCallerIdentity', 'ListMFADevices'], 'only who the key is was asked: no session was made with it');
  assert.deepEqual(readFileSync(home.credentials), beforeA, "A's file is unchanged");
  assert.equal(lookup('long-term:work-long-term').stdout, oldEntry, 'the old entry is unchanged');

  // B, whose key it is, takes it
  await emu.moto.resetRecording();
  const rb = await cp(b.env, '123456');
  assert.equal(rb.code, 0, rb.stderr);
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((x) => x.accessKeyId), [bob.accessKeyId]);
  const idB = entryId(home.read(b.file));

  // A again: the old entry now says who took it; nothing is signed for A
  await emu.moto.resetRecording();
  for (const args of [['credential-process', '--profile', 'work', '--token', '123456'], ['keys', 'move', '--profile', 'work', '--to', 'file']]) {
    const ra = await runCli(args, { env: home.env, detached: true });
    assert.equal(ra.code, 3, ra.stderr);
    assert.equal(ra.stdout, '', `${args[0]}: A gets neither B's key nor B's session`);
    assert.match(ra.stderr, new RegExp(`^aws-mfa: error: \\[work-long-term\\] in \\S+ says its key is in the keychain, but the key aws-mfa kept there under the old name that every file shared, ${bob.accessKeyId}, was taken by another credentials file with the same section, ${b.file.replace(/[.]/g, '\\.')}; nothing was changed\\. .*store a key again with: aws-mfa --setup --profile work\n$`));
    assert.ok(!ra.stderr.includes(bob.secretAccessKey));
  }
  assert.deepEqual(await emu.moto.requests(), [], 'nothing was signed for A');
  assert.deepEqual(readFileSync(home.credentials), beforeA, "A's file is unchanged");
  const list = await runCli(['keys', 'list'], { env: home.env });
  assert.match(list.stdout, new RegExp(`^work\\s+\\?\\s+keychain \\(its key ${bob.accessKeyId} was taken by ${b.file.replace(/[.]/g, '\\.')}\\)$`, 'm'));
  assert.equal((JSON.parse(lookup(`long-term@${idB}`).stdout) as Record<string, string>).SecretAccessKey, bob.secretAccessKey, "B's entry is untouched");
  const back = await runCli(['keys', 'move', '--profile', 'work', '--to', 'file'], { env: b.env });
  assert.equal(back.code, 0, back.stderr);
  assert.ok(home.read(b.file).includes(`aws_access_key_id = ${bob.accessKeyId}\r\naws_secret_access_key = ${bob.secretAccessKey}\r\n`));
});

test('an aws_mfa_keychain_id aws-mfa did not make: exit 3, one line naming the section and the fix, nothing read or called, the file unchanged', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeWithKey(u, {}); // no bus: the keychain is never reached
  home.write(fileWith(u, ['aws_mfa_keychain = true', 'aws_mfa_keychain_id = ../../other']).replace(BOM, ''));
  const before = readFileSync(home.credentials);
  await emu.moto.resetRecording();
  for (const args of [['credential-process', '--profile', 'work'], ['keys', 'move', '--profile', 'work', '--to', 'file']]) {
    const r = await runCli(args, { env: home.env, detached: true });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^aws-mfa: error: \[work-long-term\] in \S+ has an aws_mfa_keychain_id that aws-mfa did not make \(it makes 24 hex digits\); .*aws-mfa --setup --profile work\n$/);
  }
  assert.deepEqual(await emu.moto.requests(), []);
  assert.deepEqual(readFileSync(home.credentials), before);
});

// ---- security review: a copied (or forged) aws_mfa_keychain_id never shares another file's entry ----

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** stderr without the BOM warning these users' files get (fileWith starts with one). */
const withoutBomWarning = (stderr: string) => stderr.replace(/^aws-mfa: warning: .*byte order mark.*\n/gm, '');
/** The one line a section naming another file's entry gets (`owner`: that file, `fix`: what the line says to run). */
const anotherFiles = (file: string, owner: string, id: string, fix = 'aws-mfa --setup --profile work') =>
  new RegExp(`^aws-mfa: error: \\[work-long-term\\] in ${escaped(file)} names the keychain entry long-term@${id}, which belongs to ${escaped(realpathSync(owner))}, a file that still names it: .*nothing was changed\\. .*${escaped(fix)}\\n$`);

test('a copy of a file whose key is in the keychain cannot use, move back or clear its original\'s entry: exit 3, one line naming both files, nothing called or changed; the original keeps its key and its session', { skip: kr.skip }, async () => {
  const { u, home } = await sessionInKeychain();
  const id = entryId(home.read());
  const copy = join(home.aws, 'credentials-copy');
  copyFileSync(home.credentials, copy); // cp -p: the same bytes, the same id
  const env = { ...home.env, AWS_SHARED_CREDENTIALS_FILE: copy };
  const [bytesA, bytesB] = [readFileSync(home.credentials), readFileSync(copy)];
  const [entry, session] = [lookup(`long-term@${id}`).stdout, lookup(`session@${id}:work`).stdout];
  await emu.moto.resetRecording();
  const commands = [['keys', 'move', '--profile', 'work', '--to', 'file'], ['clear', '--profile', 'work'], ['credential-process', '--profile', 'work'], ['--profile', 'work', '--token', '123456', '--force']];
  for (const args of commands) {
    const r = await runCli(args, { env, detached: true });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', `${args.join(' ')}: the copy gets nothing`);
    assert.match(withoutBomWarning(r.stderr), anotherFiles(copy, home.credentials, id));
    assert.ok(!r.stderr.includes(u.secretAccessKey));
  }
  assert.deepEqual(await emu.moto.requests(), [], 'nothing was called for the copy');
  assert.deepEqual(readFileSync(home.credentials), bytesA, "the original's file is unchanged");
  assert.deepEqual(readFileSync(copy), bytesB, 'the copy is unchanged');
  assert.equal(lookup(`long-term@${id}`).stdout, entry, 'the entry is still there, unchanged');
  assert.equal(lookup(`session@${id}:work`).stdout, session, "the original's kept session survived the copy's clear");
  const status = await runCli(['status', '--profile', 'work'], { env });
  assert.equal(status.code, 0, status.stderr);
  assert.ok(status.stdout.includes(`its entry is the one of ${realpathSync(home.credentials)}, of which this file is a copy`), status.stdout);
  const list = await runCli(['keys', 'list'], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`^work\\s+\\?\\s+keychain \\(its entry is the one of ${escaped(realpathSync(home.credentials))}, of which this file is a copy\\)$`, 'm'));

  // the copy with the key pasted back in cannot take the entry over either (the fix: an entry of its own)
  writeFileSync(copy, fileWith(u, [`aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`, 'aws_mfa_keychain = true', `aws_mfa_keychain_id = ${id}`]));
  const moveIn = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env });
  assert.equal(moveIn.code, 3, moveIn.stderr);
  assert.match(withoutBomWarning(moveIn.stderr), anotherFiles(copy, home.credentials, id, 'aws-mfa keys move --profile work --to keychain --new-entry'));
  assert.equal(lookup(`long-term@${id}`).stdout, entry);

  // the original still gets its kept session without a call, and a new one signed with its own key
  const kept = await cp(home.env);
  assert.equal(kept.code, 0, kept.stderr);
  assert.deepEqual(await emu.moto.requests(), []);
  const fresh = await runCli(['--profile', 'work', '--token', '123456', '--force'], { env: home.env });
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((x) => x.accessKeyId), [u.accessKeyId], "signed with the original's key");
});

test('a kept session is reused only with the MFA device and for the file it was made with; one without those records is not reused', { skip: kr.skip }, async () => {
  const { u, home } = await sessionInKeychain();
  const id = entryId(home.read());
  const kept = JSON.parse(lookup(`session@${id}:work`).stdout) as Record<string, string>;
  assert.equal(kept.MfaDevice, u.deviceArn, 'the session records its device');
  assert.equal(kept.CredentialsFile, realpathSync(home.credentials), 'and its file');
  const bob = await createUser(emu.moto.endpoint);
  const own = home.read();
  home.write(own.replace(`aws_mfa_device = ${u.deviceArn}`, `aws_mfa_device = ${bob.deviceArn}`));
  await emu.moto.resetRecording();
  const other = await cp(home.env);
  assert.notEqual(other.code, 0, 'the section names another device: the session is not reused (and there is no code)');
  assert.equal(other.stdout, '');
  home.write(own);
  const back = await cp(home.env);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(sessionOf(back.stdout), kept.AccessKeyId, 'with its own device it is reused');
  assert.deepEqual(await emu.moto.requests(), []);
  // a session kept before sessions recorded their device and file
  const { MfaDevice: _d, CredentialsFile: _f, ...unrecorded } = kept;
  await storeOldEntry(`session@${id}:work`, unrecorded);
  const old = await cp(home.env);
  assert.notEqual(old.code, 0, 'a session without the records is not reused');
  assert.equal(old.stdout, '');
});

test('a moved file keeps its entry (adopted, also through a link), and a copy made of it afterwards is refused', { skip: kr.skip }, async () => {
  const { u, home } = await sessionInKeychain();
  const id = entryId(home.read());
  const moved = join(home.aws, 'credentials-moved');
  renameSync(home.credentials, moved);
  const env = { ...home.env, AWS_SHARED_CREDENTIALS_FILE: moved };
  await emu.moto.resetRecording();
  const r = await cp(env, '123456');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`The keychain entry long-term@${id} now belongs to \\[work-long-term\\] in ${escaped(moved)}: `));
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((x) => x.accessKeyId), [u.accessKeyId]);
  assert.equal((JSON.parse(lookup(`long-term@${id}`).stdout) as Record<string, string>).Owner, realpathSync(moved));

  // the same file through a link is the same owner: its session, no call, no adoption
  const link = join(home.dir, 'creds-link');
  symlinkSync(moved, link);
  await emu.moto.resetRecording();
  const viaLink = await cp({ ...home.env, AWS_SHARED_CREDENTIALS_FILE: link });
  assert.equal(viaLink.code, 0, viaLink.stderr);
  assert.doesNotMatch(viaLink.stderr, /now belongs to/);
  assert.deepEqual(await emu.moto.requests(), []);

  // a hard link (on Windows also a mapped drive and its UNC path): another real path, the same file
  const hard = join(home.dir, 'creds-hard');
  linkSync(moved, hard);
  const viaHardLink = await cp({ ...home.env, AWS_SHARED_CREDENTIALS_FILE: hard });
  assert.equal(viaHardLink.code, 0, viaHardLink.stderr);
  assert.doesNotMatch(viaHardLink.stderr, /now belongs to/);
  assert.deepEqual(await emu.moto.requests(), []);
  rmSync(hard);

  // a copy of the moved file, back at the old path: refused, the moved file keeps working
  copyFileSync(moved, home.credentials);
  const copy = await cp(home.env, '123456');
  assert.equal(copy.code, 3, copy.stderr);
  assert.match(withoutBomWarning(copy.stderr), anotherFiles(home.credentials, moved, id));
  assert.deepEqual(await emu.moto.requests(), []);
  assert.equal((JSON.parse(lookup(`long-term@${id}`).stdout) as Record<string, string>).Owner, realpathSync(moved));
  const still = await cp(env);
  assert.equal(still.code, 0, still.stderr);
});
