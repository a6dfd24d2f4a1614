/**
 * Moving a long-term key between the credentials file and the OS keychain, and listing where each
 * profile's key lives. A move is checked whole before anything changes: the keychain entry is
 * written and read back before the file changes, the file changes in one locked atomic write that
 * first checks the section still holds what was read, and whatever fails in between leaves the
 * key where it was (a half-made keychain entry is deleted again).
 */
import { configError, CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import { readIni, readProfiles, updateIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { writeProfile, profileFilter } from '../ini/write-profile.js';
import { KEYCHAIN_MARKER, KEY_ID, SECRET_KEY, hasFileKeys, keyLocation, markerSet } from '../core/key-location.js';
import { keptState } from './cached-session.js';
import type { Names } from '../core/names.js';
import type { AccessKey } from '../core/credentials.js';
import type { FilePaths } from '../core/paths.js';
import type { IniDocument } from '../ini/document.js';
import type { Context } from '../context.js';
import * as keychain from '../io/keychain.js'; // (its native addon is loaded only when an entry is touched)
import { sessionStore } from './session-store.js';
import type { LoadedProfile } from './profile-loader.js';


function readSection(paths: FilePaths, names: Names) {
  const r = readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm]);
  if (!r.exists) throw configError(t('keys.noFile', { file: paths.credentials }));
  const lt = r.profiles.get(names.longTerm);
  if (!lt) throw configError(t('keys.noSection', { section: names.longTerm, file: paths.credentials, profile: names.profile }));
  return { lt, short: r.profiles.get(names.shortTerm) };
}

