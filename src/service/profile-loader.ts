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
import type { FileStamp } from '../io/store.js';
import { DEFAULT_LONG_TERM_SUFFIX, resolveNames, suggest, type Names } from '../core/names.js';
import { checkSessionFlags, resolveProfile, type ResolvedProfile, type SessionFlags } from '../core/profile.js';
import { storedSessionFromSection, type StoredSession } from '../core/credentials.js';
import type { FilePaths } from '../core/paths.js';
import { lazyChunk } from '../start/chunk.js';
import { isRoleConfig } from '../core/role.js';
import { readKept, storedOf } from '../io/role-cache.js';

const loadHints = lazyChunk<typeof import('./hints.js')>('hints.cjs', () => import('./hints.js'));
const loadRoleLoader = lazyChunk<typeof import('./role-loader.js')>(
  'role-loader.cjs',
  () => import('./role-loader.js'),
);

export interface LoadedProfile {
  profile: ResolvedProfile;
  /** What the file's short-term section holds (the keychain store is read by the session service). */
  stored: StoredSession | undefined;
  /** What reading the files warned about (already logged). */
  warnings: readonly string[];
  /** A role profile of the config file (core/role.ts): the chain that makes its session. */
  role?: RoleLoaded;
  /** The identity of the credentials file as read (the session store re-reads it only if it changed). */
  stamp?: FileStamp;
}

export interface RoleLoaded {
  /** The roles from the root's side; the last is the loaded profile itself. */
  links: ResolvedProfile[];
  /**
   * The profile with keys: an aws-mfa profile (its MFA session signs), or plain keys (their MFA
   * session, or the key).
   */
  root: { kind: 'aws-mfa'; loaded: LoadedProfile } | { kind: 'static'; profile: ResolvedProfile };
  /** Whether the credentials that sign the first AssumeRole carry MFA. */
  mfa: boolean;
}

export interface LoadOptions {
  /** Called when the credentials file does not exist; may create it (--setup) and return true. */
  onMissingFile?: (names: Names, paths: FilePaths) => Promise<boolean>;
  /** Sessions follow the long-term key into the keychain (credential-process, export, exec). */
  sessionsFollowKeys?: boolean;
  /** The device a role of the config names (mfa_serial), for a source that names none of its own. */
  roleDevice?: string;
  /** mfa_process and mfa_prompt of that role, for a source that sets none of its own. */
  roleSettings?: ReadonlyArray<readonly [string, string]>;
}

/** What loading needs of the world (the entry's fast path gives just this). */
export type LoadContext = Pick<Context, 'env' | 'platform' | 'homedir' | 'log' | 'user' | 'invocation'>;

/**
 * What the entry's fast path reads of a role profile of the config: its role and the session kept
 * for it in the private cache folder, nothing of its chain (the full program resolves that).
 */
export interface KeptRoleRead {
  keptRole: { profile: string; role: string };
  stored: StoredSession | undefined;
  warnings: readonly string[];
}

/** The region of [profile S] when S's keys were moved to [S-long-term] (`movedFrom`: S). */
function movedFromRegion(configFile: ProfilesRead, movedFrom: string | undefined) {
  const value = movedFrom ? configFile.profiles.get(movedFrom)?.get('region') : undefined;
  return value ? { movedFromRegion: { value, profile: movedFrom! } } : undefined;
}

export async function loadProfile(
  flags: SessionFlags,
  ctx: LoadContext,
  opts: LoadOptions = {},
): Promise<LoadedProfile> {
  const read = await load(flags, ctx, opts, false);
  if ('keptRole' in read) throw new Error('a role profile is loaded in full here');
  return read;
}

/** The fast path's read: a profile as loadProfile reads it, or, for a role profile, only its kept session. */
export function loadForCheck(
  flags: SessionFlags,
  ctx: LoadContext,
  opts: LoadOptions = {},
): Promise<LoadedProfile | KeptRoleRead> {
  return load(flags, ctx, opts, true);
}

async function load(
  flags: SessionFlags,
  ctx: LoadContext,
  opts: LoadOptions,
  keptRoleOnly: boolean,
): Promise<LoadedProfile | KeptRoleRead> {
  const names = resolveNames(flags, ctx.env);
  checkSessionFlags(flags);
  const paths = filePaths(ctx);
  const readCreds = () => readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm], ctx.env);
  let creds: ProfilesRead = readCreds();
  if (!creds.exists) {
    if (opts.onMissingFile && (await opts.onMissingFile(names, paths))) creds = readCreds();
    else
      throw configError(t('files.noCredentials', { file: paths.credentials, command: suggest(names, flags, 'init') }));
  }
  // -s S-long-term -d D: S's keys were moved there by init; the region aws configure wrote is in [profile S]
  const suffix = `-${flags.longTermSuffix ?? DEFAULT_LONG_TERM_SUFFIX}`;
  const movedFrom =
    names.form === 'source-destination' && names.longTerm.endsWith(suffix)
      ? names.longTerm.slice(0, -suffix.length)
      : undefined;
  const configNames = [names.longTerm, names.profile, ...(movedFrom ? [movedFrom] : [])];
  const configFile = readProfiles(paths.config, 'config', configNames, ctx.env);
  const warnings = [...creds.warnings, ...configFile.warnings];
  for (const w of warnings) ctx.log.warnOnce(w);
  const longTerm = creds.profiles.get(names.longTerm);
  // a role profile of the config file (no aws-mfa long-term section of its own): its chain
  const own = configFile.profiles.get(names.profile);
  if (!longTerm && names.form === 'suffix' && isRoleConfig(own)) {
    const role = own!.get('role_arn');
    if (keptRoleOnly && role) {
      const stored = storedOf(readKept(ctx.env, 'role', names.profile));
      return { keptRole: { profile: names.profile, role }, stored, warnings };
    }
    return (await loadRoleLoader()).loadRole(names, flags, ctx, paths, warnings, loadProfile);
  }
  if (!longTerm) {
    const { missingLongTermError } = await loadHints();
    throw missingLongTermError(names, flags, paths, ctx.invocation);
  }
  if (
    names.form === 'source-destination' &&
    (longTerm.get('aws_session_token') || longTerm.get('aws_security_token'))
  ) {
    throw (await loadHints()).sourceHoldsSessionError(names, paths);
  }
  const config = new Map([
    ...(opts.roleDevice ? [['mfa_serial', opts.roleDevice] as const] : []),
    ...(opts.roleSettings ?? []),
    ...(configFile.profiles.get(names.longTerm) ?? []),
    ...(configFile.profiles.get(names.profile) ?? []),
  ]);
  const short = creds.profiles.get(names.shortTerm);
  const recordedDevice = short?.get('aws_mfa_device') || undefined;
  const profile = resolveProfile({
    names,
    flags,
    env: ctx.env,
    paths,
    longTerm,
    config,
    user: ctx.user,
    recordedDevice,
    sessionsFollowKeys: opts.sessionsFollowKeys,
    ...(movedFromRegion(configFile, movedFrom) ?? {}),
  });
  const stored = short ? storedSessionFromSection(short) : undefined;
  return { profile, stored, warnings, ...(creds.stamp ? { stamp: creds.stamp } : {}) };
}
