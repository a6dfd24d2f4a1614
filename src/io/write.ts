/**
 * The one place that writes the user's files: an inter-process lock around read-modify-write,
 * and an atomic replace (temporary file in the same folder, fsync, rename) that keeps the mode.
 * Loaded lazily (its own chunk in the bundle): the cached path never writes.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

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
    await writeFileAtomic(target, next, { encoding: 'utf8', mode, fsync: true });
    return { changed: true, created: current === undefined };
  } finally {
    await release();
  }
}
