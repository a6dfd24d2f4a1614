/**
 * The virtual MFA device lifecycle and init, end to end with the built binary and moto_server.
 * The tool talks to moto through a relay that keeps IAM's answers, so a test knows the seed AWS
 * gave the new device and checks that the tool showed exactly that seed (as text, in the PNG, or
 * in the QR code on the screen). Codes are computed from the shown seed with a TOTP library, as an
 * authenticator app would, and the tests check that exactly those codes reached IAM and STS in
 * moto's record of the requests: moto accepts any code, so the record is the only place a wrong,
 * swapped or invented code would show.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP, URI } from 'otpauth';
import { IAMClient, ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, CLI_COMMAND, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { startPty } from '../helpers/tmux.js';
import { decodeQrPng, decodeTerminalQr } from '../helpers/qr.js';
import { startTap, type Tap } from '../helpers/tap.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
let tap: Tap;
before(async () => {
  await emu.ready;
  tap = await startTap(emu.moto.endpoint);
});

let seedsSeen = 0;
/** The seeds AWS handed out for new devices since the last call. */
function seedsFromAws(): string[] {
  const all = tap.seeds();
  const fresh = all.slice(seedsSeen);
  seedsSeen = all.length;
  return fresh;
}

/** Two consecutive codes, as the app shows them now and 30 seconds later. */
function codePair(seed: string): [string, string] {
  const totp = new TOTP({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1' });
  const now = Date.now();
  return [totp.generate({ timestamp: now }), totp.generate({ timestamp: now + 30_000 })];
}

async function unassigned(): Promise<string[]> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.moto.endpoint, credentials: { accessKeyId: 'AKIAADMINADMINADMIN0', secretAccessKey: 'x' } });
  const out = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
  return (out.VirtualMFADevices ?? []).map((d) => d.SerialNumber!);
}

function homeWithoutDevice(u: OnboardedUser, profile = 'dev'): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: tap.endpoint });
  home.write('# my credentials\n[other]\naws_access_key_id = AKIAOTHER0000000000\n\n');
  writeLongTerm(home, profile, u, { device: false });
  return home;
}

