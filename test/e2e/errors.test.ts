/**
 * Bad input and AWS errors: every case gives one line on stderr naming the problem and the fix,
 * its documented exit code, no stack trace, no AWS call it should not make, and no change to any
 * file. Bad input runs against moto (to prove nothing was called); AWS errors come from a loopback
 * stand-in for STS.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { createUser, type OnboardedUser } from '../helpers/onboard.js';
import { startFakeSts, type FakeSts, type Answer } from '../helpers/fake-sts.js';
import { freePort } from '../helpers/moto.js';
import { pasteInBash } from '../helpers/paste.js';

const emu = useMoto();
// placeholders until before() has created the real users (the case tables are built again then)
const placeholder: OnboardedUser = { userName: '', accessKeyId: '', secretAccessKey: '', deviceArn: '' };
let user: OnboardedUser = placeholder;
let noDeviceUser: OnboardedUser = placeholder;
let fake: FakeSts;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
  noDeviceUser = await createUser(emu.moto.endpoint, { withDevice: false });
  fake = await startFakeSts();
});
after(() => fake?.close());

const DEVICE = 'arn:aws:iam::123456789012:mfa/alice';
const lt = (name: string, u: { accessKeyId: string; secretAccessKey: string }, extra = '') =>
  `[${name}-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n${extra}`;

interface Case {
  name: string;
  credentials?: string | Buffer | null; // null: no file
  config?: string;
  args: string[];
  env?: Record<string, string>;
  input?: string;
  exit: number;
  message: RegExp;
  /** AWS actions that may reach the emulator (default: none). */
  actions?: string[];
}

