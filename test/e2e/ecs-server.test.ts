/**
 * The container credentials endpoint end to end, with the built bundle, moto_server and real
 * clients: `exec --ecs-server` with the real AWS CLI (botocore's ContainerProvider) in the child and
 * no keys in its environment; `serve` read by the JS SDK's fromHttp, fromContainerMetadata and
 * default chain and by the AWS CLI through AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE. Requests without
 * the token are refused and reach no AWS; a session due while serving is renewed once for callers
 * that ask at once; the endpoint is gone when the child exits or the server is stopped.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { useMoto } from '../helpers/hooks.js';
import { freePort } from '../helpers/moto.js';
import { ROOT } from '../helpers/shared.js';
import { makeHome, runCli, runProcess, CLI_COMMAND, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
let user: OnboardedUser;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
});

const SHIMS = `${process.env.HOME}/.pyenv/shims`;
const URL_RE = /http:\/\/127\.0\.0\.1:\d+\/aws-mfa\/credentials/;

function homeWith(profile = 'w'): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1' });
  writeLongTerm(home, profile, user);
  home.env.PATH = `${process.env.PATH}:${SHIMS}`;
  return home;
}

/** Keys and a profile in the parent's environment that the child must not see. */
const SHADOWS = {
  AWS_ACCESS_KEY_ID: 'AKIAPARENTSHADOW0000',
  AWS_SECRET_ACCESS_KEY: 'parent-secret',
  AWS_SESSION_TOKEN: 'parent-token',
  AWS_PROFILE: 'some-other-profile',
};

const refused = async (url: string) => {
  try {
    await fetch(url);
    return 'answered';
  } catch (e) {
    return ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? String(e);
  }
};

const EXEC = ['exec', '--ecs-server', '--profile', 'w', '--token', '123456', '--'];

test('exec --ecs-server: the real AWS CLI in the child gets the endpoint\'s session, not the keys around', async () => {
  const home = homeWith();
  await emu.moto.resetRecording();
  const aws = ['aws', 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Account'];
  const r = await runCli([...EXEC, ...aws], { env: { ...home.env, ...SHADOWS } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^\d{12}$/);
  const session = IniDocument.parse(home.read()).get('w', 'aws_access_key_id');
  const calls = await emu.moto.requests('GetCallerIdentity');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.accessKeyId, session, 'signed with the session the endpoint served, not the parent key');
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1);
});

