/** The context of one AWS call: region, credentials, endpoints and network, from the resolved profile. */
import type { Context } from '../context.js';
import type { AccessKey } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { CallContext } from '../aws/index.js';

export function callContext(p: Pick<ResolvedProfile, 'endpoints' | 'net'>, ctx: Context, credentials: AccessKey, region: string): CallContext {
  return {
    region,
    credentials,
    net: p.net,
    settings: p.endpoints,
    ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
  };
}
