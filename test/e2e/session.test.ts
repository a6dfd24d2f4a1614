/**
 * The session command end to end: the built binary against a real moto_server, and the real AWS
 * CLI reading what it wrote. moto accepts any device and code, so every test about which device,
 * code, duration, role or keys are used checks the request moto recorded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, runAwsCli, type Home } from '../helpers/cli.js';
import { createUser, createRole, onboard, writeLongTerm } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';
import { pasteInBash, suggestedCommand } from '../helpers/paste.js';

const emu = useMoto();

function homeFor(): Home {
  return makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
}

const section = (text: string, name: string) => IniDocument.parse(text).entries(name);

/** What the recorded requests of `action` carried: the parameters named, and the signing key. */
async function sent(action: string, names: string[]): Promise<Array<Record<string, string | undefined>>> {
  return (await emu.moto.requests(action)).map((r) => ({ ...Object.fromEntries(names.map((n) => [n, r.params[n]])), key: r.accessKeyId }));
}
const STS = ['SerialNumber', 'TokenCode', 'DurationSeconds'];
const ROLE = ['RoleArn', 'RoleSessionName', 'ExternalId', ...STS];

function expirationSeconds(text: string, name: string): number {
  const exp = section(text, name).get('expiration')!;
  assert.match(exp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'broamski expiration format, UTC');
  return (Date.parse(exp.replace(' ', 'T') + 'Z') - Date.now()) / 1000;
}

test('first run writes [work]; the AWS CLI uses it; a second run calls nothing; --force renews', async () => {
  const home = homeFor();
  home.write('# my keys\n[other]\naws_access_key_id = AKIAOTHER0000000000\n\n');
  const user = await onboard(emu.moto.endpoint, home, 'work');
  const before = home.read();
  await emu.moto.resetRecording();

  const r1 = await runCli(['--profile', 'work', '--token', '314159'], { env: home.env });
  assert.equal(r1.code, 0, r1.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  assert.deepEqual(await sent('GetSessionToken', STS), [{ SerialNumber: user.deviceArn, TokenCode: '314159', DurationSeconds: '43200', key: user.accessKeyId }]);
  const after = home.read();
  assert.ok(after.startsWith(before), 'everything that was there stays byte-identical; the session is appended');
  const work = section(after, 'work');
  assert.deepEqual([...work.keys()], ['assumed_role', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token', 'expiration']);
  assert.equal(work.get('assumed_role'), 'False');
  assert.equal(work.get('aws_session_token'), work.get('aws_security_token'));
  assert.notEqual(work.get('aws_access_key_id'), user.accessKeyId);
  const left = expirationSeconds(after, 'work');
  assert.ok(left > 43200 - 120 && left <= 43200 + 5, `12 h session, got ${left}s`);
  for (const secret of [work.get('aws_secret_access_key')!, work.get('aws_session_token')!, user.secretAccessKey]) {
    assert.ok(!r1.stdout.includes(secret) && !r1.stderr.includes(secret), 'no secret in the output');
  }
  assert.equal(statSync(home.credentials).mode & 0o777, 0o600);

  const cli = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'work', '--region', 'us-east-1', '--output', 'json'], { env: home.env });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(JSON.parse(cli.stdout).Arn, /^arn:aws:/);

  await emu.moto.resetRecording();
  const r2 = await runCli(['--profile', 'work'], { env: home.env });
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /still valid for \d+ seconds/);
  assert.deepEqual(await emu.moto.actions(), [], 'a valid session makes no AWS request');
  assert.equal(home.read(), after, 'and writes nothing');

  const r3 = await runCli(['--profile', 'work', '--force', '--token', '271828'], { env: home.env });
  assert.equal(r3.code, 0, r3.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['TokenCode']), [{ TokenCode: '271828', key: user.accessKeyId }]);
});

