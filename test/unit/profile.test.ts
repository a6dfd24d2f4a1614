/**
 * Pins profile resolution (src/core/profile.ts): every default (margin 300 s; duration 43200 s, or
 * 3600 s with a role; the partition's region; the OS user as session name), both sides of every
 * range (GetSessionToken 900..129600 s, AssumeRole 900..43200 s, names 2..64, external ids
 * 2..1224), and the order of the places each value can come from (flag, environment, files).
 * Table-driven; pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveProfile, type ProfileInput, type SessionFlags } from '../../src/core/profile.js';
import { resolveNames } from '../../src/core/names.js';
import { SESSION_OPTIONS } from '../../src/commands/options.js';
import { EXIT, isCliError } from '../../src/errors.js';
import { t } from '../../src/messages/index.js';
import { en } from '../../src/messages/en.js';
import { ja } from '../../src/messages/ja.js';
import { DEFAULT_MIN_TTL } from '../../src/core/decision.js';
import { DEFAULT_DURATION } from '../../src/core/checks.js';

type Env = Record<string, string | undefined>;

const DEVICE = 'arn:aws:iam::123456789012:mfa/taro';
const ROLE = 'arn:aws:iam::123456789012:role/admin';
const KEYS: Array<[string, string]> = [
  ['aws_access_key_id', 'AKIAEXAMPLEEXAMPLE01'],
  ['aws_secret_access_key', 'secret'],
];
const HOME = '/home/taro';
const PATHS = { config: `${HOME}/.aws/config`, credentials: `${HOME}/.aws/credentials`, profile: 'work', home: HOME };

interface Given {
  flags?: SessionFlags;
  env?: Env;
  longTerm?: Array<[string, string]>;
  config?: Array<[string, string]>;
  user?: string;
  recordedDevice?: string;
  sessionsFollowKeys?: boolean;
}

function resolve(g: Given = {}) {
  const flags = { profile: 'work', ...g.flags };
  const env = g.env ?? {};
  const input: ProfileInput = {
    names: resolveNames(flags, env),
    flags,
    env,
    paths: PATHS,
    longTerm: new Map(g.longTerm ?? KEYS),
    config: new Map(g.config ?? []),
    user: () => g.user ?? 'taro',
    ...(g.recordedDevice ? { recordedDevice: g.recordedDevice } : {}),
    ...(g.sessionsFollowKeys ? { sessionsFollowKeys: true } : {}),
  };
  return resolveProfile(input);
}

/** Asserts `f` fails with this exit code and a message matching `message`. */
function fails(f: () => unknown, exitCode: number, message: RegExp, what: string) {
  assert.throws(f, (e) => isCliError(e) && e.exitCode === exitCode && message.test(e.message), what);
}

const inLongTerm = (key: string) => t('source.key', { key, section: 'work-long-term' });
const inConfig = (key: string) => t('source.configKey', { key, file: PATHS.config });

test('the defaults: margin 300 s, duration 43200 s (3600 s with a role), not forced', () => {
  const plain = resolve();
  assert.equal(plain.minTtl, 300);
  assert.deepEqual({ ...plain.duration }, { value: 43200, source: t('source.default') });
  assert.equal(plain.force, false);
  assert.equal(plain.role, undefined);
  assert.equal(plain.device, undefined, 'no device: looked up later');
  const withRole = resolve({ flags: { assumeRole: ROLE } });
  assert.deepEqual({ ...withRole.duration }, { value: 3600, source: t('source.default') });
  assert.equal(withRole.minTtl, 300);
});