/** Run the binary with stdin and stdout as pipes, answering when stdout shows the seed. */
function runAnswering(args: string[], env: Record<string, string>, answer: (stdout: string) => string | undefined, firstInput = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let answered = false;
    if (firstInput) child.stdin.write(firstInput);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!answered) {
        const a = answer(stdout);
        if (a !== undefined) {
          answered = true;
          child.stdin.end(a);
        }
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const seedIn = (stdout: string) => /^([A-Z2-7]{32,})$/m.exec(stdout)?.[1];

/** Answers a printed seed with the next two codes of an authenticator app holding it; remembers them. */
function app() {
  const state = { seed: '', codes: [] as string[] };
  const answer = (stdout: string) => {
    const seed = seedIn(stdout);
    if (!seed) return undefined;
    state.seed = seed;
    state.codes = codePair(seed);
    return state.codes.join('\n') + '\n';
  };
  return { state, answer };
}

/** The otpauth URI an authenticator app reads: TOTP, SHA1, 6 digits, 30 s, AWS's issuer and label. */
function checkUri(uri: string, label: string): string {
  const parsed = URI.parse(uri) as TOTP;
  assert.ok(parsed instanceof TOTP, uri);
  assert.equal(parsed.issuer, 'Amazon Web Services');
  assert.equal(parsed.label, label);
  assert.deepEqual([parsed.algorithm, parsed.digits, parsed.period], ['SHA1', 6, 30]);
  assert.match(parsed.secret.base32, /^[A-Z2-7]{32,}$/);
  return parsed.secret.base32;
}

test('device create (seed shown, codes from the seed sent to EnableMFADevice) → list shows it used by the profile → remove removes both', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const before = home.read();
  const phone = app();
  seedsFromAws();
  await emu.moto.resetRecording();
  const created = await runAnswering(['device', 'create', '--profile', 'dev', '--show-secret'], home.env, phone.answer);
  assert.equal(created.code, 0, created.stderr);
  assert.ok(phone.state.seed, 'the seed was shown because --show-secret asked for it');
  assert.deepEqual(seedsFromAws(), [phone.state.seed], 'the seed shown is the one AWS gave the device');
  const doc = IniDocument.parse(home.read());
  const arn = doc.get('dev-long-term', 'aws_mfa_device')!;
  assert.match(arn, new RegExp(`^arn:aws:iam::\\d{12}:mfa/${u.userName}$`));
  assert.equal(home.read(), before.replace(/(aws_secret_access_key = .*\n)$/, `$1aws_mfa_device = ${arn}\n`), 'only aws_mfa_device was added');
  assert.ok(!created.stderr.includes(phone.state.seed), 'the seed is not in the log');
  // what reached IAM: a device named after the user, enabled for that user with the two codes
  // the app computed from the seed the tool showed, in order, signed with the profile's key
  const [create] = await emu.moto.requests('CreateVirtualMFADevice');
  assert.equal(create?.params.VirtualMFADeviceName, u.userName);
  assert.equal(create?.accessKeyId, u.accessKeyId);
  const enable = await emu.moto.requests('EnableMFADevice');
  assert.deepEqual(
    enable.map((r) => [r.params.UserName, r.params.SerialNumber, r.params.AuthenticationCode1, r.params.AuthenticationCode2]),
    [[u.userName, arn, ...phone.state.codes]],
  );

  const list = await runCli(['device', 'list', '--profile', 'dev', '--json'], { env: home.env });
  assert.equal(list.code, 0, list.stderr);
  const l = JSON.parse(list.stdout);
  assert.equal(l.user, u.userName);
  assert.deepEqual(l.devices.map((d: { serialNumber: string; usedByProfile: boolean }) => [d.serialNumber, d.usedByProfile]), [[arn, true]]);

  // the device works for a session: the code from the app and the new device go to STS
  const code = new TOTP({ secret: phone.state.seed }).generate({ timestamp: Date.now() + 60_000 });
  await emu.moto.resetRecording();
  assert.equal((await runCli(['--profile', 'dev', '--token', code], { env: home.env })).code, 0);
  const sts = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(sts.map((r) => [r.params.SerialNumber, r.params.TokenCode]), [[arn, code]]);

  await emu.moto.resetRecording();
  const removed = await runCli(['device', 'remove', '--profile', 'dev', '--yes'], { env: home.env });
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual((await emu.moto.requests('DeactivateMFADevice')).map((r) => [r.params.UserName, r.params.SerialNumber]), [[u.userName, arn]]);
  assert.deepEqual((await emu.moto.requests('DeleteVirtualMFADevice')).map((r) => r.params.SerialNumber), [arn]);
  const after = IniDocument.parse(home.read());
  assert.equal(after.get('dev-long-term', 'aws_mfa_device'), undefined, 'aws_mfa_device removed from the profile');
  assert.equal(after.get('dev-long-term', 'aws_access_key_id'), u.accessKeyId);
  const list2 = JSON.parse((await runCli(['device', 'list', '--profile', 'dev', '--json'], { env: home.env })).stdout);
  assert.deepEqual(list2.devices, []);
  assert.ok(!(await unassigned()).includes(arn), 'deleted, not left unassigned');
});

test('--qr-png writes a real PNG (0600) whose QR holds the otpauth URI; the QR code on screen holds the same; a failed run removes it with its deleted device', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const png = join(home.dir, 'qr.png');
  seedsFromAws();
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, 'device', 'create', '--profile', 'dev', '--name', 'phone', '--qr-png', png], home.env);
  await pty.waitFor(/First code in your authenticator app \(6 digits\)/);
  assert.equal(statSync(png).mode & 0o777, 0o600);
  const uri = decodeQrPng(png);
  assert.deepEqual(seedsFromAws(), [checkUri(uri, `phone@${u.userName}`)], 'the PNG holds the seed AWS gave the device');
  assert.equal(decodeTerminalQr(pty.colourScreen()), uri, 'the QR code drawn on the screen is the same URI');
  // aborted at the prompt: the device is deleted again, and the PNG holding its seed goes too
  pty.ctrlD();
  assert.equal(await pty.exitCode(), 130, pty.screen());
  assert.match(pty.screen(), /the unassigned device arn:aws:iam::\d+:mfa\/phone was deleted again/);
  assert.ok(!existsSync(png), 'the PNG of the deleted device is removed');
  const [create] = await emu.moto.requests('CreateVirtualMFADevice');
  assert.equal(create?.params.VirtualMFADeviceName, 'phone');
  assert.deepEqual(await emu.moto.requests('EnableMFADevice'), [], 'no codes, no EnableMFADevice');
  assert.ok(!(await unassigned()).some((s) => s.endsWith(':mfa/phone')), 'nothing left behind');
  // without a terminal and without codes on stdin, enabling fails: device and PNG go again
  const r = await runCli(['device', 'create', '--profile', 'dev', '--name', 'pngpipe', '--qr-png', png], { env: home.env, input: '', detached: true });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /two consecutive codes.*the unassigned device arn:aws:iam::\d+:mfa\/pngpipe was deleted again, so you can start over/);
  assert.doesNotMatch(r.stderr, /[.。][.;。]/, 'one stop between the two parts');
  assert.ok(!existsSync(png), 'removed without a terminal too');
});