/** The section's plain properties in the document as it is now (under the write lock). */
const current = (doc: IniDocument, section: string) => new Map(Object.entries(readView(doc, 'credentials').profiles[section] ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Fail (and so leave the file untouched) when the section no longer holds what the move read. */
function unchanged(doc: IniDocument, names: Names, paths: FilePaths, check: (now: Map<string, string>) => boolean): void {
  if (!check(current(doc, names.longTerm))) throw configError(t('keys.changedMeanwhile', { section: names.longTerm, file: paths.credentials }));
}

/** Refuse up front, with what is missing, when the keychain cannot store and give back a secret. */
async function requireKeychain(what: string): Promise<void> {
  const a = await keychain.keychainAvailable();
  if (!a.ok) throw configError(t('keychain.unusable', { what, missing: a.missing, fix: a.fix }));
}

/** `keys move --to keychain`: the key pair out of [NAME-long-term] into the keychain. */
export async function moveToKeychain(names: Names, paths: FilePaths, ctx: Context): Promise<void> {
  const { lt, short } = readSection(paths, names);
  if (keyLocation(lt) === 'keychain') {
    ctx.log.info(t('keys.alreadyKeychain', { section: names.longTerm, store: keychain.storeName() }));
    return;
  }
  for (const k of [KEY_ID, SECRET_KEY]) {
    if (!lt.get(k)) throw configError(t('keys.missingInFile', { section: names.longTerm, file: paths.credentials, key: k, profile: names.profile }));
  }
  const keys = { accessKeyId: lt.get(KEY_ID)!, secretAccessKey: lt.get(SECRET_KEY)! };
  const what = t('keychain.what.move', { section: names.longTerm });
  await requireKeychain(what);
  try {
    await keychain.storeLongTerm(names.longTerm, keys); // written and read back
  } catch (e) {
    await keychain.deleteLongTerm(names.longTerm).catch(() => false);
    throw keychain.keychainError(e, what);
  }
  try {
    await updateIni(
      paths.credentials,
      (doc) => {
        unchanged(doc, names, paths, (now) => now.get(KEY_ID) === keys.accessKeyId && now.get(SECRET_KEY) === keys.secretAccessKey);
        writeProfile(doc, names.longTerm, 'credentials', [[KEYCHAIN_MARKER, 'true']], [KEY_ID, SECRET_KEY]);
      },
      profileFilter(names.longTerm, 'credentials'),
    );
  } catch (e) {
    // where the key is now decides what happens to the keychain's copy: it goes only if the file
    // still holds the key (a failure after the rename must not lose the only copy)
    let inFile = false;
    try {
      const now = readSection(paths, names).lt;
      inFile = now.get(KEY_ID) === keys.accessKeyId && now.get(SECRET_KEY) === keys.secretAccessKey;
    } catch {
      /* unreadable: keep the keychain's copy */
    }
    const cleaned = inFile && (await keychain.deleteLongTerm(names.longTerm).then(() => true, () => false));
    const key = !inFile ? 'keys.moveKeptKeychain' : cleaned ? 'keys.moveUndone' : 'keys.moveUndoFailed';
    throw new CliError(`${(e as Error).message}; ${t(key, { section: names.longTerm, file: paths.credentials, store: keychain.storeName() })}`, (e as CliError).exitCode ?? EXIT.FAILURE);
  }
  ctx.log.info(t('keys.movedToKeychain', { id: keys.accessKeyId, section: names.longTerm, store: keychain.storeName(), file: paths.credentials, marker: KEYCHAIN_MARKER }));
  if (short?.get('aws_session_token')) ctx.log.info(t('keys.sessionStillInFile', { short: names.shortTerm, file: paths.credentials, profile: names.profile }));
}

/** `keys move --to file`: the key pair back from the keychain into [NAME-long-term]. */
export async function moveToFile(names: Names, paths: FilePaths, ctx: Context): Promise<void> {
  const { lt } = readSection(paths, names);
  if (keyLocation(lt) === 'file') {
    ctx.log.info(t('keys.alreadyFile', { section: names.longTerm, file: paths.credentials }));
    return;
  }
  const what = t('keychain.what.moveBack', { section: names.longTerm });
  let keys;
  try {
    keys = await keychain.readLongTerm(names.longTerm);
  } catch (e) {
    throw keychain.keychainError(e, what);
  }
  if (!keys) throw configError(t('keys.missingInKeychain', { section: names.longTerm, store: keychain.storeName() }));
  await updateIni(
    paths.credentials,
    (doc) => {
      unchanged(doc, names, paths, (now) => markerSet(now) && !hasFileKeys(now));
      writeProfile(doc, names.longTerm, 'credentials', [[KEY_ID, keys.accessKeyId], [SECRET_KEY, keys.secretAccessKey]], [KEYCHAIN_MARKER]);
    },
    profileFilter(names.longTerm, 'credentials'),
  );
  // the file has the key now; the keychain's copies (and a session kept there) go
  const left: string[] = [];
  for (const [account, del] of [[keychain.longTermAccount(names.longTerm), () => keychain.deleteLongTerm(names.longTerm)], [keychain.sessionAccount(names.shortTerm), () => keychain.deleteSession(names.shortTerm)]] as const) {
    await del().catch(() => left.push(account));
  }
  ctx.log.info(t('keys.movedToFile', { id: keys.accessKeyId, section: names.longTerm, file: paths.credentials, store: keychain.storeName() }));
  if (left.length > 0) ctx.log.warn(t('keys.leftInKeychain', { store: keychain.storeName(), service: keychain.SERVICE, accounts: left.join(', ') }));
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
export async function listKeys(paths: FilePaths, suffix: string): Promise<KeyRow[]> {
  const creds = readView(readIni(paths.credentials).doc, 'credentials').profiles;
  const rows: KeyRow[] = [];
  for (const longTerm of Object.keys(creds).sort()) {
    if (!longTerm.endsWith(`-${suffix}`)) continue;
    const props = new Map(Object.entries(creds[longTerm]!).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const row: KeyRow = { profile: longTerm.slice(0, -suffix.length - 1), longTerm, where: keyLocation(props), accessKeyId: props.get(KEY_ID) ?? null };
    if (row.where === 'keychain') {
          try {
        row.accessKeyId = (await keychain.readLongTerm(longTerm))?.accessKeyId ?? null;
        if (!row.accessKeyId) row.problem = t('keys.list.noEntry', { store: keychain.storeName() });
      } catch (e) {
        row.problem = keychain.describeFailure(e).missing;
      }
    }
    rows.push(row);
  }
  return rows;
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
