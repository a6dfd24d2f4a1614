/**
 * Every way of consuming the session, end to end with the built binary, moto_server and the real
 * AWS CLI: export (eval in bash), exec, credential_process, status, whoami, console, clear,
 * completion.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { writeFileSync, readFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, runAwsCli, runProcess, CLI_COMMAND, type Home } from '../helpers/cli.js';
import { createUser, createRole, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';
import { pasteInBash, suggestedCommand } from '../helpers/paste.js';

const emu = useMoto();
let user: OnboardedUser;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
});

function homeWith(profile = 'w'): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1' });
  writeLongTerm(home, profile, user);
  return home;
}

test('eval "$(aws-mfa export)" in bash, then the AWS CLI works with the variables', async () => {
  const home = homeWith();
  const script = `eval "$(${CLI_COMMAND.map((w) => `"${w}"`).join(' ')} export --profile w --token 123456 --format sh)" && aws sts get-caller-identity --output text --query Arn && echo "token-set=\${AWS_SESSION_TOKEN:+yes}"`;
  const r = await runProcess('bash', ['-c', script], { env: { ...home.env, PATH: `${process.env.PATH}:${process.env.HOME}/.pyenv/shims` } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^arn:aws:/m);
  assert.match(r.stdout, /token-set=yes/);
  assert.ok(IniDocument.parse(home.read()).get('w', 'aws_session_token'), 'export refreshed through the same path and cached the session');
});

test('export formats: every variable, and json/dotenv carry the same values', async () => {
  const home = homeWith();
  const json = await runCli(['export', '--profile', 'w', '--token', '123456', '--format', 'json'], { env: home.env });
  assert.equal(json.code, 0, json.stderr);
  const vars = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(vars).sort(), ['AWS_ACCESS_KEY_ID', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECURITY_TOKEN', 'AWS_SESSION_TOKEN']);
  assert.match(vars.AWS_CREDENTIAL_EXPIRATION, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const file = IniDocument.parse(home.read());
  assert.equal(vars.AWS_SESSION_TOKEN, file.get('w', 'aws_session_token'));
  const dotenv = await runCli(['export', '--profile', 'w', '--format', 'dotenv'], { env: home.env });
  assert.equal(dotenv.code, 0, dotenv.stderr);
  assert.ok(dotenv.stdout.includes(`AWS_SESSION_TOKEN=${vars.AWS_SESSION_TOKEN}\n`));
  const cmd = await runCli(['export', '--profile', 'w', '--format', 'cmd'], { env: home.env });
  assert.ok(cmd.stdout.includes(`set "AWS_ACCESS_KEY_ID=${vars.AWS_ACCESS_KEY_ID}"\r\n`));
  // ($SHELL is the login shell, not the one reading the lines: it no longer picks the format; safe-output.test.ts)
  const ps = await runCli(['export', '--profile', 'w', '--format', 'powershell'], { env: home.env });
  assert.ok(ps.stdout.includes(`$Env:AWS_ACCESS_KEY_ID = '${vars.AWS_ACCESS_KEY_ID}'\n`), 'PowerShell');
  const fish = await runCli(['export', '--profile', 'w', '--format', 'fish'], { env: home.env });
  assert.ok(fish.stdout.includes(`set -gx AWS_ACCESS_KEY_ID '${vars.AWS_ACCESS_KEY_ID}';\n`), 'fish');
  const bad = await runCli(['export', '--profile', 'w', '--format', 'csh'], { env: home.env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format must be one of sh, fish, powershell, cmd, json, dotenv, not "csh"/);
});

test('exec: the child gets the session (and no AWS_PROFILE), its exit code comes back', async () => {
  const home = homeWith();
  const env = { ...home.env, AWS_PROFILE: 'some-other-profile', PATH: `${process.env.PATH}:${process.env.HOME}/.pyenv/shims` };
  const ok = await runCli(['exec', '--profile', 'w', '--token', '123456', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Account'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout.trim(), /^\d{12}$/);
  const vars = await runCli(['exec', '--profile', 'w', '--', 'sh', '-c', 'echo "profile=${AWS_PROFILE-unset} default=${AWS_DEFAULT_PROFILE-unset} key=${AWS_ACCESS_KEY_ID:+set}"; exit 7'], { env });
  assert.equal(vars.code, 7, 'the child exit code passes through');
  assert.equal(vars.stdout.trim(), 'profile=unset default=unset key=set');
  const missing = await runCli(['exec', '--profile', 'w', '--', 'no-such-command-xyz'], { env });
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /no-such-command-xyz: command not found/);
  const none = await runCli(['exec', '--profile', 'w'], { env });
  assert.equal(none.code, 2);
});

test('exec passes stdin through and forwards SIGTERM to the child', async () => {
  const home = homeWith();
  assert.equal((await runCli(['--profile', 'w', '--token', '123456'], { env: home.env })).code, 0);
  const echo = await runCli(['exec', '--profile', 'w', '--', 'cat'], { env: home.env, input: 'hello through stdin\n' });
  assert.equal(echo.stdout, 'hello through stdin\n');
  const marker = join(home.dir, 'started');
  const run = runCli(['exec', '--profile', 'w', '--', 'sh', '-c', `trap 'exit 42' TERM; touch ${marker}; while :; do sleep 0.05; done`], { env: home.env });
  for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(existsSync(marker), 'the child started');
  run.kill('SIGTERM');
  const r = await run;
  assert.equal(r.code, 42, 'the child got the signal and its exit code came back');
});

/** A home with no region in the environment, the given config, and setup-credential-process --profile w run in it. */
async function setUpAuto(config: string) {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  writeLongTerm(home, 'w', user);
  writeFileSync(home.config, config);
  const setup = await runCli(['setup-credential-process', '--profile', 'w'], { env: home.env });
  assert.equal(setup.code, 0, setup.stderr);
  return { home, setup };
}

