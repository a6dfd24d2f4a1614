/** Sessions kept in the OS keychain (placeholder until the keychain work lands). */
import type { Session, StoredSession } from '../core/credentials.js';

export function readSession(_profile: string): StoredSession | undefined {
  return undefined;
}
export function writeSession(_profile: string, _session: Session, _role: string | undefined): Promise<void> {
  return Promise.resolve();
}
