/**
 * Which large shared files were last found clean (no syntax error, no header twice, every header
 * in its plain form), so that the cached path reads a 10,000-profile file without checking all of
 * it on every run: the whole check runs once after each change to the file, not on every start.
 *
 * A file is known by its device, inode, size, and modification and change times in nanoseconds.
 * Any write to a file sets its change time, which only the kernel sets. A file is noted only when
 * its last change is over NOTE_AGE_MS old (so a second write in the same clock tick cannot go
 * unseen); a file changed while it was being read has a fresh change time, so it is neither
 * trusted nor noted. The notes live in the user's own cache folder, under the code cache's
 * rules (owned by the user, not writable by others; AWS_MFA_NO_CODE_CACHE=1 turns both off).
 * Small files are always checked in full: that costs less than looking here.
 */
import { closeSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';

/** Files smaller than this are checked in full on every read. */
export const NOTED_FROM_BYTES = 64 * 1024;
export const NOTE_AGE_MS = 3000;
const FILE = 'clean-files';
const KEEP = 16;

export interface FileIdentity {
  key: string;
  changedMs: number;
}

/** The identity of the file at `target` now (after it was read), or undefined if it cannot be had. */
export function identityOf(target: string): FileIdentity | undefined {
  try {
    const st = statSync(target, { bigint: true });
    return { key: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`, changedMs: Number(st.ctimeNs / 1_000_000n) };
  } catch {
    return undefined;
  }
}

function noted(dir: string): string[] {
  try {
    // ASCII lines; 'utf8' is Node's fast path (straight to C++)
    return readFileSync(join(dir, FILE), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Whether this very file (same identity) was found clean before. */
export function knownClean(id: FileIdentity, env: NodeJS.ProcessEnv = process.env): boolean {
  const dir = cacheDir(env, false);
  return dir !== undefined && noted(dir).includes(id.key);
}

/** Remember that the file was found clean; quietly does nothing when it cannot (a cache is optional). */
export function noteClean(id: FileIdentity, env: NodeJS.ProcessEnv = process.env, now = Date.now()): void {
  if (now - id.changedMs < NOTE_AGE_MS) return;
  const dir = cacheDir(env);
  if (!dir) return;
  const file = join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const lines = [id.key, ...noted(dir).filter((l) => l !== id.key)].slice(0, KEEP);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${lines.join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch {
    /* a cache is optional */
  }
}
