/**
 * Reading what a run needs from the shared files (only the few sections it needs, through the
 * fast scanner), then resolving the profile and reading the stored session. The one way every
 * command gets its ResolvedProfile. No network.
 */
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import { filePaths } from '../context.js';
import { readProfiles, type ProfilesRead } from '../io/store.js';
import { resolveNames, suggest, type Names } from '../core/names.js';
import { checkSessionFlags, resolveProfile, type ResolvedProfile, type SessionFlags } from '../core/profile.js';
import { storedSessionFromSection, type StoredSession } from '../core/credentials.js';
import type { FilePaths } from '../core/paths.js';
import { lazyChunk } from '../start/chunk.js';

const loadHints = lazyChunk<typeof import('./hints.js')>('hints.cjs', () => import('./hints.js'));

export interface LoadedProfile {
  profile: ResolvedProfile;
  /** What the file's short-term section holds (the keychain store is read by the session service). */
  stored: StoredSession | undefined;
  /** What reading the files warned about (already logged). */
  warnings: readonly string[];
}

export interface LoadOptions {
  /** Called when the credentials file does not exist; may create it (--setup) and return true. */
  onMissingFile?: (names: Names, paths: FilePaths) => Promise<boolean>;
  /** Sessions follow the long-term key into the keychain (credential-process, export, exec). */
  sessionsFollowKeys?: boolean;
}

/** What loading needs of the world (the entry's fast path gives just this). */
export type LoadContext = Pick<Context, 'env' | 'platform' | 'homedir' | 'log' | 'user'>;

export async function loadProfile(flags: SessionFlags, ctx: LoadContext, opts: LoadOptions = {}): Promise<LoadedProfile> {
  const names = resolveNames(flags, ctx.env);
  checkSessionFlags(flags);
  const paths = filePaths(ctx);
  const readCreds = () => readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm], ctx.env);
  let creds: ProfilesRead = readCreds();
  if (!creds.exists) {
    if (opts.onMissingFile && (await opts.onMissingFile(names, paths))) creds = readCreds();
    else throw configError(t('files.noCredentials', { file: paths.credentials, command: suggest(names, flags, 'init') }));
  }
  const configFile = readProfiles(paths.config, 'config', [names.longTerm, names.profile], ctx.env);
  const warnings = [...creds.warnings, ...configFile.warnings];
  for (const w of warnings) ctx.log.warnOnce(w);
  const longTerm = creds.profiles.get(names.longTerm);
  if (!longTerm) {
    const { missingLongTermError } = await loadHints();
    throw missingLongTermError(names, flags, paths);
  }
  const config = new Map([...(configFile.profiles.get(names.longTerm) ?? []), ...(configFile.profiles.get(names.profile) ?? [])]);
  const short = creds.profiles.get(names.shortTerm);
  const recordedDevice = short?.get('aws_mfa_device') || undefined;
  const profile = resolveProfile({ names, flags, env: ctx.env, paths, longTerm, config, user: ctx.user, recordedDevice, sessionsFollowKeys: opts.sessionsFollowKeys });
  return { profile, stored: short ? storedSessionFromSection(short) : undefined, warnings };
}