test('exec --ecs-server: the child has only the endpoint; no token, a wrong token, another method or path are '
  + 'refused and reach no AWS; the endpoint is gone after the child exits', async () => {
  const home = homeWith();
  await emu.moto.resetRecording();
  // the child asks the endpoint itself, the ways a stranger would and the way an SDK does
  const script = `
    const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    const ask = async (headers, method = 'GET', u = url) => {
      const r = await fetch(u, { method, headers });
      return [r.status, await r.json()];
    };
    (async () => {
      const out = {
        env: Object.keys(process.env).filter((k) => k.startsWith('AWS_')).sort(), url, tokenLength: token.length,
        none: await ask({}),
        wrong: await ask({ Authorization: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') }),
        post: await ask({ Authorization: token }, 'POST'),
        path: await ask({ Authorization: token }, 'GET', new URL('/other', url)),
        good: await ask({ Authorization: token }),
      };
      console.log(JSON.stringify(out));
      process.exit(7);
    })();`;
  const r = await runCli([...EXEC, process.execPath, '-e', script], { env: { ...home.env, ...SHADOWS } });
  assert.equal(r.code, 7, `the child's exit code passes through: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.env, [
    'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_DEFAULT_REGION',
    'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL', 'AWS_REGION',
  ]);
  assert.match(out.url, URL_RE);
  assert.ok(out.tokenLength >= 32);
  assert.equal(out.none[0], 401);
  assert.equal(out.wrong[0], 403);
  assert.equal(out.post[0], 405);
  assert.equal(out.path[0], 404);
  assert.equal(out.good[0], 200);
  const file = IniDocument.parse(home.read());
  assert.deepEqual(Object.keys(out.good[1]).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']);
  assert.equal(out.good[1].AccessKeyId, file.get('w', 'aws_access_key_id'));
  assert.equal(out.good[1].Token, file.get('w', 'aws_session_token'));
  assert.match(out.good[1].Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const bad of [out.none, out.wrong, out.post, out.path]) assert.equal(bad[1].AccessKeyId, undefined);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken'], 'no refused request got to AWS');
  // each refusal is one line, without the token
  assert.equal(r.stderr.split('\n').filter((l) => l.includes('refused a credentials request')).length, 4, r.stderr);
  assert.equal(await refused(out.url), 'ECONNREFUSED', 'the endpoint stops with the child');
});

/** `serve` started as a user would, its printed instructions read, stopped by the test. */
interface Serving {
  child: ChildProcess;
  url: string;
  tokenFile: string;
  stderr: () => string;
}
/** `detached`: in a session of its own, with no controlling terminal to ask a code on. */
async function startServe(home: Home, args: string[], detached = false): Promise<Serving> {
  const argv = [...CLI_COMMAND.slice(1), 'serve', ...args];
  const child = spawn(CLI_COMMAND[0]!, argv, { env: home.env, stdio: ['ignore', 'pipe', 'pipe'], detached });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 30_000;
  while (!/Stop with Ctrl-C/.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = URL_RE.exec(stderr)![0];
  const tokenFile = /AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=(\S+) AWS_REGION=\S+ AWS_DEFAULT_REGION=\S+ COMMAND/.exec(stderr)![1]!;
  return { child, url, tokenFile, stderr: () => stderr };
}

async function stopServe(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return await exited;
}

test('serve: the JS SDK (fromHttp, fromContainerMetadata, the default chain) and the AWS CLI with a token file '
  + 'get the session; stopped, it is gone with its token file', async () => {
  const home = homeWith();
  await emu.moto.resetRecording();
  const { child, url, tokenFile, stderr } = await startServe(home, ['--profile', 'w', '--token', '123456']);
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  const token = readFileSync(tokenFile, 'utf8');
  assert.ok(!readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes(token), 'the token is in no argv');
  const mount = '/run/secrets/aws-mfa-token';
  const docker = `docker run --network host -e AWS_CONTAINER_CREDENTIALS_FULL_URI=${url} `
    + `-e AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${mount} -v ${tokenFile}:${mount}:ro -e AWS_REGION=us-east-1 -e AWS_DEFAULT_REGION=us-east-1 IMAGE`;
  assert.ok(stderr().includes(docker), stderr());
  const sdk = `
    const { fromHttp } = require('@aws-sdk/credential-provider-http');
    const { fromContainerMetadata } = require('@smithy/credential-provider-imds');
    const { defaultProvider } = require('@aws-sdk/credential-provider-node');
    (async () => {
      const viaFile = { ...process.env }; delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
      const http = await fromHttp({})();
      const chain = await defaultProvider()();
      Object.assign(process.env, viaFile); delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
      const container = await fromContainerMetadata()();
      const got = [http, chain, container].map((c) => [c.accessKeyId, c.sessionToken, c.expiration.toISOString()]);
      console.log(JSON.stringify(got));
    })().catch((e) => { console.error(e.message); process.exit(1); });`;
  const clientEnv = {
    PATH: home.env.PATH!, HOME: home.dir, AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
  };
  const js = await runProcess(process.execPath, ['-e', sdk], { env: clientEnv, cwd: ROOT });
  assert.equal(js.code, 0, js.stderr);
  const file = IniDocument.parse(home.read());
  const expected = [file.get('w', 'aws_access_key_id'), file.get('w', 'aws_session_token')];
  for (const got of JSON.parse(js.stdout)) assert.deepEqual(got.slice(0, 2), expected);
  // the AWS CLI (botocore) reads the token file; its own HOME has no profiles
  const cliEnv = {
    ...clientEnv, HOME: makeHome().dir, AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONTAINER_AUTHORIZATION_TOKEN: '',
  };
  const aws = await runProcess('aws', ['sts', 'get-caller-identity', '--output', 'text'], { env: cliEnv });
  assert.equal(aws.code, 0, aws.stderr);
  assert.equal((await emu.moto.requests('GetCallerIdentity'))[0]!.accessKeyId, expected[0]);
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1);
  assert.ok(!stderr().includes(token), 'the token itself is never printed');
  assert.equal(await stopServe(child), 0);
  assert.equal(existsSync(tokenFile), false, 'the token file is removed');
  assert.equal(await refused(url), 'ECONNREFUSED');
});

test('serve: a session due while serving is renewed once for four callers at once, then cached', async () => {
  const home = homeWith();
  const { child, url, tokenFile } = await startServe(home, ['--profile', 'w', '--token', '123456']);
  const token = readFileSync(tokenFile, 'utf8');
  // time passes: the session in [w] has run out
  const expired = home.read().replace(/^expiration = .*$/m, 'expiration = 2001-01-01 00:00:00');
  writeFileSync(home.credentials, expired);
  await emu.moto.resetRecording();
  type Answer = { AccessKeyId: string; Expiration: string };
  const ask = async () => (await fetch(url, { headers: { Authorization: token } })).json() as Promise<Answer>;
  const answers = await Promise.all([ask(), ask(), ask(), ask()]);
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1, 'one renewal for the four');
  assert.equal(new Set(answers.map((a) => a.AccessKeyId)).size, 1);
  assert.ok(Date.parse(answers[0]!.Expiration) > Date.now());
  const stored = IniDocument.parse(home.read()).get('w', 'aws_access_key_id');
  assert.equal(answers[0]!.AccessKeyId, stored, 'written to the store');
  await ask();
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1, 'then from the cache');
  assert.equal(await stopServe(child), 0);
});

test('serve: a renewal without a code answers 500 with the one line, logs it once, and keeps serving', async () => {
  const home = homeWith();
  const first = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
  const { child, url, tokenFile, stderr } = await startServe(home, ['--profile', 'w'], true);
  const token = readFileSync(tokenFile, 'utf8');
  const expired = home.read().replace(/^expiration = .*$/m, 'expiration = 2001-01-01 00:00:00');
  writeFileSync(home.credentials, expired);
  await emu.moto.resetRecording();
  const r = await fetch(url, { headers: { Authorization: token } });
  assert.equal(r.status, 500);
  const body = (await r.json()) as { message: string; AccessKeyId?: string };
  assert.equal(body.AccessKeyId, undefined);
  assert.match(body.message, /no terminal to ask for the code/);
  assert.equal((await fetch(url)).status, 401, 'still serving');
  assert.deepEqual(await emu.moto.actions(), [], 'no code, no call');
  const failures = stderr().split('\n').filter((l) => l.includes('a credentials request got no session'));
  assert.equal(failures.length, 1, stderr());
  assert.equal(home.read(), expired, 'nothing written');
  assert.equal(await stopServe(child), 0);
});

test('serve and exec --ecs-server: a taken --port, a bad --port, a profile without a key: one line, '
  + 'the documented exit code, no file changed', async () => {
  const home = homeWith();
  const before = home.read();
  const taken = createServer();
  const port = await freePort();
  await new Promise<void>((r) => taken.listen(port, '127.0.0.1', () => r()));
  try {
    for (const args of [['serve'], ['exec', '--ecs-server']]) {
      const child = args[0] === 'exec' ? ['--', 'true'] : [];
      const argv = [...args, '--profile', 'w', '--token', '123456', '--port', String(port), ...child];
      const r = await runCli(argv, { env: home.env });
      assert.equal(r.code, 3, r.stderr);
      const line = `port ${port} on 127.0.0.1 is in use (another aws-mfa serve?); `
        + 'choose another --port or leave it out';
      assert.equal(r.stderr, `aws-mfa: error: ${line}\n`);
    }
  } finally {
    await new Promise((r) => taken.close(r));
  }
  assert.equal(home.read(), before, 'no session was fetched or written');
  const badPort = await runCli(['serve', '--profile', 'w', '--port', '70000'], { env: home.env });
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /^aws-mfa: error: --port must be a port number from 1 to 65535, not "70000"\n$/);
  const noKey = await runCli(['serve', '--profile', 'nokey', '--token', '123456'], { env: home.env });
  assert.equal(noKey.code, 3, noKey.stderr);
  assert.equal(noKey.stderr.trim().split('\n').length, 1, noKey.stderr);
  assert.equal(home.read(), before);
});

test('exec --ecs-server warns when [default] holds keys, which the SDKs read before the endpoint', async () => {
  const home = homeWith();
  home.write(`${home.read()}\n[default]\naws_access_key_id = AKIADEFAULTKEY000000\naws_secret_access_key = s\n`);
  const r = await runCli([...EXEC, 'true'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^aws-mfa: warning: \[default\] in \S+ holds keys, which the SDKs read before the endpoint/m);
  assert.doesNotMatch(r.stderr, /AKIADEFAULTKEY/);
});
