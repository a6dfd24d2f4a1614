/**
 * The Windows lane: Windows code run for real. Wine runs the Windows executable of `npm run package`
 * (dist/bin/aws-mfa-win-x64.exe) and the npm bundle under the official Windows node.exe against
 * moto_server on loopback, in one Wine prefix for the whole file. Proves the Windows paths
 * (%USERPROFILE%, Windows-form AWS_SHARED_CREDENTIALS_FILE), CRLF files, cmd.exe export, exec of a
 * .cmd child (cross-spawn's Windows branch), locking and replacing a file under Windows semantics,
 * a proxy password with '@', `init` and setup-credential-process with a quoted .exe path, and the
 * refresh lock: callers at once ask one code.
 * Skipped with the install command where Wine is missing, failed under CI=true.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto, type Moto } from '../helpers/moto.js';
import { createUser, type OnboardedUser } from '../helpers/onboard.js';
import { BIN, type RunResult } from '../helpers/cli.js';
import { startTlsFront, type Tls } from '../helpers/net.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { startWine, type Wine, type WineRunOptions } from '../helpers/wine.js';
import { needTool } from '../helpers/need-tool.js';
import { packaged, windowsNode } from '../helpers/packaged.js';
import { awsPython } from '../helpers/botocore.js';
import { ROOT } from '../helpers/shared.js';
import { IniDocument } from '../../src/ini/document.js';

const { skip } = needTool('wine', 'apt-get install wine64 wine');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

let moto: Moto;
let wine: Wine;
let exe: string;
let nodeExe: string;
let work: string; // a folder in C:\ for this file's files
let tls: Tls;
let proxy: ConnectProxy;

before(
  async () => {
    if (skip) return;
    nodeExe = windowsNode();
    [exe, moto, wine] = await Promise.all([packaged('win-x64'), startMoto(), startWine()]);
    work = join(wine.prefix, 'drive_c', 'work');
    mkdirSync(work);
    tls = await startTlsFront(moto.endpoint);
    proxy = await startConnectProxy('user', 'p@ss');
  },
  { timeout: 600_000 },
);
after(async () => {
  await proxy?.stop();
  await tls?.stop();
  await wine?.stop();
  await moto?.stop();
});

/** A Windows environment pointed at the emulator (no HOME: Wine passes none, as Windows has none). */
const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_EC2_METADATA_DISABLED: 'true',
  ...extra,
});
const runExe = (args: string[], opts: WineRunOptions = {}) => wine.run(exe, args, { ...opts, env: env(opts.env) });
const runBundle = (args: string[], opts: WineRunOptions = {}) => wine.run(nodeExe, [wine.win(BIN), ...args], { ...opts, env: env(opts.env) });
const flavours = [
  { name: 'the .exe', run: runExe },
  { name: 'the npm bundle under node.exe', run: runBundle },
] as const;

