/**
 * One refresh at a time per session, across processes: the lock the caching wrapper
 * (service/cached-session.ts) holds around deciding again, asking for the code, calling STS and
 * storing. Its own chunk, loaded only when a session is due: the cached path takes no lock.
 *
 * The lock is a folder made by proper-lockfile (mkdir: atomic, also on Windows) in aws-mfa's
 * private cache folder (io/cache-dir.ts: no other user can change a folder on its way), else beside
 * the credentials file under write.ts's lock rules; a planted symlink, a file or another user's
 * folder at its path is refused. Inside it, a record names the holder: `PID@HOST`.
 *
 * Staleness is whether the holder is alive, not how fresh the lock's mtime is: while a person types
 * a code the holder's event loop is blocked (the terminal is read synchronously, `mfa_process` runs
 * synchronously), so proper-lockfile's mtime heartbeat would stop, and a lock taken over then would
 * mean a second code. A holder on this host that is gone (killed, crashed) is seen at once and its
 * lock broken; one on another host (a shared home) is taken for gone after FOREIGN_STALE_MS; a lock
 * folder without a record (its maker died between the two steps) after HOLDERLESS_MS.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { onExit } from 'signal-exit';
import { cacheDir } from './cache-dir.js';
import { checkLockPath } from './write.js';

/** A lock folder with no holder record this old was left by a process that died making it. */
export const HOLDERLESS_MS = 10_000;
/** A holder on another host (where its process cannot be looked at) is taken for gone after this long. */
export const FOREIGN_STALE_MS = 10 * 60_000;
/**
 * proper-lockfile's own staleness (by mtime) and its heartbeat are switched off: 2^31 ms, the
 * largest timer Node keeps (its heartbeat runs every stale/2; a longer one would fire at once).
 */
const NEVER_STALE_MS = 2 ** 31;

/** What a session's lock is keyed by: its identity, and the file it goes beside without a cache folder. */
export interface SessionLockKey {
  /** The session's identity: the credentials file's real path and the section, or the keychain entry id. */
  key: string;
  /** The credentials file (real path). */
  file: string;
}

export interface HeldSessionLock {
  /** Whether another process held it first (and this one waited). */
  waited: boolean;
  release(): Promise<void>;
  /** The holder's person cancelled the prompt: the runs waiting meanwhile stop too (one cancel, not ten). */
  cancelled(): void;
  /** For a run that waited: the run it waited for was cancelled since it began to wait. */
  cancelledWhileWaiting(): boolean;
}

/** Beside the lock (in the same private folder): when the prompt of a holder was last cancelled. */
const cancelMark = (lockPath: string) => `${lockPath}.cancelled`;

function markCancelled(lockPath: string): void {
  try {
    try {
      unlinkSync(cancelMark(lockPath));
    } catch {
      /* none yet */
    }
    // exclusive: never through a link planted under that name
    writeFileSync(cancelMark(lockPath), '', { flag: 'wx', mode: 0o600 });
  } catch {
    /* the waiters then ask themselves, as before */
  }
}

function cancelledSince(lockPath: string, since: number): boolean {
  const st = lstatSync(cancelMark(lockPath), { throwIfNoEntry: false });
  return st !== undefined && st.isFile() && st.mtimeMs >= since;
}

/** The lock's path for a session: in the cache folder's `locks`, else beside the credentials file. */
export function sessionLockPath(k: SessionLockKey, env: NodeJS.ProcessEnv): string {
  const digest = createHash('sha256').update(k.key).digest('hex').slice(0, 32);
  // the cache folder also when the code cache is off: one place for every run, whatever it caches
  const dir = cacheDir({ ...env, AWS_MFA_NO_CODE_CACHE: undefined });
  if (dir) {
    const locks = join(dir, 'locks');
    try {
      mkdirSync(locks, { mode: 0o700 });
    } catch {
      /* there already, or cannot be made: looked at below */
    }
    if (ownFolder(locks)) return join(locks, `${digest}.lock`);
  }
  return `${k.file}.session-${digest.slice(0, 16)}.lock`;
}

function ownFolder(path: string): boolean {
  try {
    const st = lstatSync(path);
    const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
    return st.isDirectory() && !st.isSymbolicLink() && ours;
  } catch {
    return false;
  }
}

const safeHost = () => hostname().replace(/[^\w.-]/g, '_') || 'host';
const RECORD = /^(\d+)@([\w.-]+)$/;

/** Whether process `pid` of this host is alive (EPERM: alive, another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Break the lock at `lockPath` if its holder is gone; true when it was broken (or was gone
 * already), so the caller tries again at once. Removing the gone holder's own record first, then
 * the (then empty) folder, never removes a lock someone else has taken meanwhile: their folder
 * holds their record, so rmdir fails.
 */
