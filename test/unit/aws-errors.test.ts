/**
 * Pins how src/core/aws-errors.ts words the failures new users met: NoSuchEntity names the device when
 * the call had one, else the user, each with the device list command that works for the profile; a
 * refused connection names the endpoint it tried. Pure: failure data in, message out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainFailure, type AwsFailureInfo } from '../../src/core/aws-errors.js';
import { EXIT } from '../../src/errors.js';

const now = new Date('2026-01-01T00:00:00Z');
const base = { longTerm: 'work-long-term', region: 'ap-northeast-1', now };
const noSuch = (operation: string): AwsFailureInfo => ({
  kind: 'service',
  code: 'NoSuchEntity',
  message: 'The user with name bob cannot be found.',
  operation,
});

test('NoSuchEntity: the device when the call named one, else the user; the list command carries the profile', () => {
  const command = 'aws-mfa device list --profile work';
  const user = explainFailure(noSuch('ListMFADevices'), { ...base, devicesCommand: command });
  assert.equal(user.exitCode, EXIT.AWS);
  assert.equal(
    user.message,
    'ListMFADevices: The user with name bob cannot be found; check the IAM user name given with --user (the devices ' +
      'of the user whose key is in [work-long-term]: aws-mfa device list --profile work)',
  );
  const device = explainFailure(noSuch('DeactivateMFADevice'), { ...base, device: 'GAHT1', devicesCommand: command });
  assert.match(device.message, /; check the MFA device GAHT1 \(your devices: aws-mfa device list --profile work\)$/);
  assert.match(explainFailure(noSuch('ListMFADevices'), base).message, /: aws-mfa device list\)$/);
});

test('a refused connection names the endpoint when it is known, and is a network failure (exit 5)', () => {
  const f: AwsFailureInfo = { kind: 'network', code: 'ECONNREFUSED', message: '', operation: 'GetSessionToken' };
  const at = explainFailure({ ...f, host: 'http://127.0.0.1:9' }, base);
  assert.equal(at.exitCode, EXIT.NETWORK);
  assert.match(at.message, /^cannot reach AWS for GetSessionToken at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  assert.equal(explainFailure(f, base).message, 'cannot reach AWS for GetSessionToken (ECONNREFUSED); check your network, proxy and --region');
});
