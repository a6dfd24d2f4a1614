/**
 * Long-term keys in the OS keychain, end to end: the built binary, moto_server, and a real Secret
 * Service (gnome-keyring on a private D-Bus, test/helpers/keyring.ts), looked at from outside with
 * secret-tool. Every scenario walks HOME for secrets the design promises are in no file.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  assert.deepEqual(JSON.parse(entry.stdout), { Version: 1, AccessKeyId: u.accessKeyId, SecretAccessKey: u.secretAccessKey, Section: 'work-long-term' });
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
  assert.match(r.stderr, /^aws-mfa: error: moving the key of \[work-long-term\] to the keychain needs the OS keychain, which cannot be used: no Secret Service on the session bus \(DBUS_SESSION_BUS_ADDRESS is not set\); run aws-mfa in your desktop session.*Nothing was changed\n$/);
  assert.doesNotMatch(r.stderr, /Couldn't access platform storage/);
  assert.deepEqual(readFileSync(home.credentials), before);

  // a session bus with nothing providing org.freedesktop.secrets
  if (kr.skip) return;
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-bus-'));
  const bus = await startBus(dir);
  try {
    const r2 = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: { ...home.env, DBUS_SESSION_BUS_ADDRESS: bus.address } });
    assert.equal(r2.code, 3, r2.stderr);
    assert.match(r2.stderr, /no Secret Service on the session bus \(nothing provides org\.freedesktop\.secrets\); install and start a Secret Service/);
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
    assert.match(r3.stderr, /which cannot be used: the Secret Service has no default keyring to store into; unlock your keyring/);
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
    assert.match(r.stderr, /reading the MFA session of \[work\] needs the OS keychain, which cannot be used: the keyring is locked and no unlock prompt could be shown; unlock your keyring/);
    assert.deepEqual(await emu.moto.requests(), []);
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