const ok = (r: RunResult) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
const longTerm = (name: string, u: OnboardedUser) => [`[${name}-long-term]`, `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`, `aws_mfa_device = ${u.deviceArn}`];
const session = (text: string, profile: string) => {
  const doc = IniDocument.parse(text);
  return { key: doc.get(profile, 'aws_access_key_id'), token: doc.get(profile, 'aws_session_token'), expiration: doc.get(profile, 'expiration') };
};
/** The executable at another path (a hard link where the file system allows: it is 90 MB). */
function place(from: string, to: string) {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
/** A folder of this file's own under C:\work (a Linux path and its Windows form). */
const folder = (name: string) => {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return { dir, win: wine.win(dir) };
};

for (const f of flavours) {
  test(`--version (${f.name})`, { skip }, async () => {
    const r = await f.run(['--version']);
    ok(r);
    assert.equal(r.stdout, `${VERSION}\n`);
  });
}

test('the .exe is a single executable that loads its chunks from itself, not from files beside it', { skip }, async () => {
  // only the .exe in the folder: a chunk file missing beside it must not matter
  const lone = folder('lone');
  place(exe, join(lone.dir, 'aws-mfa.exe'));
  const u = await createUser(moto.endpoint);
  writeFileSync(join(lone.dir, 'credentials'), crlf(longTerm('lone', u)));
  const r = await wine.run(`${lone.win}\\aws-mfa.exe`, ['--profile', 'lone', '--token', '123456'], { env: env({ AWS_SHARED_CREDENTIALS_FILE: `${lone.win}\\credentials`, AWS_CONFIG_FILE: `${lone.win}\\config` }) });
  ok(r);
  assert.deepEqual(readdirSync(lone.dir).sort(), ['aws-mfa.exe', 'credentials']);
  assert.ok(session(readFileSync(join(lone.dir, 'credentials'), 'utf8'), 'lone').token);
});

for (const [i, f] of flavours.entries()) {
  test(`%USERPROFILE%\\.aws\\credentials with CRLF: a first session with --token, then a cached check; every other byte kept (${f.name})`, { skip }, async () => {
    const u = await createUser(moto.endpoint);
    const profile = `home${i}`;
    const aws = join(wine.profileDir, '.aws');
    mkdirSync(aws, { recursive: true });
    const file = join(aws, 'credentials');
    // comments in both styles, a UTF-8 comment, tabs, trailing spaces, blank lines, another profile after
    const before = existsSync(file)
      ? readFileSync(file, 'utf8')
      : crlf(['; written by hand on Windows', '# Zugangsschlüssel für die Arbeit', '', '[default]', 'region\t=\teu-central-1   ', '']);
    const original = before + crlf([...longTerm(profile, u), '', `[after-${profile}]`, 'x = 1']);
    writeFileSync(file, original);
    await moto.resetRecording();
    const first = await f.run(['--profile', profile, '--token', '123456']);
    ok(first);
    assert.deepEqual(await moto.actions(), ['GetSessionToken'], 'one STS call');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith(original), 'every byte before the new section kept');
    assert.doesNotMatch(text, /(?<!\r)\n/, 'the new section has CRLF line endings too');
    const s = session(text, profile);
    assert.ok(s.key && s.key !== u.accessKeyId && s.token, 'a session, not the long-term key');
    assert.match(first.stderr, new RegExp(`Use them with --profile ${profile}`));

    await moto.resetRecording();
    const cached = await f.run(['--profile', profile]);
    ok(cached);
    assert.deepEqual(await moto.actions(), [], 'the cached check calls nothing');
    assert.equal(readFileSync(file, 'utf8'), text, 'and writes nothing');
    assert.match(cached.stderr, /still valid|expire/i);
  });
}

test('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE given as Windows paths (with a space)', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  const d = folder('AWS files');
  writeFileSync(join(d.dir, 'credentials'), crlf(longTerm('far', u).filter((l) => !l.startsWith('aws_mfa_device'))));
  writeFileSync(join(d.dir, 'config'), crlf(['[profile far]', `mfa_serial = ${u.deviceArn}`]));
  const home = join(wine.profileDir, '.aws', 'credentials');
  const homeBefore = existsSync(home) ? readFileSync(home, 'utf8') : undefined;
  const r = await runExe(['--profile', 'far', '--token', '123456'], { env: { AWS_SHARED_CREDENTIALS_FILE: `${d.win}\\credentials`, AWS_CONFIG_FILE: `${d.win}\\config` } });
  ok(r);
  assert.ok(session(readFileSync(join(d.dir, 'credentials'), 'utf8'), 'far').token, 'the session went to the named file');
  assert.equal(existsSync(home) ? readFileSync(home, 'utf8') : undefined, homeBefore, '%USERPROFILE%\\.aws untouched');
});

/**
 * A profile whose session is valid for 12 more hours, in its own folder (written here as aws-mfa
 * writes it: these tests are about the Windows side, and a cached session needs no AWS call);
 * the environment that points aws-mfa at it.
 */
