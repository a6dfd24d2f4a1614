/**
 * The container credentials endpoint's defaults and refusals, on the source (the e2e test,
 * test/e2e/ecs-server.test.ts, drives the built bundle with real clients): --port's default and
 * range, the loopback address and path, a token fresh for each server, what is refused before the
 * session is asked for, and one answer for callers that ask at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { endpointPort } from '../../src/service/credentials-endpoint.js';
import { startEndpoint, ENDPOINT_HOST, ENDPOINT_PATH, type Refusal } from '../../src/io/credentials-server.js';

/** Send `text` as it is and read the answer until the server closes or 1 s passes. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (d) => (got += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.setTimeout(1000, () => socket.end());
  });
}

test('--port: absent is 0 (the OS chooses); 1-65535 only', () => {
  assert.equal(endpointPort(undefined), 0);
  assert.equal(endpointPort('9911'), 9911);
  for (const bad of ['0', '65536', '-1', 'x', '', '80a', '123456']) {
    assert.throws(() => endpointPort(bad), /--port must be a port number from 1 to 65535/, bad);
  }
});

test('the endpoint: 127.0.0.1, one path, a new token each time; refused requests never reach the session', async () => {
  assert.equal(ENDPOINT_HOST, '127.0.0.1');
  assert.equal(ENDPOINT_PATH, '/aws-mfa/credentials');
  let asked = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const refusals: Refusal[] = [];
  const parts = {
    port: 0,
    answer: async () => {
      asked++;
      await gate;
      return '{"AccessKeyId":"A"}';
    },
    refused: (why: Refusal) => refusals.push(why),
    failed: () => {},
  };
  const a = await startEndpoint(parts);
  const b = await startEndpoint(parts);
  try {
    assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+\/aws-mfa\/credentials$/);
    assert.notEqual(a.token, b.token);
    assert.notEqual(a.port, b.port);
    const status = async (init: RequestInit, url = a.url) => (await fetch(url, init)).status;
    assert.equal(await status({}), 401);
    assert.equal(await status({ headers: { Authorization: b.token } }), 403);
    assert.equal(await status({ headers: { Authorization: `${a.token}x` } }), 403);
    assert.equal(await status({ method: 'POST', headers: { Authorization: a.token } }), 405);
    assert.equal(await status({ headers: { Authorization: a.token } }, a.url.replace(ENDPOINT_PATH, '/')), 404);
    assert.equal(await status({ headers: { Authorization: a.token } }, `${a.url}/more`), 404);
    // a request line no URL parser takes is still one answer, and the server stays up
    const raw = await rawRequest(a.port, `GET http://[ HTTP/1.1\r\nHost: x\r\nAuthorization: ${a.token}\r\n\r\n`);
    assert.match(raw, /^HTTP\/1\.1 404 /);
    assert.deepEqual(refusals, ['noToken', 'wrongToken', 'wrongToken', 'method', 'path', 'path', 'path']);
    assert.equal(asked, 0);
    const ask = () => fetch(a.url, { headers: { Authorization: a.token } }).then((r) => r.json());
    const three = Promise.all([ask(), ask(), ask()]);
    // the three reach the server (this process) while the first is held: 1 s, as a loaded machine
    // starved this process for more than the 100 ms once given
    await new Promise((r) => setTimeout(r, 1000));
    release();
    assert.deepEqual(await three, [{ AccessKeyId: 'A' }, { AccessKeyId: 'A' }, { AccessKeyId: 'A' }]);
    assert.equal(asked, 1, 'callers that ask at once share one answer');
  } finally {
    await a.close();
    await b.close();
  }
});

test('a port in use: one error with exit code 3, nothing listening', async () => {
  const a = await startEndpoint({ port: 0, answer: async () => '', refused: () => {}, failed: () => {} });
  try {
    const second = startEndpoint({ port: a.port, answer: async () => '', refused: () => {}, failed: () => {} });
    await assert.rejects(second, (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 3);
      assert.match(e.message, new RegExp(`port ${a.port} on 127.0.0.1 is in use`));
      return true;
    });
  } finally {
    await a.close();
  }
});
