/**
 * The name of the process that started aws-mfa (the shell that will read `export`'s lines), where
 * the system tells it without running anything: Linux's /proc. Elsewhere undefined, and
 * core/formats.ts falls back to POSIX sh.
 */
import { readFileSync } from 'node:fs';

export function parentProcessName(
  platform: NodeJS.Platform = process.platform,
  ppid: number = process.ppid,
): string | undefined {
  if (platform !== 'linux' || !ppid) return undefined;
  try {
    return readFileSync(`/proc/${ppid}/comm`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