const cases = (): Case[] => [
  { name: 'no credentials file', credentials: null, args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /no credentials file at .*credentials; run "aws-mfa init --profile w"/ },
  { name: 'no long-term section', credentials: '[other]\nx = 1\n', args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /\[w-long-term\] is missing from .*credentials; set up the profile with: aws-mfa init --profile w$/m },
  { name: 'long-term section without the secret', credentials: `[w-long-term]\naws_access_key_id = ${user.accessKeyId}\n`, args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /\[w-long-term\] in .* has no aws_secret_access_key/ },
  {
    name: 'no device anywhere, and the user has none',
    credentials: lt('w', noDeviceUser),
    args: ['--profile', 'w', '--token', '123456'],
    exit: 3,
    message: /no MFA device is configured for \[w-long-term\] and IAM user .* has none/,
    actions: ['GetCallerIdentity', 'ListMFADevices'],
  },
  { name: 'a device that is a user ARN', credentials: lt('w', user), args: ['--profile', 'w', '--device', 'arn:aws:iam::123456789012:user/alice', '--token', '123456'], exit: 3, message: /arn:aws:iam::123456789012:user\/alice \(from --device\) is neither an MFA device ARN/ },
  { name: 'a U2F key', credentials: lt('w', user, 'aws_mfa_device = arn:aws:iam::123456789012:u2f/user/alice/key-ABC\n'), args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /FIDO security key \(U2F\), which STS takes no code from/ },
  { name: 'a role that is not a role ARN', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--assume-role', 'admin', '--token', '123456'], exit: 3, message: /admin \(from --assume-role\) is not an IAM role ARN/ },
  { name: 'duration below 900', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--duration', '899', '--token', '123456'], exit: 2, message: /duration 899 \(from --duration\) is out of range; GetSessionToken takes 900 to 129600/ },
  { name: 'duration above 129600', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--token', '123456'], env: { MFA_STS_DURATION: '129601' }, exit: 2, message: /duration 129601 \(from MFA_STS_DURATION\) is out of range/ },
  { name: 'role duration above 43200', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--assume', 'arn:aws:iam::123456789012:role/r', '--duration', '43201', '--token', '123456'], exit: 2, message: /AssumeRole takes 900 to 43200/ },
  { name: 'a duration that is not a number', credentials: lt('w', user), args: ['--profile', 'w', '--duration', '12h'], exit: 2, message: /--duration must be a whole number of seconds, not "12h"/ },
  { name: 'long-term and short-term names collide', credentials: lt('w', user), args: ['--profile', 'w', '--long-term-suffix', 'none'], exit: 2, message: /both be \[w\]; --long-term-suffix and --short-term-suffix must differ/ },
  { name: 'the short-term section holds long-term keys', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`) + '\n[w]\naws_access_key_id = AKIAREALKEY000000000\naws_secret_access_key = realsecret\n', args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /\[w\] in .*credentials holds long-term keys \(no session token\), which aws-mfa never overwrites; to keep them, put the session elsewhere: aws-mfa -s w -d w_mfa$/ },
  { name: 'a 5-digit code', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--token', '12345'], exit: 2, message: /: --token: the MFA code must be exactly 6 digits \(got 5 characters\)/ },
  { name: 'a code with letters', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--mfa-token', '12a456'], exit: 2, message: /exactly 6 digits/ },
  { name: 'no code on a closed stdin', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w'], input: '', exit: 2, message: /no MFA code: standard input is not a terminal and gave no line; pass --token/ },
  { name: 'an unknown flag', credentials: lt('w', user), args: ['--profiel', 'w'], exit: 2, message: /Unknown option '--profiel'; see aws-mfa --help/ },
  { name: 'a bad log level', credentials: lt('w', user), args: ['--log-level', 'LOUD'], exit: 2, message: /--log-level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not "LOUD"/ },
  { name: 'a bad --min-ttl', credentials: lt('w', user), args: ['--min-ttl', 'soon'], exit: 2, message: /--min-ttl must be a whole number of seconds, not "soon"/ },
  { name: 'a negative --min-ttl', credentials: lt('w', user), args: ['--min-ttl', '-5'], exit: 2, message: /--min-ttl takes a whole number, 0 or more, not "-5"$/ },
  { name: 'a profile name starting with "-"', credentials: lt('w', user), args: ['--profile', '-w'], exit: 2, message: /the value of --profile starts with "-"; write --profile=VALUE/ },
  { name: 'a 5-digit --code1', credentials: lt('w', user), args: ['device', 'create', '--profile', 'w', '--code1', '12345', '--code2', '123456'], exit: 2, message: /^aws-mfa: error: --code1: the MFA code must be exactly 6 digits \(got 5 characters\)/ },
  { name: 'a 5-digit --code2', credentials: lt('w', user), args: ['device', 'create', '--profile', 'w', '--code1', '123456', '--code2', '1234x'], exit: 2, message: /^aws-mfa: error: --code2: the MFA code must be exactly 6 digits/ },
  { name: 'a flag without its value', credentials: lt('w', user), args: ['--profile'], exit: 2, message: /option --profile needs a value; see aws-mfa --help$/ },
  { name: '-s without -d', credentials: lt('w', user), args: ['-s', 'w-long-term'], exit: 2, message: /-s SOURCE and -d DESTINATION go together/ },
  { name: '--assume-role and --assume disagree', credentials: lt('w', user), args: ['--assume-role', 'arn:aws:iam::123456789012:role/a', '--assume', 'arn:aws:iam::123456789012:role/b'], exit: 2, message: /--assume-role and --assume are the same option/ },
  { name: 'a profile name with a space', credentials: lt('w', user), args: ['--profile', 'a b'], exit: 2, message: /--profile "a b" is not a profile name the AWS CLI and SDKs can use \(letters, digits and _-\/\.%@:\+ only\); use a name like a-b$/ },
  { name: 'AWS_PROFILE with a space', credentials: lt('w', user), args: ['--token', '123456'], env: { AWS_PROFILE: 'a b' }, exit: 2, message: /^aws-mfa: error: AWS_PROFILE "a b" is not a profile name/ },
  { name: 'a command after the options', credentials: lt('w', user), args: ['--profile', 'w', 'status'], exit: 2, message: /"status" is a command: put it first, before the options: aws-mfa status --profile w$/ },
  { name: 'a command after --lang', credentials: lt('w', user), args: ['--lang', 'en', 'status'], exit: 2, message: /"status" is a command: put it first, before the options: aws-mfa status --lang en$/ },
  { name: 'a command with its own options after the options', credentials: lt('w', user), args: ['--profile', 'w', 'export', '--format', 'sh'], exit: 2, message: /put it first, before the options: aws-mfa export --profile w --format sh$/ },
  { name: 'a command and its subcommand after the options', credentials: lt('w', user), args: ['--profile', 'w', 'device', 'list'], exit: 2, message: /put it first, before the options: aws-mfa device list --profile w$/ },
  { name: 'a code without --token', credentials: lt('w', user), args: ['--profile', 'w', '123456'], exit: 2, message: /an MFA code goes after --token: aws-mfa --profile w --token 123456$/ },
  { name: 'a mistyped command', credentials: lt('w', user), args: ['stauts', '--profile', 'w'], exit: 2, message: /unknown command "stauts"; did you mean: aws-mfa status --profile w$/ },
  { name: 'a mistyped command after the options', credentials: lt('w', user), args: ['--profile', 'w', 'stauts'], exit: 2, message: /unknown command "stauts"; did you mean: aws-mfa status --profile w$/ },
  { name: 'an unknown command nothing is near', credentials: lt('w', user), args: ['frobnicate'], exit: 2, message: /unknown command "frobnicate"; see aws-mfa --help$/ },
  { name: 'an endpoint that is not a URL', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--token', '123456'], env: { AWS_ENDPOINT_URL: 'notaurl' }, exit: 3, message: /the endpoint "notaurl" \(from AWS_ENDPOINT_URL\) is not an http:\/\/ or https:\/\/ URL; set it right or remove it$/ },
  { name: "an IAM endpoint that is not a URL (device list)", credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['device', 'list', '--profile', 'w'], env: { AWS_ENDPOINT_URL_IAM: 'ftp://x' }, exit: 3, message: /the endpoint "ftp:\/\/x" \(from AWS_ENDPOINT_URL_IAM\) is not an http/ },
  { name: 'endpoint_url in the config that is not a URL', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), config: '[profile w]\nendpoint_url = sts.example\n', args: ['--profile', 'w', '--token', '123456'], env: { AWS_ENDPOINT_URL: '' }, exit: 3, message: /the endpoint "sts\.example" \(from endpoint_url in \S+config\) is not an http/ },
  { name: 'init with an endpoint that is not a URL', credentials: null, args: ['init', '--profile', 'w', '--access-key-id', 'AKIAAAAAAAAAAAAAAAAA', '--secret-access-key-stdin'], input: 'secret\n', env: { AWS_ENDPOINT_URL_STS: 'notaurl' }, exit: 3, message: /the endpoint "notaurl" \(from AWS_ENDPOINT_URL_STS\) is not an http/ },
  { name: 'a region that is not a region name', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--token', '123456', '--region', 'us east 1'], exit: 2, message: /us east 1 \(from --region\) is not a region name; it looks like ap-northeast-1 or us-east-1$/ },
  { name: 'AWS_REGION that is not a region name', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: ['--profile', 'w', '--token', '123456'], env: { AWS_REGION: 'Tokyo/1' }, exit: 2, message: /Tokyo\/1 \(from AWS_REGION\) is not a region name/ },
  { name: 'an unparsable credentials file', credentials: `${lt('w', user)}this line has no equals\n`, args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /credentials:4: Expected an '=' sign defining a property; fix that line/ },
  { name: 'a credentials file that is not UTF-8', credentials: Buffer.concat([Buffer.from(lt('w', user)), Buffer.from([0x23, 0xff, 0xfe, 0x0a])]), args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /credentials:4: the file is not valid UTF-8/ },
  { name: 'an unparsable config file', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), config: '[profile w]\n  indented first\n', args: ['--profile', 'w', '--token', '123456'], exit: 3, message: /config:2: Expected a property definition/ },
];

function setupHome(c: Case): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...(c.env ?? {}) });
  if (c.credentials !== null && c.credentials !== undefined) writeFileSync(home.credentials, c.credentials, { mode: 0o600 });
  if (c.config !== undefined) writeFileSync(home.config, c.config);
  return home;
}

const snapshot = (h: Home) => [h.credentials, h.config].map((f) => (existsSync(f) ? readFileSync(f).toString('base64') : null));

function assertOneLine(stderr: string, message: RegExp) {
  const lines = stderr.split('\n').filter((l) => l && !l.startsWith('aws-mfa: warning:'));
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0]!, /^aws-mfa: error: /);
  assert.match(lines[0]!, message);
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
}

for (const [i, { name }] of cases().entries()) {
  test(`bad input: ${name}`, async () => {
    const c = cases()[i]!;
    const home = setupHome(c);
    const before = snapshot(home);
    await emu.moto.resetRecording();
    const r = await runCli(c.args, { env: home.env, input: c.input });
    assert.equal(r.code, c.exit, r.stderr);
    assertOneLine(r.stderr, c.message);
    assert.equal(r.stdout, '');
    assert.deepEqual(snapshot(home), before, 'no file changed');
    assert.deepEqual(await emu.moto.actions(), c.actions ?? [], 'no AWS call before the input is right');
  });
}

test('AWS_ACCESS_KEY_ID in the environment gets a warning (and the run still works)', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_ACCESS_KEY_ID: 'AKIASHADOW0000000000' });
  home.write(lt('w', user, `aws_mfa_device = ${user.deviceArn}\n`));
  const r = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: AWS_ACCESS_KEY_ID is set in the environment; the AWS CLI will use it instead of the profile/);
  // with the command that clears it in the user's shell (here POSIX sh), naming the key variables set
  assert.match(r.stderr, /\(clear it: unset AWS_ACCESS_KEY_ID\)\n/);
  const ja = await runCli(['--profile', 'w'], { env: { ...home.env, AWS_MFA_LANG: 'ja', AWS_SESSION_TOKEN: 'x' } });
  assert.equal(ja.code, 0, ja.stderr);
  assert.match(ja.stderr, /（unset AWS_ACCESS_KEY_ID AWS_SESSION_TOKEN で解除してください）/);
  // after `eval "$(aws-mfa export)"`: its expiration goes too (the region it set is left: still right)
  const exported = { AWS_SESSION_TOKEN: 'x', AWS_CREDENTIAL_EXPIRATION: '2026-01-01T00:00:00Z', AWS_REGION: 'us-east-1' };
  const after = await runCli(['--profile', 'w'], { env: { ...home.env, ...exported } });
  assert.match(after.stderr, /\(clear it: unset AWS_ACCESS_KEY_ID AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION\)\n/);
});

// ---- AWS answers through the loopback STS stand-in ----------------------------------------

interface AwsCase {
  name: string;
  answers: Answer[];
  args?: string[];
  exit: number;
  message: RegExp;
  requests: number;
}

const tenMinutesAgo = () => new Date(Date.now() - 10 * 60_000 - 5_000);

const awsCases = (): AwsCase[] => [
  { name: 'wrong code', answers: [{ error: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' }], exit: 4, message: /AWS rejected the MFA code for arn:aws:iam::123456789012:mfa\/alice \(wrong, or already used\); wait for the next code/, requests: 1 },
  { name: 'a device not assigned to the user', answers: [{ error: 'AccessDenied', message: 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.' }], exit: 4, message: /cannot validate codes from .*mfa\/alice for this user/, requests: 1 },
  { name: 'an invalid access key', answers: [{ error: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' }], exit: 4, message: /does not recognise the access key in \[w-long-term\]/, requests: 1 },
  { name: 'a wrong secret', answers: [{ error: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' }], exit: 4, message: /secret access key in \[w-long-term\] does not match/, requests: 1 },
  { name: 'expired temporary keys in the long-term section', answers: [{ error: 'ExpiredToken', message: 'The security token included in the request is expired', status: 400 }], exit: 4, message: /\[w-long-term\] are temporary and have expired/, requests: 1 },
  { name: 'session credentials in the long-term section', answers: [{ error: 'AccessDenied', message: 'Cannot call GetSessionToken with session credentials' }], exit: 4, message: /\[w-long-term\] holds temporary session credentials/, requests: 1 },
  { name: 'access denied by policy (AssumeRole)', answers: [{ error: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/r' }], args: ['--assume-role', 'arn:aws:iam::123456789012:role/r'], exit: 4, message: /AWS denied AssumeRole of arn:aws:iam::123456789012:role\/r: User: .* not authorized/, requests: 1 },
  { name: 'role duration above the role maximum', answers: [{ error: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', status: 400 }], args: ['--assume-role', 'arn:aws:iam::123456789012:role/r', '--duration', '7200'], exit: 4, message: /allows shorter sessions than --duration 7200; pass a smaller --duration/, requests: 1 },
  { name: 'clock skew', answers: [{ error: 'SignatureDoesNotMatch', message: 'Signature expired: 20261122T010000Z is now earlier than 20261122T010500Z (20261122T011000Z - 5 min.)', date: tenMinutesAgo() }], exit: 4, message: /your computer clock is 10 min \d+ s ahead of AWS \(server time .*\); set the clock right/, requests: 1 },
  { name: 'throttled every time', answers: [{ error: 'Throttling', message: 'Rate exceeded', status: 400 }], exit: 5, message: /AWS throttled GetSessionToken \(Throttling\) even after retries/, requests: 4 },
  { name: 'STS not activated in the region', answers: [{ error: 'RegionDisabledException', message: 'STS is not activated in this region for account:123456789012.' }], args: ['--region', 'ap-east-1'], exit: 4, message: /STS is not activated in region ap-east-1/, requests: 1 },
];

for (const [i, { name }] of awsCases().entries()) {
  test(`AWS says: ${name}`, async () => {
    // built again now, so a scripted server time (clock skew) is relative to this test's start
    const c = awsCases()[i]!;
    const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_ENDPOINT_URL_STS: fake.endpoint, AWS_MFA_RETRY_BASE_MS: '5' });
    home.write(lt('w', user, `aws_mfa_device = ${DEVICE}\n`));
    const before = snapshot(home);
    fake.script(...c.answers);
    const r = await runCli(['--profile', 'w', '--token', '123456', ...(c.args ?? [])], { env: home.env });
    assert.equal(r.code, c.exit, r.stderr);
    assertOneLine(r.stderr.split('\n').filter((l) => !/^aws-mfa: (Fetching|Assuming)/.test(l)).join('\n'), c.message);
    assert.equal(fake.actions.length, c.requests, `requests: ${fake.actions.join(',')}`);
    assert.deepEqual(snapshot(home), before, 'nothing is written on failure');
  });
}

test('throttling is retried with backoff, and then succeeds', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL_STS: fake.endpoint, AWS_MFA_RETRY_BASE_MS: '5' });
  home.write(lt('w', user, `aws_mfa_device = ${DEVICE}\n`));
  fake.script({ error: 'Throttling', message: 'Rate exceeded', status: 400 }, { error: 'Throttling', message: 'Rate exceeded', status: 400 }, { ok: 'GetSessionToken' });
  const r = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fake.actions, ['GetSessionToken', 'GetSessionToken', 'GetSessionToken']);
  assert.match(home.read(), /aws_session_token = fakeToken/);
});

test('a wrong code is not retried (a code that reached AWS is spent)', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL_STS: fake.endpoint, AWS_MFA_RETRY_BASE_MS: '5' });
  home.write(lt('w', user, `aws_mfa_device = ${DEVICE}\n`));
  fake.script({ error: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' }, { ok: 'GetSessionToken' });
  const r = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 4);
  assert.equal(fake.actions.length, 1);
});

test('the command lines the hints rebuild work when pasted into bash', async () => {
  const home = setupHome({ name: '', credentials: lt('w', user, `aws_mfa_device = ${DEVICE}\n`), args: [], exit: 0, message: /./ });
  const hinted = async (args: string[]) => (await runCli(args, { env: home.env })).stderr.replace(/^.*: (?=aws-mfa )/s, '').trim();
  const token = await pasteInBash(await hinted(['--profile', 'w', '123456']), { env: home.env });
  assert.equal(token.code, 0, token.stderr);
  for (const args of [['--profile', 'w', 'status'], ['--profile', 'w', 'stauts'], ['--profile', 'w', 'export', '--format', 'sh']]) {
    const line = await hinted(args);
    const r = await pasteInBash(line, { env: home.env });
    assert.equal(r.code, 0, `${line}: ${r.stderr}`);
  }
});

test('nothing listening: a network error, exit 5', async () => {
  const port = await freePort();
  const home = makeHome({ AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}`, AWS_MFA_RETRY_BASE_MS: '5' });
  home.write(lt('w', user, `aws_mfa_device = ${DEVICE}\n`));
  const before = snapshot(home);
  const r = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, new RegExp(`cannot reach AWS for GetSessionToken at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); check the endpoint settings \\(AWS_ENDPOINT_URL, endpoint_url\\), your network, proxy and --region`));
  assert.deepEqual(snapshot(home), before);
});

test('the STS request carries the device, the code and the duration', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL_STS: fake.endpoint });
  home.write(lt('w', user, `aws_mfa_device = ${DEVICE}\n`));
  fake.script({ ok: 'GetSessionToken' });
  const r = await runCli(['--profile', 'w', '--token', '654321', '--duration', '1234'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const body = new URLSearchParams(fake.bodies[0]);
  assert.equal(body.get('SerialNumber'), DEVICE);
  assert.equal(body.get('TokenCode'), '654321');
  assert.equal(body.get('DurationSeconds'), '1234');
});
