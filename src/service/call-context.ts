/** The context of one AWS call: region, credentials, endpoints and network, from the resolved profile. */
import type { Context } from '../context.js';
import type { AccessKey } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { CallContext } from '../aws/index.js';
import { lazyChunk } from '../io/chunk.js';

const loadKeychain = lazyChunk<typeof import('../io/keychain.js')>('keychain.cjs', () => import('../io/keychain.js'));

export function callContext(p: Pick<ResolvedProfile, 'endpoints' | 'net'>, ctx: Context, credentials: AccessKey, region: string): CallContext {
  return {
    region,
    credentials,
    net: p.net,
    settings: p.endpoints,
    ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
  };
}

/** The long-term key, from the file or the OS keychain. */
export async function longTermKey(p: ResolvedProfile): Promise<AccessKey> {
  if (p.longTerm.store === 'file') return p.longTerm.key;
  const { readLongTermKey } = await loadKeychain();
  return readLongTermKey(p.longTerm.section);
}
