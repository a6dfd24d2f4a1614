/**
 * `aws-mfa exec [--profile P] [--] COMMAND ARGS...`: run a command with the session in its
 * environment. Profile variables that could make it pick other credentials are removed; stdio and
 * signals pass through; the exit code is the child's.
 */
import { usageError, CliError, EXIT } from '../errors.js';
import { sessionEnv, SHADOWING_VARS } from '../core/formats.js';
import { splitExecArgs } from '../core/exec-args.js';
import { ensureSession } from '../service/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import type { Context } from '../context.js';

export const options = SESSION_OPTIONS;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { own, command: positionals } = splitExecArgs(argv, options);
  const { values: v } = parse(own, options);
  ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
  if (positionals.length === 0) throw usageError('exec needs a command: aws-mfa exec --profile NAME -- COMMAND [ARGS...]');
  const flags = sessionFlags(v);
  const { p, session } = await ensureSession(flags, ctx, 'terminal-only');
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(ctx.env)) if (val !== undefined && !SHADOWING_VARS.includes(k)) env[k] = val;
  // the SDK's own switch that aws-mfa sets for itself is not passed on
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  for (const [k, val] of sessionEnv(session, p.configuredRegion)) env[k] = val;
  return await spawnChild(positionals[0]!, positionals.slice(1), env);
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;

async function spawnChild(command: string, args: string[], env: Record<string, string>): Promise<number> {
  // cross-spawn: on Windows it finds `aws.cmd` and `terraform.exe` by PATHEXT and quotes arguments
  // for cmd.exe, which child_process.spawn alone does not; elsewhere it is child_process.spawn
  const { default: spawn } = await import('cross-spawn');
  const { constants } = await import('node:os');
  return await new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    const forward: Array<[string, () => void]> = SIGNALS.map((s) => [s, () => child.kill(s)]);
    for (const [s, f] of forward) process.on(s, f);
    const done = () => {
      for (const [s, f] of forward) process.off(s, f);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      done();
      if (e.code === 'ENOENT') reject(new CliError(`${command}: command not found; check the name and PATH`, EXIT.NOT_FOUND));
      else if (e.code === 'EACCES') reject(new CliError(`${command}: permission denied; it is not executable`, EXIT.NOT_EXECUTABLE));
      else reject(e);
    });
    child.on('exit', (code, signal) => {
      done();
      if (signal) resolve(128 + (constants.signals[signal] ?? 1));
      else resolve(code ?? 1);
    });
  });
}
