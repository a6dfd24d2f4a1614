/**
 * MFA sessions kept in the OS keychain (when the long-term key is there too), for the session
 * store: read as the session decision needs them, written (and read back) with their role and
 * expiration. Its own chunk: only profiles whose key is in the keychain load it.
 */
import { t } from '../messages/index.js';
import type { Session, StoredSession } from '../core/credentials.js';
import { readSession as readKept, storeSession, keychainError } from '../io/keychain.js';

export async function readSession(section: string): Promise<StoredSession | undefined> {
  try {
    return await readKept(section);
  } catch (e) {
    throw keychainError(e, t('keychain.what.readSession', { section }));
  }
}

export async function writeSession(section: string, session: Session, role: string | undefined): Promise<void> {
  try {
    await storeSession(section, session, role);
  } catch (e) {
    throw keychainError(e, t('keychain.what.writeSession', { section }));
  }
}
