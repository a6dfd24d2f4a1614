/**
 * The virtual MFA device lifecycle and init, end to end with the built binary and moto_server.
 * Codes are computed from the device's seed with a TOTP library, as an authenticator app would.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP, URI } from 'otpauth';
import QRCode from 'qrcode';
import { IAMClient, ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, CLI_COMMAND, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { startPty } from '../helpers/tmux.js';
import { findTool } from '../helpers/tools.js';
import { IniDocument } from '../../src/ini/document.js';
import { qrText } from '../../src/io/qr.js';
import { otpauthUri } from '../../src/core/mfa-device.js';

const emu = useMoto();
before(async () => {
  await emu.ready;
});

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
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
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

test('device create (seed shown, codes from the seed) → list shows it used by the profile → remove removes both', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const before = home.read();
  const created = await runAnswering(['device', 'create', '--profile', 'dev', '--show-secret'], home.env, (out) => {
    const seed = seedIn(out);
    return seed ? codePair(seed).join('\n') + '\n' : undefined;
  });
  assert.equal(created.code, 0, created.stderr);
  const seed = seedIn(created.stdout)!;
  assert.ok(seed, 'the seed was shown because --show-secret asked for it');
  const doc = IniDocument.parse(home.read());
  const arn = doc.get('dev-long-term', 'aws_mfa_device')!;
  assert.match(arn, new RegExp(`^arn:aws:iam::\\d{12}:mfa/${u.userName}$`));
  assert.equal(home.read(), before.replace(/(aws_secret_access_key = .*\n)$/, `$1aws_mfa_device = ${arn}\n`), 'only aws_mfa_device was added');
  assert.ok(!created.stderr.includes(seed), 'the seed is not in the log');

  const list = await runCli(['device', 'list', '--profile', 'dev', '--json'], { env: home.env });
  assert.equal(list.code, 0, list.stderr);
  const l = JSON.parse(list.stdout);
  assert.equal(l.user, u.userName);
  assert.deepEqual(l.devices.map((d: { serialNumber: string; usedByProfile: boolean }) => [d.serialNumber, d.usedByProfile]), [[arn, true]]);

  // the device works for a session
  assert.equal((await runCli(['--profile', 'dev', '--token', codePair(seed)[0]], { env: home.env })).code, 0);

  const removed = await runCli(['device', 'remove', '--profile', 'dev', '--yes'], { env: home.env });
  assert.equal(removed.code, 0, removed.stderr);
  const after = IniDocument.parse(home.read());
  assert.equal(after.get('dev-long-term', 'aws_mfa_device'), undefined, 'aws_mfa_device removed from the profile');
  assert.equal(after.get('dev-long-term', 'aws_access_key_id'), u.accessKeyId);
  const list2 = JSON.parse((await runCli(['device', 'list', '--profile', 'dev', '--json'], { env: home.env })).stdout);
  assert.deepEqual(list2.devices, []);
  assert.ok(!(await unassigned()).includes(arn), 'deleted, not left unassigned');
});

test('--qr-png writes a real PNG (0600) whose QR holds the otpauth URI with the secret, issuer and label', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const png = join(home.dir, 'qr.png');
  let uriSeen = '';
  const r = await runCli(['device', 'create', '--profile', 'dev', '--name', 'phone', '--qr-png', png], { env: home.env, input: '', detached: true });
  // without a terminal and without codes on stdin, enabling fails and the device is deleted again
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /two consecutive codes.*the unassigned device arn:aws:iam::\d+:mfa\/phone was deleted again, so you can start over/);
  assert.equal(statSync(png).mode & 0o777, 0o600);
  const zbar = spawnSync(findTool('zbarimg'), ['--raw', '-q', png], { encoding: 'utf8' });
  assert.equal(zbar.status, 0, zbar.stderr);
  uriSeen = zbar.stdout.trim();
  const parsed = URI.parse(uriSeen) as TOTP;
  assert.equal(parsed.issuer, 'Amazon Web Services');
  assert.equal(parsed.label, `phone@${u.userName}`);
  assert.match(parsed.secret.base32, /^[A-Z2-7]{32,}$/);
  assert.equal(uriSeen, otpauthUri('phone', u.userName, parsed.secret.base32), 'the same URI the terminal QR code draws');
  assert.ok(!(await unassigned()).some((s) => s.endsWith(':mfa/phone')), 'nothing left behind');
});

test('the terminal QR code is one line per two modules plus the margin', async () => {
  const uri = otpauthUri('alice', 'alice', 'A'.repeat(64));
  const size = QRCode.create(uri, { errorCorrectionLevel: 'M' }).modules.size;
  for (const colour of [false, true]) {
    const lines = (await qrText(uri, colour)).replace(/\n$/, '').split('\n');
    assert.equal(lines.length, Math.ceil((size + 4) / 2), `colour=${colour}`);
  }
  assert.equal(size, 49, 'an AWS seed URI is a version 8 QR code: 27 terminal lines with the margin');
});

test('aborting at the code prompt (Ctrl-D) deletes the created device again', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const before = home.read();
  const pty = startPty([...CLI_COMMAND, 'device', 'create', '--profile', 'dev', '--name', 'aborted'], home.env);
  await pty.waitFor(/Scan this QR code[\s\S]*First code shown for/);
  pty.type('111111');
  pty.enter();
  await pty.waitFor(/Wait for the next code, then type it:/);
  pty.type('111111');
  pty.enter();
  await pty.waitFor(/the two codes are the same; wait for the app to show the next code/);
  await pty.waitFor(/First code shown for[\s\S]*First code shown for/);
  pty.ctrlD();
  assert.equal(await pty.exitCode(), 130, pty.screen());
  assert.match(pty.screen(), /the unassigned device arn:aws:iam::\d+:mfa\/aborted was deleted again/);
  assert.ok(!(await unassigned()).some((s) => s.endsWith(':mfa/aborted')), 'no unassigned device left');
  assert.equal(home.read(), before, 'the credentials file is unchanged');
});

test('a name taken by a leftover unassigned device is explained', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeWithoutDevice(u);
  const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.moto.endpoint, credentials: { accessKeyId: 'AKIAADMINADMINADMIN0', secretAccessKey: 'x' } });
  const { CreateVirtualMFADeviceCommand } = await import('@aws-sdk/client-iam');
  await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'leftover' }));
  const r = await runCli(['device', 'create', '--profile', 'dev', '--name', 'leftover'], { env: home.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /a virtual MFA device named leftover already exists and is not assigned to anyone .* "aws-mfa device remove --serial arn:aws:iam::\d+:mfa\/leftover"/);
  const rm = await runCli(['device', 'remove', '--profile', 'dev', '--serial', `arn:aws:iam::123456789012:mfa/leftover`, '--yes'], { env: home.env });
  assert.equal(rm.code, 0, rm.stderr);
  assert.ok(!(await unassigned()).some((s) => s.endsWith(':mfa/leftover')));
});

test('init in a terminal: keys (secret hidden), a new device by its QR PNG, two codes, the first session', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const png = join(home.dir, 'init-qr.png');
  const pty = startPty([...CLI_COMMAND, 'init', '--profile', 'team', '--qr-png', png], home.env);
  await pty.waitFor(/AWS access key id \(AKIA\.\.\.\):/);
  pty.type(u.accessKeyId);
  pty.enter();
  await pty.waitFor(/AWS secret access key \(not shown\):/);
  pty.type(u.secretAccessKey);
  pty.enter();
  await pty.waitFor(/First code shown for/);
  assert.ok(!pty.screen().includes(u.secretAccessKey), 'the secret is never on the screen');
  assert.ok(existsSync(png));
  const seed = (URI.parse(spawnSync(findTool('zbarimg'), ['--raw', '-q', png], { encoding: 'utf8' }).stdout.trim()) as TOTP).secret.base32;
  const [c1, c2] = codePair(seed);
  pty.type(c1);
  pty.enter();
  await pty.waitFor(/Wait for the next code/);
  pty.type(c2);
  pty.enter();
  await pty.waitFor(/Enter AWS MFA code for device/);
  pty.type(new TOTP({ secret: seed }).generate({ timestamp: Date.now() + 60_000 }));
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  const doc = IniDocument.parse(home.read());
  assert.equal(doc.get('team-long-term', 'aws_access_key_id'), u.accessKeyId);
  assert.match(doc.get('team-long-term', 'aws_mfa_device')!, /:mfa\//);
  assert.ok(doc.get('team', 'aws_session_token'), 'the first session is there');
  assert.equal(statSync(home.credentials).mode & 0o777, 0o600);
});

test('init fully by flags: an existing device is picked; bad keys are refused before anything is written', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const r = await runCli(['init', '--profile', 'ci', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--token', '123456'], { env: home.env, input: `${u.secretAccessKey}\n`, detached: true });
  assert.equal(r.code, 0, r.stderr);
  const doc = IniDocument.parse(home.read());
  assert.equal(doc.get('ci-long-term', 'aws_mfa_device'), u.deviceArn);
  assert.ok(doc.get('ci', 'aws_session_token'));
  assert.ok(!r.stderr.includes(u.secretAccessKey) && !r.stdout.includes(u.secretAccessKey));

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

test('init fully by flags and stdin for a user without a device: the seed is printed, the codes come as lines', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const r = await runAnswering(
    ['init', '--profile', 'auto', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--show-secret', '--device-name', 'ci-device', '--token', '123456'],
    home.env,
    (out) => {
      const seed = seedIn(out);
      return seed ? codePair(seed).join('\n') + '\n' : undefined;
    },
    `${u.secretAccessKey}\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  const doc = IniDocument.parse(home.read());
  assert.match(doc.get('auto-long-term', 'aws_mfa_device')!, /:mfa\/ci-device$/);
  assert.ok(doc.get('auto', 'aws_session_token'));
});