test('setup-credential-process with no region anywhere: says the profile has none and how to set one; pasted, the AWS CLI then works', async () => {
  const { home, setup } = await setUpAuto('[profile w]\nmfa_process = echo 556677\n');
  assert.doesNotMatch(setup.stdout, /region/, 'nothing made up is written');
  assert.doesNotMatch(setup.stderr, /now get MFA sessions/, 'not claimed ready');
  assert.match(setup.stderr, /no region is set for \[w-long-term\] nor in the environment, so \[profile w-auto\] has none and the AWS CLI and SDKs will stop with "You must specify a region"; set the region you work in, e\.g\.: aws configure set region us-east-1 --profile w-auto\n$/);
  const env = { ...home.env, AWS_PROFILE: 'w-auto' };
  const without = await runAwsCli(['sts', 'get-caller-identity'], { env, detached: true });
  assert.match(without.stderr, /You must specify a region/, 'the warning is true');
  const set = await pasteInBash(suggestedCommand(setup.stderr, /e\.g\.: /), { env: home.env });
  assert.equal(set.code, 0, set.stderr);
  const cli = await runAwsCli(['sts', 'get-caller-identity'], { env, detached: true });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(JSON.parse(cli.stdout).Arn, /^arn:aws:/);
});

test('setup-credential-process copies the profile\'s region from the config into the -auto profile; the AWS CLI works at once', async () => {
  const { home, setup } = await setUpAuto('[profile w]\nregion = ap-northeast-1\nmfa_process = echo 556677\n');
  assert.match(setup.stdout, /^region = ap-northeast-1$/m);
  assert.match(setup.stderr, /now get MFA sessions with --profile w-auto/);
  const cli = await runAwsCli(['sts', 'get-caller-identity'], { env: { ...home.env, AWS_PROFILE: 'w-auto' }, detached: true });
  assert.equal(cli.code, 0, cli.stderr);
});

test('credential_process: the AWS CLI uses it twice; the second time makes no STS request', async () => {
  const home = homeWith();
  // a code source for a non-interactive refresh, as aws-vault's mfa_process
  writeFileSync(home.config, '# my config\n[profile w]\nregion = us-east-1\nmfa_process = echo 556677\n');
  const setup = await runCli(['setup-credential-process', '--profile', 'w'], { env: home.env });
  assert.equal(setup.code, 0, setup.stderr);
  const config = IniDocument.parse(readFileSync(home.config, 'utf8'));
  assert.ok(readFileSync(home.config, 'utf8').startsWith('# my config\n[profile w]\nregion = us-east-1\nmfa_process = echo 556677\n'), 'config kept byte for byte');
  const command = config.get('profile w-auto', 'credential_process')!;
  assert.ok(command.includes(' credential-process --profile w'), command);
  assert.ok(!command.includes('~') && !command.includes('$'), 'no expansion needed');

  await emu.moto.resetRecording();
  const env = { ...home.env, PATH: `${process.env.PATH}:${process.env.HOME}/.pyenv/shims` };
  const first = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'w-auto'], { env, detached: true });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken', 'GetCallerIdentity']);
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.deepEqual([sts?.params.SerialNumber, sts?.params.TokenCode], [user.deviceArn, '556677'], "the code is mfa_process's output");
  const sessionKey = IniDocument.parse(home.read()).get('w', 'aws_access_key_id');
  assert.equal((await emu.moto.requests('GetCallerIdentity'))[0]?.accessKeyId, sessionKey, 'the AWS CLI signed with the session aws-mfa handed it');
  await emu.moto.resetRecording();
  const second = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'w-auto'], { env, detached: true });
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetCallerIdentity'], 'the cached session is reused: no STS request');
});