function withSession(name: string, configLines: string[] = []) {
  const d = folder(name);
  const expiration = new Date(Date.now() + 12 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
  const s = { key: `ASIA${name.toUpperCase().padEnd(16, 'X')}`, token: `IQoJb3JpZ2luX2VjE${name}/token+with/base64=`, expiration };
  writeFileSync(
    join(d.dir, 'credentials'),
    crlf([
      `[${name}-long-term]`,
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_mfa_device = arn:aws:iam::123456789012:mfa/alice',
      `[${name}]`,
      'assumed_role = False',
      `aws_access_key_id = ${s.key}`,
      'aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
      `aws_session_token = ${s.token}`,
      `aws_security_token = ${s.token}`,
      `expiration = ${expiration}`,
    ]),
  );
  writeFileSync(join(d.dir, 'config'), crlf(configLines));
  const e = { AWS_SHARED_CREDENTIALS_FILE: `${d.win}\\credentials`, AWS_CONFIG_FILE: `${d.win}\\config`, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
  return { ...d, env: e, s };
}

test('export --format cmd, run by cmd.exe with call, sets the session variables', { skip }, async () => {
  const p = withSession('excmd', ['[profile excmd]', 'region = eu-west-1']);
  writeFileSync(
    join(p.dir, 'use.cmd'),
    crlf([
      '@echo off',
      `"${wine.win(exe)}" export --profile excmd --format cmd > "%TEMP%\\aws-env.cmd"`,
      'if errorlevel 1 exit /b 9',
      'call "%TEMP%\\aws-env.cmd"',
      // no space before '>': Wine's cmd would take it as part of the name
      `set AWS_>"${p.win}\\vars.txt"`,
    ]),
  );
  const r = await wine.run('cmd', ['/c', `${p.win}\\use.cmd`], { env: env(p.env) });
  ok(r);
  const vars = Object.fromEntries(
    readFileSync(join(p.dir, 'vars.txt'), 'utf8')
      .split(/\r?\n/)
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.equal(vars.AWS_ACCESS_KEY_ID, p.s.key);
  assert.equal(vars.AWS_SESSION_TOKEN, p.s.token);
  assert.equal(vars.AWS_SECURITY_TOKEN, p.s.token);
  assert.ok(vars.AWS_SECRET_ACCESS_KEY);
  assert.equal(vars.AWS_CREDENTIAL_EXPIRATION, `${p.s.expiration!.replace(' ', 'T')}Z`);
  assert.equal(vars.AWS_REGION, 'eu-west-1');
  assert.equal(vars.AWS_DEFAULT_REGION, 'eu-west-1');
});

test('exec runs a .cmd child with the session, its arguments intact and without AWS_PROFILE; its exit code passes through', { skip }, async () => {
  const p = withSession('exwin');
  writeFileSync(
    join(p.dir, 'child.cmd'),
    crlf([
      '@echo off',
      'set "A1=%~1"',
      'set "A2=%~2"',
      'if defined AWS_PROFILE (set "HASPROFILE=yes") else (set "HASPROFILE=no")',
      `set A1>"${p.win}\\child.txt"`,
      `set A2>>"${p.win}\\child.txt"`,
      `set HASPROFILE>>"${p.win}\\child.txt"`,
      `set AWS_ACCESS_KEY_ID>>"${p.win}\\child.txt"`,
      'exit /b 7',
    ]),
  );
  const r = await runExe(['exec', '--profile', 'exwin', '--', `${p.win}\\child.cmd`, 'two words', 'x&y'], { env: { ...p.env, AWS_PROFILE: 'exwin' } });
  assert.equal(r.code, 7, r.stderr);
  assert.deepEqual(readFileSync(join(p.dir, 'child.txt'), 'utf8').split(/\r?\n/).filter(Boolean), ['A1=two words', 'A2=x&y', 'HASPROFILE=no', `AWS_ACCESS_KEY_ID=${p.s.key}`]);
  // a command found nowhere goes to cmd.exe (cross-spawn), which fails: Windows' cmd exits 1, which
  // cross-spawn turns into ENOENT and aws-mfa into 127; Wine's cmd exits 49 instead, so only the
  // failure is checked here
  const missing = await runExe(['exec', '--profile', 'exwin', '--', 'no-such-command-here'], { env: p.env });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /no-such-command-here/);
});

test('three processes update different profiles of one file at once: no update lost, nothing left behind', { skip }, async () => {
  const users = await Promise.all([1, 2, 3].map(() => createUser(moto.endpoint)));
  const d = folder('shared');
  const file = join(d.dir, 'credentials');
  const original = crlf(['# shared by three', ...users.flatMap((u, i) => [...longTerm(`c${i}`, u), ''])]);
  writeFileSync(file, original);
  const e = { AWS_SHARED_CREDENTIALS_FILE: `${d.win}\\credentials`, AWS_CONFIG_FILE: `${d.win}\\config` };
  const rs = await Promise.all(users.map((_, i) => runExe(['--profile', `c${i}`, '--token', '123456'], { env: e, timeoutMs: 120_000 })));
  rs.forEach(ok);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith(original), 'the long-term sections kept byte for byte');
  for (const i of [0, 1, 2]) assert.ok(session(text, `c${i}`).token, `[c${i}] has its session`);
  assert.deepEqual(readdirSync(d.dir), ['credentials'], 'no lock or temporary file left');
});

test('three .exe credential-process callers at once, session due: one code (a counting .cmd)', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  const d = folder('refresh-lock');
  writeFileSync(join(d.dir, 'credentials'), crlf(longTerm('lk', u)));
  // the code after two seconds, so the others find the lock held: node.exe waits (cmd under Wine has
  // no reliable sleep), linked here (the build cache's copy may be replaced by a packaging meanwhile)
  place(nodeExe, join(d.dir, 'sleeper.exe'));
  writeFileSync(
    join(d.dir, 'code.cmd'),
    crlf([
      '@echo off',
      `echo run>>"${d.win}\\runs.txt"`,
      `"${d.win}\\sleeper.exe" -e "setTimeout(() => {}, 2000)"`,
      'echo 123456',
    ]),
  );
  const config = ['[profile lk]', 'region = us-east-1', `mfa_process = ${d.win}\\code.cmd`];
  writeFileSync(join(d.dir, 'config'), crlf(config));
  const e = { AWS_SHARED_CREDENTIALS_FILE: `${d.win}\\credentials`, AWS_CONFIG_FILE: `${d.win}\\config` };
  await moto.resetRecording();
  const run = () => runExe(['credential-process', '--profile', 'lk'], { env: e, timeoutMs: 180_000 });
  const callers = [1, 2, 3].map(run);
  const rs = await Promise.all(callers);
  rs.forEach(ok);
  assert.equal(readFileSync(join(d.dir, 'runs.txt'), 'utf8').trim().split(/\r?\n/).length, 1, 'one code asked');
  assert.equal((await moto.requests('GetSessionToken')).length, 1, 'one GetSessionToken');
  const expirations = new Set(rs.map((r) => JSON.parse(r.stdout).Expiration as string));
  assert.equal(expirations.size, 1, [...expirations].join(', '));
  const saying = 'another aws-mfa is getting the session for [lk]';
  assert.ok(rs.some((r) => r.stderr.includes(saying)), rs.map((r) => r.stderr).join('\n'));
  const left = readdirSync(d.dir).sort();
  assert.deepEqual(left, ['code.cmd', 'config', 'credentials', 'runs.txt', 'sleeper.exe'], 'no lock left beside it');
});