test('help shows the defaults resolution applies', () => {
  assert.equal(SESSION_OPTIONS['min-ttl'].default, String(resolve().minTtl));
  assert.equal(SESSION_OPTIONS.duration.default, String(resolve().duration.value));
  assert.deepEqual([SESSION_OPTIONS['min-ttl'].default, SESSION_OPTIONS.duration.default], ['300', '43200']);
  assert.deepEqual(SESSION_OPTIONS.duration.env, ['MFA_STS_DURATION']);
  assert.deepEqual(SESSION_OPTIONS['assume-role'].env, ['MFA_ASSUME_ROLE']);
  const { net } = resolve();
  assert.deepEqual([net.connectTimeoutMs, net.readTimeoutMs], [10_000, 30_000]);
  assert.equal(SESSION_OPTIONS['connect-timeout'].default, String(net.connectTimeoutMs / 1000));
  assert.equal(SESSION_OPTIONS['read-timeout'].default, String(net.readTimeoutMs / 1000));
  assert.deepEqual([SESSION_OPTIONS['connect-timeout'].default, SESSION_OPTIONS['read-timeout'].default], ['10', '30']);
  assert.deepEqual(SESSION_OPTIONS.device.env, ['MFA_DEVICE']);
});

test('the named defaults every user shares, and the help text that repeats them', () => {
  assert.equal(DEFAULT_MIN_TTL, 300);
  assert.deepEqual(DEFAULT_DURATION, { GetSessionToken: 43200, AssumeRole: 3600 });
  // the option's help (its range, and its default in words, which help shows in the same bracket) is prose in
  // each language: it must name the same numbers
  assert.equal(SESSION_OPTIONS.duration.defaultText, 'opt.durationDefault');
  const numbers = ['900', '129600', String(DEFAULT_DURATION.AssumeRole), String(DEFAULT_DURATION.GetSessionToken)];
  const texts: Array<[string, string]> = [
    ['en', `${en['opt.duration']} ${en['opt.durationDefault']}`],
    ['ja', `${ja['opt.duration']} ${ja['opt.durationDefault']}`],
  ];
  for (const [lang, text] of texts) {
    for (const n of numbers) assert.match(text, new RegExp(`(^|\\D)${n}(\\D|$)`), `${lang} opt.duration names ${n}`);
  }
});

test('--min-ttl: any whole number of seconds, 0 included; nothing else', () => {
  const cases: Array<[string, number]> = [
    ['0', 0], ['1', 1], ['299', 299], ['300', 300], ['86400', 86400], [' 60 ', 60],
  ];
  for (const [flag, want] of cases) assert.equal(resolve({ flags: { minTtl: flag } }).minTtl, want, flag);
  for (const bad of ['-1', '1.5', '', 'five', '5m', '1e3']) {
    fails(() => resolve({ flags: { minTtl: bad } }), EXIT.USAGE, /--min-ttl must be a whole number of seconds/, bad);
  }
});

test('the duration: --duration, then MFA_STS_DURATION, then the default', () => {
  // [flags, env, value, source]
  const cases: Array<[SessionFlags, Env, number, string]> = [
    [{ duration: '1000' }, { MFA_STS_DURATION: '2000' }, 1000, '--duration'],
    [{}, { MFA_STS_DURATION: '2000' }, 2000, 'MFA_STS_DURATION'],
    [{}, { MFA_STS_DURATION: '' }, 43200, t('source.default')],
    [{}, {}, 43200, t('source.default')],
    [{ assumeRole: ROLE }, { MFA_STS_DURATION: '2000' }, 2000, 'MFA_STS_DURATION'],
    [{ assumeRole: ROLE }, {}, 3600, t('source.default')],
  ];
  for (const [flags, env, value, source] of cases) {
    assert.deepEqual({ ...resolve({ flags, env }).duration }, { value, source }, JSON.stringify([flags, env]));
  }
});