test('aborting at the code prompt (Ctrl-D) deletes the created device again; the QR code on the screen holds the URI; a bad first code is caught before the second is asked', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const before = home.read();
  seedsFromAws();
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, 'device', 'create', '--profile', 'dev', '--name', 'aborted'], home.env);
  await pty.waitFor(/Scan this QR code[\s\S]*First code in your authenticator app \(6 digits\)/);
  // read by colour, as a camera sees the screen
  const seed = checkUri(decodeTerminalQr(pty.colourScreen()), `aborted@${u.userName}`);
  assert.deepEqual(seedsFromAws(), [seed], 'the QR code on the screen holds the seed AWS gave the device');
  // the first code is checked at once: letters are named, and the first code is asked again
  pty.type('abcdef');
  pty.enter();
  await pty.waitFor(/warning: the MFA code must be exactly 6 digits \(got 6 characters, and letters are not digits\)\. Try again \(2 left\): type the 6 digits your authenticator shows\.[\s\S]*First code in your authenticator app \(6 digits\)/);
  assert.doesNotMatch(pty.screen(), /Wait for the next code/, 'the second code is not asked after a bad first one');
  pty.type('111111');
  pty.enter();
  await pty.waitFor(/Wait for the next code, then type it as the second \(6 digits\):/);
  pty.type('111111');
  pty.enter();
  // the first code stands: only the second is asked again, as the message says
  await pty.waitFor(/warning: the two codes are the same\. Wait for the app to show the next code .* as the second \(1 left\)\.\n[\s\S]*Wait for the next code, then type it as the second \(6 digits\): *$/m);
  assert.equal(pty.screen().match(/First code in your authenticator app/g)?.length, 2, 'the first code is not asked for again');
  pty.ctrlD();
  assert.equal(await pty.exitCode(), 130, pty.screen());
  assert.match(pty.screen(), /the unassigned device arn:aws:iam::\d+:mfa\/aborted was deleted again/);
  assert.deepEqual(await emu.moto.requests('EnableMFADevice'), [], 'two equal codes never reach IAM');
  assert.deepEqual((await emu.moto.requests('DeleteVirtualMFADevice')).map((q) => q.params.SerialNumber?.replace(/\d{12}/, 'ACCOUNT')), ['arn:aws:iam::ACCOUNT:mfa/aborted']);
  assert.ok(!(await unassigned()).some((s) => s.endsWith(':mfa/aborted')), 'no unassigned device left');
  assert.equal(home.read(), before, 'the credentials file is unchanged');
});

test('three bad codes at device create: the device is deleted again, said in one line with one stop between its parts', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, 'device', 'create', '--profile', 'dev', '--name', 'threebad'], home.env);
  for (let i = 0; i < 3; i++) {
    await pty.waitFor(new RegExp(`(First code in your authenticator app \\(6 digits\\)[^\\n]*\\n?[\\s\\S]*){${i + 1}}`));
    pty.type('abcdef');
    pty.enter();
  }
  assert.equal(await pty.exitCode(), 2, pty.screen());
  const line = /^aws-mfa: error: .*$/m.exec(pty.screen().replace(/\n(?!aws-mfa|\n)/g, ''))?.[0] ?? '';
  assert.match(line, /That was the last try; run the command again; the unassigned device arn:aws:iam::\d+:mfa\/threebad was deleted again/, pty.screen());
  assert.doesNotMatch(line, /[.。][.;。]/, 'one stop between the two parts');
  assert.deepEqual(await emu.moto.requests('EnableMFADevice'), []);
});

