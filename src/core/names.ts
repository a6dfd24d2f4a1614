/**
 * Which sections a run reads and writes: broamski's `NAME-long-term` / `NAME` layout with its
 * suffix flags, or go-aws-mfa's `-s SOURCE -d DESTINATION`. Pure.
 */
import type { ExportFormat } from './formats.js';
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { isIdentifier } from '../ini/profiles.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface NameFlags {
  profile?: string;
  longTermSuffix?: string;
  shortTermSuffix?: string;
  source?: string;
  destination?: string;
}

export interface Names {
  /** The profile the user means (`work`; with -s/-d, the destination). */
  profile: string;
  /** The section that holds the long-term key. */
  longTerm: string;
  /** The section the session goes to. */
  shortTerm: string;
  /** How the names were given: broamski's suffixes or go-aws-mfa's -s/-d. */
  form: 'suffix' | 'source-destination';
  /** Where the profile name came from (--profile, AWS_PROFILE, ...). */
  profileSource: string;
}

/** The profile when none is given, and broamski's suffixes by default (`none`: the bare profile name). */
export const DEFAULT_PROFILE = 'default';
export const DEFAULT_LONG_TERM_SUFFIX = 'long-term';
export const NO_SUFFIX = 'none';

/**
 * A section name the AWS SDKs and aws-mfa's own reader accept (letters, digits and _-/.%@:+): any other
 * is ignored in the files, so it is refused up front, naming where it came from. Such a name is also
 * one word in every shell, so a suggested command that repeats it works when pasted.
 */
function checkName(name: string, from: string): void {
  if (!isIdentifier(name))
    throw usageError(t('names.badName', { name, from, like: name.replace(/[^A-Za-z0-9_\-/.%@:+]+/g, '-') }));
}

/** go-aws-mfa users type `-s=x`; util.parseArgs hands that over as `=x`. */
const bare = (v: string | undefined) => (v !== undefined && v.startsWith('=') ? v.slice(1) : v);

export function resolveNames(flags: NameFlags, env: Env): Names {
  const source = bare(flags.source);
  const destination = bare(flags.destination);
  if (source !== undefined || destination !== undefined) {
    if (!source || !destination) throw usageError(t('names.sourceDestinationTogether'));
    if (source === destination) throw usageError(t('names.sourceIsDestination', { name: source }));
    checkName(source, '-s');
    checkName(destination, '-d');
    return {
      profile: destination,
      longTerm: source,
      shortTerm: destination,
      form: 'source-destination',
      profileSource: '-d',
    };
  }
  const [profile, profileSource] = flags.profile
    ? [flags.profile, '--profile']
    : env.AWS_PROFILE
      ? [env.AWS_PROFILE, 'AWS_PROFILE']
      : env.AWS_DEFAULT_PROFILE
        ? [env.AWS_DEFAULT_PROFILE, 'AWS_DEFAULT_PROFILE']
        : [DEFAULT_PROFILE, 'default'];
  const lt = flags.longTermSuffix;
  const longTerm = !lt
    ? `${profile}-${DEFAULT_LONG_TERM_SUFFIX}`
    : lt.toLowerCase() === NO_SUFFIX
      ? profile
      : `${profile}-${lt}`;
  const st = flags.shortTermSuffix;
  const shortTerm = !st || st.toLowerCase() === NO_SUFFIX ? profile : `${profile}-${st}`;
  checkName(profile, profileSource);
  if (lt) checkName(longTerm, '--long-term-suffix');
  if (st) checkName(shortTerm, '--short-term-suffix');
  if (longTerm === shortTerm) throw usageError(t('names.sameSection', { section: longTerm }));
  return { profile, longTerm, shortTerm, form: 'suffix', profileSource };
}

/**
 * The profile flags to repeat in a suggested command, so that it works when pasted: the ones the
 * user gave (`--profile work`, `-s a -d b`, the suffixes), nothing when the profile came from the
 * environment or the default.
 */
export function profileArgs(names: Names, flags: NameFlags): string {
  if (names.form === 'source-destination') return `-s ${names.longTerm} -d ${names.shortTerm}`;
  const parts: string[] = [];
  if (names.profileSource !== 'default') parts.push(`--profile ${names.profile}`);
  if (flags.longTermSuffix) parts.push(`--long-term-suffix ${flags.longTermSuffix}`);
  if (flags.shortTermSuffix) parts.push(`--short-term-suffix ${flags.shortTermSuffix}`);
  return parts.join(' ');
}

/** `aws-mfa` followed by `rest` and the profile flags the user gave. */
export function suggest(names: Names, flags: NameFlags, rest = ''): string {
  return ['aws-mfa', rest, profileArgs(names, flags)].filter(Boolean).join(' ');
}

/** The flags that chose what a session is made of: the MFA device, the role, the duration, the region. */
export interface SessionChoice {
  device?: string;
  duration?: string;
  assumeRole?: string;
  roleSessionName?: string;
  externalId?: string;
  region?: string;
}

/** One word in bash, cmd and PowerShell: as is when it is plain, else in double quotes. */
export const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, '\\$1')}"`);

/**
 * `aws-mfa` followed by `rest`, the profile flags and the flags that chose the session (--device,
 * --assume-role, ...): a command that gets a session as the user's did (a renewal that drops --device
 * would not use the hardware token). --token is not repeated: a code is stale by the time it is pasted.
 */
export function suggestSession(names: Names, flags: NameFlags & SessionChoice, rest = ''): string {
  const choice: Array<[string, string | undefined]> = [
    ['--device', flags.device],
    ['--assume-role', flags.assumeRole],
    ['--role-session-name', flags.roleSessionName],
    ['--external-id', flags.externalId],
    ['--duration', flags.duration],
    ['--region', flags.region],
  ];
  const given = choice.filter(([, v]) => v).map(([flag, v]) => `${flag} ${shellWord(v!)}`);
  return [suggest(names, flags, rest), ...given].join(' ');
}

/**
 * go-aws-mfa's form for long-term keys that stay in the section the session would go to: they are
 * the source, and the session goes to `NAME_mfa` (the seed guides' name for it).
 */
export function keepKeysCommand(names: Names): string {
  const keys = names.form === 'source-destination' ? names.shortTerm : names.profile;
  return `aws-mfa -s ${keys} -d ${keys}_mfa`;
}

/** The command as the user typed it: its words (`export`, `device list`) and the arguments after them. */
export interface Invocation {
  words: readonly string[];
  /** aws-mfa's own arguments. */
  args: readonly string[];
  /** exec's program and its arguments: repeated after `--` as typed, never rewritten. */
  program?: readonly string[];
  /**
   * Where standard output went, for `export`: to the screen, or read by a shell (`eval "$(…)"`, a file for
   * cmd's `call`); and the user's shell (the one export writes for without --format, core/formats.ts), in
   * whose words a hint says a command.
   */
  output?: { screen: () => boolean; shell: () => ExportFormat };
}
