/**
 * Role profiles of ~/.aws/config (issue 25, points 1-4) end to end: the built binary against a
 * real moto_server, the real AWS CLI reading what it gets, and a loopback stand-in for the
 * refusals moto cannot give. moto accepts any code, so what is sent (no SerialNumber/TokenCode
 * with AssumeRole), what signs it (the recorded access key), and how many codes were asked (an
 * mfa_process that counts its runs) are checked on what moto and the counter recorded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, runAwsCli, type Home } from '../helpers/cli.js';
import { createUser, createRole, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { startFakeSts } from '../helpers/fake-sts.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const section = (text: string, name: string) => IniDocument.parse(text).entries(name);
const sessionsDir = (home: Home) => join(home.dir, '.cache', 'aws-mfa', 'sessions');
const keptFile = (home: Home, name: string) =>
  JSON.parse(readFileSync(join(sessionsDir(home), name), 'utf8')) as Record<string, string>;
const kept = (home: Home, profile: string) => keptFile(home, `role-${profile}.json`);

/** An aws-mfa source [work-long-term], and an mfa_process that counts its runs in a file. */
async function setUp(
  roleSections: string | ((mfaProcess: string, user: OnboardedUser) => string),
  processOn: 'source' | 'role' = 'source',
): Promise<{ home: Home; user: OnboardedUser; codes: () => number }> {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const user = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'work', user);
  const counter = join(home.dir, 'codes');
  writeFileSync(counter, '');
  const mfaProcess = `sh -c "echo run >> ${counter}; echo 123456"`;
  const roles = typeof roleSections === 'string' ? roleSections : roleSections(mfaProcess, user);
  const own = processOn === 'source' ? `mfa_process = ${mfaProcess}\n` : '';
  writeFileSync(home.config, `[profile work]\nregion = us-east-1\n${own}\n${roles}`);
  return { home, user, codes: () => codeRuns(counter) };
}

const roleSection = (name: string, arn: string, source: string, extra = '') =>
  `[profile ${name}]\nrole_arn = ${arn}\nsource_profile = ${source}\n${extra}\n`;
const codeRuns = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
const roles = (...names: string[]) => Promise.all(names.map((n) => createRole(emu.moto.endpoint, n)));

test('three roles and a chain of two: one code, one GetSessionToken; AssumeRole signed by the session', async () => {
  const [a, b, c, deep] = await roles('RolesA', 'RolesB', 'RolesC', 'RolesDeep');
  const { home, codes } = await setUp(
    roleSection('a', a!, 'work') + roleSection('b', b!, 'work') + roleSection('c', c!, 'work') +
      roleSection('deep', deep!, 'a', 'duration_seconds = 7200'),
  );
  await emu.moto.resetRecording();
  for (const p of ['a', 'b', 'c', 'deep']) {
    const r = await runCli(['credential-process', '--profile', p], { env: home.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Version, 1);
  }
  assert.equal(codes(), 1, 'one code for every role of the source');
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1);
  const assumed = await emu.moto.requests('AssumeRole');
  assert.deepEqual(assumed.map((q) => q.params.RoleArn), [a, b, c, deep]);
  for (const q of assumed) {
    assert.deepEqual([q.params.SerialNumber, q.params.TokenCode], [undefined, undefined], 'no code with AssumeRole');
  }
  // the source's MFA session signs the roles of work; the first role's session signs the chained one
  const sessionKey = section(home.read(), 'work').get('aws_access_key_id');
  assert.match(sessionKey ?? '', /^ASIA|^AKIA/);
  assert.deepEqual(assumed.slice(0, 3).map((q) => q.accessKeyId), [sessionKey, sessionKey, sessionKey]);
  assert.equal(assumed[3]!.accessKeyId, kept(home, 'a').accessKeyId);
  // a chained role is capped at one hour, whatever duration_seconds asks
  assert.equal(assumed[3]!.params.DurationSeconds, '3600');
  assert.equal(assumed[0]!.params.DurationSeconds, '3600', 'the default for roles');

  // a second use within the lifetime: no STS call, no code
  await emu.moto.resetRecording();
  for (const p of ['a', 'b', 'c', 'deep']) {
    assert.equal((await runCli(['credential-process', '--profile', p], { env: home.env })).code, 0);
  }
  assert.deepEqual(await emu.moto.actions(), []);
  assert.equal(codes(), 1);
  // kept privately, never as [a] in the credentials file
  assert.equal(statSync(join(sessionsDir(home), 'role-a.json')).mode & 0o777, 0o600);
  assert.equal(statSync(sessionsDir(home)).mode & 0o777, 0o700);
  assert.equal(section(home.read(), 'a').size, 0);
});

