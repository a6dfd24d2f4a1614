/**
 * Where a profile's MFA session is kept, behind one small interface (aws-vault's cached session
 * provider shape): the short-term section of the credentials file (broamski's layout), or, when
 * the long-term key lives in the OS keychain, the keychain, so nothing secret is in a file.
 */
import type { Context } from '../context.js';
import { shortTermEntries, storedSessionFromSection, type Session, type StoredSession } from '../core/credentials.js';
import { readProfiles, resolveTarget, unchangedSince, writeProfileTo } from '../io/store.js';
import type { SessionLockKey } from '../io/session-lock.js';
import type { LoadedProfile } from './profile-loader.js';
import { lazyChunk } from '../start/chunk.js';
import type { EntryContext, KeychainProblem, KeychainSection } from './keychain-entries.js';
import { writeKept } from './role-store.js';
import { readKept, storedOf } from '../io/role-cache.js';

export const loadKeychainEntries = lazyChunk<typeof import('./keychain-entries.js')>(
  'keychain-entries.cjs',
  () => import('./keychain-entries.js'),
);

export interface SessionStore {
  read(): Promise<StoredSession | undefined>;
  /** What the store holds now (another process may have written it since `read`). */
  reread(): Promise<StoredSession | undefined>;
  /** The session's identity, which its refresh lock is keyed by (io/session-lock.ts). */
  lockKey(): SessionLockKey;
  /**
   * `device`: recorded with the session when it was looked up rather than configured. Resolves to
   * whether the file it went to starts with a UTF-8 BOM (the AWS CLI cannot read it; a keychain: false).
   */
  write(session: Session, role: string | undefined, device?: string): Promise<{ bom: boolean }>;
}

export function sessionStore(loaded: LoadedProfile, ctx: Context): SessionStore {
  const { profile } = loaded;
  // a role profile of the config (core/role.ts) at the plain-file level: its own file in the private cache folder
  if (profile.configRole && profile.sessionStore === 'file') {
    const name = profile.names.profile;
    const source = profile.configRole.source;
    const file = resolveTarget(profile.paths.credentials);
    return {
      read: () => Promise.resolve(loaded.stored),
      reread: async () => storedOf(readKept(ctx.env, 'role', name)),
      // a role's kept file is the user's own (one cache folder per user): its name is the identity
      lockKey: () => ({ key: `role\n${name}`, file }),
      write: async (session, role) => {
        await writeKept(ctx.env, 'role', name, session, role, source);
        return { bom: false };
      },
    };
  }
  if (profile.sessionStore === 'keychain') {
    const read = async () => (await loadKeychainEntries()).readSession(profile, ctx);
    return {
      read,
      reread: read,
      // the entry's id; a key still under the old shared name: the file and section
      lockKey: () => {
        const file = resolveTarget(profile.paths.credentials);
        const id = profile.longTerm.store === 'keychain' ? profile.longTerm.id : undefined;
        return { key: `keychain\n${id ?? file}\n${profile.names.shortTerm}`, file };
      },
      write: async (session, role, device) => {
        await (await loadKeychainEntries()).writeSession(profile, session, role, ctx, device);
        return { bom: false };
      },
    };
  }
  return {
    read: () => Promise.resolve(loaded.stored),
    // under the lock: the section as read, unless another process wrote the file since (a stat, not a read)
    reread: async () => {
      if (unchangedSince(profile.paths.credentials, loaded.stamp)) return loaded.stored;
      const { profiles } = readProfiles(profile.paths.credentials, 'credentials', [profile.names.shortTerm], ctx.env);
      const section = profiles.get(profile.names.shortTerm);
      return section ? storedSessionFromSection(section) : undefined;
    },
    lockKey: () => {
      const file = resolveTarget(profile.paths.credentials);
      return { key: `file\n${file}\n${profile.names.shortTerm}`, file };
    },
    write: async (session, role, device) => {
      const entries = shortTermEntries(session, role);
      // a device from the user's files is not kept with the session: one kept before would go stale
      if (device) entries.push(['aws_mfa_device', device]);
      const gone = [...(role ? [] : ['assumed_role_arn']), ...(device ? [] : ['aws_mfa_device'])];
      const { bom } = await writeProfileTo(
        profile.paths.credentials,
        profile.names.shortTerm,
        'credentials',
        entries,
        gone,
      );
      return { bom };
    },
  };
}

/**
 * The session kept in the keychain for the sections `place` names (the long-term key is there),
 * without loading a profile: what status reads and clear forgets, over many sections at once.
 */
export interface KeychainSessionAt {
  /** The session kept, or what is missing for the keychain to say (never throws for that). */
  read(): Promise<{ stored: StoredSession | undefined; problem?: KeychainProblem }>;
  /** The session goes; whether there was one. */
  forget(): Promise<boolean>;
  /** The keychain's name on this system, for messages. */
  name(): Promise<string>;
}

export function keychainSessionAt(place: KeychainSection, ctx: EntryContext): KeychainSessionAt {
  return {
    read: async () => (await loadKeychainEntries()).keptSessionOrProblem(place, ctx.env),
    forget: async () => (await loadKeychainEntries()).forgetSession(place, ctx),
    name: async () => (await loadKeychainEntries()).keychainName(),
  };
}