test('both sides of each duration range: GetSessionToken 900..129600, AssumeRole 900..43200', () => {
  // [seconds, with a role, accepted]
  const cases: Array<[number, boolean, boolean]> = [
    [0, false, false],
    [899, false, false],
    [900, false, true],
    [3600, false, true],
    [43200, false, true],
    [43201, false, true],
    [129600, false, true],
    [129601, false, false],
    [899, true, false],
    [900, true, true],
    [3600, true, true],
    [3601, true, true], // no one-hour cap here: role chaining is refused by AWS, not by the resolution
    [43200, true, true],
    [43201, true, false],
    [129600, true, false],
  ];
  for (const [seconds, withRole, accepted] of cases) {
    const flags: SessionFlags = { duration: String(seconds), ...(withRole ? { assumeRole: ROLE } : {}) };
    const what = `${seconds} s${withRole ? ' with a role' : ''}`;
    if (accepted) assert.equal(resolve({ flags }).duration.value, seconds, what);
    else {
      const range = withRole ? /AssumeRole takes 900 to 43200 seconds/ : /GetSessionToken takes 900 to 129600 seconds/;
      fails(() => resolve({ flags }), EXIT.USAGE, range, what);
    }
  }
  // the environment's value is checked the same way, naming where it came from
  fails(() => resolve({ env: { MFA_STS_DURATION: '899' } }), EXIT.USAGE, /from MFA_STS_DURATION/, 'env 899');
  const notSeconds = /MFA_STS_DURATION must be a whole number/;
  fails(() => resolve({ env: { MFA_STS_DURATION: 'x' } }), EXIT.USAGE, notSeconds, 'env x');
  fails(() => resolve({ flags: { duration: '1h' } }), EXIT.USAGE, /--duration must be a whole number/, '1h');
});

test('the role: --assume-role, then MFA_ASSUME_ROLE, then assume_role in the long-term section', () => {
  const other = 'arn:aws:iam::123456789012:role/env';
  const file = 'arn:aws:iam::123456789012:role/file';
  const longTerm: Array<[string, string]> = [...KEYS, ['assume_role', file]];
  // [flags, env, value, source]
  const cases: Array<[SessionFlags, Env, string | undefined, string | undefined]> = [
    [{ assumeRole: ROLE }, { MFA_ASSUME_ROLE: other }, ROLE, '--assume-role'],
    [{}, { MFA_ASSUME_ROLE: other }, other, 'MFA_ASSUME_ROLE'],
    [{}, { MFA_ASSUME_ROLE: '' }, file, inLongTerm('assume_role')],
    [{}, {}, file, inLongTerm('assume_role')],
  ];
  for (const [flags, env, value, source] of cases) {
    assert.deepEqual({ ...resolve({ flags, env, longTerm }).role }, { value, source }, JSON.stringify([flags, env]));
  }
  assert.equal(resolve({ env: { MFA_ASSUME_ROLE: '' } }).role, undefined);
  fails(() => resolve({ flags: { assumeRole: 'admin' } }), EXIT.CONFIG, /admin/, 'not a role ARN');
});

test('the device: flag, MFA_DEVICE, the long-term section, the config file, the recorded one', () => {
  const d = (name: string) => `arn:aws:iam::123456789012:mfa/${name}`;
  const all = { longTerm: [...KEYS, ['aws_mfa_device', d('a')], ['mfa_serial', d('b')]] as Array<[string, string]> };
  const config: Array<[string, string]> = [['mfa_serial', d('c')]];
  const recordedDevice = d('r');
  // [given, value, source]
  const cases: Array<[Given, string | undefined, string | undefined]> = [
    [{ ...all, config, recordedDevice, flags: { device: DEVICE }, env: { MFA_DEVICE: d('e') } }, DEVICE, '--device'],
    [{ ...all, config, recordedDevice, env: { MFA_DEVICE: d('e') } }, d('e'), 'MFA_DEVICE'],
    [{ ...all, config, recordedDevice, env: { MFA_DEVICE: '' } }, d('a'), inLongTerm('aws_mfa_device')],
    [{ longTerm: [...KEYS, ['mfa_serial', d('b')]], config, recordedDevice }, d('b'), inLongTerm('mfa_serial')],
    [{ config, recordedDevice }, d('c'), inConfig('mfa_serial')],
    [{ recordedDevice }, d('r'), t('source.recorded', { section: 'work' })],
  ];
  for (const [given, value, source] of cases) assert.deepEqual({ ...resolve(given).device }, { value, source }, value);
  const userArn = 'arn:aws:iam::123456789012:user/taro';
  fails(() => resolve({ flags: { device: userArn } }), EXIT.CONFIG, /user\/taro/, 'a user ARN');
});