test('HTTPS_PROXY=http://user:p%40ss@127.0.0.1:PORT: the password reaches the proxy decoded; a wrong one is exit 5', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  const d = folder('proxied');
  const file = join(d.dir, 'credentials');
  writeFileSync(file, crlf(longTerm('px', u)));
  const e = { AWS_ENDPOINT_URL: tls.endpoint, AWS_CA_BUNDLE: wine.win(tls.caFile), AWS_SHARED_CREDENTIALS_FILE: `${d.win}\\credentials`, AWS_CONFIG_FILE: `${d.win}\\config` };
  const target = tls.endpoint.replace('https://', '');
  proxy.seen.length = 0;
  const bad = await runExe(['--profile', 'px', '--token', '123456'], { env: { ...e, HTTPS_PROXY: `http://user:p%40sx@127.0.0.1:${proxy.port}`, AWS_MFA_RETRY_BASE_MS: '5' } });
  assert.equal(bad.code, 5, bad.stderr);
  assert.match(bad.stderr, /proxy credentials/);
  assert.deepEqual(proxy.seen[0], { target, credentials: 'user:p@sx', allowed: false });
  assert.equal(readFileSync(file, 'utf8'), crlf(longTerm('px', u)), 'nothing written');
  proxy.seen.length = 0;
  const good = await runExe(['--profile', 'px', '--token', '123456'], { env: { ...e, HTTPS_PROXY: `http://user:p%40ss@127.0.0.1:${proxy.port}` } });
  ok(good);
  assert.deepEqual(proxy.seen, [{ target, credentials: 'user:p@ss', allowed: true }], 'one tunnel, with the decoded password');
  assert.ok(session(readFileSync(file, 'utf8'), 'px').token);
});

