/**
 * A profile's entries in the OS keychain, found by the id its long-term section keeps
 * (`aws_mfa_keychain_id`): its long-term key, and the MFA sessions made with that key, which are
 * reused only while the section's entry still holds the key that made them. Also the one-time
 * migration of a key kept under the old shared name `long-term:SECTION` (see io/keychain.ts): the
 * first file that needs it gets a new entry of its own, and the old entry becomes the record of
 * which file took it, so a second file with the same section is told where the key went instead
 * of being handed it. Before a file takes an old key, AWS is asked whose it is: the IAM user must
 * have the MFA device the profile uses (two users never share a device), so the survivor of two
 * files that overwrote each other goes to its own file. Its own chunk: only profiles whose key is
 * in the keychain load it.
 */
import { resolve } from 'node:path';
import { configError } from '../errors.js';
import { explainFailure } from '../core/aws-errors.js';
import { isAwsFailure } from '../aws/index.js';
import { callContext } from './call-context.js';
import { inEnglish, t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { AccessKey, Session, StoredSession } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import { KEYCHAIN_ID, hasFileKeys, keychainIdOf, markerSet } from '../core/key-location.js';
import { readProfiles, updateIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { writeProfile, profileFilter } from '../ini/write-profile.js';
import type { IniDocument } from '../ini/document.js';
import * as kc from '../io/keychain.js';

/** A long-term section whose key is in the keychain, and where it is. */
export interface KeychainSection {
  section: string;
  shortTerm: string;
  profile: string;
  file: string;
  /** Its entries' id; undefined: kept under the old shared name (migrated on first use). */
  id?: string;
}

export const keychainSectionOf = (p: ResolvedProfile): KeychainSection => ({
  section: p.names.longTerm,
  shortTerm: p.names.shortTerm,
  profile: p.names.profile,
  file: p.paths.credentials,
  ...(p.longTerm.store === 'keychain' && p.longTerm.id ? { id: p.longTerm.id } : {}),
});

/** The id the section has in the file now (a migration of this run, or of one at the same time, wrote it). */
const idInFile = (ks: KeychainSection, env: Context['env']) =>
  keychainIdOf(readProfiles(ks.file, 'credentials', [ks.section], env).profiles.get(ks.section) ?? new Map());

/** A section's plain properties in the document as it is now (under the write lock). */
export const sectionProps = (doc: IniDocument, section: string) =>
  new Map(
    Object.entries(readView(doc, 'credentials').profiles[section] ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );

/**
 * The section's key and its entries' id, migrating a key kept under the old shared name first
 * (`p`: the profile, whose device tells whether the old key is this file's).
 */
export async function keychainKey(
  ks: KeychainSection,
  ctx: Context,
  p: ResolvedProfile,
): Promise<{ key: AccessKey; id: string }> {
  if (ks.id) return { key: await kc.readLongTermKey(ks.id, ks.section, ctx.env), id: ks.id };
  return migrate(ks, ctx, p);
}

/**
 * Whether a key under the old shared name is this file's: its IAM user has the profile's MFA
 * device. Without a device to compare (none configured, none recorded), nothing can tell.
 */
async function checkOldKeyIsOurs(ks: KeychainSection, key: AccessKey, ctx: Context, p: ResolvedProfile): Promise<void> {
  const device = p.device?.value;
  if (!device) return;
  const aws = await ctx.aws();
  const callCtx = callContext(p, ctx, key, p.region.value);
  let user = '';
  let devices;
  try {
    user = (await aws.getCallerIdentity(callCtx)).arn.split('/').pop() ?? '';
    devices = await aws.listMfaDevices(callCtx, user);
  } catch (e) {
    if (!isAwsFailure(e)) throw e;
    throw explainFailure(e, { longTerm: ks.section, device, region: p.region.value, now: ctx.now() });
  }
  if (!devices.some((d) => d.serialNumber === device)) {
    const account = kc.oldLongTermAccount(ks.section);
    const { section, file, profile } = ks;
    throw configError(t('keys.oldNotThisFile', { account, id: key.accessKeyId, user, device, section, file, profile }));
  }
}

async function migrate(ks: KeychainSection, ctx: Context, p: ResolvedProfile): Promise<{ key: AccessKey; id: string }> {
  const log = ctx.log;
  const what = t('keychain.what.readKey', { section: ks.section });
  let old;
  try {
    old = await kc.readOldLongTerm(ks.section);
  } catch (e) {
    throw kc.keychainError(e, what, ctx.env);
  }
  if (old?.kind === 'claimed') {
    // taken by this very file a moment ago (two runs at once)? then the file names the entry now
    const now = idInFile(ks, ctx.env);
    if (now && now !== 'invalid') return keychainKey({ ...ks, id: now }, ctx, p);
    const { section, file, profile } = ks;
    throw configError(t('keys.oldClaimed', { section, file, id: old.accessKeyId, other: old.file, profile }));
  }
  if (!old) {
    const account = kc.oldLongTermAccount(ks.section);
    throw configError(t('keys.missingInKeychain', { section: ks.section, store: kc.storeName(), account }));
  }
  await checkOldKeyIsOurs(ks, old.pair, ctx, p); // another file's key stays where it is
  const id = kc.newKeychainId();
  try {
    await kc.storeLongTerm(id, ks.section, old.pair); // written and read back
  } catch (e) {
    await kc.deleteLongTerm(id).catch(() => false);
    throw kc.keychainError(e, what, ctx.env);
  }
  // the id goes into the section only if it is still marked and names no entry; a run at the same
  // time may have been first: then its entry is the one, and ours goes again
  let winner = id;
  try {
    await updateIni(
      ks.file,
      (doc) => {
        const now = sectionProps(doc, ks.section);
        const other = keychainIdOf(now);
        if (!markerSet(now) || hasFileKeys(now) || other === 'invalid') {
          throw configError(t('keys.changedMeanwhile', { section: ks.section, file: ks.file }));
        }
        if (other) winner = other;
        else writeProfile(doc, ks.section, 'credentials', [[KEYCHAIN_ID, id]]);
      },
      profileFilter(ks.section, 'credentials'),
    );
  } catch (e) {
    await kc.deleteLongTerm(id).catch(() => false);
    throw e;
  }
  if (winner !== id) {
    await kc.deleteLongTerm(id).catch(() => false);
    return keychainKey({ ...ks, id: winner }, ctx, p);
  }
  // the file names the new entry: the old one keeps no secret, only which file took its key
  const file = resolve(ks.file);
  try {
    await kc.markOldClaimed(ks.section, { accessKeyId: old.pair.accessKeyId, file, id });
  } catch {
    log.warn(t('keys.oldNotMarked', { store: kc.storeName(), account: kc.oldLongTermAccount(ks.section) }));
  }
  // a session under the old name may have been made with another file's key: it is not reused
  await kc.deleteOldSession(ks.shortTerm).catch(() => false);
  const [account, oldAccount] = [kc.longTermAccount(id), kc.oldLongTermAccount(ks.section)];
  log.warn(t('keys.migrated', { id: old.pair.accessKeyId, section: ks.section, file, account, old: oldAccount }));
  return { key: old.pair, id };
}

/**
 * The MFA session kept for the section, if it was made with the key its entry holds now; a
 * section still under the old shared name has none (nothing says whose key made the old one).
 */
export async function readKeptSession(ks: KeychainSection): Promise<StoredSession | undefined> {
  if (!ks.id) return undefined;
  const id = ks.id;
  const s = await kc.readSession(id, ks.shortTerm);
  if (!s?.longTermKeyId) return undefined;
  if ((await kc.readLongTerm(id))?.accessKeyId !== s.longTermKeyId) return undefined;
  const { role, longTermKeyId: _, ...session } = s;
  return { session, holdsLongTermKeys: false, ...(role ? { role } : {}) };
}

/** What is missing for the keychain to work, in the user's language and in English (status --json). */
export interface KeychainProblem {
  text: string;
  english: string;
}

/**
 * For status: the session kept for the section, or, when the keychain cannot be read, what is
 * missing (shown in the session's place). An id aws-mfa did not make: none kept.
 */
export async function keptSessionOrProblem(
  ks: KeychainSection,
  env: Context['env'],
): Promise<{ stored: StoredSession | undefined; problem?: KeychainProblem }> {
  try {
    return { stored: ks.id === 'invalid' ? undefined : await readKeptSession(ks) };
  } catch (e) {
    const missing = () => kc.describeFailure(e, env).missing;
    return { stored: undefined, problem: { text: missing(), english: inEnglish(missing) } };
  }
}

/**
 * For clear: the session kept for the section goes (a section still under the old shared name:
 * the old shared session). Whether there was one.
 */
export async function forgetSession(ks: KeychainSection, env: Context['env']): Promise<boolean> {
  try {
    return ks.id ? await kc.deleteSession(ks.id, ks.shortTerm) : await kc.deleteOldSession(ks.shortTerm);
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.clear', { section: ks.shortTerm }), env);
  }
}

/** The keychain's name on this system (macOS Keychain, Windows Credential Manager, Secret Service). */
export const keychainName = (): string => kc.storeName();

export async function readSession(p: ResolvedProfile, env: Context['env']): Promise<StoredSession | undefined> {
  try {
    return await readKeptSession(keychainSectionOf(p));
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.readSession', { section: p.names.shortTerm }), env);
  }
}

/** Keep a session under the section's id, with the id of the key it was made with (the entry's now). */
export async function writeSession(
  p: ResolvedProfile,
  session: Session,
  role: string | undefined,
  env: Context['env'],
): Promise<void> {
  const ks = keychainSectionOf(p);
  // a key migrated by this run: the file names its entry now
  const id = ks.id ?? idInFile(ks, env);
  try {
    if (!id || id === 'invalid') throw new Error(`[${ks.section}] names no keychain entry`);
    const key = await kc.readLongTerm(id);
    const made = { ...session, ...(role ? { role } : {}), ...(key ? { longTermKeyId: key.accessKeyId } : {}) };
    await kc.storeSession(id, ks.shortTerm, made);
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.writeSession', { section: ks.shortTerm }), env);
  }
}