test('the region: flag, AWS_REGION, AWS_DEFAULT_REGION, the config file, the long-term section, the partition', () => {
  const longTerm: Array<[string, string]> = [...KEYS, ['region', 'lt-region-1']];
  const config: Array<[string, string]> = [['region', 'config-region-1']];
  const env = { AWS_REGION: 'env-region-1', AWS_DEFAULT_REGION: 'dr-region-1' };
  const govRole = 'arn:aws-us-gov:iam::123456789012:role/r';
  // [given, value, source, configured]
  const cases: Array<[Given, string, string, boolean]> = [
    [{ flags: { region: 'flag-region-1' }, env, config, longTerm }, 'flag-region-1', '--region', true],
    [{ env, config, longTerm }, 'env-region-1', 'AWS_REGION', true],
    [{ env: { AWS_DEFAULT_REGION: 'dr-region-1' }, config, longTerm }, 'dr-region-1', 'AWS_DEFAULT_REGION', true],
    [{ config, longTerm }, 'config-region-1', inConfig('region'), true],
    [{ longTerm }, 'lt-region-1', inLongTerm('region'), true],
    [{}, 'us-east-1', t('source.partitionDefault'), false],
    [{ flags: { region: '' }, env: { AWS_REGION: '' } }, 'us-east-1', t('source.partitionDefault'), false],
    [{ flags: { device: 'arn:aws-cn:iam::123456789012:mfa/t' } }, 'cn-north-1', t('source.partitionDefault'), false],
    [{ flags: { assumeRole: govRole } }, 'us-gov-west-1', t('source.partitionDefault'), false],
  ];
  for (const [given, value, source, configured] of cases) {
    const { copiedFrom, ...region } = resolve(given).region;
    assert.deepEqual(region, { value, source, configured }, value);
    // the section a region read from the files is in, as the AWS CLI names it (init's message)
    const section = { [inConfig('region')]: 'profile work-long-term', [inLongTerm('region')]: 'work-long-term' }[source];
    assert.equal(copiedFrom, section, value);
  }
});

test('the role session name: the flag, else the OS user name made valid, asked only when needed', () => {
  // [OS user, the default session name]
  const cases: Array<[string, string]> = [
    ['taro', 'taro'],
    ['ab', 'ab'],
    ['a', 'aws-mfa-a'],
    ['', 'aws-mfa-'],
    ['CORP\\Taro Yamada', 'CORP-Taro-Yamada'],
    ['山田', '--'],
    ['山', 'aws-mfa--'],
    ['x'.repeat(64), 'x'.repeat(64)],
    ['x'.repeat(65), 'x'.repeat(64)],
  ];
  for (const [user, want] of cases) {
    const { sessionName } = resolve({ user });
    assert.deepEqual({ ...sessionName }, { value: want, source: t('source.osUser') }, JSON.stringify(user));
  }
  let asked = 0;
  const lazy = resolveProfile({
    names: resolveNames({ profile: 'work' }, {}),
    flags: { profile: 'work' },
    env: {},
    paths: PATHS,
    longTerm: new Map(KEYS),
    config: new Map(),
    user: () => (asked++, 'taro'),
  });
  assert.equal(asked, 0, 'no role: the OS user is not asked on the cached path');
  assert.equal(lazy.sessionName.value, 'taro');
  assert.equal(asked, 1);
  const named = resolve({ flags: { roleSessionName: 'ci-run', assumeRole: ROLE } }).sessionName;
  assert.deepEqual({ ...named }, { value: 'ci-run', source: '--role-session-name' });
});