test('the real AWS CLI: under exec, and through credential_process, it is the role', async () => {
  const arn = await createRole(emu.moto.endpoint, 'CliAdmin');
  const { home } = await setUp(roleSection('prod', arn, 'work', 'region = eu-west-1'));
  const roleArn = /arn:aws:sts::\d{12}:assumed-role\/CliAdmin\//;
  const ex = await runCli(['exec', '--profile', 'prod', '--', 'aws', 'sts', 'get-caller-identity'], { env: home.env });
  assert.equal(ex.code, 0, ex.stderr);
  assert.match(JSON.parse(ex.stdout).Arn, roleArn);
  const setup = await runCli(['setup-credential-process', '--profile', 'prod'], { env: home.env });
  assert.equal(setup.code, 0, setup.stderr);
  const written = section(readFileSync(home.config, 'utf8'), 'profile prod-auto').get('credential_process');
  assert.match(written ?? '', /credential-process --profile prod$/);
  const cli = await runAwsCli(['--profile', 'prod-auto', 'sts', 'get-caller-identity'], { env: home.env });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(JSON.parse(cli.stdout).Arn, roleArn);
});

test('the plain session command keeps the role session in the cache and says how to use it', async () => {
  const arn = await createRole(emu.moto.endpoint, 'PlainAdmin');
  const { home, codes } = await setUp(roleSection('prod', arn, 'work'));
  const r = await runCli(['--profile', 'prod'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /aws-mfa exec --profile prod -- COMMAND/);
  assert.match(r.stderr, /setup-credential-process --profile prod/);
  assert.ok(existsSync(join(sessionsDir(home), 'role-prod.json')));
  assert.equal(section(home.read(), 'prod').size, 0, 'no [prod] in the credentials file');
  // again: the cached answer (the entry's fast path), no STS call
  await emu.moto.resetRecording();
  const again = await runCli(['--profile', 'prod'], { env: home.env });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /still valid/);
  assert.deepEqual(await emu.moto.actions(), []);
  assert.equal(codes(), 1);
  // status shows it with its source; clear removes it
  const st = await runCli(['status', '--json'], { env: home.env });
  const row = (JSON.parse(st.stdout) as Array<Record<string, unknown>>).find((s) => s.profile === 'prod');
  assert.equal(row?.source, 'work');
  assert.equal(row?.state, 'valid');
  assert.equal(row?.role, arn);
  const cl = await runCli(['clear', '--profile', 'prod'], { env: home.env });
  assert.equal(cl.code, 0, cl.stderr);
  assert.ok(!existsSync(join(sessionsDir(home), 'role-prod.json')));
});

