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
import { startHostile, startHostileProxy, trickle, endless, credentialsAnswer, watchRss, type Hostile } from '../helpers/hostile.js';
import { startFakeSts } from '../helpers/fake-sts.js';

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
  return { ...r, took: Date.now() - started, peakKb: rss.peakKb() };
}

test('a body trickled a byte a second ends at --read-timeout: exit 5, a clear message, nothing written', async () => {
  const s = await server(trickle);
  const h = home(s.endpoint);
  const r = await runWatched(session(['--read-timeout', '2']), h.env);
  const took = r.took;
  assert.equal(r.code, 5, `exit ${r.code} after ${took} ms: ${r.stderr}`);
  assert.match(r.stderr, /AWS did not answer GetSessionToken within the read timeout; check the network and proxy, or raise --read-timeout/);
  assert.ok(took < 2000 + 4000, `ended ${took} ms after start, with --read-timeout 2`);
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
  assert.ok(took < 5000, `ended after ${took} ms`);
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
    assert.ok(r.took < 6000, `${mode}: ended after ${r.took} ms`);
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
    assert.ok(took < 6000, `${name}: ended after ${took} ms`);
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
