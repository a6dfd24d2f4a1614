/**
 * The entry point: the only reader of argv, the environment and stdio, and the only caller of
 * process exit. Parsing uses Node's own util.parseArgs (no start-up cost); commands are loaded
 * lazily so the cached path loads only what it needs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { homedir, userInfo } from 'node:os';
import { CliError, EXIT, isCliError, usageError } from './errors.js';
import { Logger, LOG_LEVELS, processTerminal, writeAll, type LogLevel } from './io/terminal.js';
import { loadAws } from './aws/index.js';
import type { Context } from './commands/context.js';

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export const HELP = `aws-mfa ${VERSION}: MFA-protected AWS sessions from the terminal

Usage:
  aws-mfa [--profile NAME] [options]       get or reuse an MFA session for NAME
  aws-mfa -s SOURCE -d DESTINATION         go-aws-mfa form: keys from [SOURCE], session to [DESTINATION]
  aws-mfa --setup                          add your long-term access key ([NAME-long-term])

Session options (broamski aws-mfa compatible):
  --profile NAME              profile (else AWS_PROFILE, AWS_DEFAULT_PROFILE, "default")
  --device ARN                MFA device (else MFA_DEVICE, aws_mfa_device / mfa_serial, the user's only device)
  --duration SECONDS          session length (else MFA_STS_DURATION; 43200, or 3600 with a role)
  --assume-role, --assume ARN role to assume (else MFA_ASSUME_ROLE, assume_role in the long-term section)
  --role-session-name NAME    role session name (default: your OS user name)
  --external-id ID            external id the role requires
  --long-term-suffix, --long-suffix SUFFIX    long-term section suffix (default long-term; none = the profile)
  --short-term-suffix, --short-suffix SUFFIX  short-term section suffix (default none)
  --token, --mfa-token CODE   the 6-digit code (else asked on the terminal, else one line of stdin)
  --region REGION             STS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  --min-ttl SECONDS           renew a session that ends sooner than this (default 300)
  --force                     renew even if the session is still valid
  --setup                     interactive setup of the long-term section
  --log-level LEVEL           DEBUG, INFO (default), WARNING, ERROR or CRITICAL
  -h, --help                  this help
  --version                   the version

Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, 3 files or setup, 4 AWS refused,
5 network, 130 interrupted.
`;

const SESSION_OPTIONS = {
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
  setup: { type: 'boolean' },
  'log-level': { type: 'string' },
  source: { type: 'string', short: 's' },
  destination: { type: 'string', short: 'd' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = false) {
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

export function logLevelOf(v: string | undefined): LogLevel {
  if (v === undefined) return 'INFO';
  const l = v.toUpperCase() === 'NOTSET' ? 'DEBUG' : (v.toUpperCase() as LogLevel);
  if (!LOG_LEVELS.includes(l)) throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${v}"`);
  return l;
}

export async function main(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, SESSION_OPTIONS);
  if (v.help) {
    ctx.stdout(HELP);
    return EXIT.OK;
  }
  if (v.version) {
    ctx.stdout(`${VERSION}\n`);
    return EXIT.OK;
  }
  ctx.log.level = logLevelOf(v['log-level']);
  const { sessionCommand } = await import('./commands/session.js');
  return await sessionCommand(
    {
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
      setup: v.setup,
      source: v.source,
      destination: v.destination,
    },
    ctx,
  );
}

function processContext(): Context {
  const log = new Logger();
  return {
    env: process.env,
    platform: process.platform === 'win32' ? 'windows' : 'linux',
    homedir,
    now: () => new Date(),
    log,
    term: processTerminal(),
    user: () => {
      try {
        return userInfo().username;
      } catch {
        return process.env.USER ?? process.env.USERNAME ?? 'aws-mfa';
      }
    },
    aws: () => loadAws(log),
    stdout: (s) => writeAll(1, s),
  };
}

export async function run(): Promise<void> {
  const ctx = processContext();
  let code: number;
  try {
    code = await main(process.argv.slice(2), ctx);
  } catch (e) {
    if (isCliError(e)) {
      ctx.log.error(e.message.split('\n')[0]!);
      code = e.exitCode;
    } else {
      const err = e as Error;
      ctx.log.error(`unexpected failure: ${err?.message ?? String(e)}${ctx.log.enabled('DEBUG') ? '' : ' (run with --log-level DEBUG for details)'}`);
      if (ctx.log.enabled('DEBUG') && err?.stack) writeAll(2, `${err.stack}\n`);
      code = EXIT.FAILURE;
    }
  }
  process.exitCode = code;
}

export { CliError };
