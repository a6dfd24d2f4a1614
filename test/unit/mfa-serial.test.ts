/**
 * STS's rule for an MFA SerialNumber, pinned (src/core/mfa-serial.ts): virtual device ARNs, hardware
 * token serials of 9-256 characters of [\w+=/:,.@-], u2f ARNs refused, mistyped ARNs not taken for serials.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mfaSerialKind, usableWithSts } from '../../src/core/mfa-serial.js';

test('virtual, hardware, u2f and invalid serials by STS\'s rule', () => {
  const cases: Array<[string, string]> = [
    ['arn:aws:iam::123456789012:mfa/suzuki', 'virtual'],
    ['arn:aws-cn:iam::123456789012:mfa/path/suzuki', 'virtual'],
    ['GAHT12345678', 'hardware'],
    ['123456789', 'hardware'],
    ['A'.repeat(256), 'hardware'],
    ['x+=/:,.@-_9', 'hardware'],
    ['arn:aws:iam::123456789012:u2f/user/suzuki/key-ABC', 'u2f'],
    ['GAHT1234', 'invalid'],
    ['A'.repeat(257), 'invalid'],
    ['GAHT 12345678', 'invalid'],
    ['ＧＡＨＴ12345678', 'invalid'],
    ['arn:aws:iam::123456789012:user/suzuki', 'invalid'],
    ['arn:aws:iam::12345:mfa/suzuki', 'invalid'],
  ];
  for (const [serial, kind] of cases) assert.equal(mfaSerialKind(serial), kind, serial);
  assert.deepEqual(cases.filter(([s]) => usableWithSts(s)).map(([, k]) => k).sort(), ['hardware', 'hardware', 'hardware', 'hardware', 'virtual', 'virtual']);
});
