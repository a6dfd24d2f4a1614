/**
 * The option tables commands share: the flags that choose and obtain a session (broamski's, plus
 * go-aws-mfa's -s/-d, plus ours) and the common ones. A command's own table spreads these.
 */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { LOG_LEVELS, type LogLevel } from '../io/terminal.js';
import { quoted } from '../io/qr-target.js';
import type { SessionFlags } from '../core/profile.js';
import { DEFAULT_MIN_TTL } from '../core/decision.js';
import { DEFAULT_DURATION } from '../core/checks.js';
import { DEFAULT_LONG_TERM_SUFFIX, DEFAULT_PROFILE, NO_SUFFIX } from '../core/names.js';
import { DEFAULT_TIMEOUTS } from '../core/network.js';
import { PROMPT_DRIVERS } from '../core/prompt-choice.js';
import type { OptionTable, Values } from './spec.js';

export const COMMON_OPTIONS = {
  'log-level': { type: 'string', value: 'LEVEL', default: 'INFO', help: 'opt.logLevel', choices: LOG_LEVELS },
  lang: {
    type: 'string',
    value: 'LANG',
    env: ['AWS_MFA_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG'],
    after: 'opt.langAfter',
    help: 'opt.lang',
    choices: ['en', 'ja'],
  },
  help: { type: 'boolean', short: 'h', help: 'opt.help' },
} as const satisfies OptionTable;

/** The flags that name the profile: broamski's --profile and suffixes, go-aws-mfa's -s/-d. */
export const PROFILE_OPTIONS = {
  profile: {
    type: 'string',
    value: 'NAME',
    env: ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'],
    default: DEFAULT_PROFILE,
    help: 'opt.profile',
    profiles: true,
  },
  'long-term-suffix': {
    type: 'string',
    aliases: ['long-suffix'],
    value: 'SUFFIX',
    default: DEFAULT_LONG_TERM_SUFFIX,
    help: 'opt.longTermSuffix',
  },
  'short-term-suffix': {
    type: 'string',
    aliases: ['short-suffix'],
    value: 'SUFFIX',
    default: NO_SUFFIX,
    help: 'opt.shortTermSuffix',
  },
  source: { type: 'string', short: 's', value: 'SOURCE', help: 'opt.source', profiles: true },
  destination: { type: 'string', short: 'd', value: 'DESTINATION', help: 'opt.destination', profiles: true },
} as const satisfies OptionTable;

export const NETWORK_OPTIONS = {
  region: {
    type: 'string',
    value: 'REGION',
    env: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
    after: 'opt.regionAfter',
    help: 'opt.region',
  },
  'connect-timeout': {
    type: 'string',
    value: 'SECONDS',
    default: String(DEFAULT_TIMEOUTS.connect),
    after: 'opt.connectTimeoutAfter',
    help: 'opt.connectTimeout',
  },
  'read-timeout': {
    type: 'string',
    value: 'SECONDS',
    default: String(DEFAULT_TIMEOUTS.read),
    after: 'opt.readTimeoutAfter',
    help: 'opt.readTimeout',
  },
} as const satisfies OptionTable;

/** The flags that choose and obtain a session. */
export const SESSION_OPTIONS = {
  ...PROFILE_OPTIONS,
  device: { type: 'string', value: 'ARN', env: ['MFA_DEVICE'], after: 'opt.deviceAfter', help: 'opt.device' },
  duration: {
    type: 'string',
    value: 'SECONDS',
    env: ['MFA_STS_DURATION'],
    default: String(DEFAULT_DURATION.GetSessionToken),
    defaultText: 'opt.durationDefault',
    help: 'opt.duration',
  },
  'assume-role': {
    type: 'string',
    aliases: ['assume'],
    value: 'ARN',
    env: ['MFA_ASSUME_ROLE'],
    after: 'opt.assumeRoleAfter',
    help: 'opt.assumeRole',
  },
  'role-session-name': { type: 'string', value: 'NAME', help: 'opt.roleSessionName' },
  'external-id': { type: 'string', value: 'ID', help: 'opt.externalId' },
  token: { type: 'string', aliases: ['mfa-token'], value: 'CODE', help: 'opt.token' },
  prompt: { type: 'string', value: 'DRIVER', env: ['AWS_MFA_PROMPT'], help: 'opt.prompt', choices: PROMPT_DRIVERS },
  'min-ttl': { type: 'string', value: 'SECONDS', default: String(DEFAULT_MIN_TTL), help: 'opt.minTtl' },
  force: { type: 'boolean', help: 'opt.force' },
  ...NETWORK_OPTIONS,
  ...COMMON_OPTIONS,
} as const satisfies OptionTable;

/**
 * The options that name a file aws-mfa writes (`device create`, `init`), and the one flag that lets
 * it replace a file that is there: without it an existing file is refused and the new one is
 * created exclusively.
 */
export const OUTPUT_FILE_OPTIONS = {
  'qr-png': { type: 'string', value: 'FILE', help: 'opt.qrPng' },
  overwrite: { type: 'boolean', help: 'opt.overwrite' },
} as const satisfies OptionTable;

type SessionValues = Values<typeof SESSION_OPTIONS>;

export function sessionFlags(v: Partial<SessionValues>): SessionFlags {
  return {
    profile: v.profile,
    device: v.device,
    duration: v.duration,
    assumeRole: v['assume-role'],
    roleSessionName: v['role-session-name'],
    externalId: v['external-id'],
    longTermSuffix: v['long-term-suffix'],
    shortTermSuffix: v['short-term-suffix'],
    token: v.token,
    prompt: v.prompt,
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
  if (!LOG_LEVELS.includes(l)) throw usageError(t('usage.logLevel', { levels: LOG_LEVELS.join(', '), value: v }));
  return l;
}

/**
 * Options that are not repeated by `otherArgs`: the profile's (suggest() adds them), --qr-png's, --help, and
 * the MFA codes (a code is stale by the time the command is pasted; without them the run asks).
 */
const NOT_REPEATED = new Set([
  ...Object.keys(PROFILE_OPTIONS),
  ...Object.keys(OUTPUT_FILE_OPTIONS),
  'help',
  'token',
  'code1',
  'code2',
]);

/**
 * The options the user gave, as they can be pasted again (a fix that repeats the command): every one
 * but the profile's, --qr-png, --overwrite, --help and the codes, in the order of the command's table.
 */
export function otherArgs(values: Readonly<Record<string, string | boolean | undefined>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (NOT_REPEATED.has(name) || value === undefined || value === false) continue;
    parts.push(value === true ? `--${name}` : `--${name} ${quoted(value)}`);
  }
  return parts.join(' ');
}
