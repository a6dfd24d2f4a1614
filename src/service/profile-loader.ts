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
import { lazyChunk } from '../io/chunk.js';
import { isRoleConfig, roleChain, roleProfile, sourceFlags, type RoleFiles } from '../core/role.js';
import { readKept, storedOf } from '../io/role-cache.js';

const loadHints = lazyChunk<typeof import('./hints.js')>('hints.cjs', () => import('./hints.js'));

export interface LoadedProfile {
  profile: ResolvedProfile;
  /** What the file's short-term section holds (the keychain store is read by the session service). */
  stored: StoredSession | undefined;
  /** What reading the files warned about (already logged). */
  warnings: readonly string[];
  /** A role profile of the config file (core/role.ts): the chain that makes its session. */
  role?: RoleLoaded;
}

export interface RoleLoaded {
  /** The roles from the root's side; the last is the loaded profile itself. */
  links: ResolvedProfile[];
  /** The profile with keys: an aws-mfa profile (its MFA session signs), or plain keys (their MFA session, or the key). */
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
}

/** What loading needs of the world (the entry's fast path gives just this). */
export type LoadContext = Pick<Context, 'env' | 'platform' | 'homedir' | 'log' | 'user'>;

export async function loadProfile(flags: SessionFlags, ctx: LoadContext, opts: LoadOptions = {}): Promise<LoadedProfile> {
  const names = resolveNames(flags, ctx.env);
  checkSessionFlags(flags);
  const paths = filePaths(ctx);
  const readCreds = () => readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm]);
  let creds: ProfilesRead = readCreds();
  if (!creds.exists) {
    if (opts.onMissingFile && (await opts.onMissingFile(names, paths))) creds = readCreds();
    else throw configError(t('files.noCredentials', { file: paths.credentials, command: suggest(names, flags, 'init') }));
  }
  const configFile = readProfiles(paths.config, 'config', [names.longTerm, names.profile]);
  const warnings = [...creds.warnings, ...configFile.warnings];
  for (const w of warnings) ctx.log.warnOnce(w);
  const longTerm = creds.profiles.get(names.longTerm);
  // a role profile of the config file (no aws-mfa long-term section of its own): its chain
  if (!longTerm && names.form === 'suffix' && isRoleConfig(configFile.profiles.get(names.profile))) {
    return loadRole(names, flags, ctx, paths, warnings);
  }
  if (!longTerm) {
    const { missingLongTermError } = await loadHints();
    throw missingLongTermError(names, flags, paths);
  }
  const config = new Map([
    ...(opts.roleDevice ? [['mfa_serial', opts.roleDevice] as const] : []),
    ...(configFile.profiles.get(names.longTerm) ?? []),
    ...(configFile.profiles.get(names.profile) ?? []),
  ]);
  const short = creds.profiles.get(names.shortTerm);
  const recordedDevice = short?.get('aws_mfa_device') || undefined;
  const profile = resolveProfile({ names, flags, env: ctx.env, paths, longTerm, config, user: ctx.user, recordedDevice, sessionsFollowKeys: opts.sessionsFollowKeys });
  return { profile, stored: short ? storedSessionFromSection(short) : undefined, warnings };
}

/**
 * A role profile: its chain down to a profile with keys (core/role.ts), the root's profile (an
 * aws-mfa profile, loaded as any; or plain keys), each role's ResolvedProfile, and the role
 * session kept at the plain-file level. Sessions of a root whose key is in the keychain are kept
 * there (service/session-store.ts reads them), whatever the command.
 */
async function loadRole(names: Names, flags: SessionFlags, ctx: LoadContext, paths: FilePaths, warnings: string[]): Promise<LoadedProfile> {
  const read = (path: string, kind: 'config' | 'credentials') => (name: string) => {
    const r = readProfiles(path, kind, [name]);
    for (const w of r.warnings) if (!warnings.includes(w)) (warnings.push(w), ctx.log.warnOnce(w));
    return r.profiles.get(name);
  };
  const files: RoleFiles = {
    configFile: paths.config,
    credentialsFile: paths.credentials,
    config: read(paths.config, 'config'),
    credentials: read(paths.credentials, 'credentials'),
    ...(flags.longTermSuffix ? { longTermSuffix: flags.longTermSuffix } : {}),
  };
  const chain = roleChain(names.profile, files);
  const rootFlags = sourceFlags(flags, chain.root.profile);
  let root: RoleLoaded['root'];
  let rootProfile: ResolvedProfile;
  if (chain.root.kind === 'aws-mfa') {
    const loaded = await loadProfile(rootFlags, ctx, { sessionsFollowKeys: true, ...(chain.mfaSerial ? { roleDevice: chain.mfaSerial } : {}) });
    root = { kind: 'aws-mfa', loaded };
    rootProfile = loaded.profile;
    // broamski's --assume-role layout: the source's own session is a role's, so the first role is chained
    if (rootProfile.role) chain.links[0]!.chained = true;
  } else {
    const name = chain.root.profile;
    const config = new Map([...(chain.mfaSerial ? [['mfa_serial', chain.mfaSerial] as const] : []), ...(files.config(name) ?? [])]);
    const rootNames: Names = { profile: name, longTerm: name, shortTerm: name, form: 'suffix', profileSource: 'source_profile' };
    rootProfile = resolveProfile({ names: rootNames, flags: rootFlags, env: ctx.env, paths, longTerm: chain.root.keys, config, user: ctx.user });
    root = { kind: 'static', profile: rootProfile };
  }
  const last = chain.links.length - 1;
  // each role takes its source's region when it has none of its own
  const links: ResolvedProfile[] = [];
  for (const [i, link] of chain.links.entries()) links.push(roleProfile(rootProfile, link, flags, ctx.env, i === last, links[i - 1]?.region));
  const profile = links[last]!;
  const stored = profile.sessionStore === 'file' ? storedOf(readKept(ctx.env, 'role', profile.names.profile)) : undefined;
  const mfa = root.kind === 'aws-mfa' || Boolean(rootProfile.device);
  return { profile, stored, warnings, role: { links, root, mfa } };
}
