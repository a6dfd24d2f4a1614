/**
 * A Secret Service that went away while answering (gnome-keyring's abort, restarted by the bus)
 * gets the operation once more; any other failure, and a second disappearance, are not retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onceMoreIfGone } from '../../src/io/keychain.js';

// the text the add-on gives when the daemon dies mid-call (seen in CI, stop 21)
const gone = () => new Error('Platform failure: DBus error: Message recipient disconnected from message bus without replying');

test('the daemon went away once: the operation is made again and its answer given', () => {
  let calls = 0;
  const r = onceMoreIfGone(() => {
    calls++;
    if (calls === 1) throw gone();
    return 'secret';
  });
  assert.equal(r, 'secret');
  assert.equal(calls, 2);
});

test('gone twice: the second failure is thrown (no third try)', () => {
  let calls = 0;
  assert.throws(() => onceMoreIfGone(() => {
    calls++;
    throw gone();
  }), /disconnected from message bus/);
  assert.equal(calls, 2);
});

test('any other failure (a locked keyring, no Secret Service) is thrown at once', () => {
  for (const text of ['Platform failure: locked', 'ServiceUnknown: org.freedesktop.secrets', 'Did not receive a reply']) {
    let calls = 0;
    assert.throws(() => onceMoreIfGone(() => {
      calls++;
      throw new Error(text);
    }), (e: Error) => e.message === text);
    assert.equal(calls, 1, text);
  }
});
