/**
 * Where an MFA session is kept: the short-term section of the credentials file (broamski's
 * layout), or, when the profile's long-term key is in the OS keychain, the keychain too, so that
 * nothing secret is left in a file. Both give the session in the short-term section's shape, so
 * one freshness rule (core/session.ts) judges either.
 */
import { writeProfileTo } from '../io/store.js';
import { shortTermEntries, type Names } from '../core/session.js';
import { keyLocation } from '../core/key-location.js';
import { t } from '../messages/index.js';
import type { FilePaths } from '../core/paths.js';
import type { SessionCredentials } from '../aws/index.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface SessionStore {
  readonly kind: 'file' | 'keychain';
  /** The kept session, as the short-term section's properties, or undefined. */
  read(): Promise<Map<string, string> | undefined>;
  /** Keep a new session (replacing the old one). */
  write(session: SessionCredentials, role: string | undefined): Promise<void>;
}

/** The short-term section of the credentials file, already read by the caller. */
export function fileSessionStore(paths: FilePaths, names: Names, section: Map<string, string> | undefined): SessionStore {
  return {
    kind: 'file',
    read: () => Promise.resolve(section),
    write: async (session, role) => {
      await writeProfileTo(paths.credentials, names.shortTerm, 'credentials', shortTermEntries(session, role), role ? [] : ['assumed_role_arn']);
    },
  };
}

/** The keychain entry `session:SHORT-TERM-NAME`. */
export function keychainSessionStore(names: Names, env: Env): SessionStore {
  const kc = () => import('../io/keychain.js');
  return {
    kind: 'keychain',
    read: async () => {
      const k = await kc();
      try {
        const s = await k.readSession(names.shortTerm);
        return s ? new Map(shortTermEntries(s, s.role)) : undefined;
      } catch (e) {
        throw k.keychainError(e, env, t('keychain.what.readSession', { section: names.shortTerm }));
      }
    },
    write: async (session, role) => {
      const k = await kc();
      try {
        await k.storeSession(names.shortTerm, { ...session, ...(role ? { role } : {}) });
      } catch (e) {
        throw k.keychainError(e, env, t('keychain.what.writeSession', { section: names.shortTerm }));
      }
    },
  };
}

/**
 * The store for a profile: the keychain when its long-term key is there and the caller keeps
 * sessions out of files (`auto`: credential-process, export, exec, ...), else the file (the
 * plain `aws-mfa --profile NAME` writes [NAME] for tools that read only the file).
 */
export function sessionStoreFor(
  longTerm: ReadonlyMap<string, string>,
  names: Names,
  paths: FilePaths,
  fileSection: Map<string, string> | undefined,
  env: Env,
  mode: 'file' | 'auto' = 'file',
): SessionStore {
  return mode === 'auto' && keyLocation(longTerm) === 'keychain' ? keychainSessionStore(names, env) : fileSessionStore(paths, names, fileSection);
}
