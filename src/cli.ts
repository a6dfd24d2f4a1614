/**
 * The entry point: the only reader of argv, the environment and stdio, and the only caller of
 * process exit. Parsing uses Node's own util.parseArgs (no start-up cost); commands are loaded
 * lazily so the cached path loads only what it needs.
 */
import { homedir, userInfo } from 'node:os';
import { realpathSync } from 'node:fs';
import { EXIT, isCliError, usageError } from './errors.js';
import { Logger, processTerminal, writeAll, isTerminal } from './io/terminal.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './commands/options.js';
import { loadAws } from './aws/index.js';
import type { Context } from './context.js';

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
  --connect-timeout SECONDS   network timeouts (else cli_connect_timeout / cli_read_timeout, else 10 / 30)
  --read-timeout SECONDS      (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and AWS_CA_BUNDLE are honoured)
  --force                     renew even if the session is still valid
  --setup                     interactive setup of the long-term section
  --log-level LEVEL           DEBUG, INFO (default), WARNING, ERROR or CRITICAL
  -h, --help                  this help
  --version                   the version

Commands (each takes the session options above; aws-mfa COMMAND --help for its own):
  export [--format F]         print the session as shell variables: sh, fish, powershell, cmd, json, dotenv
                              (eval "$(aws-mfa export --profile work)")
  exec -- COMMAND [ARGS...]   run a command with the session in its environment
  credential-process          the credential_process JSON for the AWS CLI and SDKs
  setup-credential-process [--name N]  write [profile N] with credential_process to ~/.aws/config
  status [--json]             the profiles aws-mfa manages and their time left (no AWS call)
  whoami [--json]             GetCallerIdentity with the session
  console [--print]           open the AWS console with a role session
  clear                       remove the short-term section
  completion SHELL            completion script for bash, zsh, fish or powershell
  device create [--name N] [--path P] [--user U] [--qr-png FILE] [--show-secret] [--code1 C --code2 C]
                              create a virtual MFA device, show its QR code, enable it, write aws_mfa_device
  device enable --serial ARN  enable an existing device with two codes
  device list [--json]        the user's MFA devices and unassigned virtual devices
  device remove [--serial ARN] [--yes]   deactivate and delete a device
  init [--access-key-id ID] [--secret-access-key-stdin] [--device ARN | --device-name N] [...]
                              the whole onboarding: keys checked, [NAME-long-term], device, first session

Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, 3 files or setup, 4 AWS refused,
5 network, 130 interrupted.
`;

const ROOT_OPTIONS = {
  ...SESSION_OPTIONS,
  setup: { type: 'boolean' },
  source: { type: 'string', short: 's' },
  destination: { type: 'string', short: 'd' },
  version: { type: 'boolean' },
} as const;

type CommandModule = { run: (argv: string[], ctx: Context, ...extra: never[]) => Promise<number> | number; options?: Record<string, unknown> };

/** Every subcommand, loaded only when it runs (the cached session path loads none of them). */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  export: { summary: 'print the session as shell variables (sh, fish, powershell, cmd, json, dotenv)', load: () => import('./commands/export.js') },
  exec: { summary: 'run a command with the session in its environment', load: () => import('./commands/exec.js') },
  'credential-process': { summary: 'the credential_process JSON for the AWS CLI and SDKs', load: () => import('./commands/credential-process.js') },
  'setup-credential-process': { summary: 'write a ~/.aws/config profile that uses credential-process', load: () => import('./commands/setup-credential-process.js') },
  status: { summary: 'the profiles aws-mfa manages and their time left (no AWS call)', load: () => import('./commands/status.js') },
  whoami: { summary: 'who the session is (GetCallerIdentity)', load: () => import('./commands/whoami.js') },
  console: { summary: 'open the AWS console with the (role) session', load: () => import('./commands/console.js') },
  clear: { summary: 'remove the short-term section so the next run asks for a code', load: () => import('./commands/clear.js') },
  device: { summary: 'virtual MFA devices: create (QR in the terminal), enable, list, remove', load: () => import('./commands/device.js') },
  init: { summary: 'the whole onboarding: keys, MFA device, first session', load: () => import('./commands/init.js') },
  completion: { summary: 'shell completion script (bash, zsh, fish, powershell)', load: () => import('./commands/completion.js') },
};

const commandHelp = (name: string, options: Record<string, unknown>) =>
  `Usage: aws-mfa ${name} [options]${name === 'exec' ? ' -- COMMAND [ARGS...]' : ''}\n\n${COMMANDS[name]!.summary}.\n\nOptions: ${Object.keys(options)
    .map((o) => `--${o}`)
    .join(' ')}\n\nThe session options mean what they mean for "aws-mfa" itself (see aws-mfa --help).\n`;

export async function main(argv: string[], ctx: Context): Promise<number> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-')) {
    const spec = COMMANDS[first];
    if (!spec) throw usageError(`unknown command "${first}"; see aws-mfa --help`);
    const mod = await spec.load();
    const rest = argv.slice(1);
    const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest; // after -- it is exec's command
    if (first !== 'completion' && (own.includes('--help') || own.includes('-h'))) {
      ctx.stdout(commandHelp(first, mod.options ?? {}));
      return EXIT.OK;
    }
    if (first === 'completion') {
      const specs = await Promise.all(
        Object.entries(COMMANDS).map(async ([name, c]) => ({ name, summary: c.summary, flags: Object.keys((name === 'completion' ? {} : (await c.load()).options) ?? {}) })),
      );
      return (mod.run as (a: string[], c: Context, s: typeof specs, r: string[]) => number)(rest, ctx, specs, Object.keys(ROOT_OPTIONS));
    }
    if (first === 'setup-credential-process') return await (mod.run as (a: string[], c: Context, s: string) => Promise<number>)(rest, ctx, ctx.script);
    return await mod.run(rest, ctx);
  }
  const { values: v } = parse(argv, ROOT_OPTIONS);
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
  return await sessionCommand({ ...sessionFlags(v), setup: v.setup }, ctx);
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
    stderr: (s) => writeAll(2, s),
    get colourTerminal() {
      return isTerminal(2) && process.env.TERM !== 'dumb' && !process.env.NO_COLOR;
    },
    get script() {
      // a single executable (npm run package) is its own script: its argv[1] repeats argv[0]
      if ((process.getBuiltinModule?.('node:sea') as typeof import('node:sea') | undefined)?.isSea()) return '';
      try {
        return realpathSync(process.argv[1] ?? '');
      } catch {
        return process.argv[1] ?? 'aws-mfa';
      }
    },
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