test('--assume-role writes assumed_role = True and the role ARN; dropping the role renews', async () => {
  const home = homeFor();
  const u = await onboard(emu.moto.endpoint, home, 'ops');
  const role = await createRole(emu.moto.endpoint, `admin-${process.pid}`, 7200);
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'ops', '--assume-role', role, '--token', '161803', '--role-session-name', 'me'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await emu.moto.actions(), ['AssumeRole']);
  assert.deepEqual(await sent('AssumeRole', ROLE), [{ RoleArn: role, RoleSessionName: 'me', ExternalId: undefined, SerialNumber: u.deviceArn, TokenCode: '161803', DurationSeconds: '3600', key: u.accessKeyId }]);
  const ops = section(home.read(), 'ops');
  assert.equal(ops.get('assumed_role'), 'True');
  assert.equal(ops.get('assumed_role_arn'), role);
  const left = expirationSeconds(home.read(), 'ops');
  assert.ok(left > 3600 - 120 && left <= 3600 + 5, `1 h default with a role, got ${left}`);
  const cli = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'ops', '--region', 'us-east-1'], { env: home.env });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /assumed-role/);

  // same role again: reused; no role now: renewed without the role (assumed_role_arn removed)
  await emu.moto.resetRecording();
  assert.equal((await runCli(['--profile', 'ops', '--assume', role], { env: home.env })).code, 0);
  assert.deepEqual(await emu.moto.actions(), []);
  const r2 = await runCli(['--profile', 'ops', '--token', '123456'], { env: home.env });
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  assert.deepEqual(await sent('GetSessionToken', ['DurationSeconds']), [{ DurationSeconds: '43200', key: u.accessKeyId }], 'the 12 h default again without a role');
  const ops2 = section(home.read(), 'ops');
  assert.equal(ops2.get('assumed_role'), 'False');
  assert.equal(ops2.has('assumed_role_arn'), false);
});

test('--external-id and the default role session name (the OS user name) go to AssumeRole', async () => {
  const home = homeFor();
  const u = await onboard(emu.moto.endpoint, home, 'ext');
  const role = await createRole(emu.moto.endpoint, `ext-${process.pid}`);
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'ext', '--assume-role', role, '--external-id', 'corp-42', '--duration', '2700', '--token', '141421'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await sent('AssumeRole', ROLE), [{ RoleArn: role, RoleSessionName: userInfo().username, ExternalId: 'corp-42', SerialNumber: u.deviceArn, TokenCode: '141421', DurationSeconds: '2700', key: u.accessKeyId }]);
});

test('MFA_DEVICE is the device sent (over aws_mfa_device); --device beats it', async () => {
  const home = homeFor();
  const u = await onboard(emu.moto.endpoint, home, 'envdev');
  // moto takes any serial, so these need not exist; what matters is which one is sent
  const fromEnv = 'arn:aws:iam::123456789012:mfa/from-MFA_DEVICE';
  const fromFlag = 'arn:aws:iam::123456789012:mfa/from-flag';
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'envdev', '--token', '123456'], { env: { ...home.env, MFA_DEVICE: fromEnv } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken'], 'no device lookup');
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: fromEnv, key: u.accessKeyId }]);
  await emu.moto.resetRecording();
  const r2 = await runCli(['--profile', 'envdev', '--force', '--device', fromFlag, '--token', '123456'], { env: { ...home.env, MFA_DEVICE: fromEnv } });
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: fromFlag, key: u.accessKeyId }]);
});

test('MFA_STS_DURATION is the duration sent; --duration beats it', async () => {
  const home = homeFor();
  const u = await onboard(emu.moto.endpoint, home, 'envdur');
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'envdur', '--token', '123456'], { env: { ...home.env, MFA_STS_DURATION: '1800' } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['DurationSeconds']), [{ DurationSeconds: '1800', key: u.accessKeyId }]);
  const left = expirationSeconds(home.read(), 'envdur');
  assert.ok(left > 1700 && left <= 1805, `and the session written lasts that long, got ${left}`);
  await emu.moto.resetRecording();
  const r2 = await runCli(['--profile', 'envdur', '--force', '--duration', '2400', '--token', '123456'], { env: { ...home.env, MFA_STS_DURATION: '1800' } });
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['DurationSeconds']), [{ DurationSeconds: '2400', key: u.accessKeyId }]);
});

