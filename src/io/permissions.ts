/**
 * Who else can change a file: ssh's rule for files whose content runs as a command (mfa_process)
 * or guards a secret. Unix mode bits and the folder chain; Windows has no such bits (undefined).
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** `group` or `others` when the file (or its folder) is writable by them, else undefined. */
export function othersCanWrite(path: string): 'group' | 'others' | undefined {
  if (process.platform === 'win32') return undefined;
  for (const p of [path, dirname(path)]) {
    let mode: number;
    try {
      mode = statSync(p).mode;
    } catch {
      continue;
    }
    // a sticky folder (like /tmp) does not let others replace a file they do not own
    if (p !== path && mode & 0o1000) continue;
    if (mode & 0o002) return 'others';
    if (mode & 0o020) return 'group';
  }
  return undefined;
}
