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
 */
import type { Session, StoredSession } from '../core/credentials.js';
import { decideSession, type SessionDecision } from '../core/decision.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { SessionStore } from './session-store.js';
import type { LoadedProfile } from './profile-loader.js';

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
      parts.refreshing?.(decision);
      const { session, lookedUp } = await inner();
      const { bom } = await store.write(session, wanted.role, lookedUp);
      return { session, decision, refreshed: true, bom };
    },
  };
}