test('environment variables: AWS_PROFILE, then AWS_DEFAULT_PROFILE, pick the keys; MFA_ASSUME_ROLE the role', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  const other = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'envp', u);
  writeLongTerm(home, 'dflt', other);
  const role = await createRole(emu.moto.endpoint, `envrole-${process.pid}`);
  await emu.moto.resetRecording();
  const r = await runCli(['--token', '123456'], { env: { ...home.env, AWS_PROFILE: 'envp', AWS_DEFAULT_PROFILE: 'dflt' } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: u.deviceArn, key: u.accessKeyId }], 'AWS_PROFILE comes first');
  assert.ok(section(home.read(), 'envp').get('aws_session_token'));
  await emu.moto.resetRecording();
  const r2 = await runCli(['--token', '123456'], { env: { ...home.env, AWS_PROFILE: 'envp', MFA_ASSUME_ROLE: role } });
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(await sent('AssumeRole', ['RoleArn']), [{ RoleArn: role, key: u.accessKeyId }]);
  assert.equal(section(home.read(), 'envp').get('assumed_role_arn'), role);
  await emu.moto.resetRecording();
  const r3 = await runCli(['--token', '123456'], { env: { ...home.env, AWS_DEFAULT_PROFILE: 'dflt' } });
  assert.equal(r3.code, 0, r3.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: other.deviceArn, key: other.accessKeyId }]);
  assert.ok(section(home.read(), 'dflt').get('aws_session_token'));
});

test('suffixes: custom, and none for the long-term profile itself', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'plain', u, { suffix: 'none' });
  const r = await runCli(['--profile', 'plain', '--long-term-suffix', 'none', '--short-term-suffix', 'mfa', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const text = home.read();
  assert.equal(section(text, 'plain').get('aws_access_key_id'), u.accessKeyId, 'the long-term keys stay');
  assert.ok(section(text, 'plain-mfa').get('aws_session_token'));
  writeLongTerm(home, 'cust', u, { suffix: 'permanent' });
  const r2 = await runCli(['--profile', 'cust', '--long-suffix', 'permanent', '--short-suffix', 'temp', '--token', '123456'], { env: home.env });
  assert.equal(r2.code, 0, r2.stderr);
  assert.ok(section(home.read(), 'cust-temp').get('aws_session_token'));
});

test('the code from standard input (echo 123456 | aws-mfa)', async () => {
  const home = homeFor();
  const u = await onboard(emu.moto.endpoint, home, 'piped');
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'piped'], { env: home.env, input: '864209\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['TokenCode', 'SerialNumber']), [{ TokenCode: '864209', SerialNumber: u.deviceArn, key: u.accessKeyId }]);
  assert.ok(section(home.read(), 'piped').get('aws_session_token'));
});

test("go-aws-mfa's form: -s SOURCE -d DESTINATION", async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'example', u, { suffix: 'none' });
  await emu.moto.resetRecording();
  const r = await runCli(['-s', 'example', '-d', 'example_mfa', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: u.deviceArn, key: u.accessKeyId }], 'the keys and device of SOURCE');
  const text = home.read();
  assert.ok(section(text, 'example_mfa').get('aws_session_token'));
  assert.equal(section(text, 'example').get('aws_access_key_id'), u.accessKeyId);
  const cli = await runAwsCli(['sts', 'get-caller-identity', '--region', 'us-east-1'], { env: { ...home.env, AWS_DEFAULT_PROFILE: 'example_mfa' } });
  assert.equal(cli.code, 0, cli.stderr);
});

