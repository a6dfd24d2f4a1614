/**
 * Running a child with stdio and signals passed through and its exit code returned (exec).
 * cross-spawn: on Windows it finds `aws.cmd` and `terraform.exe` by PATHEXT and quotes arguments
 * for cmd.exe, which child_process.spawn alone does not; elsewhere it is child_process.spawn.
 */
import spawn from 'cross-spawn';
import { constants } from 'node:os';
import { CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;

export async function spawnChild(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    const forward: Array<[string, () => void]> = SIGNALS.map((s) => [s, () => child.kill(s)]);
    for (const [s, f] of forward) process.on(s, f);
    const done = () => {
      for (const [s, f] of forward) process.off(s, f);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      done();
      if (e.code === 'ENOENT') reject(new CliError(t('exec.notFound', { command }), EXIT.NOT_FOUND));
      else if (e.code === 'EACCES') reject(new CliError(t('exec.notExecutable', { command }), EXIT.NOT_EXECUTABLE));
      else reject(e);
    });
    child.on('exit', (code, signal) => {
      done();
      if (signal) resolve(128 + (constants.signals[signal] ?? 1));
      else resolve(code ?? 1);
    });
  });
}
