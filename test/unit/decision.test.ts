/**
 * Pins the reuse-or-refresh decision (src/core/decision.ts): each reason, their order, and both
 * sides of the two time thresholds (the margin and the expiration), with the default margin of
 * 300 seconds as a resolved profile carries it. Table-driven; pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSession, type DecisionInput } from '../../src/core/decision.js';
import { storedSessionFromSection, type StoredSession } from '../../src/core/credentials.js';
import { formatExpiration } from '../../src/core/time.js';
import { resolveProfile } from '../../src/core/profile.js';
import { resolveNames } from '../../src/core/names.js';

const NOW = new Date('2026-12-06T05:00:00.000Z');
const ROLE = 'arn:aws:iam::123456789012:role/admin';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/reader';

/** A short-term section as broamski writes it, its session ending `secondsLeft` after NOW. */
function section(secondsLeft: number, extra: Record<string, string | undefined> = {}): Map<string, string> {
  const entries: Record<string, string | undefined> = {
    aws_access_key_id: 'ASIAEXAMPLEEXAMPLE01',
    aws_secret_access_key: 'secret',
    aws_session_token: 'token',
    aws_security_token: 'token',
    expiration: formatExpiration(new Date(NOW.getTime() + secondsLeft * 1000)),
    ...extra,
  };
  return new Map(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));
}

const stored = (secondsLeft: number, extra: Record<string, string | undefined> = {}) =>
  storedSessionFromSection(section(secondsLeft, extra));

const decide = (s: StoredSession | undefined, over: Partial<DecisionInput> = {}) =>
  decideSession({ stored: s, role: undefined, now: NOW, minTtl: 300, force: false, ...over });

/** The decision's action and, for a refresh, its reason's kind. */
const outcome = (d: ReturnType<typeof decideSession>) =>
  d.action === 'reuse' ? 'reuse' : `${d.action}:${d.reason.kind}`;

test('both sides of the margin and of the expiration', () => {
  // [seconds left, margin, outcome]
  const cases: Array<[number, number, string]> = [
    [43200, 300, 'reuse'],
    [301, 300, 'reuse'],
    [300, 300, 'reuse'], // exactly the margin left: still reused
    [299, 300, 'refresh:ending'], // one second inside the margin
    [1, 300, 'refresh:ending'],
    [0, 300, 'refresh:expired'], // ends now
    [-1, 300, 'refresh:expired'],
    [-43200, 300, 'refresh:expired'],
    [1, 0, 'reuse'], // no margin: reused to the last second
    [0, 0, 'refresh:expired'],
    [-1, 0, 'refresh:expired'],
    [600, 600, 'reuse'],
    [599, 600, 'refresh:ending'],
    [43200, 43201, 'refresh:ending'],
  ];
  for (const [secondsLeft, minTtl, want] of cases) {
    const d = decide(stored(secondsLeft), { minTtl });
    assert.equal(outcome(d), want, `${secondsLeft} s left, margin ${minTtl}`);
    if (d.action === 'reuse') assert.equal(d.secondsLeft, secondsLeft);
    if (d.action === 'refresh' && d.reason.kind === 'ending') {
      assert.deepEqual(d.reason, { kind: 'ending', secondsLeft, minTtl });
    }
  }
});

test('seconds left are whole seconds, rounded down', () => {
  // the file keeps whole seconds; the clock has milliseconds
  const cases: Array<[number, string, number | undefined]> = [
    [0, 'reuse', 300], // 300.000 s left
    [1, 'refresh:ending', undefined], // 299.999 s left counts as 299
    [999, 'refresh:ending', undefined],
    [1000, 'refresh:ending', undefined], // 299 s
  ];
  const s = stored(300);
  for (const [ms, want, left] of cases) {
    const d = decide(s, { now: new Date(NOW.getTime() + ms) });
    assert.equal(outcome(d), want, `${ms} ms after`);
    if (left !== undefined && d.action === 'reuse') assert.equal(d.secondsLeft, left);
  }
  const last = decide(stored(1), { now: new Date(NOW.getTime() + 1), minTtl: 0 }); // 0.999 s left is 0: expired
  assert.equal(outcome(last), 'refresh:expired');
});

