/**
 * Writing and removing the role sessions kept at the plain-file level (io/role-cache.ts reads
 * them): one 0600 file each, replaced atomically (io/write.ts), in a 0700 folder of the user's
 * private cache folder. The session store of a role profile (service/session-store.ts) and
 * `clear` come here; nothing else writes these files.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Session } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { Context } from '../context.js';
import { formatDuration, humanTime } from '../core/time.js';
import { changeableByOthers } from '../io/file-checks.js';
import { keptPath, keptText, sessionsDir, type KeptKind } from '../io/role-cache.js';
import { lazyChunk } from '../start/chunk.js';

const writer = lazyChunk<typeof import('../io/write.js')>('write.cjs', () => import('../io/write.js'));
const keychain = lazyChunk<typeof import('./keychain-entries.js')>(
  'keychain-entries.cjs',
  () => import('./keychain-entries.js'),
);

/** Where a role profile's session is kept, in words: its file, or the OS keychain. */
export async function keptWhere(
  p: Pick<ResolvedProfile, 'names' | 'sessionStore'>,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (p.sessionStore === 'keychain') return t('role.keptKeychain', { store: (await keychain()).keychainName() });
  return keptPath(env, 'role', p.names.profile) ?? '?';
}

function ensureDir(env: NodeJS.ProcessEnv): void {
  const dir = sessionsDir(env, true);
  if (!dir) throw configError(t('role.noPrivateFolder', { dir: sessionsDir(env, false) ?? '~/.cache/aws-mfa' }));
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (typeof process.getuid === 'function' && changeableByOthers(dir, process.getuid(), true)) {
    throw configError(t('role.noPrivateFolder', { dir }));
  }
}

export async function writeKept(
  env: NodeJS.ProcessEnv,
  kind: KeptKind,
  profile: string,
  session: Session,
  role?: string,
  source?: string,
): Promise<void> {
  ensureDir(env);
  const path = keptPath(env, kind, profile)!;
  const text = keptText({ session, ...(role ? { role } : {}), ...(source ? { source } : {}) });
  await (await writer()).writeAtomic(path, Buffer.from(text), 0o600);
}

/** Whether there was a kept session to remove. */
export function removeKept(env: NodeJS.ProcessEnv, kind: KeptKind, profile: string): boolean {
  const path = keptPath(env, kind, profile);
  if (!path) return false;
  try {
    unlinkSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * What the session command says of a role profile's session: until when it is valid, where it is
 * kept (the credentials file's [NAME] would hide the config's role profile from the AWS CLI), how to use it.
 */
export async function roleReadyText(
  p: ResolvedProfile,
  session: Session,
  left: number,
  ctx: Pick<Context, 'env'>,
): Promise<string> {
  const profile = p.names.profile;
  const where = await keptWhere(p, ctx.env);
  const use = t('session.useRole', { profile });
  const expiration = humanTime(session.expiration);
  const role = p.role!.value;
  return t('role.ready', { role, profile, seconds: left, left: formatDuration(left), expiration, where, use });
}
