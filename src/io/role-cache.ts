/**
 * Where role sessions (core/role.ts) are kept at the plain-file level: one 0600 JSON file a
 * session in the user's private cache folder (cache-dir.ts: every folder from / down is the
 * user's or root's, not writable by others), under `sessions/`. Not the credentials file: a
 * `[prod]` there would shadow the config's role profile for the AWS CLI and the SDKs (static keys
 * win over role_arn) and go stale an hour later. This module reads (the entry's fast path carries
 * it); writing is service/role-store.ts's, loaded only when a session was made.
 */
import { sep } from 'node:path';
import { cacheDir } from './cache-dir.js';
import { readRegular } from './file-checks.js';
import type { Session, StoredSession } from '../core/credentials.js';

/** A role's own session (`role`), or the MFA session of a plain-keys source (`source`). */
export type KeptKind = 'role' | 'source';

/** What a kept file says: the session, the role it is for, and the profile whose session signed it. */
export interface KeptRoleSession {
  session: Session;
  role?: string;
  source?: string;
}

/** The cache folder whatever AWS_MFA_NO_CODE_CACHE says (that switch is the code cache's alone). */
const privateDir = (env: NodeJS.ProcessEnv, create: boolean) =>
  cacheDir({ ...env, AWS_MFA_NO_CODE_CACHE: undefined }, create);

/**
 * A profile name as a file name on every system: lower-case letters, digits, `_` and `-` kept, the
 * rest (`.` and upper-case letters too: macOS and Windows fold case) %XXXX, four hex digits a UTF-16
 * unit, so no two names give one file. A name that would pass NAME_MAX (255 bytes) keeps its first
 * characters and ends with the sha256 of the whole name.
 */
export function fileNameOf(kind: KeptKind, profile: string): string {
  const encoded = profile.replace(/[^a-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (encoded.length <= LONGEST_NAME) return `${kind}-${encoded}.json`;
  // node:crypto only for such a name: this module is on the entry's fast path
  const { createHash } = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  const digest = createHash('sha256').update(profile, 'utf8').digest('hex');
  let start = encoded.slice(0, LONGEST_NAME - 65);
  const cut = start.lastIndexOf('%');
  if (cut > start.length - 5) start = start.slice(0, cut); // never half an escape
  return `${kind}-${start}~${digest}.json`;
}
/** The longest encoded name kept whole (with `source-` and `.json`, well under 255 bytes). */
export const LONGEST_NAME = 200;

/** The folder role sessions go to (undefined: no private folder to be had); `create`: make it. */
export function sessionsDir(env: NodeJS.ProcessEnv, create = false): string | undefined {
  const base = privateDir(env, create);
  return base && `${base}${sep}sessions`;
}

export function keptPath(env: NodeJS.ProcessEnv, kind: KeptKind, profile: string): string | undefined {
  const dir = sessionsDir(env);
  return dir && `${dir}${sep}${fileNameOf(kind, profile)}`;
}

/** The session kept for the profile, if there is one the user alone could have written. */
export function readKept(env: NodeJS.ProcessEnv, kind: KeptKind, profile: string): KeptRoleSession | undefined {
  const path = keptPath(env, kind, profile);
  if (!path) return undefined;
  let read;
  try {
    read = readRegular(path, 64 * 1024);
  } catch {
    return undefined;
  }
  if (!read) return undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const foreign = uid !== undefined && (read.stat.uid !== uid || (read.stat.mode & 0o077) !== 0);
  if (foreign) return undefined;
  return parseKept(read.buf.toString('utf8'));
}

export function parseKept(text: string): KeptRoleSession | undefined {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const str = (k: string) => (typeof j[k] === 'string' && j[k] !== '' ? (j[k] as string) : undefined);
    const keys = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'];
    const [accessKeyId, secretAccessKey, sessionToken, exp] = keys.map(str);
    const expiration = new Date(exp ?? '');
    if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration.getTime())) return undefined;
    const role = str('role');
    const source = str('source');
    const session = { accessKeyId, secretAccessKey, sessionToken, expiration };
    return { session, ...(role ? { role } : {}), ...(source ? { source } : {}) };
  } catch {
    return undefined;
  }
}

export const keptText = (k: KeptRoleSession) => {
  const expiration = k.session.expiration.toISOString();
  return `${JSON.stringify({ version: 1, role: k.role, source: k.source, ...k.session, expiration }, null, 2)}\n`;
};

/** As the session decision reads a store. */
export const storedOf = (k: KeptRoleSession | undefined): StoredSession | undefined =>
  k && { session: k.session, holdsLongTermKeys: false, ...(k.role ? { role: k.role } : {}) };
