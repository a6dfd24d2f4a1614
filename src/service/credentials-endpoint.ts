/**
 * The session behind the container credentials endpoint (io/credentials-server.ts) of
 * `exec --ecs-server` and `serve`: the first session is had before the endpoint is handed out (a
 * code asked now, while the user is at the terminal; a profile without a key fails at once);
 * every request after that goes through the one session path (getSession: the store, refreshed
 * through the context's code source when due), so the endpoint answers from the cache and
 * refreshes exactly when `aws-mfa --profile P` would.
 */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import { containerCredentialsJson } from '../core/container-credentials.js';
import { startEndpoint, type Endpoint } from '../io/credentials-server.js';
import { readProfiles } from '../io/store.js';
import type { SessionFlags } from '../core/profile.js';
import { loadProfile, type LoadedProfile } from './profile-loader.js';
import { getSession } from './get-session.js';

/** --port: empty means a port the OS chooses; else 1-65535. */
export function endpointPort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : 0;
  if (port < 1 || port > 65535) throw usageError(t('endpoint.badPort', { value }));
  return port;
}

/**
 * Listen first (a port in use changes nothing), then have the first session; no request can come
 * before this returns, as no one else knows the token yet.
 */
export async function openEndpoint(
  flags: SessionFlags,
  loaded: LoadedProfile,
  ctx: Context,
  port: number,
): Promise<Endpoint> {
  const endpoint = await startEndpoint({
    port,
    answer: async () => {
      // the files as they are now (another run may have renewed the session, or the user edited
      // them); --force renews once, at the start, and not on every request
      const now = await loadProfile({ ...flags, force: false }, ctx, { sessionsFollowKeys: true });
      const { session, refreshed } = await getSession(now, ctx, 'terminal-only');
      if (refreshed) ctx.log.info(t('endpoint.newSession', { section: now.profile.names.shortTerm }));
      return containerCredentialsJson(session);
    },
    refused: (why) => ctx.log.warn(t('endpoint.refusedLog', { why: t(`endpoint.refused.${why}` as const) })),
    failed: (message) => ctx.log.error(t('endpoint.failedLog', { message })),
  });
  try {
    await getSession(loaded, ctx, 'terminal-only');
  } catch (e) {
    await endpoint.close();
    throw e;
  }
  return endpoint;
}

/**
 * Keys in `[default]` of the credentials file come before the endpoint in every SDK's default chain
 * (the child has no AWS_PROFILE): the one line that says the child would use them, else undefined.
 */
export function defaultKeysWarning(loaded: LoadedProfile, env: NodeJS.ProcessEnv): string | undefined {
  const file = loaded.profile.paths.credentials;
  const section = readProfiles(file, 'credentials', ['default'], env).profiles.get('default');
  if (!section?.get('aws_access_key_id')) return undefined;
  // the profile's own sessions go there: the child reads this one and never the renewals
  if (loaded.profile.names.shortTerm === 'default') return t('endpoint.defaultIsTheSession', { file });
  return t('endpoint.defaultHasKeys', { file });
}
