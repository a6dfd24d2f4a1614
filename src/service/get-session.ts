/**
 * A valid session for a resolved profile: the stored one when the decision says reuse, else a new
 * one from STS (GetSessionToken, or AssumeRole with a role), kept in the profile's session store.
 * Every command that needs a session comes through `getSession`.
 */
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { Session } from '../core/credentials.js';
import type { SessionDecision } from '../core/decision.js';
import { describeRefresh } from '../core/decision-text.js';
import { keepKeysCommand } from '../core/names.js';
import { decide, type LoadedProfile } from './profile-loader.js';
import { codeSource, type CodeMode } from './code-source.js';
import { sessionStore } from './session-store.js';
import { refresh } from './refresh.js';

export interface Obtained {
  session: Session;
  decision: SessionDecision;
  refreshed: boolean;
}

/** Reuse or refresh, as the one session decision says; the reason is logged at INFO. */
export async function getSession(loaded: LoadedProfile, ctx: Context, mode: CodeMode): Promise<Obtained> {
  const { profile } = loaded;
  const store = sessionStore(loaded, ctx);
  const stored = await store.read();
  const decision = decide(loaded, ctx.now(), stored);
  if (decision.action === 'refuse') {
    throw configError(t('session.holdsLongTermKeys', { section: profile.names.shortTerm, file: profile.paths.credentials, longTerm: profile.names.longTerm, command: keepKeysCommand(profile.names) }));
  }
  if (decision.action === 'reuse') return { session: decision.session, decision, refreshed: false };
  if (decision.reason.kind !== 'missing') ctx.log.info(describeRefresh(decision.reason, profile.names.shortTerm));
  else if (stored) ctx.log.info(t('session.noneYet', { section: profile.names.shortTerm }));
  const { session, lookedUp } = await refresh(profile, ctx, codeSource(profile, ctx, mode));
  await store.write(session, profile.role?.value, lookedUp);
  return { session, decision, refreshed: true };
}
