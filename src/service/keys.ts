/**
 * Moving a long-term key between the credentials file and the OS keychain, and listing where each
 * profile's key lives. A move is checked whole before anything changes: the keychain entry is
 * written and read back before the file changes, the file changes in one locked atomic write that
 * first checks the section still holds what was read, and whatever fails in between leaves the
 * key where it was (a half-made keychain entry is deleted again). A move never overwrites an
 * entry that holds another key: the section's entry is named by the id it keeps
 * (`aws_mfa_keychain_id`, made new for a section that has none), and a different key found there
 * (a copy of the file, say) stops the move with both key ids; so does the same key in an entry
 * another file owns and still names. Moving back, the owner check (keychain-entries.ts) comes
 * first: a copy never deletes the entry or the session its original relies on.
 */
import { configError, CliError, EXIT, isCliError } from '../errors.js';
import { t } from '../messages/index.js';
import { readIni, readProfiles, updateIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { writeProfile, profileFilter } from '../ini/write-profile.js';
import {
  KEYCHAIN_ID,
  KEYCHAIN_MARKER,
  KEY_ID,
  SECRET_KEY,
  hasFileKeys,
  keyLocation,
  keychainIdOf,
  markerSet,
} from '../core/key-location.js';
import { keptState } from './cached-session.js';
import type { Names } from '../core/names.js';
import type { AccessKey } from '../core/credentials.js';
import type { FilePaths } from '../core/paths.js';
import type { IniDocument } from '../ini/document.js';
import type { Context, Env } from '../context.js';
import * as keychain from '../io/keychain.js'; // (its native addon is loaded only when an entry is touched)
import { sessionStore } from './session-store.js';
import { anotherFilesEntry, keychainKey, keychainSectionOf, ownershipOf, sectionProps } from './keychain-entries.js';
import { loadProfile } from './profile-loader.js';
import type { SessionFlags } from '../core/profile.js';
import type { LoadedProfile } from './profile-loader.js';

function readSection(paths: FilePaths, names: Names, env: Env) {
  const r = readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm], env);
  if (!r.exists) throw configError(t('keys.noFile', { file: paths.credentials }));
  const lt = r.profiles.get(names.longTerm);
  if (!lt)
    throw configError(
      t('keys.noSection', { section: names.longTerm, file: paths.credentials, profile: names.profile }),
    );
  return { lt, short: r.profiles.get(names.shortTerm) };
}

/** Fail (and so leave the file untouched) when the section no longer holds what the move read. */
function unchanged(
  doc: IniDocument,
  names: Names,
  paths: FilePaths,
  check: (now: Map<string, string>) => boolean,
): void {
  if (!check(sectionProps(doc, names.longTerm)))
    throw configError(t('keys.changedMeanwhile', { section: names.longTerm, file: paths.credentials }));
}

/** An aws_mfa_keychain_id aws-mfa did not make. */
const badId = (names: Names, paths: FilePaths) =>
  configError(
    t('keys.badKeychainId', {
      section: names.longTerm,
      file: paths.credentials,
      key: KEYCHAIN_ID,
      profile: names.profile,
    }),
  );

/** Refuse up front, with what is missing, when the keychain cannot store and give back a secret. */
async function requireKeychain(what: string, env: Env): Promise<void> {
  const a = await keychain.keychainAvailable(env);
  if (!a.ok) throw configError(t('keychain.unusable', { what, missing: a.missing, fix: a.fix }));
}

/**
 * `keys move --to keychain`: the key pair out of [NAME-long-term] into the keychain, under the
 * section's id (a new one without it, or with `newEntry`).
 */
