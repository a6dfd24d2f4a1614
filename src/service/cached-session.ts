/**
 * Caching as one wrapper around any session provider (aws-vault's CachedSessionProvider): it reads
 * the profile's session store, makes the session decision (core/decision.ts; this is its only
 * caller outside core/), refreshes through the inner provider when the decision says so, and
 * writes the store. Asked for its state (`status`, the cached answers of the session command and
 * credential-process, the entry's fast path), it reads and decides but refreshes nothing.
 *
 * The chain it wraps: the long-term key (file or keychain, service/call-context.ts longTermKey),
 * then the MFA session (GetSessionToken, or AssumeRole with MFA in broamski's layout:
 * service/refresh.ts); the next step of the chain (role sessions) wraps the same way.
 *
 * A refresh happens under the session's lock (io/session-lock.ts), one process at a time: taken
 * before the code is asked, held around the code, the STS call and the store, and the store is read
 * and decided again once it is held, so the callers that waited reuse what the first one stored (no
 * code, no STS call). A valid session takes no lock.
 */
import type { Session, StoredSession } from '../core/credentials.js';
import { decideSession, type SessionDecision } from '../core/decision.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { SessionStore } from './session-store.js';
import type { LoadedProfile } from './profile-loader.js';
import { CliError, EXIT, isCliError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Logger } from '../io/terminal.js';
import { lazyChunk } from '../start/chunk.js';
import type { HeldSessionLock } from '../io/session-lock.js';

type SessionLockChunk = typeof import('../io/session-lock.js');
const loadSessionLock = /* @__PURE__ */ lazyChunk<SessionLockChunk>(
  'session-lock.cjs',
  () => import('../io/session-lock.js'),
);

/** How long a caller waits for another aws-mfa getting the same session: a person typing a code, and STS. */
export const LOCK_WAIT_SECONDS = 180;

/** The wait: AWS_MFA_LOCK_WAIT_SECONDS when it is a number of seconds (0: do not wait), else LOCK_WAIT_SECONDS. */
export function lockWaitSeconds(env: NodeJS.ProcessEnv): number {
  const v = env.AWS_MFA_LOCK_WAIT_SECONDS?.trim();
  return v && /^\d+(\.\d+)?$/.test(v) ? Number(v) : LOCK_WAIT_SECONDS;
}

