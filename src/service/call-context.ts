/** The context of one AWS call: region, credentials, endpoints and network, from the resolved profile. */
import { statSync } from 'node:fs';
import type { Context } from '../context.js';
import type { AccessKey } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { CallContext } from '../aws/index.js';
import { configError } from '../errors.js';
import { endpointSource, isEndpointUrl } from '../core/sdk-settings.js';
import { checkRegion } from '../core/checks.js';
import { terminalLine } from '../core/sanitize.js';
import { t } from '../messages/index.js';
import { proxyVariable, setVariableLine, unencodedProxyUser, type NetSettings } from '../core/network.js';

export function callContext(
  p: Pick<ResolvedProfile, 'endpoints' | 'net' | 'region' | 'paths'>,
  ctx: Context,
  credentials: AccessKey,
  region: string,
): CallContext {
  checkProxies(p.net, ctx);
  checkCaBundle(p.net);
  checkEndpoints(p, region, ctx);
  return {
    region,
    credentials,
    net: p.net,
    settings: p.endpoints,
    ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
  };
}

/**
 * A CA bundle that cannot be read is a setting to fix (exit 3), found before any call is made and
 * before a code is asked for, like a proxy URL; aws/net.ts reads it when the agents are made.
 */
function checkCaBundle(net: NetSettings): void {
  if (!net.caBundle) return;
  const { path, source } = net.caBundle;
  let code: string | undefined;
  try {
    if (!statSync(path).isFile()) code = 'EISDIR';
  } catch (e) {
    code = (e as NodeJS.ErrnoException).code ?? 'error';
  }
  if (code) throw configError(t('net.caBundle', { path, source, code }));
}

/**
 * A region that is not a region name (`us east 1`) and an endpoint that is not a URL are settings to fix,
 * said before any call (and before a code is asked for) with where they came from; the SDK would
 * report them as a network failure ("ERR_INVALID_URL").
 */
function checkEndpoints(p: Pick<ResolvedProfile, 'endpoints' | 'region' | 'paths'>, region: string, ctx: Context) {
  checkRegion(terminalLine(region), p.region.value === region ? p.region.source : '--region');
  checkEndpointUrls(p.endpoints, ctx.env, p.paths.config);
}

/** An endpoint that is not an http(s) URL, with where it came from (a variable, or `configFile`'s endpoint_url). */
export function checkEndpointUrls(endpoints: CallContext['settings'], env: Context['env'], configFile: string): void {
  for (const service of ['STS', 'IAM'] as const) {
    const url = endpoints[service].endpoint;
    if (url === undefined || isEndpointUrl(url)) continue;
    const variable = endpointSource(env, service);
    const source = variable ?? t('source.configKey', { key: 'endpoint_url', file: configFile });
    throw configError(t('net.badEndpoint', { url: terminalLine(url), source }));
  }
}

/**
 * A proxy URL that cannot be read is a setting to fix (exit 3), found before any call is made and
 * before a code is asked for (a code is spent once); the message gives the line that sets it right.
 */
function checkProxies(net: NetSettings, ctx: Context): void {
  for (const [key, url] of [
    ['https_proxy', net.httpsProxy],
    ['http_proxy', net.httpProxy],
  ] as const) {
    const fixed = unencodedProxyUser(url);
    if (!fixed) continue;
    const name = proxyVariable(ctx.env, key);
    throw configError(t('net.proxyUnencoded', { name, line: setVariableLine(name, fixed, ctx.platform) }));
  }
}
