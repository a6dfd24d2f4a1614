/**
 * What the session command says on its cached path, shared by the command (commands/root.ts) and
 * the entry's fast path (src/start/fast.ts), so both say exactly the same.
 */
import { t } from '../messages/index.js';
import { humanTime, formatDuration } from '../core/time.js';
import { suggestSession } from '../core/names.js';
import type { ResolvedProfile, SessionFlags } from '../core/profile.js';
import type { SessionDecision } from '../core/decision.js';
import { KEY_VARS, detectFormat, unsetCommand } from '../core/formats.js';
import { parentProcessName } from '../io/parent.js';
import type { Context } from '../context.js';

type Reuse = Extract<SessionDecision, { action: 'reuse' }>;

export const useHint = (section: string) =>
  section === 'default' ? t('session.useDefault') : t('session.useProfile', { profile: section });

/** The session command's line for a session still valid (credential-process prints credentialProcessJson). */
export function stillValidText(profile: ResolvedProfile, flags: SessionFlags, decision: Reuse): string {
  return t('session.stillValid', {
    seconds: decision.secondsLeft,
    left: formatDuration(decision.secondsLeft),
    expiration: humanTime(decision.session.expiration),
    use: profile.configRole
      ? t('session.useRole', { profile: profile.names.profile })
      : useHint(profile.names.shortTerm),
    renew: suggestSession(profile.names, flags, '--force'),
  });
}

/**
 * Keys in the environment win over any profile in the AWS CLI and SDKs: said before the session's
 * state, with the command that clears them in the shell export would write for (cmd, PowerShell, fish, sh).
 */
export function warnShadowingKeys(ctx: Pick<Context, 'env' | 'log' | 'platform'>): void {
  if (!ctx.env.AWS_ACCESS_KEY_ID) return;
  // and the expiration `export` set beside them, stale once they are gone
  const names = [...KEY_VARS, 'AWS_CREDENTIAL_EXPIRATION'].filter((n) => ctx.env[n]);
  const command = unsetCommand(detectFormat(ctx.env, ctx.platform, parentProcessName()), names);
  ctx.log.warnOnce(t('session.envKeyShadows', { command }));
}
