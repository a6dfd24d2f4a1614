/**
 * The HTTP side of the AWS calls: the SDK's own Node request handler, given agents that go
 * through the proxy the environment names (CONNECT tunnels for HTTPS, via https-proxy-agent; plain
 * proxying for HTTP, via http-proxy-agent), trust the CA bundle asked for, and time out; wrapped
 * so that every answer is bounded in time and size (bounded.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { Agent as ChoosingBase, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { proxyFor, redactUrl, unencodedProxyUser, type NetSettings } from '../core/network.js';
import { t } from '../messages/index.js';
import { BoundedHttpHandler, BoundedHttpsProxyAgent, MAX_ANSWER_BYTES, deadlineError, limitBody } from './bounded.js';

export class NetSetupError extends Error {
  override name = 'NetSetupError';
}

function readCa(net: NetSettings): Buffer | undefined {
  if (!net.caBundle) return undefined;
  try {
    return readFileSync(net.caBundle.path);
  } catch (e) {
    throw new NetSetupError(
      t('net.caBundle', {
        path: net.caBundle.path,
        source: net.caBundle.source,
        code: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
      }),
    );
  }
}

/** A proxy URL cut short by an unencoded "/", "?" or "#" (service/call-context.ts refuses it sooner). */
function checkProxyUrl(name: string, url: string | undefined): void {
  const line = unencodedProxyUser(url);
  if (line) throw new NetSetupError(t('net.proxyUnencoded', { name, line: `${name}=${line}` }));
}

/** Picks, per request, a direct connection or the proxy for that URL (NO_PROXY decides). */
class ProxyChoosingAgent extends ChoosingBase {
  private readonly proxied = new Map<string, http.Agent>();
  constructor(
    private readonly net: NetSettings,
    private readonly direct: { http: http.Agent; https: https.Agent },
    private readonly ca: Buffer | undefined,
    private readonly debug?: (l: string) => void,
  ) {
    super({ keepAlive: true });
  }
  connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    const secure = opts.secureEndpoint;
    const host = opts.host ?? 'localhost';
    const target = new URL(`${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${opts.port}`);
    const proxy = proxyFor(target, this.net);
    this.debug?.(
      `${target.host}: ` +
        (proxy
          ? `through the proxy ${redactUrl(proxy)}${secure ? ' (CONNECT)' : ''}`
          : 'direct (no proxy, or NO_PROXY matches)'),
    );
    if (!proxy) return secure ? this.direct.https : this.direct.http;
    // the TLS to the target inside the CONNECT tunnel is made with these request options
    if (secure && this.ca) (opts as { ca?: Buffer }).ca = this.ca;
    const key = `${secure ? 's' : 'p'} ${proxy}`;
    let agent = this.proxied.get(key);
    if (!agent) {
      agent = secure
        ? new BoundedHttpsProxyAgent(
            proxy,
            { ...(this.ca ? { ca: this.ca } : {}), keepAlive: true },
            this.net.readTimeoutMs,
          )
        : new HttpProxyAgent(proxy, { keepAlive: true });
      this.proxied.set(key, agent);
    }
    return agent;
  }
}

export interface HandlerOptions {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: boolean;
}

/** Options for the SDK's NodeHttpHandler (clients take them as `requestHandler`). */
export function handlerOptions(net: NetSettings, debug?: (l: string) => void): HandlerOptions {
  checkProxyUrl('HTTPS_PROXY', net.httpsProxy);
  checkProxyUrl('HTTP_PROXY', net.httpProxy);
  const ca = readCa(net);
  const direct = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }),
  };
  if (net.caBundle) debug?.(`TLS trusts only the CA bundle ${net.caBundle.path} (from ${net.caBundle.source})`);
  const anyProxy = net.httpProxy || net.httpsProxy;
  const chooser = anyProxy ? new ProxyChoosingAgent(net, direct, ca, debug) : undefined;
  if (!anyProxy) debug?.('no HTTP(S)_PROXY set: direct connections');
  return {
    httpAgent: chooser ?? direct.http,
    httpsAgent: (chooser as unknown as https.Agent) ?? direct.https,
    connectionTimeout: net.connectTimeoutMs,
    requestTimeout: net.readTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/** The request handler for the SDK clients: its own Node handler, each answer bounded in time and size. */
export function requestHandler(net: NetSettings, debug?: (l: string) => void): BoundedHttpHandler {
  return new BoundedHttpHandler(new NodeHttpHandler(handlerOptions(net, debug)), net.readTimeoutMs);
}

/**
 * A GET through the same agents (the console's federation endpoint), with the same bounds: the
 * whole answer within the read timeout, and at most MAX_ANSWER_BYTES of it.
 */
export async function get(
  url: string,
  net: NetSettings,
  debug?: (l: string) => void,
): Promise<{ status: number; body: string }> {
  const o = handlerOptions(net, debug);
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return await new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err: Error | null, value?: { status: number; body: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };
    const req = mod.get(
      url,
      { agent: u.protocol === 'https:' ? o.httpsAgent : o.httpAgent, timeout: o.requestTimeout },
      (res) => {
        const chunks: Buffer[] = [];
        const body = limitBody(res, MAX_ANSWER_BYTES, (err) =>
          err
            ? settle(err)
            : settle(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        body.on('data', (d: Buffer) => chunks.push(d));
        body.on('error', () => {}); // reported through limitBody's callback
      },
    );
    const timer = setTimeout(() => settle(deadlineError(net.readTimeoutMs)), net.readTimeoutMs);
    timer.unref();
    req.on('timeout', () => settle(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => settle(e));
  });
}