export function breakIfAbandoned(lockPath: string, now = Date.now()): boolean {
  let names: string[];
  let age: number;
  try {
    age = now - lstatSync(lockPath).mtimeMs;
    names = readdirSync(lockPath);
  } catch {
    return true; // released meanwhile
  }
  const records = names.map((n) => RECORD.exec(n)).filter((m) => m !== null);
  const gone = records.filter(([, pid, host]) => (host === safeHost() ? !alive(Number(pid)) : age > FOREIGN_STALE_MS));
  if (records.length > 0 && gone.length < records.length) return false;
  if (records.length === 0 && age <= HOLDERLESS_MS) return false;
  try {
    for (const [name] of gone) unlinkSync(join(lockPath, name));
    rmdirSync(lockPath);
    return true;
  } catch {
    return false; // taken meanwhile, or not ours to remove: wait
  }
}

/** Take the lock once: a held lock, or undefined when another process holds it. */
async function tryLock(lockPath: string): Promise<(() => Promise<void>) | undefined> {
  checkLockPath(lockPath);
  let release: () => Promise<void>;
  try {
    // the "file" is only proper-lockfile's key for this lock (its registry is per file, and write.ts
    // locks the credentials file itself)
    release = await lockfile.lock(lockPath.replace(/\.lock$/, ''), {
      realpath: false,
      lockfilePath: lockPath,
      stale: NEVER_STALE_MS,
      retries: 0,
      onCompromised: () => {},
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED' || code === 'EEXIST' || code === 'ENOTEMPTY') return undefined;
    throw e;
  }
  const record = join(lockPath, `${process.pid}@${safeHost()}`);
  const clear = () => {
    try {
      unlinkSync(record);
    } catch {
      /* not there */
    }
  };
  // killed by a signal or exiting on an error: the lock goes with the process (kill -9: see breakIfAbandoned)
  const removeOnExit = onExit(() => {
    clear();
    try {
      rmdirSync(lockPath);
    } catch {
      /* gone */
    }
  });
  try {
    writeFileSync(record, '', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    removeOnExit();
    await release();
    throw e;
  }
  return async () => {
    removeOnExit();
    clear();
    await release().catch(() => {});
  };
}

export interface WaitOptions {
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** Called once, when another process holds the lock and this one starts waiting. */
  onWait: () => void;
  /** Ends the wait (the person pressed Ctrl-C): holdSessionLock then throws, code EWAITCANCELLED. */
  signal?: AbortSignal;
}

/** The error when the wait ran out: `lockPath` is where the lock is. */
export interface LockWaitExpired extends Error {
  code: 'ESESSIONLOCKED';
  lockPath: string;
}

/**
 * Hold the session's lock: at once when it is free, else after waiting (polling, a quarter second
 * at most between looks) for the holder to release it or to be gone. Throws LockWaitExpired when
 * `waitMs` runs out, and an error with code EWAITCANCELLED when `signal` ends the wait.
 */
export async function holdSessionLock(
  k: SessionLockKey,
  env: NodeJS.ProcessEnv,
  opts: WaitOptions,
): Promise<HeldSessionLock> {
  const lockPath = sessionLockPath(k, env);
  const began = Date.now();
  const deadline = began + opts.waitMs;
  let waited = false;
  for (let delay = 20; ; delay = Math.min(delay * 1.5, 250)) {
    const release = await tryLock(lockPath);
    if (release) {
      const cancelled = () => markCancelled(lockPath);
      return { waited, release, cancelled, cancelledWhileWaiting: () => waited && cancelledSince(lockPath, began) };
    }
    if (breakIfAbandoned(lockPath)) continue;
    if (Date.now() >= deadline) {
      const expired = { code: 'ESESSIONLOCKED', lockPath };
      throw Object.assign(new Error(`${lockPath} is held by another process`), expired) as LockWaitExpired;
    }
    if (!waited) opts.onWait();
    waited = true;
    const pause = Math.min(delay * (0.5 + Math.random() / 2), Math.max(deadline - Date.now(), 1));
    await new Promise<void>((r) => {
      const woken = () => (clearTimeout(timer), r());
      const timer = setTimeout(() => (opts.signal?.removeEventListener('abort', woken), r()), pause);
      opts.signal?.addEventListener('abort', woken, { once: true });
    });
    if (opts.signal?.aborted) {
      throw Object.assign(new Error(`the wait for ${lockPath} was cancelled`), { code: 'EWAITCANCELLED' });
    }
  }
}