test('no device configured: the only one from ListMFADevices is used and named', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'nodev', u, { device: false });
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'nodev', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(u.deviceArn), 'the device is named so the user can write it down');
  assert.deepEqual(await emu.moto.actions(), ['GetCallerIdentity', 'ListMFADevices', 'GetSessionToken']);
  assert.deepEqual(await sent('ListMFADevices', ['UserName']), [{ UserName: u.userName, key: u.accessKeyId }]);
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: u.deviceArn, key: u.accessKeyId }]);
});

test('mfa_serial in ~/.aws/config is found', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'cfg', u, { device: false });
  // another ARN than the user's only device, so a lookup could not produce it
  const serial = 'arn:aws:iam::123456789012:mfa/from-config';
  home.write(`[profile cfg]\nregion = eu-west-1\nmfa_serial = ${serial}\n`, home.config);
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'cfg', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  assert.deepEqual(await sent('GetSessionToken', ['SerialNumber']), [{ SerialNumber: serial, key: u.accessKeyId }]);
});

test('--min-ttl: a session ending sooner counts as due', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'ttl');
  await emu.moto.resetRecording();
  assert.equal((await runCli(['--profile', 'ttl', '--token', '123456', '--duration', '900'], { env: home.env })).code, 0);
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((q) => q.params.DurationSeconds), ['900']);
  assert.equal((await runCli(['--profile', 'ttl', '--min-ttl', '600'], { env: home.env })).code, 0, 'a session with more than --min-ttl left is reused');
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken'], 'without a request');
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'ttl', '--min-ttl', '1000', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
});

test('CRLF, comments and other profiles survive byte for byte', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  const original =
    '; written by hand\r\n[default]\r\naws_access_key_id=AKIADEFAULT000000000\r\naws_secret_access_key =  s3cr3t  \r\n\r\n' +
    `[crlf-long-term]\r\n# my user\r\naws_access_key_id = ${u.accessKeyId}\r\naws_secret_access_key = ${u.secretAccessKey}\r\naws_mfa_device = ${u.deviceArn}\r\n\r\n` +
    '[crlf]\r\n# the session goes here\r\nregion = eu-west-1\r\n\r\n[zz]\r\nx = 1\r\n';
  home.write(original);
  const r = await runCli(['--profile', 'crlf', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const text = home.read();
  assert.ok(!/[^\r]\n/.test(text), 'every line ending stays CRLF');
  const before = IniDocument.parse(original);
  const after = IniDocument.parse(text);
  for (const name of ['default', 'crlf-long-term', 'zz']) {
    const s = before.sectionSpans(name)[0]!;
    const a = after.sectionSpans(name)[0]!;
    assert.deepEqual(after.lines.slice(a.header, a.end).map((l) => l.text + l.eol), before.lines.slice(s.header, s.end).map((l) => l.text + l.eol));
  }
  assert.match(text, /\[crlf\]\r\n# the session goes here\r\nregion = eu-west-1\r\nassumed_role = False\r\n/);
});

test('the renewal it suggests repeats the device and duration that were used; pasted (the code on stdin), it renews with them', async () => {
  const home = homeFor();
  const user = await onboard(emu.moto.endpoint, home, 'work');
  const device = 'GAHT12345678'; // a hardware token, not the device in the file
  const r = await runCli(['--profile', 'work', '--device', device, '--duration', '3600', '--token', '123456', '--force'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.notEqual(user.deviceArn, device);
  const valid = await runCli(['--profile', 'work', '--device', device, '--duration', '3600'], { env: home.env });
  assert.equal(valid.code, 0, valid.stderr);
  const renew = suggestedCommand(valid.stderr, /; "(?=aws-mfa)/, /"/);
  assert.equal(renew, `aws-mfa --force --profile work --device ${device} --duration 3600`);
  await emu.moto.resetRecording();
  const again = await pasteInBash(renew, { env: home.env, input: '654321\n' });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await sent('GetSessionToken', STS), [{ SerialNumber: device, TokenCode: '654321', DurationSeconds: '3600', key: user.accessKeyId }]);
});
