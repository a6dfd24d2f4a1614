/**
 * Flag tables shared by the commands, and the one parser over Node's util.parseArgs (no start-up
 * cost, and strict: an unknown flag is an error that names it).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../io/terminal.js';
import type { SessionFlags } from '../core/session.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** The flags that choose and obtain a session (broamski's, plus ours). */
export const SESSION_OPTIONS = {
  profile: { type: 'string' },
  device: { type: 'string' },
  duration: { type: 'string' },
  'assume-role': { type: 'string' },
  assume: { type: 'string' },
  'role-session-name': { type: 'string' },
  'external-id': { type: 'string' },
  'long-term-suffix': { type: 'string' },
  'long-suffix': { type: 'string' },
  'short-term-suffix': { type: 'string' },
  'short-suffix': { type: 'string' },
  token: { type: 'string' },
  'mfa-token': { type: 'string' },
  region: { type: 'string' },
  'min-ttl': { type: 'string' },
  force: { type: 'boolean' },
  'connect-timeout': { type: 'string' },
  'read-timeout': { type: 'string' },
  ...COMMON_OPTIONS,
} as const satisfies Options;

export function parse<O extends Options>(args: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (e) {
    // Node's messages name the flag; keep their first sentence and say where help is
    const msg = (e as Error).message;
    const ambiguous = /Option '(-[-\w]+)[^']*' argument is ambiguous/.exec(msg);
    if (ambiguous) throw usageError(`the value of ${ambiguous[1]} starts with "-"; write ${ambiguous[1]}=VALUE if you mean it`);
    const first = msg.split('\n')[0]!.replace(/\. To specify a positional.*$/, '').replace(/\.$/, '');
    throw usageError(`${first}; see aws-mfa --help`);
  }
}

function one(a: string | undefined, b: string | undefined, names: string): string | undefined {
  if (a !== undefined && b !== undefined && a !== b) throw usageError(`${names} are the same option; give it once`);
  return a ?? b;
}

type SessionValues = { [K in keyof typeof SESSION_OPTIONS]?: (typeof SESSION_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export function sessionFlags(v: SessionValues & { source?: string; destination?: string }): SessionFlags {
  return {
    profile: v.profile,
    device: v.device,
    duration: v.duration,
    assumeRole: one(v['assume-role'], v.assume, '--assume-role and --assume'),
    roleSessionName: v['role-session-name'],
    externalId: v['external-id'],
    longTermSuffix: one(v['long-term-suffix'], v['long-suffix'], '--long-term-suffix and --long-suffix'),
    shortTermSuffix: one(v['short-term-suffix'], v['short-suffix'], '--short-term-suffix and --short-suffix'),
    token: one(v.token, v['mfa-token'], '--token and --mfa-token'),
    region: v.region,
    minTtl: v['min-ttl'],
    force: v.force,
    source: v.source,
    destination: v.destination,
    connectTimeout: v['connect-timeout'],
    readTimeout: v['read-timeout'],
  };
}

export function logLevelOf(v: string | undefined, fallback: LogLevel = 'INFO'): LogLevel {
  if (v === undefined) return fallback;
  const l = v.toUpperCase() === 'NOTSET' ? 'DEBUG' : (v.toUpperCase() as LogLevel);
  if (!LOG_LEVELS.includes(l)) throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${v}"`);
  return l;
}
