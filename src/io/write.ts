/**
 * The one place that writes the user's files: an inter-process lock around read-modify-write,
 * and an atomic replace (temporary file in the same folder, fsync, rename) that keeps the mode.
 * Loaded lazily (its own chunk in the bundle): the cached path never writes.
 *
 * The replace is written here by hand: npm's write-file-atomic, atomically and fast-write-atomic
 * all open their temporary file with 'w' (no O_EXCL, so a planted symlink at its name is followed)
 * under a name an attacker can work out (a hash of path and pid, a timestamp and Math.random, a
 * counter). Ours is created with O_CREAT|O_EXCL under a name from crypto random bytes, with the
 * file's own mode from the start.
 */
import { t } from '../messages/index.js';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { onExit } from 'signal-exit';
import { readRegular } from './file-checks.js';

/**
 * The lock is a directory that proper-lockfile makes with mkdir. Anything else at its path (a
 * symlink someone planted, a file) is refused rather than followed, so the lock cannot be used to
 * make aws-mfa touch another place.
 */
export function checkLockPath(lockPath: string): void {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch {
    return; // no lock: fine
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isDirectory() || st.isSymbolicLink() || st.uid !== uid) {
    throw Object.assign(
      new Error(
        t(st.isSymbolicLink() ? 'lock.notOursLink' : st.isDirectory() ? 'lock.notOursFolder' : 'lock.notOursFile', {
          path: lockPath,
        }),
      ),
      { code: 'EBADLOCK' },
    );
  }
}

const TEMP_MARK = 'aws-mfa-';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** FILE.aws-mfa-<16 hex digits>.tmp, in FILE's folder: a name no one can guess, and that no one else uses. */
export function temporaryName(target: string): string {
  return join(dirname(target), `${basename(target)}.${TEMP_MARK}${randomBytes(8).toString('hex')}.tmp`);
}

/**
 * Temporary files of writers that were killed before their rename. Under the lock no other
 * aws-mfa is writing, so one older than a few seconds is left over: it goes (it may hold a copy of
 * the credentials). Only names of our own pattern, only regular files (lstat: a link is never
 * followed, nor removed), only the user's own; anything else in the folder is not ours to touch.
 */
function removeStaleTemporaries(target: string): void {
  const dir = dirname(target);
  const ours = new RegExp(`^${escapeRegExp(basename(target))}\\.${TEMP_MARK}[0-9a-f]{16}\\.tmp$`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    if (!ours.test(n)) continue;
    try {
      const p = join(dir, n);
      const st = lstatSync(p);
      if (st.isFile() && (uid === undefined || st.uid === uid) && now - st.mtimeMs > 5_000) unlinkSync(p);
    } catch {
      /* gone already */
    }
  }
}

const RETRIED = new Set(['EPERM', 'EBUSY', 'EACCES']);

/**
 * rename(from, to), replacing `to`. On Windows a file another program holds open without
 * FILE_SHARE_DELETE (an editor, a virus scanner, Python's open() in the AWS CLI) cannot be replaced
 * for a moment (EPERM, EBUSY or EACCES): retry with graceful-fs's backoff (0, 10, ... 100 ms) for
 * at most `maxMs`, as npm does. graceful-fs itself is not used for this: it retries only while the
 * destination does not exist, and here it always does. A failure after retrying carries
 * `retriedMs`. Elsewhere those codes are final and come back at once.
 */
export async function replaceFile(
  from: string,
  to: string,
  opts: { platform?: NodeJS.Platform; maxMs?: number } = {},
): Promise<void> {
  const { platform = process.platform, maxMs = 10_000 } = opts;
  const start = Date.now();
  let backoff = 0;
  for (;;) {
    try {
      await rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (platform !== 'win32' || !RETRIED.has(code)) throw e;
      const waited = Date.now() - start;
      if (waited >= maxMs) throw Object.assign(e as Error, { retriedMs: waited });
      await new Promise((r) => setTimeout(r, backoff));
      if (backoff < 100) backoff += 10;
    }
  }
}

/** The folder's entry for the new file survives a crash (Unix; Windows cannot open a folder). */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems refuse; the data itself was synced */
  }
}

/**
 * Replace `target` with `data` atomically: a new temporary file (O_CREAT|O_EXCL, random name, the
 * file's mode from its creation and set exactly, not through the umask), written, fsynced, then
 * renamed over the target. The owner and group are kept where the system allows (root editing a
 * user's file). On any failure the temporary file is removed, also on a signal.
 */
export async function writeAtomic(
  target: string,
  data: Buffer,
  mode: number,
  owner?: { uid: number; gid: number },
): Promise<void> {
  let tmp = temporaryName(target);
  let fh: FileHandle | undefined;
  for (let attempt = 0; !fh; attempt++) {
    try {
      fh = await open(tmp, 'wx', mode);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      tmp = temporaryName(target);
    }
  }
  const removeOnExit = onExit(() => {
    try {
      unlinkSync(tmp);
    } catch {
      /* renamed or gone */
    }
  });
  try {
    if (process.platform !== 'win32') {
      await fh.chmod(mode);
      const st = await fh.stat();
      if (owner && (st.uid !== owner.uid || st.gid !== owner.gid)) {
        await fh.chown(owner.uid, owner.gid).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EPERM' && e.code !== 'EINVAL') throw e; // not ours to give away: keep ours
        });
      }
    }
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await replaceFile(tmp, target);
    syncFolder(dirname(target));
  } catch (e) {
    await fh?.close().catch(() => {});
    try {
      unlinkSync(tmp);
    } catch {
      /* not there */
    }
    throw e;
  } finally {
    removeOnExit();
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
 * their mode and owner (the temporary file is created with the mode and set to exactly it,
 * whatever the umask: it is never more open than the file it replaces).
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
    // a FIFO, device, folder or huge file is refused here too (coded errors the caller words)
    const read = readRegular(target);
    const current = read?.buf;
    const next = produce(current);
    if (next === null) return { changed: false, created: false };
    const bytes = Buffer.from(next, 'utf8');
    if (current !== undefined && current.equals(bytes)) return { changed: false, created: false };
    removeStaleTemporaries(target);
    await writeAtomic(
      target,
      bytes,
      read ? read.stat.mode & 0o777 : 0o600,
      read && { uid: read.stat.uid, gid: read.stat.gid },
    );
    return { changed: true, created: current === undefined };
  } finally {
    await release();
  }
}
