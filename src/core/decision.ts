/**
 * The one answer to "reuse the session or get a new one?", with its reason as data. Every command
 * asks here (the session command, export, exec, credential-process, whoami, console, device,
 * status); `status` prints the same reasons. Pure.
 */
import type { Session, StoredSession } from './credentials.js';
import { secondsUntil } from './time.js';

export type RefreshReason =
  | { kind: 'missing' }
  | { kind: 'forced' }
  | { kind: 'incomplete'; key: string }
  | { kind: 'unreadable-expiration'; value: string }
  | { kind: 'tokens-differ' }
  | { kind: 'other-role'; current?: string; wanted?: string }
  | { kind: 'expired'; expiration: Date }
  | { kind: 'ending'; secondsLeft: number; minTtl: number };

export type SessionDecision =
  | { action: 'reuse'; session: Session; secondsLeft: number; role?: string }
  | { action: 'refresh'; reason: RefreshReason }
  /** The short-term section holds long-term keys: never overwritten, whatever the flags. */
  | { action: 'refuse'; reason: { kind: 'long-term-keys' } };

/** The margin when none is given (--min-ttl's default): a session ending sooner is renewed. */
export const DEFAULT_MIN_TTL = 300;

export interface DecisionInput {
  /** What the session store holds for the profile (undefined: nothing). */
  stored: StoredSession | undefined;
  /** The role asked for now (undefined: a plain GetSessionToken session). */
  role: string | undefined;
  now: Date;
  /** A session ending sooner than this many seconds is renewed. */
  minTtl: number;
  force: boolean;
}

export function decideSession(input: DecisionInput): SessionDecision {
  const { stored, role, now, minTtl } = input;
  if (!stored || stored.empty) return { action: 'refresh', reason: { kind: 'missing' } };
  if (stored.holdsLongTermKeys) return { action: 'refuse', reason: { kind: 'long-term-keys' } };
  if (input.force) return { action: 'refresh', reason: { kind: 'forced' } };
  if (stored.missingKey) return { action: 'refresh', reason: { kind: 'incomplete', key: stored.missingKey } };
  if (stored.badExpiration !== undefined || !stored.session)
    return { action: 'refresh', reason: { kind: 'unreadable-expiration', value: stored.badExpiration ?? '' } };
  if (stored.tokensDiffer) return { action: 'refresh', reason: { kind: 'tokens-differ' } };
  if (stored.role !== role)
    return { action: 'refresh', reason: { kind: 'other-role', current: stored.role, wanted: role } };
  const secondsLeft = secondsUntil(stored.session.expiration, now);
  if (secondsLeft <= 0)
    return { action: 'refresh', reason: { kind: 'expired', expiration: stored.session.expiration } };
  if (secondsLeft < minTtl) return { action: 'refresh', reason: { kind: 'ending', secondsLeft, minTtl } };
  return { action: 'reuse', session: stored.session, secondsLeft, ...(stored.role ? { role: stored.role } : {}) };
}
