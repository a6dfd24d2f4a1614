/** Proxy choice with the AWS CLI's (urllib's) NO_PROXY rules, settings precedence, redaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyFor, bypassesProxy, redactUrl, netSettings, unencodedProxyUser, setVariableLine, proxyVariable } from '../../src/core/network.js';

test('the target scheme picks the variable; lowercase wins; a proxy without scheme is http', () => {
  const net = netSettings({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'proxy.corp:8080' }, new Map());
  assert.equal(proxyFor(new URL('https://sts.us-east-1.amazonaws.com/'), net), 'http://lower:3128');
  assert.equal(proxyFor(new URL('http://127.0.0.1:5000/'), net), 'http://proxy.corp:8080');
  assert.equal(proxyFor(new URL('https://x/'), netSettings({ HTTP_PROXY: 'http://p:1' }, new Map())), undefined, 'no fallback from https to HTTP_PROXY');
});

test('NO_PROXY as urllib reads it', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['sts.amazonaws.com', '443', 'amazonaws.com', true],
    ['sts.amazonaws.com', '443', '.amazonaws.com', true],
    ['amazonaws.com', '443', '.amazonaws.com', true],
    ['notamazonaws.com', '443', 'amazonaws.com', false],
    ['STS.AmazonAWS.com', '443', 'amazonaws.com', true],
    ['127.0.0.1', '5000', '127.0.0.1', true],
    ['127.0.0.1', '5000', '127.0.0.1:5000', true],
    ['127.0.0.1', '5001', '127.0.0.1:5000', false],
    ['anything', '1', '*', true],
    ['a.b', '1', ' x , , a.b ', true],
    ['a.b', '1', '', false],
  ];
  for (const [host, port, no, want] of cases) assert.equal(bypassesProxy(host, port, no), want, `${host}:${port} vs "${no}"`);
});

test('log lines never show anything between :// and the last @ (user, password, token), however it is written', () => {
  const cases: Array<[string, string]> = [
    ['http://alice:s3cret@proxy:8080', 'http://***@proxy:8080'],
    ['http://proxy:8080', 'http://proxy:8080'],
    ['http://proxy:8080/', 'http://proxy:8080'],
    ['http://TOKEN123secret@proxy:3128', 'http://***@proxy:3128'], // a token as the user part
    ['http://alice:pa/ss@proxy:3128', 'http://***@proxy:3128'], // unencoded "/": no URL parser gets it right
    ['http://alice:p@ss@proxy:3128', 'http://***@proxy:3128'], // unencoded "@": the last one ends it
    ['http://alice:pa#ss@proxy:3128', 'http://***@proxy:3128'], // unencoded "#"
    ['http://alice:p?a/s#s@w@proxy:3128/', 'http://***@proxy:3128'],
    ['https://alice:s%40cret@proxy.corp:443', 'https://***@proxy.corp:443'],
    ['alice:s3cret@proxy:8080', '***@proxy:8080'], // no scheme
  ];
  for (const [url, want] of cases) {
    const shown = redactUrl(url);
    assert.equal(shown, want, url);
    for (const secret of ['alice', 's3cret', 'TOKEN123secret', 'pa/ss', 'p@ss', 'pa#ss', 's%40cret']) {
      if (url.includes(secret)) assert.ok(!shown.includes(secret), `${url}: ${secret} is not shown`);
    }
  }
});

test('timeouts, retries and the CA bundle: flags, then the profile, then defaults', () => {
  const profile = new Map([['cli_read_timeout', '7'], ['cli_connect_timeout', '3'], ['ca_bundle', '/p/ca.pem'], ['max_attempts', '5'], ['retry_mode', 'adaptive']]);
  const a = netSettings({}, profile);
  assert.deepEqual([a.readTimeoutMs, a.connectTimeoutMs, a.caBundle?.path, a.maxAttempts, a.retryMode], [7000, 3000, '/p/ca.pem', 5, 'adaptive']);
  const b = netSettings({ AWS_CA_BUNDLE: '/e/ca.pem', AWS_MAX_ATTEMPTS: '2', AWS_RETRY_MODE: 'legacy' }, profile, { readTimeout: '1.5' });
  assert.deepEqual([b.readTimeoutMs, b.caBundle, b.maxAttempts, b.retryMode], [1500, { path: '/e/ca.pem', source: 'AWS_CA_BUNDLE' }, 2, 'legacy']);
  const c = netSettings({}, new Map());
  assert.deepEqual([c.readTimeoutMs, c.connectTimeoutMs, c.caBundle, c.maxAttempts, c.retryMode], [30000, 10000, undefined, 3, 'standard']);
});

test('a proxy URL cut short by "/", "?" or "#" in its user part: the line that sets it, user encoded, password left out', () => {
  const url = 'http://suzuki:p@ss#word@proxy.example.co.jp:8080';
  const fixed = unencodedProxyUser(url)!;
  assert.equal(fixed, 'http://suzuki:PASSWORD@proxy.example.co.jp:8080');
  assert.equal(setVariableLine('HTTPS_PROXY', fixed, 'windows'), 'set HTTPS_PROXY=http://suzuki:PASSWORD@proxy.example.co.jp:8080');
  assert.equal(setVariableLine('HTTPS_PROXY', fixed, 'linux'), "export HTTPS_PROXY='http://suzuki:PASSWORD@proxy.example.co.jp:8080'");
  assert.equal(unencodedProxyUser('http://DOMAIN/yamada:x@proxy:8080'), 'http://DOMAIN%2Fyamada:PASSWORD@proxy:8080');
  assert.equal(unencodedProxyUser('http://tok/en@proxy:8080'), 'http://USER@proxy:8080', 'a bare token is left out');
  assert.equal(unencodedProxyUser('http://alice:p%40ss%23word@proxy:8080'), undefined, 'encoded is fine');
  assert.equal(unencodedProxyUser('http://proxy:8080/'), undefined);
  assert.equal(proxyVariable({ https_proxy: 'x', HTTPS_PROXY: 'y' }, 'https_proxy'), 'https_proxy');
  assert.equal(proxyVariable({ HTTPS_PROXY: 'y' }, 'https_proxy'), 'HTTPS_PROXY');
});

test("the proxy variable is named as the user set it, on Windows too, whose environment ignores case", () => {
  // Node's process.env on Windows: any spelling reads the variable; the keys keep the spelling it was set with
  const windowsEnv = (set: Record<string, string>) =>
    new Proxy(set, {
      get: (target, key) => (typeof key === 'string' ? Object.entries(target).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] : undefined),
    });
  const cmd = windowsEnv({ HTTPS_PROXY: 'http://suzuki:p@ss#word@proxy.example.co.jp:8080', Path: 'C:\\Windows' });
  assert.equal(cmd.https_proxy, cmd.HTTPS_PROXY, 'the stand-in reads any spelling, as Windows does');
  assert.equal(proxyVariable(cmd, 'https_proxy'), 'HTTPS_PROXY');
  assert.equal(proxyVariable(windowsEnv({ Http_Proxy: 'http://p:8080' }), 'http_proxy'), 'Http_Proxy');
  assert.equal(proxyVariable(windowsEnv({ https_proxy: 'http://p:8080' }), 'https_proxy'), 'https_proxy');
  assert.equal(proxyVariable({ HTTPS_PROXY: '  ' }, 'https_proxy'), 'HTTPS_PROXY', 'nothing set: the usual spelling');
});