test('identical --code1/--code2 are refused before anything is created (no AWS call, no PNG), in English and Japanese; the "file is there" fix repeats every option', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u, 'handson');
  const before = home.read();
  const png = join(home.dir, 'mfa.png');
  const same = ['--code1', '123456', '--code2', '123456'];
  for (const [lang, message] of [['en', /the two codes are the same/], ['ja', /2 つのコードが同じです/]] as const) {
    await emu.moto.resetRecording();
    for (const command of [['device', 'create'], ['init', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin']]) {
      const args = [...command, '--profile', 'handson', '--name', 'handson-cli-basic-user-mfa', '--qr-png', png, ...same];
      const r = await runCli([...args.map((a) => (a === '--name' && command[0] === 'init' ? '--device-name' : a)), '--lang', lang], { env: home.env, input: `${u.secretAccessKey}\n` });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /deleted|削除/, 'nothing was created, so nothing was deleted');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.ok(!existsSync(png), 'no PNG written');
    }
    assert.deepEqual(await emu.moto.requests(), [], 'nothing was sent to AWS');
  }
  assert.equal(home.read(), before, 'the credentials file is unchanged');
  // the refusal of an existing PNG names a command that repeats every option given but the codes (stale by then)
  home.write('mine', png);
  const args = ['--name', 'handson-cli-basic-user-mfa', '--qr-png', png, '--code1', '123456', '--code2', '654321'];
  const r = await runCli(['device', 'create', '--profile', 'handson', ...args], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  const fix = `aws-mfa device create --name handson-cli-basic-user-mfa --qr-png ${png} --overwrite --profile handson\n`;
  assert.ok(r.stderr.endsWith(fix), r.stderr);
  assert.doesNotMatch(r.stderr, /--code/);
  // a dangling link is said to be one, with the same fix
  const link = join(home.dir, 'link.png');
  symlinkSync(join(home.dir, 'gone.png'), link);
  const dangling = await runCli(['device', 'create', '--profile', 'handson', '--qr-png', link, '--code1', '123456', '--code2', '654321'], { env: home.env });
  assert.equal(dangling.code, 3, dangling.stderr);
  assert.equal(dangling.stderr, `aws-mfa: error: ${link} is a symbolic link to ${join(home.dir, 'gone.png')}, which does not exist, and aws-mfa does not replace it; give a new name, remove the link, or replace it: aws-mfa device create --qr-png ${link} --overwrite --profile handson\n`);
  assert.ok(!existsSync(join(home.dir, 'gone.png')));
});

test('a name taken by a leftover unassigned device is explained', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.moto.endpoint, credentials: { accessKeyId: 'AKIAADMINADMINADMIN0', secretAccessKey: 'x' } });
  const { CreateVirtualMFADeviceCommand } = await import('@aws-sdk/client-iam');
  const leftover = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'leftover' }))).VirtualMFADevice!.SerialNumber!;
  const r = await runCli(['device', 'create', '--profile', 'dev', '--name', 'leftover'], { env: home.env });
  assert.equal(r.code, 4, r.stderr);
  assert.ok(r.stderr.includes(`a virtual MFA device named leftover already exists and is not assigned to anyone`), r.stderr);
  assert.ok(r.stderr.includes(`"aws-mfa device remove --serial ${leftover}"`), r.stderr);
  await emu.moto.resetRecording();
  const rm = await runCli(['device', 'remove', '--profile', 'dev', '--serial', leftover, '--yes'], { env: home.env });
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual((await emu.moto.requests('DeleteVirtualMFADevice')).map((q) => q.params.SerialNumber), [leftover]);
  assert.ok(!(await unassigned()).includes(leftover));
});

test('init in a terminal: keys (secret hidden), a new device by its QR code, two codes from its seed, the first session', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = makeHome({ AWS_ENDPOINT_URL: tap.endpoint });
  const png = join(home.dir, 'init-qr.png');
  seedsFromAws();
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, 'init', '--profile', 'team', '--qr-png', png], home.env);
  await pty.waitFor(/AWS access key id \(AKIA\.\.\.\):/);
  pty.type(u.accessKeyId);
  pty.enter();
  await pty.waitFor(/AWS secret access key \(not shown\):/);
  pty.type(u.secretAccessKey);
  pty.enter();
  await pty.waitFor(/Default region for this profile/);
  pty.type('ap-northeast-1');
  pty.enter();
  await pty.waitFor(/First code in your authenticator app \(6 digits\)/);
  assert.ok(!pty.screen().includes(u.secretAccessKey), 'the secret is never on the screen');
  // the app scans the screen; the PNG holds the same URI
  const uri = decodeTerminalQr(pty.colourScreen());
  const seed = checkUri(uri, `${u.userName}@${u.userName}`);
  assert.deepEqual(seedsFromAws(), [seed], 'the QR code on the screen holds the seed AWS gave the device');
  assert.equal(decodeQrPng(png), uri);
  const [c1, c2] = codePair(seed);
  pty.type(c1);
  pty.enter();
  await pty.waitFor(/Wait for the next code/);
  pty.type(c2);
  pty.enter();
  await pty.waitFor(/Enter AWS MFA code for device/);
  const c3 = new TOTP({ secret: seed }).generate({ timestamp: Date.now() + 60_000 });
  pty.type(c3);
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  const doc = IniDocument.parse(home.read());
  assert.equal(doc.get('team-long-term', 'aws_access_key_id'), u.accessKeyId);
  const arn = doc.get('team-long-term', 'aws_mfa_device')!;
  assert.match(arn, new RegExp(`:mfa/${u.userName}$`));
  assert.ok(doc.get('team', 'aws_session_token'), 'the first session is there');
  assert.equal(statSync(home.credentials).mode & 0o777, 0o600);
  const enable = await emu.moto.requests('EnableMFADevice');
  assert.deepEqual(enable.map((r) => [r.params.SerialNumber, r.params.AuthenticationCode1, r.params.AuthenticationCode2, r.accessKeyId]), [[arn, c1, c2, u.accessKeyId]]);
  const sts = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(sts.map((r) => [r.params.SerialNumber, r.params.TokenCode, r.accessKeyId]), [[arn, c3, u.accessKeyId]]);
});

