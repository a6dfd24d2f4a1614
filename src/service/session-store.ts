/**
 * Where a profile's MFA session is kept, behind one small interface (aws-vault's cached session
 * provider shape): the short-term section of the credentials file (broamski's layout), or, when
 * the long-term key lives in the OS keychain, the keychain, so nothing secret is in a file.
 */
import type { Context } from '../context.js';
import { shortTermEntries, type Session, type StoredSession } from '../core/credentials.js';
import { writeProfileTo } from '../io/store.js';
import type { LoadedProfile } from './profile-loader.js';
import type { KeychainProblem, KeychainSection } from './keychain-entries.js';
import { lazyChunk } from '../start/chunk.js';

export const loadKeychainEntries = lazyChunk<typeof import('./keychain-entries.js')>('keychain-entries.cjs', () => import('./keychain-entries.js'));

export interface SessionStore {
  read(): Promise<StoredSession | undefined>;
  /**
   * `device`: recorded with the session when it was looked up rather than configured. Resolves to
   * whether the file it went to starts with a UTF-8 BOM (the AWS CLI cannot read it; a keychain: false).
   */
  write(session: Session, role: string | undefined, device?: string): Promise<{ bom: boolean }>;
}

export function sessionStore(loaded: LoadedProfile, ctx: Context): SessionStore {
  const { profile } = loaded;
  if (profile.sessionStore === 'keychain') {
    return {
      read: async () => (await loadKeychainEntries()).readSession(profile, ctx.env),
      write: async (session, role) => {
        await (await loadKeychainEntries()).writeSession(profile, session, role, ctx.env);
        return { bom: false };
      },
    };
  }
  return {
    read: () => Promise.resolve(loaded.stored),
    write: async (session, role, device) => {
      const entries = shortTermEntries(session, role);
      if (device) entries.push(['aws_mfa_device', device]);
      const { bom } = await writeProfileTo(profile.paths.credentials, profile.names.shortTerm, 'credentials', entries, role ? [] : ['assumed_role_arn']);
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

export function keychainSessionAt(place: KeychainSection, ctx: Pick<Context, 'env'>): KeychainSessionAt {
  return {
    read: async () => (await loadKeychainEntries()).keptSessionOrProblem(place, ctx.env),
    forget: async () => (await loadKeychainEntries()).forgetSession(place, ctx.env),
    name: async () => (await loadKeychainEntries()).keychainName(),
  };
}