export async function moveToKeychain(
  names: Names,
  paths: FilePaths,
  ctx: Context,
  o: { newEntry?: boolean } = {},
): Promise<void> {
  const { lt, short } = readSection(paths, names, ctx.env);
  if (keyLocation(lt) === 'keychain') {
    ctx.log.info(t('keys.alreadyKeychain', { section: names.longTerm, store: keychain.storeName() }));
    return;
  }
  for (const k of [KEY_ID, SECRET_KEY]) {
    if (!lt.get(k))
      throw configError(
        t('keys.missingInFile', { section: names.longTerm, file: paths.credentials, key: k, profile: names.profile }),
      );
  }
  const keys = { accessKeyId: lt.get(KEY_ID)!, secretAccessKey: lt.get(SECRET_KEY)! };
  const kept = keychainIdOf(lt);
  if (kept === 'invalid' && !o.newEntry) throw badId(names, paths);
  const id = kept && kept !== 'invalid' && !o.newEntry ? kept : keychain.newKeychainId();
  const account = keychain.longTermAccount(id);
  const what = t('keychain.what.move', { section: names.longTerm });
  await requireKeychain(what, ctx.env);
  let there;
  try {
    there = await keychain.readLongTermEntry(id);
  } catch (e) {
    throw keychain.keychainError(e, what, ctx.env);
  }
  if (there && (there.accessKeyId !== keys.accessKeyId || there.secretAccessKey !== keys.secretAccessKey)) {
    const { longTerm: section, profile } = names;
    const other = there.accessKeyId;
    const file = paths.credentials;
    throw configError(
      t('keys.entryHoldsOther', { account, key: KEYCHAIN_ID, section, file, other, id: keys.accessKeyId, profile }),
    );
  }
  // the same key, but the entry of another file that still names it (a copy with the key pasted back): not taken over
  if (there && ownershipOf(there, paths.credentials, id).verdict === 'copy') {
    const ks = { section: names.longTerm, file: paths.credentials, profile: names.profile };
    throw anotherFilesEntry(ks, there.owner!, id, 'keys.fix.newEntry');
  }
  try {
    await keychain.storeLongTerm(id, names.longTerm, keys, keychain.ownerPath(paths.credentials)); // read back
  } catch (e) {
    if (!there) await keychain.deleteLongTerm(id).catch(() => false);
    throw keychain.keychainError(e, what, ctx.env);
  }
  try {
    await updateIni(
      paths.credentials,
      (doc) => {
        unchanged(
          doc,
          names,
          paths,
          (now) => now.get(KEY_ID) === keys.accessKeyId && now.get(SECRET_KEY) === keys.secretAccessKey,
        );
        writeProfile(
          doc,
          names.longTerm,
          'credentials',
          [
            [KEYCHAIN_MARKER, 'true'],
            [KEYCHAIN_ID, id],
          ],
          [KEY_ID, SECRET_KEY],
        );
      },
      profileFilter(names.longTerm, 'credentials'),
    );
  } catch (e) {
    // where the key is now decides what happens to the keychain's copy: it goes only if the file
    // still holds the key and the entry was made by this move (a failure after the rename must not
    // lose the only copy)
    let inFile = false;
    try {
      const now = readSection(paths, names, ctx.env).lt;
      inFile = now.get(KEY_ID) === keys.accessKeyId && now.get(SECRET_KEY) === keys.secretAccessKey;
    } catch {
      /* unreadable: keep the keychain's copy */
    }
    const cleaned =
      inFile &&
      (there !== undefined ||
        (await keychain.deleteLongTerm(id).then(
          () => true,
          () => false,
        )));
    const key = !inFile ? 'keys.moveKeptKeychain' : cleaned ? 'keys.moveUndone' : 'keys.moveUndoFailed';
    const undo = t(key, { section: names.longTerm, file: paths.credentials, store: keychain.storeName(), account });
    throw new CliError(`${(e as Error).message}; ${undo}`, (e as CliError).exitCode ?? EXIT.FAILURE);
  }
  ctx.log.info(
    t('keys.movedToKeychain', {
      id: keys.accessKeyId,
      section: names.longTerm,
      store: keychain.storeName(),
      file: paths.credentials,
      marker: KEYCHAIN_MARKER,
      account,
    }),
  );
  if (short?.get('aws_session_token'))
    ctx.log.info(
      t('keys.sessionStillInFile', { short: names.shortTerm, file: paths.credentials, profile: names.profile }),
    );
}

/** `keys move --to file`: the key pair back from the keychain into [NAME-long-term] (`flags`: the names given). */
export async function moveToFile(names: Names, paths: FilePaths, ctx: Context, flags: SessionFlags): Promise<void> {
  const { lt } = readSection(paths, names, ctx.env);
  if (keyLocation(lt) === 'file') {
    ctx.log.info(t('keys.alreadyFile', { section: names.longTerm, file: paths.credentials }));
    return;
  }
  const kept = keychainIdOf(lt);
  if (kept === 'invalid') throw badId(names, paths);
  const what = t('keychain.what.moveBack', { section: names.longTerm });
  let found;
  try {
    // a key under the old shared name gets its own entry first (checked against the profile's device)
    const p = (await loadProfile(flags, ctx)).profile;
    found = await keychainKey({ ...keychainSectionOf(p), ...(kept ? { id: kept } : {}) }, ctx, p);
  } catch (e) {
    throw isCliError(e) ? e : keychain.keychainError(e, what, ctx.env);
  }
  const { key: keys, id } = found;
  await updateIni(
    paths.credentials,
    (doc) => {
      unchanged(doc, names, paths, (now) => markerSet(now) && !hasFileKeys(now) && keychainIdOf(now) === id);
      writeProfile(
        doc,
        names.longTerm,
        'credentials',
        [
          [KEY_ID, keys.accessKeyId],
          [SECRET_KEY, keys.secretAccessKey],
        ],
        [KEYCHAIN_MARKER, KEYCHAIN_ID],
      );
    },
    profileFilter(names.longTerm, 'credentials'),
  );
  // the file has the key now; the section's entries (its key, a session kept there) go
  const left: string[] = [];
  for (const [account, del] of [
    [keychain.longTermAccount(id), () => keychain.deleteLongTerm(id)],
    [keychain.sessionAccount(id, names.shortTerm), () => keychain.deleteSession(id, names.shortTerm)],
  ] as const) {
    await del().catch(() => left.push(account));
  }
  ctx.log.info(
    t('keys.movedToFile', {
      id: keys.accessKeyId,
      section: names.longTerm,
      file: paths.credentials,
      store: keychain.storeName(),
    }),
  );
  if (left.length > 0)
    ctx.log.warn(
      t('keys.leftInKeychain', { store: keychain.storeName(), service: keychain.SERVICE, accounts: left.join(', ') }),
    );
}