test('export and whoami work with a role profile', async () => {
  const arn = await createRole(emu.moto.endpoint, 'ExportAdmin');
  const { home } = await setUp(roleSection('prod', arn, 'work', 'region = eu-west-1'));
  const ex = await runCli(['export', '--profile', 'prod', '--format', 'sh'], { env: home.env });
  assert.equal(ex.code, 0, ex.stderr);
  assert.match(ex.stdout, new RegExp(`AWS_ACCESS_KEY_ID=['"]?${kept(home, 'prod').accessKeyId}`));
  assert.match(ex.stdout, /AWS_REGION=['"]?eu-west-1/);
  const who = await runCli(['whoami', '--profile', 'prod', '--json'], { env: home.env });
  assert.equal(who.code, 0, who.stderr);
  const info = JSON.parse(who.stdout) as Record<string, unknown>;
  assert.match(String(info.arn), /:assumed-role\/ExportAdmin\//);
  assert.equal(info.mfa, true);
  assert.equal(info.obtainedWith, 'AssumeRole signed by the MFA session of work');
});

test('console --print: the role session signs in (a loopback stand-in for the federation endpoint)', async () => {
  const seen: URLSearchParams[] = [];
  const federation = createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    seen.push(q);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: 'TOKEN-FOR-ROLE' }));
  });
  await new Promise<void>((r) => federation.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(federation.address() as { port: number }).port}/federation`;
    const arn = await createRole(emu.moto.endpoint, 'ConsoleAdmin');
    const { home } = await setUp(roleSection('prod', arn, 'work'));
    const env = { ...home.env, AWS_MFA_FEDERATION_URL: url };
    const r = await runCli(['console', '--profile', 'prod', '--print'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(new URL(r.stdout.trim()).searchParams.get('SigninToken'), 'TOKEN-FOR-ROLE');
    const signedIn = JSON.parse(seen[0]!.get('Session')!).sessionId;
    assert.equal(signedIn, kept(home, 'prod').accessKeyId, 'the role session signs in');
  } finally {
    await new Promise<void>((r) => federation.close(() => r()));
  }
});

test('plain static keys without mfa_serial: the key signs AssumeRole, no code is asked', async () => {
  const arn = await createRole(emu.moto.endpoint, 'StaticAdmin');
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const user = await createUser(emu.moto.endpoint, { withDevice: false });
  home.write(`[plain]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  writeFileSync(home.config, roleSection('sp', arn, 'plain', 'region = us-east-1'));
  await emu.moto.resetRecording();
  const r = await runCli(['credential-process', '--profile', 'sp'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const assumed = await emu.moto.requests('AssumeRole');
  assert.deepEqual(assumed.map((q) => q.accessKeyId), [user.accessKeyId]);
  assert.deepEqual(await emu.moto.actions(), ['AssumeRole']);
});

test('plain keys with mfa_serial on the role: one code for two roles; their MFA session kept privately', async () => {
  const [x, y] = await roles('StaticMfaX', 'StaticMfaY');
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const user = await createUser(emu.moto.endpoint);
  const keyLines = `aws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`;
  const plainKeys = `[plain]\n${keyLines}`;
  home.write(plainKeys);
  const counter = join(home.dir, 'codes');
  writeFileSync(counter, '');
  const extra = `mfa_serial = ${user.deviceArn}\nregion = us-east-1`;
  const plainConfig = `[profile plain]\nmfa_process = sh -c "echo run >> ${counter}; echo 123456"\n\n`;
  writeFileSync(home.config, plainConfig + roleSection('x', x!, 'plain', extra) + roleSection('y', y!, 'plain', extra));
  await emu.moto.resetRecording();
  for (const p of ['x', 'y']) {
    assert.equal((await runCli(['credential-process', '--profile', p], { env: home.env })).code, 0);
  }
  assert.equal(codeRuns(counter), 1);
  const gst = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(gst.map((q) => [q.accessKeyId, q.params.SerialNumber]), [[user.accessKeyId, user.deviceArn]]);
  const source = keptFile(home, 'source-plain.json');
  const signers = (await emu.moto.requests('AssumeRole')).map((q) => q.accessKeyId);
  assert.deepEqual(signers, [source.accessKeyId, source.accessKeyId]);
  assert.equal(home.read(), plainKeys, 'the keys stay as they are; no session in [plain]');
});

