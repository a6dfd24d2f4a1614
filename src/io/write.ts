/**
 * The one place that writes the user's files: an inter-process lock around read-modify-write,
 * and an atomic replace (temporary file in the same folder, fsync, rename) that keeps the mode.
 * Loaded lazily (its own chunk in the bundle): the cached path never writes.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

/**
 * The lock is a directory that proper-lockfile makes with mkdir. Anything else at its path (a
 * symlink someone planted, a file) is refused rather than followed, so the lock cannot be used to
 * make aws-mfa touch another place.
 */
function checkLockPath(lockPath: string): void {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch {
    return; // no lock: fine
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isDirectory() || st.isSymbolicLink() || st.uid !== uid) {
    throw Object.assign(new Error(`${lockPath} is not a lock aws-mfa made (a ${st.isSymbolicLink() ? 'symbolic link' : st.isDirectory() ? 'folder of another user' : 'file'}); remove it and try again`), { code: 'EBADLOCK' });
  }
}

/**
 * Temporary files of writers that were killed before their rename (write-file-atomic names them
 * FILE.<number>). Under the lock no other aws-mfa is writing, so one older than a few seconds is
 * left over: it goes (it may hold a copy of the credentials).
 */
function removeStaleTemporaries(target: string): void {
  const dir = dirname(target);
  const prefix = `${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    if (!n.startsWith(prefix) || !/^\d+$/.test(n.slice(prefix.length))) continue;
    try {
      const p = join(dir, n);
      const st = lstatSync(p);
      if (st.isFile() && now - st.mtimeMs > 5_000) unlinkSync(p);
    } catch {
      /* gone already */
    }
  }
}

export interface LockedWriteResult {
  changed: boolean;
  created: boolean;
}

/**
 * Under a lock on `target` (a real path, links already followed), read its current bytes (or
 * undefined if it does not exist), let `produce` compute the new text (or null for no change),
 * and replace the file atomically. New files are 0600 in a 0700 folder; existing files keep
 * their mode (the temporary file is created with it, never loosened later).
 */
export async function lockedUpdate(
  target: string,
  produce: (current: Buffer | undefined) => string | null,
): Promise<LockedWriteResult> {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  checkLockPath(`${target}.lock`);
  const release = await lockfile.lock(target, {
    realpath: false,
    lockfilePath: `${target}.lock`,
    stale: 5_000,
    retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 250, randomize: true },
  });
  try {
    let current: Buffer | undefined;
    let mode = 0o600;
    try {
      current = readFileSync(target);
      mode = statSync(target).mode & 0o777;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const next = produce(current);
    if (next === null || (current !== undefined && current.equals(Buffer.from(next, 'utf8')))) {
      return { changed: false, created: false };
    }
    removeStaleTemporaries(target);
    await writeFileAtomic(target, next, { encoding: 'utf8', mode, fsync: true });
    return { changed: true, created: current === undefined };
  } finally {
    await release();
  }
}