/** The remove command for a lock folder left behind, in the platform's shell. */
export const removeLockCommand = (path: string, platform: NodeJS.Platform = process.platform) =>
  platform === 'win32' ? `rmdir /s /q "${path}"` : `rm -r '${path.replace(/'/g, `'\\''`)}'`;

/** What a provider of the chain gives: a session, and the device it used when that was looked up. */
export interface Provided {
  session: Session;
  lookedUp?: string;
}
/** One step of the chain (service/refresh.ts: the MFA session); called only when a session is due. */
export type SessionProvider = () => Promise<Provided>;

/** What a kept session is held against: the role asked for, the margin, and --force. */
export interface Wanted {
  role: string | undefined;
  minTtl: number;
  force: boolean;
}

/** What the session command and its relatives want of a resolved profile. */
export const wantedBy = (p: Pick<ResolvedProfile, 'role' | 'minTtl' | 'force'>): Wanted => ({
  role: p.role?.value,
  minTtl: p.minTtl,
  force: p.force,
});

/** The decision on a kept session (nothing read, nothing refreshed): the wrapper's state of `stored`. */
export function keptState(stored: StoredSession | undefined, wanted: Wanted, now: Date): SessionDecision {
  return decideSession({ stored, role: wanted.role, now, minTtl: wanted.minTtl, force: wanted.force });
}

/**
 * The entry's quick read: the state of the session the profile's file section holds, as read with
 * the profile (service/profile-loader.ts), without reading anything again.
 */
export function fileState(loaded: LoadedProfile, now: Date): SessionDecision {
  return keptState(loaded.stored, wantedBy(loaded.profile), now);
}

export interface Obtained {
  session: Session;
  decision: SessionDecision;
  refreshed: boolean;
  /** Refreshed into a file that starts with a UTF-8 BOM (the AWS CLI cannot read it). */
  bom?: boolean;
}

export interface CachedSession {
  /** What the store holds, decided: reuse, refresh (with the reason) or refuse. Refreshes nothing. */
  state(): Promise<SessionDecision>;
  /**
   * A valid session: the kept one when the decision says reuse, else one from the inner provider,
   * written to the store. `decided`: the state already read and decided (no second read).
   */
  get(decided?: SessionDecision): Promise<Obtained>;
}

export interface CachedSessionParts {
  store: SessionStore;
  wanted: Wanted;
  now: () => Date;
  inner: SessionProvider;
  /** The section holds long-term keys: the error to throw (never overwritten). */
  refused: () => Error;
  /** A refresh is due for this reason (logged by the caller's words). */
  refreshing?: (decision: Extract<SessionDecision, { action: 'refresh' }>) => void;
  /** For the refresh lock: the session's name in messages ([NAME]), where to say that this run waits, the env. */
  lock: { name: string; log: Pick<Logger, 'warn'>; env: NodeJS.ProcessEnv };
}

export function cachedSession(parts: CachedSessionParts): CachedSession {
  const { store, wanted, now, inner } = parts;
  const state = async () => keptState(await store.read(), wanted, now());
  return {
    state,
    async get(decided) {
      const decision = decided ?? (await state());
      if (decision.action === 'refuse') throw parts.refused();
      if (decision.action === 'reuse') return { session: decision.session, decision, refreshed: false };
      const held = await holdLock(store, parts.lock);
      try {
        // another process may have stored a session since the first read: decided again, under the lock
        const again = keptState(await store.reread(), wanted, now());
        if (again.action === 'refuse') throw parts.refused();
        if (again.action === 'reuse') return { session: again.session, decision: again, refreshed: false };
        // the run this one waited for had its prompt cancelled: the person said no once, for all of them
        if (held.cancelledWhileWaiting())
          throw new CliError(t('lock.cancelledElsewhere', { name: parts.lock.name }), EXIT.INTERRUPTED);
        parts.refreshing?.(again);
        let provided: Provided;
        try {
          provided = await inner();
        } catch (e) {
          if (isCliError(e) && e.exitCode === EXIT.INTERRUPTED) held.cancelled();
          throw e;
        }
        const { session, lookedUp } = provided;
        const { bom } = await store.write(session, wanted.role, lookedUp);
        return { session, decision: again, refreshed: true, bom };
      } finally {
        await held.release();
      }
    },
  };
}

/** The session's refresh lock, waited for (said once) up to the wait; when it runs out, exit 75 saying what to do. */
type Held = Pick<HeldSessionLock, 'release' | 'cancelled' | 'cancelledWhileWaiting'>;
async function holdLock(store: SessionStore, lock: CachedSessionParts['lock']): Promise<Held> {
  const { holdSessionLock } = await loadSessionLock();
  const seconds = lockWaitSeconds(lock.env);
  // while waiting, Ctrl-C ends the wait with a line saying so (not the signal's silent death)
  const wait = new AbortController();
  const interrupted = () => wait.abort();
  try {
    const held = await holdSessionLock(store.lockKey(), lock.env, {
      waitMs: seconds * 1000,
      onWait: () => {
        lock.log.warn(t('lock.waiting', { name: lock.name, seconds }));
        process.on('SIGINT', interrupted);
      },
      signal: wait.signal,
    });
    return held;
  } catch (e) {
    const { code, lockPath } = e as { code?: string; lockPath?: string };
    if (code === 'EWAITCANCELLED') throw new CliError(t('lock.waitCancelled', { name: lock.name }), EXIT.INTERRUPTED);
    if (code === 'ESESSIONLOCKED' && lockPath) {
      const command = removeLockCommand(lockPath);
      throw new CliError(t('lock.waitedTooLong', { name: lock.name, seconds, command }), EXIT.BUSY);
    }
    if (code === 'EBADLOCK') throw new CliError((e as Error).message, EXIT.CONFIG);
    // no place for a lock (a read-only folder): the refresh goes on unlocked, as before there was one
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return { release: async () => {}, cancelled: () => {}, cancelledWhileWaiting: () => false };
    }
    throw e;
  } finally {
    process.off('SIGINT', interrupted);
  }
}
