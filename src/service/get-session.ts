/**
 * A valid session for a resolved profile, through the chain: the caching wrapper
 * (service/cached-session.ts) around the MFA session provider (service/refresh.ts: GetSessionToken,
 * or AssumeRole with a role), kept in the profile's session store (service/session-store.ts).
 * Every command that needs a session comes through `getSession`.
 */
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { SessionDecision } from '../core/decision.js';
import { describeRefresh } from '../core/decision-text.js';
import { keepKeysCommand } from '../core/names.js';
import type { LoadedProfile } from './profile-loader.js';
import { cachedSession, wantedBy, type Obtained } from './cached-session.js';
import type { CodeMode } from '../io/code-source.js';
import { sessionStore } from './session-store.js';
import { refresh } from './refresh.js';
import { roleSession } from './role-session.js';

export type { Obtained } from './cached-session.js';
export { roleReadyText } from './role-store.js';

/**
 * Reuse or refresh, as the one session decision says; the reason is logged at INFO. `decided`: the
 * caller's state of the same store (the file's section, already read), so nothing is read twice.
 */
export async function getSession(
  loaded: LoadedProfile,
  ctx: Context,
  mode: CodeMode,
  decided?: SessionDecision,
): Promise<Obtained> {
  const { profile } = loaded;
  // a role profile of the config: its source's session signs AssumeRole (service/role-session.ts)
  if (loaded.role) return roleSession(loaded, ctx, mode, getSession, decided);
  const { names, paths } = profile;
  // what the file's section held (an empty [NAME], as setup guides add it, is "none yet"); a keychain has no such
  // section
  const fileSection = profile.sessionStore === 'file' ? loaded.stored : undefined;
  const session = cachedSession({
    store: sessionStore(loaded, ctx),
    wanted: wantedBy(profile),
    now: ctx.now,
    inner: () => refresh(profile, ctx, ctx.codes(profile, mode)),
    refused: () =>
      configError(
        t('session.holdsLongTermKeys', {
          section: names.shortTerm,
          file: paths.credentials,
          longTerm: names.longTerm,
          command: keepKeysCommand(names),
        }),
      ),
    lock: { name: names.shortTerm, log: ctx.log, env: ctx.env },
    refreshing: ({ reason }) => {
      if (reason.kind !== 'missing') ctx.log.info(describeRefresh(reason, names.shortTerm));
      else if (fileSection) ctx.log.info(t('session.noneYet', { section: names.shortTerm }));
    },
  });
  // a decision the caller made on the file's section holds only when that is the profile's store
  return session.get(profile.sessionStore === 'file' ? decided : undefined);
}