test('init driven by flags: keys checked, a device created and enabled, the first session written', { skip }, async () => {
  const u = await createUser(moto.endpoint, { withDevice: false });
  const d = folder('init');
  const e = { AWS_SHARED_CREDENTIALS_FILE: `${d.win}\\credentials`, AWS_CONFIG_FILE: `${d.win}\\config` };
  await moto.resetRecording();
  const r = await runExe(
    ['init', '--profile', 'fresh', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--show-secret', '--code1', '123456', '--code2', '654321', '--token', '123456'],
    { env: e, input: `${u.secretAccessKey}\n` },
  );
  ok(r);
  const actions = await moto.actions();
  for (const a of ['GetCallerIdentity', 'CreateVirtualMFADevice', 'EnableMFADevice', 'GetSessionToken']) assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`);
  assert.match(r.stdout, /[A-Z2-7]{32,}/, 'the seed, asked for with --show-secret');
  const doc = IniDocument.parse(readFileSync(join(d.dir, 'credentials'), 'utf8'));
  assert.equal(doc.get('fresh-long-term', 'aws_access_key_id'), u.accessKeyId);
  assert.equal(doc.get('fresh-long-term', 'aws_secret_access_key'), u.secretAccessKey);
  assert.match(doc.get('fresh-long-term', 'aws_mfa_device') ?? '', new RegExp(`^arn:aws:iam::\\d{12}:mfa/`));
  assert.ok(doc.get('fresh', 'aws_session_token'));
  assert.ok(!r.stderr.includes(u.secretAccessKey), 'the secret is not echoed');
});

test('setup-credential-process writes the .exe path quoted; the line, split as botocore does on Windows, runs', { skip }, async () => {
  const p = withSession('cp');
  // where an installer would put it: a path with a space
  const dir = join(wine.prefix, 'drive_c', 'Program Files', 'aws-mfa');
  mkdirSync(dir, { recursive: true });
  place(exe, join(dir, 'aws-mfa.exe'));
  const r = await wine.run('C:\\Program Files\\aws-mfa\\aws-mfa.exe', ['setup-credential-process', '--profile', 'cp'], { env: env(p.env) });
  ok(r);
  const line = IniDocument.parse(readFileSync(join(p.dir, 'config'), 'utf8')).get('profile cp-auto', 'credential_process')!;
  assert.equal(line, '"C:\\Program Files\\aws-mfa\\aws-mfa.exe" credential-process --profile cp');
  // no terminal for credential-process on Windows: the dialog, or a run in a console, is said instead
  // (no region here: the warning names the command that sets one, and the Windows line still comes)
  assert.match(r.stderr, /no region is set for \[cp-long-term\].*aws configure set region us-east-1 --profile cp-auto/);
  assert.match(r.stderr, /On Windows a code that is due is asked in a small Windows dialog, or run "aws-mfa --profile cp" in a console/);
  assert.doesNotMatch(r.stderr, /asked on your terminal/);
  const split = spawnSync(awsPython(), ['-c', 'import json,sys; from botocore.compat import compat_shell_split; print(json.dumps(compat_shell_split(sys.argv[1], "win32")))', line], { encoding: 'utf8' });
  assert.equal(split.status, 0, split.stderr);
  const [program, ...args] = JSON.parse(split.stdout) as string[];
  const run = await wine.run(program!, args, { env: env(p.env) });
  ok(run);
  const json = JSON.parse(run.stdout);
  assert.equal(json.Version, 1);
  assert.equal(json.AccessKeyId, p.s.key);
  assert.equal(json.SessionToken, p.s.token);
});