test('init fully by flags: an existing device is picked; bad keys are refused before anything is written', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await emu.moto.resetRecording();
  const r = await runCli(['init', '--profile', 'ci', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--token', '135790'], { env: home.env, input: `${u.secretAccessKey}\n`, detached: true });
  assert.equal(r.code, 0, r.stderr);
  const doc = IniDocument.parse(home.read());
  assert.equal(doc.get('ci-long-term', 'aws_mfa_device'), u.deviceArn);
  assert.ok(doc.get('ci', 'aws_session_token'));
  assert.ok(!r.stderr.includes(u.secretAccessKey) && !r.stdout.includes(u.secretAccessKey));
  assert.deepEqual(await emu.moto.requests('CreateVirtualMFADevice'), [], 'the existing device is used, no new one');
  const sts = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(sts.map((q) => [q.params.SerialNumber, q.params.TokenCode, q.accessKeyId]), [[u.deviceArn, '135790', u.accessKeyId]]);

  // moto accepts any key, so a wrong one comes from the loopback STS stand-in's answer
  const { startFakeSts } = await import('../helpers/fake-sts.js');
  const fake = await startFakeSts();
  try {
    fake.script({ error: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    const bad = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_ENDPOINT_URL_STS: fake.endpoint });
    const rb = await runCli(['init', '--profile', 'x', '--access-key-id', 'AKIAWRONGWRONGWRONG0', '--secret-access-key-stdin', '--token', '123456'], { env: bad.env, input: 'wrong\n', detached: true });
    assert.equal(rb.code, 4, rb.stderr);
    assert.match(rb.stderr, /does not recognise the access key/);
    assert.ok(!existsSync(bad.credentials), 'nothing was written');
  } finally {
    await fake.close();
  }
});

test('init fully by flags and stdin for a user without a device: the seed is printed, the codes from it come as lines and reach IAM', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = makeHome({ AWS_ENDPOINT_URL: tap.endpoint });
  const phone = app();
  seedsFromAws();
  await emu.moto.resetRecording();
  const r = await runAnswering(
    ['init', '--profile', 'auto', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--show-secret', '--device-name', 'ci-device', '--token', '246810'],
    home.env,
    phone.answer,
    `${u.secretAccessKey}\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(seedsFromAws(), [phone.state.seed], 'the seed printed is the one AWS gave the device');
  const doc = IniDocument.parse(home.read());
  const arn = doc.get('auto-long-term', 'aws_mfa_device')!;
  assert.match(arn, /:mfa\/ci-device$/);
  assert.ok(doc.get('auto', 'aws_session_token'));
  assert.equal((await emu.moto.requests('CreateVirtualMFADevice'))[0]?.params.VirtualMFADeviceName, 'ci-device');
  const enable = await emu.moto.requests('EnableMFADevice');
  assert.deepEqual(enable.map((q) => [q.params.UserName, q.params.SerialNumber, q.params.AuthenticationCode1, q.params.AuthenticationCode2]), [[u.userName, arn, ...phone.state.codes]]);
  const sts = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(sts.map((q) => [q.params.SerialNumber, q.params.TokenCode]), [[arn, '246810']]);
});

test('device list --user for a user IAM does not know: says to check the user, with the list command that works for this profile', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const r = await runCli(['device', 'list', '--profile', 'dev', '--user', 'nosuchuser'], { env: home.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /ListMFADevices: .*nosuchuser.*; check the IAM user name given with --user \(the devices of the user whose key is in \[dev-long-term\]: aws-mfa device list --profile dev\)\n$/);
  assert.doesNotMatch(r.stderr, /device ARN/);
  const list = await runCli(['device', 'list', '--profile', 'dev'], { env: home.env });
  assert.equal(list.code, 0, list.stderr);
});