test('credential-process output is the AWS JSON, and nothing else on stdout', async () => {
  const home = homeWith();
  assert.equal((await runCli(['--profile', 'w', '--token', '123456'], { env: home.env })).code, 0);
  const r = await runCli(['credential-process', '--profile', 'w'], { env: home.env, detached: true });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const file = IniDocument.parse(home.read());
  assert.deepEqual(Object.keys(out), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
  assert.equal(out.Version, 1);
  assert.equal(out.SessionToken, file.get('w', 'aws_session_token'));
  assert.equal(out.Expiration, file.get('w', 'expiration')!.replace(' ', 'T') + 'Z');
  assert.equal(r.stderr, '');
});

test('credential-process with a session due, no terminal and no mfa_process: a clear error, exit 3', async () => {
  const home = homeWith();
  await emu.moto.resetRecording();
  const r = await runCli(['credential-process', '--profile', 'w'], { env: home.env, detached: true });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /a new MFA session is needed for \[w\] but there is no terminal to ask for the code; run "aws-mfa --profile w" in a terminal first, pass --token CODE, or set mfa_process/);
  assert.equal(r.stdout, '');
  assert.deepEqual(await emu.moto.actions(), []);
});

test('status --json: managed profiles, device, time left; no AWS call', async () => {
  const home = homeWith();
  writeLongTerm(home, 'idle', user);
  assert.equal((await runCli(['--profile', 'w', '--token', '123456'], { env: home.env })).code, 0);
  await emu.moto.resetRecording();
  const r = await runCli(['status', '--json'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const st = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(st.map((s) => [s.profile, s.state]), [['idle', 'none'], ['w', 'valid']]);
  const w = st.find((s) => s.profile === 'w')!;
  assert.equal(w.device, user.deviceArn);
  assert.ok((w.secondsLeft as number) > 43000);
  assert.deepEqual(await emu.moto.actions(), []);
  const text = await runCli(['status'], { env: home.env });
  assert.match(text.stdout, /^PROFILE\s+SESSION\s+DEVICE/m);
  assert.match(text.stdout, /^w\s+11h 5\dm left/m);
});

test('whoami: the account and ARN from GetCallerIdentity with the session', async () => {
  const home = homeWith();
  await emu.moto.resetRecording();
  const r = await runCli(['whoami', '--profile', 'w', '--token', '123456', '--json'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const session = IniDocument.parse(home.read()).get('w', 'aws_access_key_id');
  assert.deepEqual((await emu.moto.requests()).map((q) => [q.action, q.accessKeyId]), [['GetSessionToken', user.accessKeyId], ['GetCallerIdentity', session]], 'asked with the session, not the long-term key');
  const who = JSON.parse(r.stdout);
  assert.match(who.account, /^\d{12}$/);
  assert.match(who.arn, /^arn:aws:/);
  assert.equal(who.mfa, true);
  assert.equal(who.obtainedWith, 'GetSessionToken with MFA');
});

test('clear removes only the short-term section', async () => {
  const home = homeWith();
  assert.equal((await runCli(['--profile', 'w', '--token', '123456'], { env: home.env })).code, 0);
  const before = home.read();
  const r = await runCli(['clear', '--profile', 'w'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const after = home.read();
  assert.ok(!IniDocument.parse(after).hasSection('w'));
  assert.ok(before.startsWith(after.trimEnd()), 'everything else is as it was');
  assert.ok(IniDocument.parse(after).get('w-long-term', 'aws_secret_access_key'));
});

// ---- console, against a loopback stand-in for the federation endpoint ------------------------

let federation: Server;
let federationUrl = '';
const seen: URLSearchParams[] = [];
before(async () => {
  federation = createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    seen.push(q);
    const session = JSON.parse(q.get('Session') ?? '{}');
    if (q.get('Action') !== 'getSigninToken' || !session.sessionId || !session.sessionKey || !session.sessionToken) {
      res.writeHead(400).end('bad request');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: 'TOKEN-FOR-TEST' }));
  });
  await new Promise<void>((r) => federation.listen(0, '127.0.0.1', r));
  federationUrl = `http://127.0.0.1:${(federation.address() as { port: number }).port}/federation`;
});
after(() => new Promise<void>((r) => (federation ? federation.close(() => r()) : r())));

test('console --print: a federation sign-in URL for a role session', async () => {
  const home = homeWith();
  const role = await createRole(emu.moto.endpoint, `console-${process.pid}`);
  await emu.moto.resetRecording();
  const r = await runCli(['console', '--profile', 'w', '--assume-role', role, '--token', '123456', '--print'], { env: { ...home.env, AWS_MFA_FEDERATION_URL: federationUrl } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await emu.moto.requests('AssumeRole')).map((q) => [q.params.RoleArn, q.params.SerialNumber]), [[role, user.deviceArn]]);
  const url = new URL(r.stdout.trim());
  assert.equal(`${url.origin}${url.pathname}`, federationUrl);
  assert.equal(url.searchParams.get('Action'), 'login');
  assert.equal(url.searchParams.get('Issuer'), 'aws-mfa');
  assert.equal(url.searchParams.get('Destination'), 'https://console.aws.amazon.com/');
  assert.equal(url.searchParams.get('SigninToken'), 'TOKEN-FOR-TEST');
  const req = seen[seen.length - 1]!;
  const file = IniDocument.parse(home.read());
  assert.equal(JSON.parse(req.get('Session')!).sessionToken, file.get('w', 'aws_session_token'));
  assert.ok(Number(req.get('SessionDuration')) >= 900 && Number(req.get('SessionDuration')) <= 3600);
});

test('console opens $BROWSER; a GetSessionToken session gets a clear refusal', async () => {
  const home = homeWith();
  const role = await createRole(emu.moto.endpoint, `browser-${process.pid}`);
  const browser = join(home.dir, 'browser.sh');
  const opened = join(home.dir, 'opened.txt');
  // the browser gets a private file that redirects to the link (the link itself is never in argv)
  writeFileSync(browser, `#!/bin/sh\ncat "$1" > ${opened}\n`);
  chmodSync(browser, 0o755);
  const r = await runCli(['console', '--profile', 'w', '--assume-role', role, '--token', '123456'], { env: { ...home.env, AWS_MFA_FEDERATION_URL: federationUrl, BROWSER: browser } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(opened, 'utf8'), /Action=login.*SigninToken=TOKEN-FOR-TEST/);
  assert.equal(r.stdout, '', 'the link is not printed unless asked for');
  const plain = await runCli(['console', '--profile', 'w', '--token', '123456', '--force'], { env: { ...home.env, AWS_MFA_FEDERATION_URL: federationUrl } });
  assert.equal(plain.code, 3, plain.stderr);
  assert.match(plain.stderr, /console only with role sessions .* \[w\] is a GetSessionToken session; use --assume-role ARN/);
});

test('completion scripts: each names every command; bash parses and completes', async () => {
  for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
    const r = await runCli(['completion', shell], { env: makeHome().env });
    assert.equal(r.code, 0, r.stderr);
    for (const c of ['export', 'exec', 'credential-process', 'status', 'whoami', 'console', 'clear']) assert.ok(r.stdout.includes(c), `${shell} names ${c}`);
    if (shell === 'bash') {
      const check = spawnSync('bash', ['-n'], { input: r.stdout });
      assert.equal(check.status, 0, String(check.stderr));
      const use = spawnSync('bash', ['-c', `${r.stdout}\nCOMP_WORDS=(aws-mfa exp); COMP_CWORD=1; _aws_mfa; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      assert.equal(use.stdout.trim(), 'export');
    }
  }
  const bad = await runCli(['completion', 'tcsh'], { env: makeHome().env });
  assert.equal(bad.code, 2);
});