test('both sides of the length limits: session name 2..64, external id 2..1224', () => {
  // [flags, accepted]
  const cases: Array<[SessionFlags, boolean]> = [
    [{ roleSessionName: 'a' }, false],
    [{ roleSessionName: 'ab' }, true],
    [{ roleSessionName: 'x'.repeat(64) }, true],
    [{ roleSessionName: 'x'.repeat(65) }, false],
    [{ roleSessionName: 'a b' }, false],
    [{ externalId: 'a' }, false],
    [{ externalId: 'ab' }, true],
    [{ externalId: 'x'.repeat(1224) }, true],
    [{ externalId: 'x'.repeat(1225) }, false],
    [{ connectTimeout: '0' }, false],
    [{ connectTimeout: '0.5' }, true],
    [{ readTimeout: '-1' }, false],
    [{ readTimeout: '30' }, true],
  ];
  for (const [flags, accepted] of cases) {
    const what = JSON.stringify(flags).slice(0, 60);
    if (accepted) assert.doesNotThrow(() => resolve({ flags: { ...flags, assumeRole: ROLE } }), what);
    else fails(() => resolve({ flags: { ...flags, assumeRole: ROLE } }), EXIT.USAGE, /./, what);
  }
  // with a role, the OS user's name must make a valid session name too (it is made valid)
  assert.equal(resolve({ flags: { assumeRole: ROLE }, user: 'a' }).sessionName.value, 'aws-mfa-a');
});

test('where the long-term key is, and where sessions go', () => {
  const marker: Array<[string, string]> = [['aws_mfa_keychain', 'true']];
  // [long-term section, sessions follow keys, key store, session store]
  const cases: Array<[Array<[string, string]>, boolean, string, string]> = [
    [KEYS, false, 'file', 'file'],
    [KEYS, true, 'file', 'file'],
    [marker, false, 'keychain', 'file'],
    [marker, true, 'keychain', 'keychain'],
    [[['aws_mfa_keychain', ' TRUE ']], true, 'keychain', 'keychain'],
    [[...KEYS, ...marker], true, 'file', 'file'], // a key pair in the file wins over a stale marker
  ];
  for (const [longTerm, sessionsFollowKeys, keys, sessions] of cases) {
    const p = resolve({ longTerm, sessionsFollowKeys });
    const what = JSON.stringify([longTerm, sessionsFollowKeys]);
    assert.deepEqual([p.longTerm.store, p.sessionStore], [keys, sessions], what);
  }
  const p = resolve();
  const key = { accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret' };
  assert.deepEqual(p.longTerm, { section: 'work-long-term', store: 'file', key });
  // [long-term section, message]
  const bad: Array<[Array<[string, string]>, RegExp]> = [
    [[KEYS[0]!], /aws_secret_access_key/],
    [[KEYS[1]!], /aws_access_key_id/],
    [[], /aws_access_key_id/],
    [[...KEYS, ['aws_session_token', 'x']], /work-long-term/],
    [[...KEYS, ['aws_security_token', 'x']], /work-long-term/],
    [[['aws_mfa_keychain', 'false']], /aws_access_key_id/],
  ];
  for (const [longTerm, message] of bad) {
    fails(() => resolve({ longTerm }), EXIT.CONFIG, message, JSON.stringify(longTerm));
  }
});

test('code sources: --token, then mfa_process from the config file', () => {
  assert.deepEqual(resolve().codes, {});
  assert.deepEqual(resolve({ flags: { token: '123456' } }).codes, { token: '123456' });
  const codes = resolve({ flags: { token: '123456' }, config: [['mfa_process', 'op read x']] }).codes;
  assert.deepEqual({ token: codes.token, mfaProcess: { ...codes.mfaProcess } }, {
    token: '123456',
    mfaProcess: { value: 'op read x', source: inConfig('mfa_process') },
  });
  assert.equal(resolve({ flags: { force: true } }).force, true);
});
