/**
 * Commands as declarations. Each command declares its options in one table (name, aliases, type,
 * default, environment variables, a one-line description, completion values) and its examples;
 * the table feeds parsing (Node's own util.parseArgs: no start-up cost, strict), `--help`,
 * completion and the README's option tables (a test keeps those in step).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.js';
import { splitExecArgs } from '../core/exec-args.js';
import { t, type MessageKey } from '../messages/index.js';
import type { Context } from '../context.js';
import type { Unexpected } from '../service/hints.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Other long names that mean the same (broamski's --assume for --assume-role, say). */
  aliases?: readonly string[];
  /** The value's placeholder in help: NAME, SECONDS, ARN. */
  value?: string;
  /** The default, as help shows it (literal text). */
  default?: string;
  /** The default in words, where it is not a literal value (help shows it in the user's language). */
  defaultText?: MessageKey;
  /** Environment variables that give the value when the flag is absent, in order. */
  env?: readonly string[];
  /** What gives the value after those variables (a file's key, a lookup), in words: help lists it with them. */
  after?: MessageKey;
  help: MessageKey;
  /** Values completion offers (--format's, say). */
  choices?: readonly string[];
  /** Completion offers profile names from the files. */
  profiles?: boolean;
  /** Not shown in help or completion (kept for compatibility). */
  hidden?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec {
  /** `export`, `device create`; '' for the session command itself. */
  name: string;
  summary: MessageKey;
  /** What follows `aws-mfa NAME` in the usage line. */
  usage: string;
  options: OptionTable;
  /** Command lines a user can paste. */
  examples: readonly string[];
  /** Positional arguments allowed (exec's command; completion's shell). */
  positionals?: boolean;
  /** Options end at the first positional: the rest belongs to it verbatim (exec's command). */
  passThrough?: boolean;
}

export interface CommandDef<O extends OptionTable = OptionTable> {
  spec: CommandSpec & { options: O };
  run(input: Parsed<O>, ctx: Context): Promise<number> | number;
}

export type Values<O extends OptionTable> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
export interface Parsed<O extends OptionTable> {
  values: Values<O>;
  positionals: string[];
  /** A command that runs a program (exec): aws-mfa's own arguments, and the program with its arguments. */
  passed?: { own: string[]; program: string[] };
}

/** Build a command definition with its option names typed. */
export const command = <O extends OptionTable>(def: CommandDef<O>): CommandDef<O> => def;

/**
 * Parse `args` by a table: aliases fold into their option (giving two different values is an
 * error), and Node's messages become one line that says where help is.
 */
export function parseWith<O extends OptionTable>(
  spec: { name: string; options: O; positionals?: boolean; passThrough?: boolean },
  argv: string[],
): Parsed<O> {
  let args = argv;
  let rest: string[] = [];
  if (spec.passThrough) {
    // the split needs every name an option answers to, aliases included
    const names: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
    for (const [name, o] of Object.entries(spec.options))
      for (const n of [name, ...(o.aliases ?? [])])
        names[n] = { type: o.type, ...(n === name && o.short ? { short: o.short } : {}) };
    ({ own: args, command: rest } = splitExecArgs(argv, names));
  }
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    config[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
    for (const a of o.aliases ?? []) config[a] = { type: o.type };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: config, allowPositionals: Boolean(spec.positionals), strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const help = spec.name ? `aws-mfa ${spec.name} --help` : 'aws-mfa --help';
    const ambiguous = /Option '(-[-\w]+)[^']*' argument is ambiguous/.exec(msg);
    if (ambiguous) {
      // a number of seconds or a port is never negative: "write --min-ttl=-5" would only be refused next
      const flag = ambiguous[1]!;
      const o = spec.options[flag.replace(/^--/, '')];
      const value = args[args.indexOf(flag) + 1] ?? '';
      if (o?.value === 'SECONDS' || o?.value === 'PORT') throw usageError(t('usage.negativeNumber', { flag, value }));
      throw usageError(t('usage.dashValue', { flag }));
    }
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw usageError(t('usage.unknownOption', { flag: unknown[1]!, help }));
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    if (positional) {
      const arg = positional[1]!;
      // where it stands, for a hint that rebuilds the command line (cli.ts): the first positional token
      const at = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true }).tokens.find(
        (tok) => tok.kind === 'positional' && tok.value === arg,
      )?.index;
      const err = usageError(t('usage.unexpectedArgument', { arg, help }));
      throw at === undefined ? err : Object.assign(err, { unexpected: { arg, at, args } satisfies Unexpected });
    }
    const missing = /Option '([^' ]+)[^']*' argument missing/.exec(msg);
    if (missing) throw usageError(t('usage.missingValue', { flag: missing[1]!, help }));
    throw usageError(t('usage.other', { message: msg.split('\n')[0]!.replace(/\.$/, ''), help }));
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    const given = [name, ...(o.aliases ?? [])].filter(
      (n) => (parsed.values as Record<string, unknown>)[n] !== undefined,
    );
    const vals = given.map((n) => (parsed.values as Record<string, string | boolean>)[n]);
    if (new Set(vals).size > 1)
      throw usageError(t('usage.sameOption', { flags: given.map((n) => `--${n}`).join(t('usage.and')) }));
    values[name] = vals[0];
  }
  const passed = spec.passThrough ? { passed: { own: args, program: rest } } : {};
  return { values: values as Values<O>, positionals: [...parsed.positionals, ...rest], ...passed };
}
