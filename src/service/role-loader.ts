/**
 * Loading a role profile of the config file (core/role.ts): its chain down to a profile with keys,
 * the root's profile (loaded as any aws-mfa profile, or plain keys), each role's ResolvedProfile,
 * and the role session kept at the plain-file level. A chunk of its own (role-loader.cjs): only
 * role profiles load it, so neither the entry's fast path nor the program carries it.
 */
import type { Names } from '../core/names.js';
import { resolveProfile, type ResolvedProfile, type SessionFlags } from '../core/profile.js';
import type { FilePaths } from '../core/paths.js';
import { roleChain, roleProfile, sourceFlags, type RoleFiles } from '../core/role.js';
import { readKept, storedOf } from '../io/role-cache.js';
import { readProfiles } from '../io/store.js';
import type { LoadContext, LoadedProfile, LoadOptions, RoleLoaded } from './profile-loader.js';

/** profile-loader.ts's loadProfile, handed in (it loads this chunk: no import cycle). */
export type LoadSource = (flags: SessionFlags, ctx: LoadContext, opts: LoadOptions) => Promise<LoadedProfile>;

/**
 * A role profile: its chain down to a profile with keys (core/role.ts), the root's profile (an
 * aws-mfa profile, loaded as any; or plain keys), each role's ResolvedProfile, and the role
 * session kept at the plain-file level. Sessions of a root whose key is in the keychain are kept
 * there (service/session-store.ts reads them), whatever the command.
 */
export async function loadRole(
  names: Names,
  flags: SessionFlags,
  ctx: LoadContext,
  paths: FilePaths,
  warnings: string[],
  loadProfile: LoadSource,
): Promise<LoadedProfile> {
  const read = (path: string, kind: 'config' | 'credentials') => (name: string) => {
    const r = readProfiles(path, kind, [name], ctx.env);
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
  // how the one code is asked, as set on the role asked for (where the README's example puts
  // mfa_serial, a user puts mfa_process and mfa_prompt too): used unless the source sets its own
  const asked = files.config(names.profile);
  const roleSettings = ['mfa_process', 'mfa_prompt'].flatMap((k) => {
    const v = asked?.get(k);
    return v ? [[k, v] as [string, string]] : [];
  });
  if (chain.root.kind === 'aws-mfa') {
    const roleDevice = chain.mfaSerial ? { roleDevice: chain.mfaSerial } : {};
    const loaded = await loadProfile(rootFlags, ctx, { sessionsFollowKeys: true, ...roleDevice, roleSettings });
    root = { kind: 'aws-mfa', loaded };
    rootProfile = loaded.profile;
    // broamski's --assume-role layout: the source's own session is a role's, so the first role is chained
    if (rootProfile.role) chain.links[0]!.chained = true;
  } else {
    const name = chain.root.profile;
    const roleDevice = chain.mfaSerial ? [['mfa_serial', chain.mfaSerial] as const] : [];
    const config = new Map([...roleDevice, ...roleSettings, ...(files.config(name) ?? [])]);
    const names: Names = {
      profile: name,
      longTerm: name,
      shortTerm: name,
      form: 'suffix',
      profileSource: 'source_profile',
    };
    const longTerm = chain.root.keys;
    rootProfile = resolveProfile({ names, flags: rootFlags, env: ctx.env, paths, longTerm, config, user: ctx.user });
    root = { kind: 'static', profile: rootProfile };
  }
  const last = chain.links.length - 1;
  // each role takes its source's region when it has none of its own
  const links: ResolvedProfile[] = [];
  for (const [i, link] of chain.links.entries()) {
    links.push(roleProfile(rootProfile, link, flags, ctx.env, i === last, links[i - 1]?.region));
  }
  const profile = links[last]!;
  const stored =
    profile.sessionStore === 'file' ? storedOf(readKept(ctx.env, 'role', profile.names.profile)) : undefined;
  const mfa = root.kind === 'aws-mfa' || Boolean(rootProfile.device);
  return { profile, stored, warnings, role: { links, root, mfa } };
}
