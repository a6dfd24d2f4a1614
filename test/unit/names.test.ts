/**
 * Pins which sections a run uses (src/core/names.ts): the profile's precedence (--profile, then
 * AWS_PROFILE, then AWS_DEFAULT_PROFILE, then `default`), broamski's suffixes (`-long-term` and
 * none by default), go-aws-mfa's -s/-d, their errors, and the flags a suggested command repeats.
 * Table-driven; pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  resolveNames, profileArgs, suggest, suggestSession, shellWord, DEFAULT_PROFILE, DEFAULT_LONG_TERM_SUFFIX, NO_SUFFIX, type NameFlags, type Invocation,
} from '../../src/core/names.js';
import { PROFILE_OPTIONS } from '../../src/commands/options.js';
import { retyped } from '../../src/service/hints.js';
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

test('a profile name the AWS SDKs would ignore is refused up front, naming where it came from (exit 2)', () => {
  // [flags, env, where the name came from, the name]
  const cases: Array<[NameFlags, Env, string, string]> = [
    [{ profile: 'a b' }, {}, '--profile', 'a b'],
    [{}, { AWS_PROFILE: 'a b' }, 'AWS_PROFILE', 'a b'],
    [{}, { AWS_DEFAULT_PROFILE: 'x;rm' }, 'AWS_DEFAULT_PROFILE', 'x;rm'],
    [{ source: 'a b', destination: 'c' }, {}, '-s', 'a b'],
    [{ source: 'a', destination: 'c$d' }, {}, '-d', 'c$d'],
    [{ profile: 'w', longTermSuffix: 'long term' }, {}, '--long-term-suffix', 'w-long term'],
    [{ profile: 'w', shortTermSuffix: 'x"y' }, {}, '--short-term-suffix', 'w-x"y'],
  ];
  for (const [flags, env, from, name] of cases) {
    assert.throws(
      () => resolveNames(flags, env),
      (e: unknown) => isCliError(e) && e.exitCode === EXIT.USAGE && e.message.startsWith(`${from} "${name}" is not a profile name`),
      JSON.stringify([flags, env]),
    );
  }
  assert.match(String(catchError(() => resolveNames({ profile: 'a b' }, {}))), /use a name like a-b$/);
  for (const ok of ['work', 'a.b-c_d', 'x@y:z/1+2%']) assert.equal(resolveNames({ profile: ok }, {}).profile, ok);
});

function catchError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

test('a suggested session command repeats what chose the session (device, role, duration, region), never --token', () => {
  const flags = {
    profile: 'work',
    device: 'GAHT12345678',
    assumeRole: 'arn:aws:iam::123456789012:role/Admin',
    roleSessionName: 'me',
    externalId: 'x1',
    duration: '3600',
    region: 'ap-northeast-1',
    token: '123456',
  };
  assert.equal(
    suggestSession(resolveNames(flags, {}), flags, '--force'),
    'aws-mfa --force --profile work --device GAHT12345678 --assume-role arn:aws:iam::123456789012:role/Admin ' +
      '--role-session-name me --external-id x1 --duration 3600 --region ap-northeast-1',
  );
  assert.equal(suggestSession(resolveNames({}, {}), {}), 'aws-mfa');
  assert.equal(suggestSession(resolveNames({ source: 'a', destination: 'b' }, {}), { source: 'a', destination: 'b', device: 'D1234567890' }), 'aws-mfa -s a -d b --device D1234567890');
  assert.deepEqual(['plain', 'a b', 'x"$y'].map(shellWord), ['plain', '"a b"', '"x\\"\\$y"']);
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

test('retyped: the command as typed with the name meant; codes dropped; nothing after -- touched', () => {
  const inv = (words: string[], args: string[], program?: string[]): Invocation => ({ words, args, ...(program ? { program } : {}) });
  // [typed, the names wanted, the command offered]
  const cases: Array<[Invocation | undefined, Parameters<typeof retyped>[1], string]> = [
    [inv(['export'], ['--profile', 'wrok', '--format', 'cmd']), { profile: 'work' }, 'aws-mfa export --profile work --format cmd'],
    [inv(['export'], ['--format', 'cmd', '--profile=wrok']), { profile: 'work' }, 'aws-mfa export --format cmd --profile work'],
    [inv(['status'], ['--profile', 'wrok']), { profile: 'work' }, 'aws-mfa status --profile work'],
    // the name from AWS_PROFILE: added after the command's words
    [inv(['device', 'list'], []), { profile: 'work' }, 'aws-mfa device list --profile work'],
    // exec: the program and its arguments as they were, quoted for the shell
    [inv(['exec'], ['--profile', 'wrok'], ['aws', '--profile', 'x', 's3', 'ls', 'a b']), { profile: 'work' },
      'aws-mfa exec --profile work -- aws --profile x s3 ls "a b"'],
    // the program's own options are never taken for aws-mfa's (exec's options end at the program's name)
    [inv(['exec'], ['--profile', 'wrok'], ['psql', '-d', 'mydb', '--force', '--token', 't', '-sX']), { profile: 'work' },
      'aws-mfa exec --profile work -- psql -d mydb --force --token t -sX'],
    [inv(['exec'], ['--profile', 'wrok'], ['kubectl', 'exec', 'pod', '-d', 'x', '--', 'sh']), { profile: 'work' },
      'aws-mfa exec --profile work -- kubectl exec pod -d x -- sh'],
    // a code is stale when the command is pasted
    [inv([], ['--profile', 'wrok', '--token', '123456', '--duration', '3600']), { profile: 'work' }, 'aws-mfa --profile work --duration 3600'],
    // no message suggests --force
    [inv([], ['--force', '--profile', 'wrok']), { profile: 'work' }, 'aws-mfa --profile work'],
    [inv([], ['--mfa-token=123456', '--profile', 'wrok']), { profile: 'work' }, 'aws-mfa --profile work'],
    [inv(['device', 'enable'], ['--code1', '111111', '--code2=222222', '--profile', 'wrok']), { profile: 'work' }, 'aws-mfa device enable --profile work'],
    // --profile for -s/-d, and -s/-d in each spelling
    [inv(['whoami'], ['--profile', 'exmaple_mfa']), { source: 'example', destination: 'example_mfa' }, 'aws-mfa whoami -s example -d example_mfa'],
    [inv([], ['-sexmaple', '-d', 'example_mfa']), { source: 'example', destination: 'example_mfa' }, 'aws-mfa -s example -d example_mfa'],
    [inv([], ['-s=exmaple', '--destination=example_mfa']), { source: 'example', destination: 'example_mfa' }, 'aws-mfa -s example -d example_mfa'],
    [inv([], ['--source', 'example', '-d', 'example_mfa', '--profile', 'p']), { profile: 'work' }, 'aws-mfa --profile work'],
    // no invocation: the session command
    [undefined, { profile: 'work' }, 'aws-mfa --profile work'],
    // export read by a shell (stdout not the screen): the READMEs' recipe for that shell, so pasted it sets the
    // variables and prints no secret; on the screen, or for json/dotenv, the command itself
    [{ ...inv(['export'], ['--profile', 'wrok']), output: { screen: () => false, shell: () => 'sh' } }, { profile: 'work' },
      'eval "$(aws-mfa export --profile work)"'],
    [{ ...inv(['export'], ['--profile', 'wrok']), output: { screen: () => false, shell: () => 'fish' } }, { profile: 'work' },
      'aws-mfa export --profile work | source'],
    [{ ...inv(['export'], ['--profile', 'wrok', '--format', 'powershell']), output: { screen: () => false, shell: () => 'cmd' } }, { profile: 'work' },
      'aws-mfa export --profile work --format powershell | Invoke-Expression'],
    [{ ...inv(['export'], ['--profile', 'wrok', '--format=cmd']), output: { screen: () => false, shell: () => 'sh' } }, { profile: 'work' },
      'aws-mfa export --profile work --format=cmd > "%TEMP%\\aws-mfa.cmd" && call "%TEMP%\\aws-mfa.cmd" >nul && del "%TEMP%\\aws-mfa.cmd"'],
    [{ ...inv(['export'], ['--profile', 'wrok', '--format', 'dotenv']), output: { screen: () => false, shell: () => 'sh' } }, { profile: 'work' },
      'aws-mfa export --profile work --format dotenv'],
    [{ ...inv(['export'], ['--profile', 'wrok']), output: { screen: () => true, shell: () => 'sh' } }, { profile: 'work' },
      'aws-mfa export --profile work'],
    [{ ...inv(['whoami'], ['--profile', 'wrok']), output: { screen: () => false, shell: () => 'sh' } }, { profile: 'work' },
      'aws-mfa whoami --profile work'],
    // a name that starts with "-" goes after "=" (the parser refuses it as the next word)
    [inv([], ['--profile', 'wrok']), { profile: '--force' }, 'aws-mfa --profile=--force'],
    [inv([], []), { source: '-x', destination: 'x_mfa' }, 'aws-mfa -s=-x -d x_mfa'],
  ];
  for (const [typed, wanted, offered] of cases) assert.equal(retyped(typed, wanted), offered, JSON.stringify(typed));
});
