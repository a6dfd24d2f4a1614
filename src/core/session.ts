/**
 * The session command's domain, pure: option resolution with the broamski precedence, profile
 * naming, input checks, the "is the cached session still good" decision with its reason, and the
 * exact keys written to the short-term section.
 */
import { usageError, configError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface SessionFlags {
  profile?: string;
  device?: string;
  duration?: string;
  assumeRole?: string;
  roleSessionName?: string;
  longTermSuffix?: string;
  shortTermSuffix?: string;
  force?: boolean;
  token?: string;
  region?: string;
  externalId?: string;
  minTtl?: string;
  source?: string;
  destination?: string;
  connectTimeout?: string;
  readTimeout?: string;
}

export interface Names {
  profile: string;
  longTerm: string;
  shortTerm: string;
}

/** broamski's naming: `P-long-term` / `P` by default; `none` means the profile itself; go-aws-mfa's -s/-d name both directly. */
export function resolveNames(f: SessionFlags, env: Env): Names {
  if (f.source !== undefined || f.destination !== undefined) {
    if (!f.source || !f.destination) throw usageError('-s SOURCE and -d DESTINATION go together; give both profile names');
    if (f.source === f.destination) throw usageError(`-s and -d name the same profile [${f.source}]; the session must go to another profile`);
    return { profile: f.destination, longTerm: f.source, shortTerm: f.destination };
  }
  const profile = f.profile || env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const lt = f.longTermSuffix;
  const longTerm = !lt ? `${profile}-long-term` : lt.toLowerCase() === 'none' ? profile : `${profile}-${lt}`;
  const st = f.shortTermSuffix;
  const shortTerm = !st || st.toLowerCase() === 'none' ? profile : `${profile}-${st}`;
  if (longTerm === shortTerm) {
    throw usageError(`the long-term and short-term sections would both be [${longTerm}]; --long-term-suffix and --short-term-suffix must differ`);
  }
  return { profile, longTerm, shortTerm };
}

export function parseSeconds(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw usageError(`${what} must be a whole number of seconds, not "${value}"`);
  return Number(value.trim());
}

const MFA_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:mfa\/[\w+=,.@\/-]+$/;
const U2F_ARN = /^arn:[\w-]+:iam::\d{12}:u2f\//;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@\/-]+$/;

export function checkDevice(device: string, source: string): void {
  if (U2F_ARN.test(device)) {
    throw configError(`${device} (from ${source}) is a U2F/FIDO security key; AWS accepts those only in the console, so register a virtual or hardware TOTP device for the CLI (aws-mfa device create)`);
  }
  if (!MFA_ARN.test(device)) {
    throw configError(`${device} (from ${source}) is not an MFA device ARN; it must look like arn:aws:iam::123456789012:mfa/NAME`);
  }
}

export function checkRole(role: string, source: string): void {
  if (!ROLE_ARN.test(role)) {
    throw configError(`${role} (from ${source}) is not an IAM role ARN; it must look like arn:aws:iam::123456789012:role/NAME`);
  }
}

export function partitionOf(arn: string | undefined): 'aws' | 'aws-cn' | 'aws-us-gov' {
  const p = arn?.split(':')[1];
  return p === 'aws-cn' || p === 'aws-us-gov' ? p : 'aws';
}

export const DEFAULT_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function checkDuration(seconds: number, withRole: boolean, source: string): void {
  const [min, max] = withRole ? [900, 43200] : [900, 129600];
  if (seconds < min || seconds > max) {
    throw usageError(`duration ${seconds} (from ${source}) is out of range; ${withRole ? 'AssumeRole' : 'GetSessionToken'} takes ${min} to ${max} seconds`);
  }
}

export function checkCode(code: string): string {
  const c = code.trim();
  if (!/^\d{6}$/.test(c)) throw usageError(`the MFA code must be exactly 6 digits (got ${c.length === 0 ? 'nothing' : `${c.length} characters`}); type the code your authenticator shows`);
  return c;
}

/** RoleSessionName from the OS user name, made valid (2-64 of [\w+=,.@-]). */
export function defaultSessionName(user: string): string {
  let s = user.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  if (s.length < 2) s = `aws-mfa-${s}`.slice(0, 64);
  return s;
}

/** broamski's expiration format: `YYYY-MM-DD HH:MM:SS`, UTC. */
export function formatExpiration(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function parseExpiration(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]00:?00)?$/.exec(s.trim());
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

export type Freshness =
  | { due: false; secondsLeft: number; expiration: Date }
  | { due: true; reason: string; holdsLongTermKeys?: boolean };

/**
 * Whether the short-term section must be refreshed, with the reason (broamski's rules, plus
 * --min-ttl): missing or incomplete keys, another role than asked for, or ending within minTtl.
 */
export function freshness(section: ReadonlyMap<string, string> | undefined, role: string | undefined, now: Date, minTtl: number): Freshness {
  if (!section) return { due: true, reason: 'no session yet' };
  if (section.get('aws_access_key_id') && section.get('aws_secret_access_key') && !section.get('aws_session_token')) {
    return { due: true, reason: 'the section holds long-term keys (no session token)', holdsLongTermKeys: true };
  }
  for (const k of ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'expiration']) {
    if (!section.get(k)) return { due: true, reason: `the session is incomplete (no ${k})` };
  }
  const current = section.get('assumed_role_arn') || undefined;
  if (current !== role) {
    return { due: true, reason: role ? `the session is not for role ${role}` : `the session is for role ${current}, and no role is asked for now` };
  }
  const expiration = parseExpiration(section.get('expiration'));
  if (!expiration) return { due: true, reason: `the expiration "${section.get('expiration')}" cannot be read` };
  const secondsLeft = Math.floor((expiration.getTime() - now.getTime()) / 1000);
  if (secondsLeft <= 0) return { due: true, reason: 'the session has expired' };
  if (secondsLeft < minTtl) return { due: true, reason: `the session ends in ${formatDuration(secondsLeft)}, sooner than --min-ttl ${minTtl}s` };
  return { due: false, secondsLeft, expiration };
}

export interface WrittenSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Exactly the keys broamski writes, in its order. `assumed_role_arn` only with a role. */
export function shortTermEntries(c: WrittenSession, role: string | undefined): Array<[string, string]> {
  return [
    ['assumed_role', role ? 'True' : 'False'],
    ...(role ? ([['assumed_role_arn', role]] as Array<[string, string]>) : []),
    ['aws_access_key_id', c.accessKeyId],
    ['aws_secret_access_key', c.secretAccessKey],
    ['aws_session_token', c.sessionToken],
    ['aws_security_token', c.sessionToken],
    ['expiration', formatExpiration(c.expiration)],
  ];
}
