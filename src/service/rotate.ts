/**
 * Rotating a profile's long-term access key: CreateAccessKey (with the MFA session when one is
 * valid: policies usually demand MFA), wait until the new key works (IAM is eventually
 * consistent), store it where the old one was (file or keychain), then delete the old key (or
 * deactivate it). The steps are ordered so that at any failure the user keeps one working key,
 * and the message says which key is where.
 */
import { configError, CliError, EXIT, isCliError, type ExitCode } from '../errors.js';
import { t } from '../messages/index.js';
import { updateIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { writeProfile, profileFilter } from '../ini/write-profile.js';
import { KEY_ID, SECRET_KEY } from '../core/key-location.js';
import type { AccessKey } from '../core/credentials.js';
import type { ResolvedProfile, SessionFlags } from '../core/profile.js';
import { isAwsFailure } from '../aws/index.js';
import * as keychain from '../io/keychain.js'; // (its native addon is loaded only when an entry is touched)
import { suggest, suggestSession } from '../core/names.js';
import { loadProfile } from './profile-loader.js';
import { callContext } from './call-context.js';
import { longTermKeyEntry } from './long-term-key.js';
import { userSession } from './keys.js';
import { getSession } from './get-session.js';
import { iamAccess, type IamAccess } from './devices.js';
import type { Context } from '../context.js';

export interface RotateOptions {
  /** The IAM user (else the caller of the long-term key). */
  user?: string;
  /** Deactivate the old key instead of deleting it. */
  keepOld?: boolean;
  /** How long to wait for the new key to work. */
  waitSeconds: number;
}

const message = (e: unknown) => (e as Error).message.split('\n')[0]!.replace(/[.;]\s*$/, '');
const codeOf = (e: unknown, fallback: ExitCode): ExitCode => (isCliError(e) ? e.exitCode : fallback);

export async function rotate(flags: SessionFlags, o: RotateOptions, ctx: Context): Promise<void> {
  const loaded = await loadProfile(flags, ctx, { sessionsFollowKeys: true });
  const p = loaded.profile;
  const { key: old, id: entryId } = await longTermKeyEntry(p, ctx);
  const section = p.names.longTerm;
  const kc = p.longTerm.store === 'keychain' ? keychain : undefined;
  const where = kc
    ? t('rotate.where.keychain', { store: kc.storeName(), section })
    : t('rotate.where.file', { file: p.paths.credentials, section });
  if (kc) {
    const a = await kc.keychainAvailable(ctx.env);
    if (!a.ok)
      throw configError(
        t('keychain.unusable', { what: t('keychain.what.rotate', { section }), missing: a.missing, fix: a.fix }),
      );
  }
  const callCtx = (keys: AccessKey) => callContext(p, ctx, keys, p.region.value);
  // the commands it suggests run with the MFA session, wherever the keys and the session are kept
  // (file or keychain; --profile or -s/-d): a bare `aws iam ...` has no credentials when pasted
  const withSession = suggest(p.names, flags, 'exec') + ' --';
  const again = suggest(p.names, flags, 'rotate');

  // the session options (--token, --force, --assume-role, ...) ask for a session the way `aws-mfa --profile P`
  // gets one, and the IAM calls use it; without them, a valid MFA session is used if there is one
  const asked = flags.token !== undefined || flags.force || flags.assumeRole !== undefined;
  const session = asked ? (await getSession(loaded, ctx, 'session')).session : await userSession(loaded, ctx);
  ctx.log.debug(session ? 'IAM calls use the MFA session' : 'IAM calls use the long-term key (no valid MFA session)');
  const iam = await iamAccess(
    ctx,
    callCtx(old),
    section,
    o.user,
    session ? callCtx(session) : undefined,
    suggest(p.names, flags, 'device list'),
  );
  const user = iam.userName;
  const denied = (e: unknown) =>
    !session && isAwsFailure(e) && /AccessDenied/.test(e.code)
      ? new CliError(t('rotate.needsMfa', { op: e.operation, command: suggestSession(p.names, flags) }), EXIT.AWS)
      : iam.explain(e);

  // 1. up front: the key is the user's, and the user has room for a second one
  const keys = await iam.aws.listAccessKeys(iam.callCtx, user).catch((e) => Promise.reject(denied(e)));
  if (!keys.some((k) => k.accessKeyId === old.accessKeyId)) {
    throw configError(
      t('rotate.notUsers', {
        id: old.accessKeyId,
        section,
        user,
        keys: keys.map((k) => k.accessKeyId).join(', ') || '-',
      }),
    );
  }
  const other = keys.find((k) => k.accessKeyId !== old.accessKeyId);
  if (other) {
    throw new CliError(
      t('rotate.twoKeys', {
        user,
        id: old.accessKeyId,
        other: other.accessKeyId,
        status: other.status,
        created: other.created?.toISOString().slice(0, 10) ?? '?',
        section,
        exec: withSession,
        again,
      }),
      EXIT.AWS,
    );
  }

  // 2. the new key
  let fresh: AccessKey;
  try {
    fresh = await iam.aws.createAccessKey(iam.callCtx, user);
  } catch (e) {
    throw denied(e);
  }
  if (!fresh.accessKeyId || !fresh.secretAccessKey)
    throw new CliError(t('rotate.incomplete', { user, exec: withSession }), EXIT.AWS);
  ctx.log.info(t('rotate.created', { id: fresh.accessKeyId, user }));

  // if anything fails before the new key is stored: it goes again, the old one stays
  const undo = async (what: string, e: unknown, code: ExitCode): Promise<never> => {
    const gone = await iam.aws.deleteAccessKey(iam.callCtx, { userName: user, accessKeyId: fresh.accessKeyId }).then(
      () => t('rotate.undone', { id: fresh.accessKeyId }),
      (d) =>
        t('rotate.undoFailed', {
          id: fresh.accessKeyId,
          reason: message(iam.explain(d)),
          user,
          exec: withSession,
        }),
    );
    throw new CliError(
      `${what} (${message(e)}); ${gone}; ${t('rotate.oldKept', { id: old.accessKeyId, where })}`,
      code,
    );
  };

  // 3. wait until it works
  try {
    await waitUntilWorks(callCtx(fresh), fresh.accessKeyId, o.waitSeconds, ctx);
  } catch (e) {
    await undo(
      t('rotate.neverWorked', { id: fresh.accessKeyId, seconds: o.waitSeconds }),
      e,
      codeOf(iam.explain(e), EXIT.AWS),
    );
  }

  // 4. store it where the old one was
  try {
    if (kc)
      await storeInKeychain(
        kc,
        { id: entryId!, section, owner: kc.ownerPath(p.paths.credentials) },
        old,
        fresh,
        ctx.env,
      );
    else await storeInFile(p, old.accessKeyId, fresh);
  } catch (e) {
    if (e instanceof KeychainLimbo) {
      throw new CliError(
        t('rotate.limbo', {
          old: old.accessKeyId,
          new: fresh.accessKeyId,
          store: kc!.storeName(),
          section,
          reason: message(e.reason),
        }),
        EXIT.CONFIG,
      );
    }
    await undo(t('rotate.storeFailed', { id: fresh.accessKeyId, where }), e, codeOf(e, EXIT.CONFIG));
  }
  ctx.log.info(t('rotate.stored', { id: fresh.accessKeyId, where }));

  // 5. the old key goes (its work is done); with the MFA session, else with the new key
  const after: IamAccess = session ? iam : { ...iam, callCtx: callCtx(fresh) };
  try {
    if (o.keepOld)
      await after.aws.updateAccessKey(after.callCtx, {
        userName: user,
        accessKeyId: old.accessKeyId,
        status: 'Inactive',
      });
    else await after.aws.deleteAccessKey(after.callCtx, { userName: user, accessKeyId: old.accessKeyId });
  } catch (e) {
    const err = iam.explain(e);
    throw new CliError(
      t(o.keepOld ? 'rotate.deactivateOldFailed' : 'rotate.deleteOldFailed', {
        new: fresh.accessKeyId,
        old: old.accessKeyId,
        where,
        reason: message(err),
        user,
        exec: withSession,
      }),
      codeOf(err, EXIT.AWS),
    );
  }
  ctx.log.info(
    t(o.keepOld ? 'rotate.doneKept' : 'rotate.done', {
      old: old.accessKeyId,
      new: fresh.accessKeyId,
      where,
      user,
      exec: withSession,
    }),
  );
}

/** GetCallerIdentity with the new key until it answers, for at most `seconds`. */
async function waitUntilWorks(
  callCtx: ReturnType<typeof callContext>,
  id: string,
  seconds: number,
  ctx: Context,
): Promise<void> {
  const aws = await ctx.aws();
  const deadline = Date.now() + seconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await aws.getCallerIdentity(callCtx);
      return;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      ctx.log.debug(`the new key does not work yet (${isAwsFailure(e) ? e.code : message(e)}); trying again`);
      if (attempt === 1) ctx.log.info(t('rotate.waiting', { id, seconds }));
      await new Promise((r) => setTimeout(r, Math.min(2000, 250 * attempt, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** The new pair into the long-term section, under the lock, only if the section still holds the old key. */
async function storeInFile(p: ResolvedProfile, oldId: string, fresh: AccessKey): Promise<void> {
  await updateIni(
    p.paths.credentials,
    (doc) => {
      const now = readView(doc, 'credentials').profiles[p.names.longTerm];
      if (now?.[KEY_ID] !== oldId)
        throw configError(t('keys.changedMeanwhile', { section: p.names.longTerm, file: p.paths.credentials }));
      writeProfile(doc, p.names.longTerm, 'credentials', [
        [KEY_ID, fresh.accessKeyId],
        [SECRET_KEY, fresh.secretAccessKey],
      ]);
    },
    profileFilter(p.names.longTerm, 'credentials'),
  );
}

/** The keychain holds neither pair for sure: nothing may be deleted in AWS. */
class KeychainLimbo extends Error {
  constructor(readonly reason: unknown) {
    super('keychain limbo');
  }
}

type Pair = { accessKeyId: string; secretAccessKey: string };

/**
 * The new pair into the keychain (read back, owned by the profile's file); on failure the old pair
 * is put back, and read back too.
 */
async function storeInKeychain(
  kc: typeof keychain,
  { id, section, owner }: { id: string; section: string; owner: string },
  old: Pair,
  fresh: Pair,
  env: Context['env'],
): Promise<void> {
  try {
    await kc.storeLongTerm(id, section, fresh, owner);
  } catch (e) {
    const err = kc.keychainError(e, t('keychain.what.rotate', { section }), env);
    try {
      await kc.storeLongTerm(id, section, old, owner);
    } catch {
      throw new KeychainLimbo(err);
    }
    throw err;
  }
}
