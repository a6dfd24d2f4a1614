/** What an STS answer must be before it is written: plain bounded values and an expiration ahead. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionAnswerProblem } from '../../src/core/sts-answer.js';

const now = new Date('2030-01-01T00:00:00Z');
const good = {
  accessKeyId: 'ASIAXAMPLE0000000000',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVz+/=',
  expiration: new Date('2030-01-01T01:00:00Z'),
};

test('a real-looking answer passes', () => {
  assert.equal(sessionAnswerProblem(good, 'GetSessionToken', now), undefined);
  assert.equal(sessionAnswerProblem({ ...good, sessionToken: 'x'.repeat(16 * 1024), assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/s@x.y' }, 'AssumeRole', now), undefined);
});

test('every implausible value is named (never shown), with what is wrong', () => {
  const cases: Array<[Partial<typeof good> & { assumedRoleArn?: string }, RegExp]> = [
    [{ sessionToken: 'abc\ndef' }, /GetSessionToken answered a SessionToken that cannot be a credential: it holds U\+000A/],
    [{ sessionToken: 'abc#def' }, /SessionToken .* holds "#"/],
    [{ secretAccessKey: 'abc;def' }, /SecretAccessKey .* holds ";"/],
    [{ secretAccessKey: 'abc def' }, /SecretAccessKey .* holds U\+0020/],
    [{ secretAccessKey: 'x'.repeat(129) }, /SecretAccessKey .* is 129 characters long, more than 128/],
    [{ sessionToken: 'x'.repeat(16 * 1024 + 1) }, /SessionToken .* is 16385 characters long/],
    [{ sessionToken: 'tok\x1b]52;c;eA==\x07' }, /holds U\+001B/],
    [{ sessionToken: 'é' }, /holds U\+00E9/],
    [{ accessKeyId: 'ASIA-SHORT' }, /AccessKeyId .* is not 16 to 128 letters, digits or "_"/],
    [{ accessKeyId: 'ASIA+XAMPLE000000000' }, /AccessKeyId .* is not 16 to 128/],
    [{ secretAccessKey: '' }, /SecretAccessKey .* is empty/],
    [{ assumedRoleArn: 'arn:aws:sts::1:assumed-role/r\n[default]' }, /AssumedRoleUser\.Arn .* holds U\+000A/],
  ];
  for (const [change, want] of cases) {
    const msg = sessionAnswerProblem({ ...good, ...change }, 'GetSessionToken', now);
    assert.match(msg ?? '', want, JSON.stringify(change));
    assert.match(msg!, /nothing was written/);
    for (const v of Object.values(change)) if (typeof v === 'string' && v.length > 2) assert.ok(!msg!.includes(v), 'the value is not shown');
  }
});

test('an expiration in the past, or none that parses, is refused', () => {
  assert.match(
    sessionAnswerProblem({ ...good, expiration: new Date('2029-12-31T23:59:00Z') }, 'AssumeRole', now)!,
    /AssumeRole answered a session that expired at 2029-12-31T23:59:00Z, before now \(2030-01-01T00:00:00Z by this computer's clock\); nothing was written/,
  );
  assert.match(sessionAnswerProblem({ ...good, expiration: now }, 'GetSessionToken', now)!, /expired at/);
  assert.match(sessionAnswerProblem({ ...good, expiration: new Date('garbage') }, 'GetSessionToken', now)!, /without a valid expiration time/);
  assert.match(sessionAnswerProblem({ ...good, expiration: '2031-01-01T00:00:00Z' }, 'GetSessionToken', now)!, /without a valid expiration time/);
});
