/**
 * Corporate networks: a real authenticating proxy (tinyproxy), TLS with a CA of the test's own
 * (made with openssl), CONNECT tunnels, NO_PROXY, and faults (dropped connections, throttling,
 * silence) from a relay in front of moto_server. Everything on loopback; everything stopped after
 * the file. Without tinyproxy or openssl (Debian packages) the tests that need them are skipped,
 * saying how to install them; under CI=true that is a failure.
 */
import { test, before, after } from 'node:test';
import { createServer, type AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { startTinyproxy, startTlsFront, startFaultRelay, type Proxy, type Tls, type Relay } from '../helpers/net.js';
import { needTool } from '../helpers/tools.js';
import { IniDocument } from '../../src/ini/document.js';

const noProxy = needTool('tinyproxy', 'tinyproxy');
const noOpenssl = needTool('openssl', 'openssl');
const noProxyOrOpenssl = noProxy || noOpenssl;

const emu = useMoto();
let user: OnboardedUser;
let proxy: Proxy;
let tls: Tls;
let relay: Relay;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
  if (!noProxy) proxy = await startTinyproxy();
  if (!noOpenssl) tls = await startTlsFront(emu.moto.endpoint);
  relay = await startFaultRelay(emu.moto.endpoint);
});
after(async () => {
  await proxy?.stop();
  await tls?.stop();
  await relay?.stop();
});

function home(env: Record<string, string>): Home {
  const h = makeHome(env);
  writeLongTerm(h, 'net', user);
  return h;
}

const proxyUrl = (user: string, password: string) => `http://${user}:${password}@127.0.0.1:${proxy.port}`;
const motoPort = () => new URL(emu.moto.endpoint).port;
const ok = (h: Home) => assert.ok(IniDocument.parse(h.read()).get('net', 'aws_session_token'), 'the session was written');

test('through an authenticating proxy (password percent-encoded in the URL): works, and the proxy saw it', { skip: noProxy }, async () => {
  // "s%33cret" is "s3cret": the password is percent-decoded, as the AWS CLI does
  const h = home({ AWS_ENDPOINT_URL: emu.moto.endpoint, HTTP_PROXY: proxyUrl(proxy.user, 's%33cret') });
  const before = proxy.log();
  const r = await runCli(['--profile', 'net', '--token', '123456', '--log-level', 'DEBUG'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  ok(h);
  const seen = proxy.log().slice(before.length);
  assert.match(seen, new RegExp(`Request \\(file descriptor \\d+\\): POST http://127\\.0\\.0\\.1:${motoPort()}/`));
  assert.match(r.stderr, new RegExp(`through the proxy http://\\*\\*\\*@127\\.0\\.0\\.1:${proxy.port}`), 'DEBUG names the proxy with the user and password hidden');
  assert.ok(!r.stderr.includes('s%33cret') && !r.stderr.includes('s3cret') && !r.stderr.includes('alice'), 'the user and password never appear');
});

test('proxy credentials missing (407) or wrong (401): a clear message, exit 5, nothing written', { skip: noProxy }, async () => {
  for (const [url, status] of [[`http://127.0.0.1:${proxy.port}`, 407], [proxyUrl(proxy.user, 'wrong-password'), 401]] as const) {
    const h = home({ AWS_ENDPOINT_URL: emu.moto.endpoint, HTTP_PROXY: url, AWS_MFA_RETRY_BASE_MS: '5' });
    const before = h.read();
    const r = await runCli(['--profile', 'net', '--token', '123456'], { env: h.env });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, new RegExp(`the proxy rejected the proxy credentials \\(HTTP ${status}\\); check the user name and password in HTTPS_PROXY / HTTP_PROXY`));
    assert.ok(!r.stderr.includes('wrong-password'));
    assert.equal(h.read(), before);
  }
});

test('a proxy that is not running (the connection refused): the message names the proxy, not the AWS endpoint; exit 5, nothing written', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const h = home({ AWS_ENDPOINT_URL: emu.moto.endpoint, HTTP_PROXY: `http://suzuki:p%40ss@127.0.0.1:${closed}`, AWS_MFA_RETRY_BASE_MS: '5' });
  const before = h.read();
  const r = await runCli(['--profile', 'net', '--token', '123456'], { env: h.env });
  assert.equal(r.code, 5, r.stderr);
  const proxyShown = `http://\\*\\*\\*@127\\.0\\.0\\.1:${closed}`;
  assert.match(r.stderr, new RegExp(`^aws-mfa: error: cannot reach AWS for GetSessionToken through the proxy ${proxyShown} \\(ECONNREFUSED\\); check that the proxy runs`, 'm'));
  assert.doesNotMatch(r.stderr, new RegExp(motoPort()), 'the AWS endpoint is not blamed');
  assert.ok(!r.stderr.includes('suzuki') && !r.stderr.includes('p%40ss'), 'the proxy user and password never appear');
  assert.equal(h.read(), before);
});

