/**
 * The MFA sessions kept for a profile, for `status`: the file's short-term section, and, when the
 * long-term key is in the OS keychain, the session kept there. No AWS call; a keychain that
 * cannot be read is reported as the reason, not thrown.
 */
import { keyLocation } from '../core/key-location.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface KeptSession {
  store: 'file' | 'keychain';
  /** The session in the short-term section's shape (undefined: none kept). */
  section?: Map<string, string>;
  /** Why the keychain could not be read. */
  problem?: string;
}

export async function keptSessions(longTerm: ReadonlyMap<string, string>, shortTerm: string, fileSection: Map<string, string> | undefined, env: Env): Promise<KeptSession[]> {
  if (keyLocation(longTerm) !== 'keychain') return [{ store: 'file', section: fileSection }];
  const out: KeptSession[] = [];
  const kc = await import('../io/keychain.js');
  const { shortTermEntries } = await import('../core/session.js');
  try {
    const s = await kc.readSession(shortTerm);
    out.push({ store: 'keychain', section: s ? new Map(shortTermEntries(s, s.role)) : undefined });
  } catch (e) {
    out.push({ store: 'keychain', problem: kc.describeFailure(e, env).missing });
  }
  // a session the plain `aws-mfa --profile NAME` wrote for tools that read only the file
  if (fileSection) out.push({ store: 'file', section: fileSection });
  return out;
}
