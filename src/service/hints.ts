/**
 * "Did you mean" for a missing long-term section: the error path reads both files whole (it is
 * not the fast path) and looks for the usual mistakes of the setup guides' readers: the long-term
 * name given as the profile, `[profile x]` in the credentials file, keys that sit only in the
 * config file, and a near-miss profile name (Levenshtein distance, from fastest-levenshtein).
 */
import { distance } from 'fastest-levenshtein';
import { CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import { readIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { suggest, keepKeysCommand, shellWord, type Invocation, type Names, type NameFlags } from '../core/names.js';
import { storedSessionFromSection, sourceDestinationPairs } from '../core/credentials.js';
import { markerSet } from '../core/key-location.js';
import type { FilePaths } from '../core/paths.js';
import { setCommand } from '../core/set-command.js';

/**
 * -s S -d D where [S] holds a session: S's keys moved to [S-long-term] (`aws-mfa init --profile S`
 * puts them there), so that is the source now; else -s and -d were swapped.
 */
export function sourceHoldsSessionError(names: Names, paths: FilePaths): CliError {
  const beside = `${names.longTerm}-long-term`;
  const keys = readView(readIni(paths.credentials, 'credentials').doc, 'credentials').profiles[beside];
  const section = names.longTerm;
  const file = paths.credentials;
  // (not when [S-long-term] is the destination given: that is -s and -d swapped, and `-s S-long-term -d
  // S-long-term` would name one section twice)
  if ((keys?.aws_access_key_id || keys?.aws_mfa_keychain) && beside !== names.shortTerm) {
    const command = `aws-mfa -s ${beside} -d ${names.shortTerm}`;
    return new CliError(t('profile.sourceMovedBeside', { section, beside, command }), EXIT.CONFIG);
  }
  const command = `aws-mfa -s ${names.shortTerm} -d ${names.longTerm}`;
  return new CliError(t('profile.sourceHoldsSession', { section, file, command }), EXIT.CONFIG);
}

/**
 * The error for a profile with no long-term section, with the likeliest way out. A name the user
 * meant is offered as the command typed (`invocation`) with that name, so pasted it does what the
 * user asked for (`status`, `export`, an `exec`), not only the session.
 */
export function missingLongTermError(
  names: Names,
  flags: NameFlags,
  paths: FilePaths,
  invocation?: Invocation,
): CliError {
  const credsDoc = readIni(paths.credentials, 'credentials').doc;
  const creds = readView(credsDoc, 'credentials').profiles;
  let config: Record<string, Record<string, unknown>> = {};
  try {
    config = readView(readIni(paths.config, 'config').doc, 'config').profiles;
  } catch {
    /* an unreadable config file is reported where it matters */
  }
  const base = t('hint.missingLongTerm', { section: names.longTerm, file: paths.credentials });
  const fail = (hint: string) => new CliError(t('hint.join', { problem: base, hint }), EXIT.CONFIG);
  // a name that came from AWS_PROFILE (or AWS_DEFAULT_PROFILE) is put right where it was set: the command that
  // sets the variable in the user's shell (`set "AWS_PROFILE=cloudX"` in cmd), not a --profile for one run
  const variable = /^AWS_(DEFAULT_)?PROFILE$/.test(names.profileSource) ? names.profileSource : undefined;
  const shell = invocation?.output?.shell;
  const nearMiss = (section: string, meant: string) =>
    variable && shell
      ? t('hint.nearMissVariable', {
          variable,
          given: names.profile,
          section,
          command: setCommand(shell(), variable, meant),
        })
      : t('hint.nearMiss', { section, command: retyped(invocation, { profile: meant }) });

  // --profile work-long-term: the long-term section was named instead of the profile
  const suffix = names.longTerm.slice(names.profile.length);
  if (names.form === 'suffix' && names.profile.endsWith(suffix) && creds[names.profile]) {
    const meant = names.profile.slice(0, -suffix.length);
    return fail(
      t('hint.longTermAsProfile', { given: names.profile, command: retyped(invocation, { profile: meant }) }),
    );
  }
  // [profile work-long-term] in the credentials file: the SDKs do not read it there
  if (credsDoc.spans().some((s) => s.name.replace(/^profile\s+/, '') === names.longTerm && s.name !== names.longTerm)) {
    return fail(t('hint.profilePrefixInCredentials', { section: names.longTerm, file: paths.credentials }));
  }
  // the credential_process profile setup-credential-process wrote ([profile prod-auto]): aws-mfa's own
  // commands take the profile it names (the new user's `aws-mfa --profile prod-auto`)
  const cp = config[names.profile]?.credential_process;
  const named = typeof cp === 'string' ? /\baws-mfa\b.*\scredential-process\b.*--profile[ =](\S+)/.exec(cp) : null;
  if (named) {
    const meant = named[1]!.replace(/^["']|["']$/g, '');
    return fail(
      t('hint.credentialProcessProfile', {
        given: names.profile,
        meant,
        command: retyped(invocation, { profile: meant }),
      }),
    );
  }
  // keys that sit only in ~/.aws/config
  const inConfig = config[names.longTerm] ?? config[names.profile];
  if (inConfig && typeof inConfig.aws_access_key_id === 'string') {
    return fail(
      t('hint.keysInConfig', { file: paths.config, section: names.longTerm, credentials: paths.credentials }),
    );
  }
  // `aws configure --profile X` put the long-term keys in [X], where the session goes
  if (
    names.form === 'suffix' &&
    creds[names.profile] &&
    storedSessionFromSection(stringEntries(creds[names.profile]!)).holdsLongTermKeys
  ) {
    return fail(
      t('hint.keysInProfile', {
        profile: names.profile,
        section: names.longTerm,
        init: suggest(names, flags, 'init'),
        // the command typed, with -s/-d (an export read by a shell: its recipe again)
        sourceDestination: invocation
          ? retyped(invocation, { source: names.profile, destination: `${names.profile}_mfa` })
          : keepKeysCommand(names),
      }),
    );
  }
  // [P] holds a session that `aws-mfa -s SRC -d P` wrote: the keys are in [SRC]
  if (names.form === 'suffix') {
    const [pair] = sourceDestinationPairs(creds, suffix.replace(/^-/, ''), names.profile);
    if (pair)
      return fail(
        t('hint.sourceDestinationSession', {
          profile: names.profile,
          source: pair.source,
          command: retyped(invocation, { source: pair.source, destination: pair.destination }),
        }),
      );
  }
  // a near-miss: the closest long-term section (or profile) by edit distance
  const best = closest(
    Object.keys(creds).filter((n) => n.endsWith(suffix) && n !== suffix),
    names.longTerm,
  );
  if (best && names.form === 'suffix') {
    return fail(nearMiss(best, best.slice(0, -suffix.length)));
  }
  // a near-miss of a -s/-d destination ([example_mfa] for exmaple_mfa): that pair's command
  if (names.form === 'suffix') {
    const pairs = sourceDestinationPairs(creds, suffix.replace(/^-/, ''));
    const near = closest(
      pairs.map((p) => p.destination),
      names.profile,
    );
    const pair = pairs.find((p) => p.destination === near);
    if (pair) {
      const command = retyped(invocation, { source: pair.source, destination: pair.destination });
      return fail(t('hint.nearMiss', { section: pair.destination, command }));
    }
    // a near-miss of a section holding keys as `aws configure --profile X` left them ([example] for
    // exmaple): that name, whose own hint then offers init and -s/-d (not init under the typo)
    const keyed = Object.keys(creds).filter(
      (n) => !n.endsWith(suffix) && storedSessionFromSection(stringEntries(creds[n]!)).holdsLongTermKeys,
    );
    const meant = closest(keyed, names.profile);
    if (meant) return fail(nearMiss(meant, meant));
  }
  if (names.form === 'source-destination') {
    // a near-miss -s: the closest section that holds long-term keys
    const holdsKeys = (n: string) => storedSessionFromSection(stringEntries(creds[n]!)).holdsLongTermKeys;
    const sources = Object.keys(creds).filter(holdsKeys);
    const near = closest(sources, names.longTerm);
    if (near)
      return fail(
        t('hint.nearMiss', {
          section: near,
          command: retyped(invocation, { source: near, destination: names.shortTerm }),
        }),
      );
    return fail(t('hint.sourceMissing', { section: names.longTerm }));
  }
  // no profile named, so "default", while the file holds other profiles' keys (the guides' cloudX): name them
  if (names.form === 'suffix' && names.profileSource === 'default') {
    const own = (n: string) => {
      const props = stringEntries(creds[n]!);
      return markerSet(props) || storedSessionFromSection(props).holdsLongTermKeys;
    };
    const profiles = Object.keys(creds)
      .filter((n) => n.endsWith(suffix) && n !== suffix && own(n))
      .map((n) => n.slice(0, -suffix.length));
    const pairs = sourceDestinationPairs(creds, suffix.replace(/^-/, ''));
    // keys as `aws configure --profile X` left them: that profile's own hint then offers init and -s/-d
    const left = pairs.length ? [] : Object.keys(creds).filter((n) => !n.endsWith(suffix) && own(n));
    const named = [...profiles.map((p) => p + suffix), ...pairs.map((p) => p.source), ...left];
    const first: Partial<Record<keyof typeof NAME_OPTIONS, string>> | undefined =
      profiles[0] !== undefined
        ? { profile: profiles[0] }
        : (pairs[0] ?? (left[0] !== undefined ? { profile: left[0] } : undefined));
    if (first) {
      const sections =
        named
          .slice(0, 4)
          .map((n) => `[${n}]`)
          .join(', ') + (named.length > 4 ? ', …' : '');
      if (named.length === 1) return fail(t('hint.noProfileNamed', { sections, command: retyped(invocation, first) }));
      // several: an example, never a program run or a session cleared in an account the user did not choose
      const risky = invocation?.program !== undefined || invocation?.words[0] === 'clear';
      const command = risky ? retyped({ words: [], args: [] }, first) : retyped(invocation, first);
      return fail(t('hint.noProfileNamedMany', { sections, command }));
    }
  }
  return fail(t('hint.runInit', { command: suggest(names, flags, 'init') }));
}

/**
 * `status -s S -d D` where [D] is not there but a section holding a session is a near miss of it (a typo:
 * the row would offer a renewal that writes a new, misspelt section): that name, as the command typed.
 */
export function nearDestinationError(names: Names, paths: FilePaths, invocation?: Invocation): CliError | undefined {
  const creds = readView(readIni(paths.credentials, 'credentials').doc, 'credentials').profiles;
  const holdsSession = (n: string) => {
    const v = storedSessionFromSection(stringEntries(creds[n]!));
    return !v.holdsLongTermKeys && !v.empty;
  };
  const meant = closest(Object.keys(creds).filter(holdsSession), names.shortTerm);
  if (!meant) return undefined;
  const command = retyped(invocation, { source: names.longTerm, destination: meant });
  return new CliError(
    t('hint.destinationNearMiss', { section: names.shortTerm, file: paths.credentials, meant, command }),
    EXIT.CONFIG,
  );
}

/** A positional argument a command does not take, where it stands in `args` (the arguments parsed). */
export interface Unexpected {
  arg: string;
  at: number;
  args: readonly string[];
}

/**
 * A hint for an argument the session command does not take (`aws-mfa --profile work status`): a command
 * name put after the options, a code without --token, a command name mistyped; each as the command line
 * rebuilt, ready to paste. `commands`: the command names.
 */
export function misplacedArgumentHint(u: Unexpected, commands: readonly string[]): string | undefined {
  const before = u.args.slice(0, u.at);
  const after = u.args.slice(u.at + 1);
  const line = (...words: string[]) => ['aws-mfa', ...words.map(shellWord)].join(' ');
  const command = commands.includes(u.arg) ? u.arg : undefined;
  if (command) {
    // a subcommand (`device list`) stays beside its command
    const sub = after[0] !== undefined && !after[0].startsWith('-') ? after.slice(0, 1) : [];
    return t('usage.commandFirst', {
      arg: u.arg,
      command: line(command, ...sub, ...before, ...after.slice(sub.length)),
    });
  }
  if (/^\d{3} ?\d{3}$/.test(u.arg))
    return t('usage.codeWithoutToken', { command: line(...before, '--token', u.arg, ...after) });
  const near = closest(commands, u.arg);
  if (near) return t('usage.didYouMean', { arg: u.arg, command: line(near, ...before, ...after) });
  return undefined;
}

/** "did you mean" for an unknown command (`aws-mfa stauts`), as the command line rebuilt. */
export function unknownCommandHint(argv: readonly string[], commands: readonly string[]): string | undefined {
  const near = closest(commands, argv[0]!);
  return (
    near &&
    t('usage.didYouMean', { arg: argv[0]!, command: ['aws-mfa', near, ...argv.slice(1)].map(shellWord).join(' ') })
  );
}

/** The name closest to `wanted` by edit distance, when it is near enough to be a typo. */
function closest(candidates: readonly string[], wanted: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const n of candidates) {
    const d = distance(n, wanted);
    if (d <= Math.max(2, Math.floor(wanted.length / 4)) && (!best || d < best.d)) best = { name: n, d };
  }
  return best?.name;
}

const stringEntries = (o: Record<string, unknown>) =>
  new Map(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** The options that name profiles, by every spelling the parser takes. */
const NAME_OPTIONS = { profile: ['--profile'], source: ['-s', '--source'], destination: ['-d', '--destination'] };
/** A name option with its value; `--profile=-x` for a value that starts with "-" (the parser refuses it apart). */
const option = (kind: keyof typeof NAME_OPTIONS, value: string) =>
  value.startsWith('-') ? [`${NAME_OPTIONS[kind][0]!}=${value}`] : [NAME_OPTIONS[kind][0]!, value];
/** The options whose values are MFA codes: stale by the time a suggested command is pasted. */
const CODE_OPTIONS = ['--token', '--mfa-token', '--code1', '--code2'];

/**
 * The user's command again with other profile names (a typo's fix, `-s/-d` instead of `--profile`):
 * ready to paste, and doing what the user asked for (an `export`, an `exec` of the same program), not
 * only the session. A name option is replaced where it stands (`--profile X`, `--profile=X`, `-sX`)
 * or, when the name came from the environment, added after the command's words; name options not
 * wanted are dropped, and so are the codes and --force. exec's program and its arguments are repeated
 * as typed, after `--` (they are the user's own command line, on the screen it was typed on; a
 * suggestion without them could not be pasted). Without the invocation: the session command.
 */
export function retyped(
  invocation: Invocation | undefined,
  wanted: Partial<Record<keyof typeof NAME_OPTIONS, string>>,
) {
  const kinds = Object.keys(NAME_OPTIONS) as Array<keyof typeof NAME_OPTIONS>;
  const kindOf = (arg: string) =>
    kinds.find((k) =>
      NAME_OPTIONS[k].some((o) => arg === o || arg.startsWith(`${o}=`) || (o.length === 2 && arg.startsWith(o))),
    );
  const kept: string[] = [];
  const given = new Set<string>();
  const args = invocation?.args ?? [];
  const end = args.indexOf('--') < 0 ? args.length : args.indexOf('--');
  for (let i = 0; i < end; i++) {
    const arg = args[i]!;
    const separate = (o: string) => arg === o;
    const kind = kindOf(arg);
    const code = CODE_OPTIONS.find((o) => arg === o || arg.startsWith(`${o}=`));
    // no message suggests --force (a renewal spends a code, and with swapped names it is what risks a key)
    if (arg === '--force') continue;
    if (kind === undefined && code === undefined) {
      kept.push(arg);
      continue;
    }
    if ([...(kind ? NAME_OPTIONS[kind] : []), ...(code ? [code] : [])].some(separate)) i++; // its value is the next
    const value = kind && wanted[kind];
    if (kind && value !== undefined && !given.has(kind)) {
      kept.push(...option(kind, value));
      given.add(kind);
    }
  }
  const added = kinds.filter((k) => wanted[k] !== undefined && !given.has(k)).flatMap((k) => option(k, wanted[k]!));
  const words = invocation?.words ?? [];
  // exec's program as typed, after `--` so that none of its words is taken for aws-mfa's
  const program = invocation?.program ? ['--', ...invocation.program] : args.slice(end);
  const line = ['aws-mfa', ...words, ...added, ...kept, ...program].map(shellWord).join(' ');
  return words[0] === 'export' && invocation?.output ? readByShell(line, kept, invocation.output) : line;
}

/**
 * `export`'s lines were read by a shell (`eval "$(aws-mfa export)"`, cmd's file and `call`): the offer is
 * that recipe again, as the READMEs give it; pasted bare it would print the session on the screen.
 */
function readByShell(line: string, kept: readonly string[], output: NonNullable<Invocation['output']>): string {
  if (output.screen()) return line;
  const at = kept.findIndex((a) => a === '--format' || a.startsWith('--format='));
  const given = at < 0 ? undefined : kept[at]!.includes('=') ? kept[at]!.slice('--format='.length) : kept[at + 1];
  const format = given ?? output.shell();
  const file = '"%TEMP%\\aws-mfa.cmd"';
  switch (format) {
    case 'sh':
      return `eval "$(${line})"`;
    case 'fish':
      return `${line} | source`;
    case 'powershell':
      return `${line} | Invoke-Expression`;
    case 'cmd':
      return `${line} > ${file} && call ${file} >nul && del ${file}`;
    default:
      return line; // json, dotenv: read by programs, from wherever the user put them
  }
}