test('NO_PROXY bypasses the proxy (host and host:port forms)', { skip: noProxy }, async () => {
  for (const noProxy of ['127.0.0.1', `localhost,127.0.0.1:${motoPort()}`, '*']) {
    const h = home({ AWS_ENDPOINT_URL: emu.moto.endpoint, HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: noProxy });
    const before = proxy.log();
    const r = await runCli(['--profile', 'net', '--token', '123456'], { env: h.env });
    assert.equal(r.code, 0, `${noProxy}: ${r.stderr}`);
    assert.equal(proxy.log().slice(before.length), '', `${noProxy}: the proxy saw nothing`);
  }
});

test('HTTPS with a private CA: works with AWS_CA_BUNDLE, fails with the CA message without it', { skip: noOpenssl }, async () => {
  const good = home({ AWS_ENDPOINT_URL: tls.endpoint, AWS_CA_BUNDLE: tls.caFile });
  const r = await runCli(['--profile', 'net', '--token', '123456'], { env: good.env });
  assert.equal(r.code, 0, r.stderr);
  ok(good);
  const bad = home({ AWS_ENDPOINT_URL: tls.endpoint });
  const before = bad.read();
  const r2 = await runCli(['--profile', 'net', '--token', '123456'], { env: bad.env });
  assert.equal(r2.code, 5, r2.stderr);
  assert.match(r2.stderr, /TLS to AWS failed for GetSessionToken \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\); if your network inspects TLS with its own CA, set AWS_CA_BUNDLE/);
  assert.equal(bad.read(), before);
  // a bundle that is not there is a setting (exit 3), found before the code is asked for (a code is spent once)
  const missing = home({ AWS_ENDPOINT_URL: tls.endpoint, AWS_CA_BUNDLE: '/nonexistent/ca.pem' });
  for (const args of [['--token', '123456'], ['--force']]) {
    const r3 = await runCli(['--profile', 'net', ...args], { env: missing.env, input: '' });
    assert.equal(r3.code, 3, r3.stderr);
    assert.match(r3.stderr, /cannot read the CA bundle \/nonexistent\/ca\.pem \(from AWS_CA_BUNDLE\): ENOENT; point it at a PEM file/);
    assert.doesNotMatch(r3.stderr, /MFA code/, 'no code was asked for');
  }
});

test('ca_bundle in the profile is honoured, and HTTPS goes through the proxy by CONNECT', { skip: noProxyOrOpenssl }, async () => {
  const h = home({ AWS_ENDPOINT_URL: tls.endpoint, HTTPS_PROXY: proxyUrl(proxy.user, proxy.password) });
  h.write(`[profile net]\nca_bundle = ${tls.caFile}\n`, h.config);
  const before = proxy.log();
  const r = await runCli(['--profile', 'net', '--token', '123456'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  ok(h);
  assert.match(proxy.log().slice(before.length), new RegExp(`CONNECT 127\\.0\\.0\\.1:${new URL(tls.endpoint).port}`));
});

test('a dropped connection and a throttling answer are retried, and the session is obtained', async () => {
  for (const fault of ['drop', 'throttle'] as const) {
    const h = home({ AWS_ENDPOINT_URL: relay.endpoint, AWS_MFA_RETRY_BASE_MS: '5' });
    relay.script(fault);
    const r = await runCli(['--profile', 'net', '--token', '123456'], { env: h.env });
    assert.equal(r.code, 0, `${fault}: ${r.stderr}`);
    assert.equal(relay.requests, 2, `${fault}: one failed attempt, one good`);
    ok(h);
  }
});

test('a server that never answers fails within the read timeout, with a clear message and nothing written', async () => {
  const h = home({ AWS_ENDPOINT_URL: relay.endpoint, AWS_MFA_RETRY_BASE_MS: '5' });
  const before = h.read();
  relay.script('hang', 'hang', 'hang', 'hang');
  const t0 = Date.now();
  const r = await runCli(['--profile', 'net', '--token', '123456', '--read-timeout', '1'], { env: h.env });
  const took = Date.now() - t0;
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, /AWS did not answer GetSessionToken within the read timeout; check the network and proxy, or raise --read-timeout/);
  assert.ok(took < 15_000, `gave up in ${took} ms`);
  assert.equal(h.read(), before);
});

test('bad timeout values are usage errors', async () => {
  const h = home({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const r = await runCli(['--profile', 'net', '--token', '123456', '--read-timeout', 'soon'], { env: h.env });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--read-timeout must be a positive number of seconds, not "soon"/);
});
