/**
 * The first provider of the session chain: the long-term key, from the credentials file or the OS
 * keychain (where a key under the old shared name is migrated, service/keychain-entries.ts). The
 * MFA session provider (service/refresh.ts) calls AWS with it; its own file, so the keychain
 * chunk, which makes AWS calls of its own (call-context.ts), is not in an import cycle with it.
 */
import type { Context } from '../context.js';
import type { AccessKey } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import { lazyChunk } from '../start/chunk.js';

const loadKeychainEntries = lazyChunk<typeof import('./keychain-entries.js')>(
  'keychain-entries.cjs',
  () => import('./keychain-entries.js'),
);

/** The long-term key, from the file or the OS keychain (where a key under the old shared name is migrated). */
export async function longTermKey(p: ResolvedProfile, ctx: Context): Promise<AccessKey> {
  return (await longTermKeyEntry(p, ctx)).key;
}

/** The long-term key and, when it is in the keychain, the id of its entry. */
export async function longTermKeyEntry(p: ResolvedProfile, ctx: Context): Promise<{ key: AccessKey; id?: string }> {
  if (p.longTerm.store === 'file') return { key: p.longTerm.key };
  const { keychainKey, keychainSectionOf } = await loadKeychainEntries();
  return keychainKey(keychainSectionOf(p), ctx, p);
}