export interface KeyRow {
  profile: string;
  longTerm: string;
  where: 'file' | 'keychain';
  accessKeyId: string | null;
  /** Why the key id is unknown (a keychain that cannot be read, a missing entry). */
  problem?: string;
}

/** Every managed profile (a NAME-SUFFIX long-term section) and where its key lives. No secret leaves here. */
export async function listKeys(paths: FilePaths, suffix: string, env: Env): Promise<KeyRow[]> {
  const creds = readView(readIni(paths.credentials).doc, 'credentials').profiles;
  const rows: KeyRow[] = [];
  for (const longTerm of Object.keys(creds).sort()) {
    if (!longTerm.endsWith(`-${suffix}`)) continue;
    const props = new Map(
      Object.entries(creds[longTerm]!).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const row: KeyRow = {
      profile: longTerm.slice(0, -suffix.length - 1),
      longTerm,
      where: keyLocation(props),
      accessKeyId: props.get(KEY_ID) ?? null,
    };
    if (row.where === 'keychain') {
      try {
        Object.assign(row, await keychainRow(longTerm, props, paths.credentials));
      } catch (e) {
        row.problem = keychain.describeFailure(e, env).missing;
      }
    }
    rows.push(row);
  }
  return rows;
}

/** The key id (and what is wrong, if anything) of a section whose key is in the keychain. */
type KeychainRow = Pick<KeyRow, 'accessKeyId' | 'problem'>;
async function keychainRow(section: string, props: ReadonlyMap<string, string>, file: string): Promise<KeychainRow> {
  const store = keychain.storeName();
  const id = keychainIdOf(props);
  if (id === 'invalid') return { accessKeyId: null, problem: t('keys.list.badId', { key: KEYCHAIN_ID }) };
  if (id) {
    const entry = await keychain.readLongTermEntry(id);
    if (!entry) return { accessKeyId: null, problem: t('keys.list.noEntry', { store }) };
    // a copy's section: the entry is its original's (shown, never taken over: listing changes nothing)
    if (ownershipOf(entry, file, id).verdict === 'copy') {
      return { accessKeyId: null, problem: t('keys.list.otherFile', { owner: entry.owner! }) };
    }
    return { accessKeyId: entry.accessKeyId };
  }
  // still under the old shared name: shown, not migrated (listing changes nothing)
  const old = await keychain.readOldLongTerm(section);
  if (old?.kind === 'key') {
    return {
      accessKeyId: old.pair.accessKeyId,
      problem: t('keys.list.oldName', { account: keychain.oldLongTermAccount(section) }),
    };
  }
  if (old?.kind === 'claimed') {
    return { accessKeyId: null, problem: t('keys.list.oldClaimed', { id: old.accessKeyId, other: old.file }) };
  }
  return { accessKeyId: null, problem: t('keys.list.noEntry', { store }) };
}

/** The margin for the user's own session in IAM calls: a minute is enough for one call. */
export const USER_SESSION_MIN_TTL = 60;

/**
 * A valid MFA session of the IAM user (not a role's), for IAM calls that policies usually allow
 * only with MFA: the one kept for the profile (keychain or file), else the file's section.
 * `loaded` is loaded with sessionsFollowKeys, so a key in the keychain means its session is there.
 */
export async function userSession(loaded: LoadedProfile, ctx: Context): Promise<AccessKey | undefined> {
  const kept = await sessionStore(loaded, ctx)
    .read()
    .catch(() => undefined);
  for (const stored of [kept, loaded.stored]) {
    const d = keptState(stored, { role: undefined, minTtl: USER_SESSION_MIN_TTL, force: false }, ctx.now());
    if (d.action === 'reuse' && !d.role) return d.session;
  }
  return undefined;
}
