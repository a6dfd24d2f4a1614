/**
 * Pins which sections a run uses (src/core/names.ts): the profile's precedence (--profile, then
 * AWS_PROFILE, then AWS_DEFAULT_PROFILE, then `default`), broamski's suffixes (`-long-term` and
 * none by default), go-aws-mfa's -s/-d, their errors, and the flags a suggested command repeats.
 * Table-driven; pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  resolveNames, profileArgs, suggest, DEFAULT_PROFILE, DEFAULT_LONG_TERM_SUFFIX, NO_SUFFIX, type NameFlags,
} from '../../src/core/names.js';
import { PROFILE_OPTIONS } from '../../src/commands/options.js';
import { EXIT, isCliError } from '../../src/errors.js';

type Env = Record<string, string | undefined>;

test('the profile: --profile, then AWS_PROFILE, then AWS_DEFAULT_PROFILE, then default', () => {
  const both = { AWS_PROFILE: 'envp', AWS_DEFAULT_PROFILE: 'envd' };
  // [flags, env, profile, where it came from]
  const cases: Array<[NameFlags, Env, string, string]> = [
    [{ profile: 'flag' }, both, 'flag', '--profile'],
    [{}, both, 'envp', 'AWS_PROFILE'],
    [{}, { AWS_DEFAULT_PROFILE: 'envd' }, 'envd', 'AWS_DEFAULT_PROFILE'],
    [{}, {}, 'default', 'default'],
    // an empty value counts as not given, at every step
    [{ profile: '' }, both, 'envp', 'AWS_PROFILE'],
    [{}, { AWS_PROFILE: '', AWS_DEFAULT_PROFILE: 'envd' }, 'envd', 'AWS_DEFAULT_PROFILE'],
    [{}, { AWS_PROFILE: '', AWS_DEFAULT_PROFILE: '' }, 'default', 'default'],
  ];
  for (const [flags, env, profile, profileSource] of cases) {
    const n = resolveNames(flags, env);
    assert.deepEqual([n.profile, n.profileSource], [profile, profileSource], JSON.stringify([flags, env]));
    assert.equal(n.form, 'suffix');
  }
});

test('the sections: NAME-long-term and NAME by default; each suffix, and none', () => {
  // [long-term suffix, short-term suffix, long-term section, short-term section]
  const cases: Array<[string | undefined, string | undefined, string, string]> = [
    [undefined, undefined, 'work-long-term', 'work'],
    ['', '', 'work-long-term', 'work'],
    ['long-term', 'none', 'work-long-term', 'work'],
    ['lt', undefined, 'work-lt', 'work'],
    [undefined, 'st', 'work-long-term', 'work-st'],
    ['none', 'st', 'work', 'work-st'],
    ['NONE', 'st', 'work', 'work-st'],
    ['lt', 'None', 'work-lt', 'work'],
    ['lt', 'st', 'work-lt', 'work-st'],
  ];
  for (const [longTermSuffix, shortTermSuffix, longTerm, shortTerm] of cases) {
    const n = resolveNames({ profile: 'work', longTermSuffix, shortTermSuffix }, {});
    assert.deepEqual([n.longTerm, n.shortTerm], [longTerm, shortTerm], `${longTermSuffix} / ${shortTermSuffix}`);
  }
  const plain = resolveNames({}, {});
  assert.deepEqual([plain.profile, plain.longTerm, plain.shortTerm], ['default', 'default-long-term', 'default']);
});

test('go-aws-mfa -s SOURCE -d DESTINATION', () => {
  // [flags, long-term section, short-term section]
  const cases: Array<[NameFlags, string, string]> = [
    [{ source: 'a', destination: 'b' }, 'a', 'b'],
    [{ source: '=a', destination: '=b' }, 'a', 'b'], // -s=a as parseArgs hands it over
    [{ source: 'a', destination: 'b', profile: 'p', longTermSuffix: 'x' }, 'a', 'b'], // -s/-d win
  ];
  for (const [flags, longTerm, shortTerm] of cases) {
    assert.deepEqual(resolveNames(flags, { AWS_PROFILE: 'envp' }), {
      profile: shortTerm,
      longTerm,
      shortTerm,
      form: 'source-destination',
      profileSource: '-d',
    });
  }
});

test('names that cannot work are usage errors', () => {
  const cases: Array<[string, NameFlags, RegExp]> = [
    ['-s alone', { source: 'a' }, /-s SOURCE and -d DESTINATION go together/],
    ['-d alone', { destination: 'b' }, /-s SOURCE and -d DESTINATION go together/],
    ['-s empty', { source: '', destination: 'b' }, /go together/],
    ['-s= empty', { source: '=', destination: 'b' }, /go together/],
    ['-s and -d the same', { source: 'a', destination: 'a' }, /name the same profile \[a\]/],
    ['both suffixes none', { profile: 'w', longTermSuffix: 'none', shortTermSuffix: 'none' }, /both be \[w\]/],
    ['both suffixes the same', { profile: 'w', longTermSuffix: 'x', shortTermSuffix: 'x' }, /both be \[w-x\]/],
  ];
  for (const [what, flags, message] of cases) {
    const usage = (e: unknown) => isCliError(e) && e.exitCode === EXIT.USAGE && message.test(e.message);
    assert.throws(() => resolveNames(flags, {}), usage, what);
  }
});

test('a suggested command names the profile unless it is the default, and repeats the suffixes given', () => {
  // [flags, env, the suggestion for --setup]
  const cases: Array<[NameFlags, Env, string]> = [
    [{}, {}, 'aws-mfa --setup'],
    [{}, { AWS_PROFILE: 'envp' }, 'aws-mfa --setup --profile envp'], // as the code does (its comment says otherwise)
    [{ profile: 'work' }, {}, 'aws-mfa --setup --profile work'],
    [{ profile: 'work', longTermSuffix: 'lt' }, {}, 'aws-mfa --setup --profile work --long-term-suffix lt'],
    [{ shortTermSuffix: 'st' }, {}, 'aws-mfa --setup --short-term-suffix st'],
    [{ source: 'a', destination: 'b' }, {}, 'aws-mfa --setup -s a -d b'],
  ];
  for (const [flags, env, want] of cases) assert.equal(suggest(resolveNames(flags, env), flags, '--setup'), want, want);
  assert.equal(suggest(resolveNames({}, {}), {}), 'aws-mfa');
  assert.equal(profileArgs(resolveNames({}, {}), {}), '');
});

test('help shows the defaults resolveNames applies', () => {
  const n = resolveNames({}, {});
  assert.equal(PROFILE_OPTIONS.profile.default, n.profile);
  assert.equal(`${n.profile}-${PROFILE_OPTIONS['long-term-suffix'].default}`, n.longTerm);
  assert.deepEqual(PROFILE_OPTIONS.profile.env, ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);
  const given = resolveNames({ shortTermSuffix: PROFILE_OPTIONS['short-term-suffix'].default }, {});
  assert.equal(given.shortTerm, n.shortTerm, 'the short-term suffix shown as the default changes nothing');
  assert.deepEqual([DEFAULT_PROFILE, DEFAULT_LONG_TERM_SUFFIX, NO_SUFFIX], ['default', 'long-term', 'none']);
  assert.equal(PROFILE_OPTIONS.profile.default, 'default');
  assert.equal(PROFILE_OPTIONS['long-term-suffix'].default, 'long-term');
  assert.equal(PROFILE_OPTIONS['short-term-suffix'].default, 'none');
});