test('the default margin a resolved profile carries is 300 seconds, and the decision uses it as given', () => {
  const names = resolveNames({ profile: 'work' }, {});
  const profile = resolveProfile({
    names,
    flags: { profile: 'work' },
    env: {},
    paths: { config: '/h/.aws/config', credentials: '/h/.aws/credentials', profile: 'work', home: '/h' },
    longTerm: new Map([['aws_access_key_id', 'AKIAEXAMPLEEXAMPLE01'], ['aws_secret_access_key', 's']]),
    config: new Map(),
    user: () => 'taro',
  });
  const cases: Array<[number, string]> = [
    [301, 'reuse'],
    [300, 'reuse'],
    [299, 'refresh:ending'],
    [0, 'refresh:expired'],
  ];
  for (const [secondsLeft, want] of cases) {
    const d = decide(stored(secondsLeft), { minTtl: profile.minTtl, force: profile.force });
    assert.equal(outcome(d), want, `${secondsLeft} s left with the default margin`);
  }
});

test('each reason, and which one wins when several hold', () => {
  const longTermKeys = storedSessionFromSection(
    new Map([['aws_access_key_id', 'AKIAEXAMPLEEXAMPLE01'], ['aws_secret_access_key', 's']]),
  );
  const noToken = { aws_session_token: undefined, aws_security_token: undefined };
  const forced = { force: true };
  const asked = { role: ROLE };
  // [what, stored, outcome, the rest of the input]
  const cases: Array<[string, StoredSession | undefined, string, Partial<DecisionInput>?]> = [
    ['nothing stored', undefined, 'refresh:missing'],
    ['nothing stored, forced', undefined, 'refresh:missing', forced],
    ['long-term keys in the short-term section', longTermKeys, 'refuse:long-term-keys'],
    ['long-term keys, even forced', longTermKeys, 'refuse:long-term-keys', forced],
    ['a key pair and no token: long-term keys', stored(43200, noToken), 'refuse:long-term-keys'],
    ['forced, valid session', stored(43200), 'refresh:forced', forced],
    ['forced beats an incomplete section', stored(43200, { aws_access_key_id: undefined }), 'refresh:forced', forced],
    ['no secret', stored(43200, { aws_secret_access_key: undefined }), 'refresh:incomplete'],
    ['no key id', stored(43200, { aws_access_key_id: undefined }), 'refresh:incomplete'],
    ['only the legacy token', stored(43200, { aws_session_token: undefined }), 'reuse'],
    ['only the new token', stored(43200, { aws_security_token: undefined }), 'reuse'],
    ['no expiration', stored(43200, { expiration: undefined }), 'refresh:incomplete'],
    ['unreadable expiration', stored(43200, { expiration: 'tomorrow' }), 'refresh:unreadable-expiration'],
    ['the two tokens differ', stored(43200, { aws_security_token: 'stale' }), 'refresh:tokens-differ'],
    ['tokens differ beats expired', stored(-1, { aws_security_token: 'stale' }), 'refresh:tokens-differ'],
    ['a role session, no role asked', stored(43200, { assumed_role_arn: ROLE }), 'refresh:other-role'],
    ['a plain session, a role asked', stored(43200), 'refresh:other-role', asked],
    ['another role', stored(43200, { assumed_role_arn: OTHER_ROLE }), 'refresh:other-role', asked],
    ['other role beats expired', stored(-1, { assumed_role_arn: OTHER_ROLE }), 'refresh:other-role', asked],
    ['the same role', stored(43200, { assumed_role_arn: ROLE }), 'reuse', asked],
    ['the same role, ending', stored(299, { assumed_role_arn: ROLE }), 'refresh:ending', asked],
  ];
  for (const [what, s, want, rest] of cases) assert.equal(outcome(decide(s, rest)), want, what);
});

test('what each answer carries', () => {
  assert.deepEqual(decide(stored(43200, { aws_access_key_id: undefined })), {
    action: 'refresh',
    reason: { kind: 'incomplete', key: 'aws_access_key_id' },
  });
  assert.deepEqual(decide(stored(43200, { expiration: 'tomorrow' })), {
    action: 'refresh',
    reason: { kind: 'unreadable-expiration', value: 'tomorrow' },
  });
  assert.deepEqual(decide(stored(43200, { assumed_role_arn: OTHER_ROLE }), { role: ROLE }), {
    action: 'refresh',
    reason: { kind: 'other-role', current: OTHER_ROLE, wanted: ROLE },
  });
  const expired = decide(stored(-5));
  const fiveSecondsAgo = new Date(NOW.getTime() - 5000);
  assert.deepEqual(expired, { action: 'refresh', reason: { kind: 'expired', expiration: fiveSecondsAgo } });
  const plain = decide(stored(600));
  assert.ok(plain.action === 'reuse' && !('role' in plain), 'a plain session carries no role');
  assert.equal(plain.action === 'reuse' && plain.session.sessionToken, 'token');
  const withRole = decide(stored(600, { assumed_role_arn: ROLE }), { role: ROLE });
  assert.equal(withRole.action === 'reuse' && withRole.role, ROLE);
});
