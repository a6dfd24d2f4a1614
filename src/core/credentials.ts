/**
 * The two credential shapes aws-mfa handles, with one name each, and how a session sits in the
 * short-term section (exactly the keys broamski's aws-mfa writes). Pure.
 */
import { formatExpiration, parseExpiration } from './time.js';

/** An access key: long-term (no token) or temporary (with one). */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Temporary credentials from GetSessionToken or AssumeRole. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Exactly the keys broamski writes, in its order. `assumed_role_arn` only with a role. */
export function shortTermEntries(s: Session, role: string | undefined): Array<[string, string]> {
  return [
    ['assumed_role', role ? 'True' : 'False'],
    ...(role ? ([['assumed_role_arn', role]] as Array<[string, string]>) : []),
    ['aws_access_key_id', s.accessKeyId],
    ['aws_secret_access_key', s.secretAccessKey],
    ['aws_session_token', s.sessionToken],
    ['aws_security_token', s.sessionToken],
    ['expiration', formatExpiration(s.expiration)],
  ];
}

/** What a stored session section holds, as the session decision needs it. */
export interface StoredSession {
  /** The complete session, when every key is there and the expiration reads. */
  session?: Session;
  /** The role it was obtained for (`assumed_role_arn`), if any. */
  role?: string;
  /** Keys without a session token: somebody's long-term keys. */
  holdsLongTermKeys: boolean;
  /** None of a session's keys is there (an empty `[NAME]`, as the setup guides add it). */
  empty?: boolean;
  /** The first key a session needs that is missing, if any. */
  missingKey?: string;
  /** An `expiration` that is there but cannot be read. */
  badExpiration?: string;
  /** `aws_security_token` differs from `aws_session_token`: botocore would read the stale one. */
  tokensDiffer?: boolean;
}

export function storedSessionFromSection(section: ReadonlyMap<string, string>): StoredSession {
  const get = (k: string) => section.get(k) || undefined;
  const role = get('assumed_role_arn');
  const holdsLongTermKeys = Boolean(
    get('aws_access_key_id') && get('aws_secret_access_key') && !get('aws_session_token') && !get('aws_security_token'),
  );
  const token = get('aws_session_token') ?? get('aws_security_token');
  const missingKey = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'expiration'].find((k) =>
    k === 'aws_session_token' ? !token : !get(k),
  );
  const expiration = parseExpiration(get('expiration'));
  const out: StoredSession = { holdsLongTermKeys, ...(role ? { role } : {}) };
  if (get('aws_session_token') && get('aws_security_token') && get('aws_session_token') !== get('aws_security_token'))
    out.tokensDiffer = true;
  if (missingKey) out.missingKey = missingKey;
  if (!token && ['aws_access_key_id', 'aws_secret_access_key', 'expiration'].every((k) => !get(k))) out.empty = true;
  else if (!expiration) out.badExpiration = get('expiration');
  else
    out.session = {
      accessKeyId: get('aws_access_key_id')!,
      secretAccessKey: get('aws_secret_access_key')!,
      sessionToken: token!,
      expiration,
    };
  return out;
}

/**
 * The go-aws-mfa pairs (`aws-mfa -s S -d D`) a credentials file shows: [D] holds a session and [S]
 * its long-term keys. aws-mfa writes nothing in [D] that names [S], so the names tell: [S] and
 * [S_mfa] (the setup guides' names, keepKeysCommand's), or [S-long-term] and [S_mfa] (the keys moved by
 * `aws-mfa init --profile S`); `only`, when given, is the one [D] asked for,
 * and then a single section with long-term keys outside the `-suffix` pairs is its source too.
 */
export function sourceDestinationPairs(
  creds: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  suffix: string,
  only?: string,
): Array<{ source: string; destination: string }> {
  const strings = (name: string) =>
    Object.entries(creds[name] ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  const view = (name: string) => storedSessionFromSection(new Map(strings(name)));
  const holdsSession = (name: string) => Boolean(creds[name]) && !view(name).holdsLongTermKeys && !view(name).empty;
  const keys = Object.keys(creds).filter((n) => view(n).holdsLongTermKeys && !n.endsWith(`-${suffix}`));
  const pairs = keys.filter((s) => holdsSession(`${s}_mfa`) && (only === undefined || only === `${s}_mfa`));
  const out = pairs.map((source) => ({ source, destination: `${source}_mfa` }));
  // after `aws-mfa init --profile S` moved S's keys to [S-long-term], `-s S-long-term -d S_mfa` keeps the session
  for (const source of Object.keys(creds)) {
    if (!source.endsWith(`-${suffix}`) || !view(source).holdsLongTermKeys) continue;
    const destination = `${source.slice(0, -suffix.length - 1)}_mfa`;
    const taken = out.some((p) => p.destination === destination);
    if (!taken && holdsSession(destination) && (only ?? destination) === destination) out.push({ source, destination });
  }
  if (only !== undefined && out.length === 0 && holdsSession(only) && keys.length === 1 && keys[0] !== only) {
    out.push({ source: keys[0]!, destination: only });
  }
  return out.sort((a, b) => a.destination.localeCompare(b.destination));
}
