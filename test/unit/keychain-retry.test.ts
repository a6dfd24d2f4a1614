/**
 * A Secret Service that went away while answering (gnome-keyring's abort, restarted by the bus)
 * gets the operation again, after a pause each time (the new daemon may still be starting); any
 * other failure is thrown at once, and a daemon gone on every try fails after the last pause.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { againIfGone, RETRY_PAUSES_MS } from '../../src/io/keychain.js';

// the text the add-on gives when the daemon dies mid-call (seen in CI, stops 21 and 28)
const gone = () =>
  new Error('Platform failure: DBus error: Message recipient disconnected from message bus without replying');

test('the pauses before each try again: a quarter second, then a second', () => {
  assert.deepEqual([...RETRY_PAUSES_MS], [250, 1000]);
});

test('the daemon went away, and again at its restart: the operation is made again after each pause', async () => {
  let calls = 0;
  const paused: number[] = [];
  const r = await againIfGone(
    () => {
      calls++;
      if (calls <= 2) throw gone();
      return 'secret';
    },
    async (ms) => void paused.push(ms),
  );
  assert.equal(r, 'secret');
  assert.equal(calls, 3);
  assert.deepEqual(paused, [250, 1000]);
});

test('gone on every try: the last failure is thrown after the last pause (three tries in all)', async () => {
  let calls = 0;
  const paused: number[] = [];
  await assert.rejects(
    againIfGone(
      () => {
        calls++;
        throw gone();
      },
      async (ms) => void paused.push(ms),
    ),
    /disconnected from message bus/,
  );
  assert.equal(calls, 3);
  assert.deepEqual(paused, [250, 1000]);
});

test('the real pause is a pause: a try after a quarter second', async () => {
  let calls = 0;
  const start = Date.now();
  const r = await againIfGone(() => {
    calls++;
    if (calls === 1) throw gone();
    return 'secret';
  });
  assert.equal(r, 'secret');
  assert.ok(Date.now() - start >= 240, `tried again after ${Date.now() - start} ms`);
});

test('any other failure (a locked keyring, no Secret Service) is thrown at once, with no pause', async () => {
  for (const text of [
    'Platform failure: locked',
    'ServiceUnknown: org.freedesktop.secrets',
    'Did not receive a reply',
  ]) {
    let calls = 0;
    const paused: number[] = [];
    await assert.rejects(
      againIfGone(
        () => {
          calls++;
          throw new Error(text);
        },
        async (ms) => void paused.push(ms),
      ),
      (e: Error) => e.message === text,
    );
    assert.equal(calls, 1, text);
    assert.deepEqual(paused, [], text);
  }
});

test('an operation that answers later (a promise) is retried too, each try starting anew (a fresh entry: the dead daemon took its session)', async () => {
  let calls = 0;
  const r = await againIfGone(
    async () => {
      calls++;
      if (calls === 1) throw gone();
      return 'secret';
    },
    async () => {},
  );
  assert.equal(r, 'secret');
  assert.equal(calls, 2);
});
