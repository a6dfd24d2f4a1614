/**
 * What aws-mfa prints from values it did not make: sessions read back from the credentials file
 * with shell metacharacters or escape bytes in them (export must quote them for the shell that
 * reads the lines, or refuse), file values on the terminal (status, error lines), and the console
 * sign-in link, which must never be in a child's argv. No AWS: cached sessions and a loopback
 * federation stand-in.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHome, runCli, runProcess, BIN, type Home } from '../helpers/cli.js';

const LONG_TERM = '[w-long-term]\naws_access_key_id = AKIASAFEOUTPUT000000\naws_secret_access_key = long-term-secret\naws_mfa_device = arn:aws:iam::123456789012:mfa/w\n';
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const cached = (token: string, extra = '') =>
  `${LONG_TERM}\n[w]\naws_access_key_id = ASIACACHED0000000000\naws_secret_access_key = cachedSecret/+=\naws_session_token = ${token}\nexpiration = ${inAnHour()}\n${extra}`;

const scratch = mkdtempSync(join(tmpdir(), 'aws-mfa-safe-output-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function homeWith(text: string, env: Record<string, string> = {}): Home {
  const h = makeHome(env);
  h.write(text);
  return h;
}

test('export: a cached token with quotes, $( ) and backticks is quoted for the shell asked for, and runs nothing', async () => {
  const marker = join(scratch, 'ran');
  const token = `tok'"$(touch ${marker})\`touch ${marker}\`$HOME{a,b}*`;
  const h = homeWith(cached(token));
  for (const [format, shell, script] of [
    ['sh', 'sh', (f: string) => `. '${f}'; printf '%s' "$AWS_SESSION_TOKEN"`],
    ['dotenv', 'sh', (f: string) => `set -a; . '${f}'; set +a; printf '%s' "$AWS_SESSION_TOKEN"`],
    ['fish', 'fish', (f: string) => `source '${f}'; printf '%s' "$AWS_SESSION_TOKEN"`],
  ] as const) {
    const r = await runCli(['export', '--profile', 'w', '--format', format], { env: h.env });
    if (format === 'dotenv') {
      // a ' cannot be written so that sh and dotenv readers agree: refused, with the way out
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /the value of AWS_SESSION_TOKEN holds "'", which dotenv readers and sh read differently; use --format sh or json/);
      continue;
    }
    assert.equal(r.code, 0, `${format}: ${r.stderr}`);
    if (shell === 'fish' && spawnSync('sh', ['-c', 'command -v fish']).status !== 0) continue;
    const file = join(scratch, `out.${format}`);
    writeFileSync(file, r.stdout);
    const read = spawnSync(shell, ['-c', script(file)], { encoding: 'utf8' });
    assert.equal(read.stdout, token, `${format} read back by ${shell}: ${read.stderr}`);
  }
  assert.ok(!existsSync(marker), 'nothing in the value ran');
});

test('export --format dotenv: backticks and $( ) stay inert when sourced by sh with set -a', async () => {
  const marker = join(scratch, 'dotenv-ran');
  const token = `tok\`touch ${marker}\`$(touch ${marker})`;
  const h = homeWith(cached(token));
  const r = await runCli(['export', '--profile', 'w', '--format', 'dotenv'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  const file = join(scratch, 'session.env');
  writeFileSync(file, r.stdout);
  const read = spawnSync('sh', ['-c', `set -a; . '${file}'; set +a; printf '%s' "$AWS_SESSION_TOKEN"`], { encoding: 'utf8' });
  assert.equal(read.stdout, token, read.stderr);
  assert.ok(!existsSync(marker), 'the backticks did not run');
});

test('export without --format: POSIX sh even when $SHELL is fish; a value not every shell reads alike needs --format', async () => {
  const h = homeWith(cached('plainToken+/='), { SHELL: '/usr/bin/fish' });
  const r = await runCli(['export', '--profile', 'w'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^export AWS_ACCESS_KEY_ID='ASIACACHED0000000000'\n/, 'sh, not fish: $SHELL is the login shell, not the one reading');
  const odd = homeWith(cached("tok'en"), { SHELL: '/bin/bash' });
  const refused = await runCli(['export', '--profile', 'w'], { env: odd.env });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /the value of AWS_SESSION_TOKEN holds "'", which shells quote differently, and no --format was given; name the shell that reads the lines: --format sh/);
  assert.equal(refused.stdout, '');
});

test('export run by fish itself (its parent) writes fish', async (t) => {
  if (spawnSync('sh', ['-c', 'command -v fish']).status !== 0) return t.skip('fish is not installed here');
  const h = homeWith(cached('plainToken+/='), { SHELL: '/bin/bash' });
  const r = await runProcess('fish', ['-c', `'${process.execPath}' '${BIN}' export --profile w; true`], { env: h.env });
  assert.match(r.stdout, /^set -gx AWS_ACCESS_KEY_ID 'ASIACACHED0000000000';\n/, r.stderr);
});

test('export: a cached value with an escape or a line-ending byte is refused by every shell format; JSON escapes it', async () => {
  const h = homeWith(cached('tok\x1b]52;c;ZXZpbA==\x07en'));
  for (const format of ['sh', 'fish', 'powershell', 'cmd', 'dotenv']) {
    const r = await runCli(['export', '--profile', 'w', '--format', format], { env: h.env });
    assert.equal(r.code, 2, `${format}: ${r.stderr}`);
    assert.match(r.stderr, /the value of AWS_SESSION_TOKEN holds a control character \(U\+001B\), which no shell format carries safely; print it with --format json/);
    assert.equal(r.stdout, '', `${format}: nothing printed`);
  }
  const json = await runCli(['export', '--profile', 'w', '--format', 'json'], { env: h.env });
  assert.equal(json.code, 0, json.stderr);
  assert.ok(!json.stdout.includes('\x1b'));
  assert.equal(JSON.parse(json.stdout).AWS_SESSION_TOKEN, 'tok\x1b]52;c;ZXZpbA==\x07en', 'the same value, escaped');
});

test('file values with escape bytes reach the terminal escaped: status (stdout) and error lines (stderr)', async () => {
  const evil = 'arn:aws:iam::123456789012:mfa/x\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\u009b31m\u202eevil';
  const h = homeWith(`[w-long-term]\naws_access_key_id = AKIASAFEOUTPUT000000\naws_secret_access_key = s\naws_mfa_device = ${evil}\n`);
  const status = await runCli(['status'], { env: h.env });
  assert.equal(status.code, 0, status.stderr);
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/.test(status.stdout), JSON.stringify(status.stdout));
  assert.match(status.stdout, /arn:aws:iam::123456789012:mfa\/x\\x1b\]52;c;cm0gLXJmIH4K\\x07\\x1b\[2J\\x9b31m\\u202eevil/);
  const json = await runCli(['status', '--json'], { env: h.env });
  assert.equal(JSON.parse(json.stdout)[0].device, evil, '--json keeps the value exact');
  const r = await runCli(['--profile', 'w', '--token', '123456'], { env: h.env });
  assert.equal(r.code, 3, r.stderr);
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/.test(r.stderr), JSON.stringify(r.stderr));
  assert.match(r.stderr, /mfa\/x\\x1b\]52;c;cm0gLXJmIH4K\\x07\\x1b\[2J\\x9b31m\\u202eevil \(from aws_mfa_device in \[w-long-term\]\) is neither an MFA device ARN/);
});

let federation: Server;
let federationUrl = '';
const SIGNIN_TOKEN = 'SIGNIN-TOKEN-THAT-SIGNS-ANYONE-IN-0123456789';
before(async () => {
  federation = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: SIGNIN_TOKEN })));
  await new Promise<void>((r) => federation.listen(0, '127.0.0.1', r));
  federationUrl = `http://127.0.0.1:${(federation.address() as { port: number }).port}/federation`;
});
after(() => new Promise<void>((r) => federation.close(() => r())));

test('console: the sign-in link reaches the browser in a private redirecting file, never in argv; the file goes away', async () => {
  const role = 'arn:aws:iam::123456789012:role/r';
  const h = homeWith(cached('cachedToken', `assumed_role_arn = ${role}\n`));
  const out = join(h.dir, 'browser-saw');
  const browser = join(h.dir, 'browser.sh');
  // what the browser process sees: its argv (what ps shows), the page, and the file's and folder's modes
  writeFileSync(
    browser,
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}.argv'\ncat "$1" > '${out}.page'\nstat -c '%a' "$1" "$(dirname "$1")" | tr '\\n' ' ' > '${out}.modes'\nprintf '%s' "$1" > '${out}.path'\n`,
  );
  chmodSync(browser, 0o755);
  const r = await runCli(['console', '--profile', 'w', '--assume-role', role], { env: { ...h.env, AWS_MFA_FEDERATION_URL: federationUrl, BROWSER: browser, AWS_MFA_BROWSER_FILE_MS: '300' } });
  assert.equal(r.code, 0, r.stderr);
  const argv = readFileSync(`${out}.argv`, 'utf8');
  assert.ok(!argv.includes(SIGNIN_TOKEN) && !argv.includes('http'), `argv holds only a file path: ${argv}`);
  assert.match(argv.trim(), /^\/.*\/aws-mfa-[^/]+\/signin-[0-9a-f]{32}\.html$/);
  assert.equal(readFileSync(`${out}.modes`, 'utf8').trim(), '600 700', 'the file is 0600 in a 0700 folder');
  const page = readFileSync(`${out}.page`, 'utf8');
  const link = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(link, page);
  const url = new URL(link);
  assert.equal(`${url.origin}${url.pathname}`, federationUrl);
  assert.equal(url.searchParams.get('Action'), 'login');
  assert.equal(url.searchParams.get('SigninToken'), SIGNIN_TOKEN);
  const path = readFileSync(`${out}.path`, 'utf8');
  const deadline = Date.now() + 10_000;
  while (existsSync(path) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  assert.ok(!existsSync(path), 'the redirecting file is removed after the delay');
  assert.ok(!existsSync(join(path, '..')), 'and its folder');
  assert.equal(r.stdout, '', 'the link is not printed unless asked for');
});
