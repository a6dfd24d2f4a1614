/**
 * Network settings, pure: which proxy a URL goes through (the AWS CLI's rules: botocore asks
 * Python's urllib), the CA bundle, timeouts and retries, from the environment and the profile.
 */
type Env = Readonly<Record<string, string | undefined>>;

export interface NetSettings {
  /** Proxy URLs per target scheme, and the NO_PROXY list, as found in the environment. */
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** A PEM file that replaces the default CA list for TLS to AWS, and where it came from. */
  caBundle?: { path: string; source: string };
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** For calls that may be repeated (not the ones that spend an MFA code). */
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive' | 'legacy';
}

/** Lowercase first, as Python's urllib (and so the AWS CLI) prefers it. */
function envVar(env: Env, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

const seconds = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** The AWS CLI's timeouts (seconds) when neither a flag nor the profile sets them: --*-timeout's defaults. */
export const DEFAULT_TIMEOUTS = { connect: 10, read: 30 } as const;

export interface NetFlags {
  connectTimeout?: string;
  readTimeout?: string;
}

export function netSettings(env: Env, profile: ReadonlyMap<string, string>, flags: NetFlags = {}): NetSettings {
  const ca = env.AWS_CA_BUNDLE
    ? { path: env.AWS_CA_BUNDLE, source: 'AWS_CA_BUNDLE' }
    : profile.get('ca_bundle')
      ? { path: profile.get('ca_bundle')!, source: 'ca_bundle in ~/.aws/config' }
      : undefined;
  const attempts = Number(env.AWS_MAX_ATTEMPTS ?? profile.get('max_attempts') ?? 3);
  const mode = (env.AWS_RETRY_MODE ?? profile.get('retry_mode') ?? 'standard').toLowerCase();
  return {
    httpProxy: envVar(env, 'http_proxy'),
    httpsProxy: envVar(env, 'https_proxy'),
    noProxy: envVar(env, 'no_proxy'),
    ...(ca ? { caBundle: ca } : {}),
    connectTimeoutMs:
      1000 * (seconds(flags.connectTimeout) ?? seconds(profile.get('cli_connect_timeout')) ?? DEFAULT_TIMEOUTS.connect),
    readTimeoutMs:
      1000 * (seconds(flags.readTimeout) ?? seconds(profile.get('cli_read_timeout')) ?? DEFAULT_TIMEOUTS.read),
    maxAttempts: Number.isInteger(attempts) && attempts >= 1 ? attempts : 3,
    retryMode: mode === 'adaptive' ? 'adaptive' : mode === 'legacy' ? 'legacy' : 'standard',
  };
}

/**
 * Whether `host` (with `port`) is exempt from the proxy by NO_PROXY, as urllib's
 * proxy_bypass_environment decides: `*` exempts everything; each entry (a leading dot dropped)
 * matches the host or any of its subdomains, case-insensitively, with or without the port.
 */
export function bypassesProxy(host: string, port: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  if (noProxy.trim() === '*') return true;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  const withPort = `${bare}:${port}`;
  for (const raw of noProxy.split(',')) {
    const name = raw.trim().replace(/^\.+/, '').toLowerCase();
    if (!name) continue;
    for (const candidate of [bare, withPort]) {
      if (candidate === name || candidate.endsWith(`.${name}`)) return true;
    }
  }
  return false;
}

/** The proxy a request to `target` goes through, or undefined for a direct connection. */
export function proxyFor(
  target: URL,
  net: Pick<NetSettings, 'httpProxy' | 'httpsProxy' | 'noProxy'>,
): string | undefined {
  const proxy = target.protocol === 'https:' ? net.httpsProxy : target.protocol === 'http:' ? net.httpProxy : undefined;
  if (!proxy) return undefined;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (bypassesProxy(target.hostname, port, net.noProxy)) return undefined;
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}

/**
 * A proxy URL fit for a log line: everything between "://" and the last "@" (user, password, or a
 * token given as the user) becomes ***. Done on the text, not through URL parsing: a password with
 * an unencoded "/", "@" or "#" makes the URL unparseable or parsed wrongly, and must still not show.
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  const start = scheme ? scheme[0].length : 0;
  const at = url.lastIndexOf('@');
  const bare = at >= start ? `${url.slice(0, start)}***@${url.slice(at + 1)}` : url;
  return bare.replace(/(\/\/[^/]*)\/$/, '$1');
}

/**
 * A proxy URL whose user or password holds an unencoded "/", "?" or "#": every URL parser cuts it
 * short there and takes part of the password for the host. Undefined when the URL is fine; else
 * the same URL with the user percent-encoded and the password left out (it is a secret): a line
 * the user completes with the encoded password in place of PASSWORD.
 */
export function unencodedProxyUser(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0 || !/[/?#]/.test(rest.slice(0, at))) return undefined;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  // without a colon the whole part may be a token: it is left out too
  const user = colon < 0 ? 'USER' : encodeUserinfoPart(userinfo.slice(0, colon));
  return `${scheme}${user}${colon < 0 ? '' : ':PASSWORD'}@${rest.slice(at + 1)}`;
}

/** Percent-encodes what a URL's user part cannot hold as it is (an existing %XX is kept). */
function encodeUserinfoPart(s: string): string {
  return s.replace(/%(?![0-9a-f]{2})|[^\w.~!$'()*+,;=%-]/gi, (c) => encodeURIComponent(c).replace(/'/g, '%27'));
}

/** The line that sets an environment variable, as the platform's shell takes it: cmd's `set`, a POSIX `export`. */
export function setVariableLine(name: string, value: string, platform: string): string {
  return platform === 'windows' ? `set ${name}=${value}` : `export ${name}='${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The name of the variable `netSettings` took a proxy from, spelt as the user set it: the lowercase one
 * wins, as urllib's. Windows' environment ignores case (`https_proxy` reads HTTPS_PROXY), so the name
 * is the one the environment lists, not the one that was asked for.
 */
export function proxyVariable(env: Env, name: 'http_proxy' | 'https_proxy'): string {
  const set = Object.keys(env).filter((k) => k.toLowerCase() === name && (env[k] ?? '').trim() !== '');
  return set.find((k) => k === name) ?? set.find((k) => k === name.toUpperCase()) ?? set[0] ?? name.toUpperCase();
}