test('bad role profiles: one line with a fix, exit 3, no file changed', async () => {
  const arn = 'arn:aws:iam::123456789012:role/Admin';
  const { home } = await setUp(
    roleSection('nosrc', arn, 'nowhere') +
      roleSection('loop1', arn, 'loop2') +
      roleSection('loop2', arn, 'loop1') +
      roleSection('badarn', 'arn:aws:iam::123:role/x', 'work') +
      '[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_role_name = Admin\n',
  );
  const before = [home.read(), readFileSync(home.config, 'utf8')];
  const cases: Array<[string, RegExp]> = [
    ['nosrc', /source_profile = nowhere .*aws-mfa --setup --profile nowhere/],
    ['loop1', /circle \(loop1 → loop2 → loop1\).*aws configure set source_profile SOURCE --profile loop2/],
    ['badarn', /not an IAM role's ARN.*aws configure set role_arn/],
    ['sso', /sso_start_url, which aws-mfa does not serve.*aws sso login --profile sso/],
  ];
  for (const [profile, message] of cases) {
    const r = await runCli(['credential-process', '--profile', profile], { env: home.env });
    assert.equal(r.code, 3, `${profile}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual([home.read(), readFileSync(home.config, 'utf8')], before);
  assert.ok(!existsSync(sessionsDir(home)));
});

test('AccessDenied and a refused duration from AssumeRole: the role, the source and MFA named, exit 4', async () => {
  const sts = await startFakeSts();
  try {
    const home = makeHome({ AWS_ENDPOINT_URL: sts.endpoint });
    const device = 'arn:aws:iam::123456789012:mfa/taro';
    const keys = 'aws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = s';
    home.write(`[work-long-term]\n${keys}\naws_mfa_device = ${device}\n`);
    const admin = 'arn:aws:iam::222222222222:role/Admin';
    writeFileSync(home.config, roleSection('prod', admin, 'work', 'region = us-east-1'));
    const before = readFileSync(home.config, 'utf8');
    const deny = { error: 'AccessDenied', message: 'User is not authorized to perform: sts:AssumeRole' };
    sts.script({ ok: 'GetSessionToken', expiresInSeconds: 43200 }, deny);
    const denied = await runCli(['credential-process', '--profile', 'prod', '--token', '123456'], { env: home.env });
    assert.equal(denied.code, 4, denied.stderr);
    assert.match(denied.stderr, /AssumeRole of arn:aws:iam::222222222222:role\/Admin \(profile prod\)/);
    assert.match(denied.stderr, /signed by the MFA session of work \(MFA present: yes\)/);
    assert.match(denied.stderr, /aws iam get-role --role-name Admin --query Role\.AssumeRolePolicyDocument/);
    assert.deepEqual(sts.actions, ['GetSessionToken', 'AssumeRole']);
    assert.doesNotMatch(sts.bodies[1]!, /TokenCode|SerialNumber/);

    const message = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
    sts.script({ error: 'ValidationError', message, status: 400 });
    const long = await runCli(['credential-process', '--profile', 'prod', '--duration', '7200'], { env: home.env });
    assert.equal(long.code, 4, long.stderr);
    assert.match(long.stderr, /refuses sessions of 7200 seconds \(from --duration\)/);
    assert.match(long.stderr, /aws configure set duration_seconds 3600 --profile prod/);
    assert.deepEqual(sts.actions, ['AssumeRole'], 'the source session was reused: no second code');
    assert.equal(readFileSync(home.config, 'utf8'), before);
    assert.ok(!existsSync(join(sessionsDir(home), 'role-prod.json')));
  } finally {
    await sts.close();
  }
});

test('as a new user tried it: mfa_process on the role asked for gives the code; init on a role and --profile P-auto point at the right profile; nothing changed', async () => {
  const [arn] = await roles('RolesNewUser');
  // the source sets no mfa_process: the role's, where the README's example puts mfa_serial, is used
  const { home, codes } = await setUp(
    (mfaProcess, user) => roleSection('prod', arn!, 'work', `mfa_serial = ${user.deviceArn}\nmfa_process = ${mfaProcess}`),
    'role',
  );
  await emu.moto.resetRecording();
  const r = await runCli(['credential-process', '--profile', 'prod'], { env: home.env, detached: true });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(codes(), 1);
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((q) => q.params.TokenCode), ['123456']);

  const setup = await runCli(['setup-credential-process', '--profile', 'prod'], { env: home.env });
  assert.equal(setup.code, 0, setup.stderr);
  const before = [home.read(), readFileSync(home.config, 'utf8')];
  const auto = await runCli(['--profile', 'prod-auto'], { env: home.env });
  assert.equal(auto.code, 3, auto.stderr);
  assert.match(auto.stderr, /\[prod-auto\] is the profile the AWS CLI and SDKs use .*with aws-mfa itself use \[prod\]: aws-mfa --profile prod\n$/);
  const init = await runCli(['init', '--profile', 'prod'], { env: home.env });
  assert.equal(init.code, 3, init.stderr);
  assert.match(init.stderr, /\[profile prod\] in .* is a role \(role_arn\): it has no keys of its own, its source \[work\] has them; set that one up instead: aws-mfa init --profile work\n$/);
  assert.deepEqual([home.read(), readFileSync(home.config, 'utf8')], before, 'no file changed');
});
