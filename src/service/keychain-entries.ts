/**
 * A profile's entries in the OS keychain, found by the id its long-term section keeps
 * (`aws_mfa_keychain_id`): its long-term key, and the MFA sessions made with that key, which are
 * reused only while the section's entry still holds the key that made them, for the file and the
 * MFA device they were made for. An entry records the credentials file that owns it; every use
 * first checks that owner (ownedEntry): a section in a copy of the file (or one whose id was
 * pasted in) is refused while the owner still names the entry, and a file that was moved or
 * renamed takes the entry over, so the entry follows its section wherever the file goes. Also the one-time
 * migration of a key kept under the old shared name `long-term:SECTION` (see io/keychain.ts): the
 * first file that needs it gets a new entry of its own, and the old entry becomes the record of
 * which file took it, so a second file with the same section is told where the key went instead
 * of being handed it. Before a file takes an old key, AWS is asked whose it is: the IAM user must
 * have the MFA device the profile uses (two users never share a device), so the survivor of two
 * files that overwrote each other goes to its own file. Its own chunk: only profiles whose key is
 * in the keychain load it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, EXIT, configError } from '../errors.js';
import { explainFailure } from '../core/aws-errors.js';
import { isAwsFailure } from '../aws/index.js';
import { callContext } from './call-context.js';
import { inEnglish, t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { AccessKey, Session, StoredSession } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import {
  KEYCHAIN_ID,
  entryOwnership,
  fileNamesEntry,
  hasFileKeys,
  keychainIdOf,
  markerSet,
  type EntryOwnership,
} from '../core/key-location.js';
import { readIni, readProfiles, updateIni } from '../io/store.js';
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
  /** The MFA device the profile is configured with (a kept session must have been made with it). */
  device?: string;
}

export const keychainSectionOf = (p: ResolvedProfile): KeychainSection => ({
  section: p.names.longTerm,
  shortTerm: p.names.shortTerm,
  profile: p.names.profile,
  file: p.paths.credentials,
  ...(p.longTerm.store === 'keychain' && p.longTerm.id ? { id: p.longTerm.id } : {}),
  ...(p.device ? { device: p.device.value } : {}),
});

/** What a use of the entries needs: the environment, and where an adoption is said (none: not said). */
export type EntryContext = { env: Context['env']; log?: Context['log'] };

/** A section refused the entry of another file that still names it: exit 3; `problem`: in short, for status. */
export class EntryOfAnotherFile extends CliError {
  constructor(
    message: string,
    readonly problem: KeychainProblem,
  ) {
    super(message, EXIT.CONFIG);
  }
}

/** The recorded owner as it is now: whether it is the file `here`, and whether a section of it names `id`. */
function ownerNow(recorded: string, here: string, id: string): { sameFile: boolean; namesEntry: boolean } | undefined {
  if (!existsSync(recorded)) return undefined;
  if (kc.sameFile(recorded, here)) return { sameFile: true, namesEntry: true };
  try {
    const sections = Object.values(readView(readIni(recorded, 'credentials').doc, 'credentials').profiles);
    const plain = sections.map(
      (o) => new Map(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string')),
    );
    return { sameFile: false, namesEntry: fileNamesEntry(plain, id) };
  } catch {
    return { sameFile: false, namesEntry: true }; // unreadable now: it may still name the entry
  }
}

/** Whose the entry is, seen from the section's file (`here`: its real path). */
export function ownershipOf(
  entry: kc.LongTermEntry,
  file: string,
  id: string,
): { verdict: EntryOwnership; here: string } {
  const here = kc.ownerPath(file);
  const owner = entry.owner && entry.owner !== here ? ownerNow(entry.owner, here, id) : undefined;
  return { verdict: entryOwnership(entry.owner, here, owner), here };
}

/** The refusal of a section naming an entry another file owns (`fix`: the message key of what to do). */
export function anotherFilesEntry(
  ks: Pick<KeychainSection, 'section' | 'file' | 'profile'>,
  owner: string,
  id: string,
  fix: 'keys.fix.ownKey' | 'keys.fix.newEntry',
): EntryOfAnotherFile {
  const { section, file, profile } = ks;
  const text = () =>
    t('keys.entryOfAnotherFile', { section, file, owner, account: kc.longTermAccount(id), fix: t(fix, { profile }) });
  const short = () => t('keys.list.otherFile', { owner });
  return new EntryOfAnotherFile(text(), { text: short(), english: inEnglish(short) });
}

/**
 * The owner check every use of an entry makes first: the entry (undefined: there is none) when
 * the section's file owns it or takes it over (recorded then as its owner, unless `adopt` is false:
 * a look that changes nothing); a section in another file while the owner still names the entry
 * is refused before anything else is read, called or changed. Keychain failures are thrown as they are.
 */
export async function ownedEntry(
  ks: KeychainSection & { id: string },
  log: Context['log'] | undefined,
  adopt = true,
): Promise<kc.LongTermEntry | undefined> {
  const entry = await kc.readLongTermEntry(ks.id);
  if (!entry) return undefined;
  const { verdict, here } = ownershipOf(entry, ks.file, ks.id);
  if (verdict === 'copy') throw anotherFilesEntry(ks, entry.owner!, ks.id, 'keys.fix.ownKey');
  if (verdict === 'adopt' && adopt) {
    await kc.storeLongTerm(ks.id, entry.section ?? ks.section, entry, here);
    if (entry.owner) {
      const account = kc.longTermAccount(ks.id);
      log?.warn(t('keys.entryAdopted', { account, section: ks.section, file: ks.file, owner: entry.owner }));
    }
  }
  return entry;
}

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
  if (!ks.id) return migrate(ks, ctx, p);
  let entry;
  try {
    entry = await ownedEntry({ ...ks, id: ks.id }, ctx.log);
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.readKey', { section: ks.section }), ctx.env); // a refusal as it is
  }
  if (!entry) {
    const account = kc.longTermAccount(ks.id);
    throw configError(t('keys.missingInKeychain', { section: ks.section, store: kc.storeName(), account }));
  }
  return { key: { accessKeyId: entry.accessKeyId, secretAccessKey: entry.secretAccessKey }, id: ks.id };
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
    await kc.storeLongTerm(id, ks.section, old.pair, kc.ownerPath(ks.file)); // written and read back
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
 * The MFA session kept for the section, after the owner check (ownedEntry; `adopt` as there), if
 * it was made with the key its entry holds now, for this file and with the profile's MFA device
 * (any recorded one when none is configured: it was looked up with this key). A session without
 * those records is not reused, nor does a section still under the old shared name have one
 * (nothing says whose key made the old one).
 */
export async function readKeptSession(
  ks: KeychainSection,
  log?: Context['log'],
  adopt = true,
): Promise<StoredSession | undefined> {
  if (!ks.id) return undefined;
  const entry = await ownedEntry({ ...ks, id: ks.id }, log, adopt);
  if (!entry) return undefined;
  const s = await kc.readSession(ks.id, ks.shortTerm);
  if (!s?.longTermKeyId || s.longTermKeyId !== entry.accessKeyId) return undefined;
  if (!s.device || (ks.device !== undefined && s.device !== ks.device)) return undefined;
  if (!s.file || !kc.sameFile(s.file, kc.ownerPath(ks.file))) return undefined;
  const { role, longTermKeyId: _, device: _d, file: _f, ...session } = s;
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
    return { stored: ks.id === 'invalid' ? undefined : await readKeptSession(ks, undefined, false) };
  } catch (e) {
    if (e instanceof EntryOfAnotherFile) return { stored: undefined, problem: e.problem };
    const missing = () => kc.describeFailure(e, env).missing;
    return { stored: undefined, problem: { text: missing(), english: inEnglish(missing) } };
  }
}

/**
 * For clear: the session kept for the section goes (a section still under the old shared name:
 * the old shared session), after the owner check (a copy's clear deletes nothing). Whether there was one.
 */
export async function forgetSession(ks: KeychainSection, ctx: EntryContext): Promise<boolean> {
  const env = ctx.env;
  try {
    if (!ks.id) return await kc.deleteOldSession(ks.shortTerm);
    await ownedEntry({ ...ks, id: ks.id }, ctx.log);
    return await kc.deleteSession(ks.id, ks.shortTerm);
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.clear', { section: ks.shortTerm }), env);
  }
}

/** The keychain's name on this system (macOS Keychain, Windows Credential Manager, Secret Service). */
export const keychainName = (): string => kc.storeName();

export async function readSession(
  p: ResolvedProfile,
  ctx: Pick<Context, 'env' | 'log'>,
): Promise<StoredSession | undefined> {
  const env = ctx.env;
  try {
    return await readKeptSession(keychainSectionOf(p), ctx.log);
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.readSession', { section: p.names.shortTerm }), env);
  }
}

/**
 * Keep a session under the section's id (after the owner check), with the id of the key it was
 * made with (the entry's now), the MFA device (`device`: when looked up, not configured) and the file.
 */
export async function writeSession(
  p: ResolvedProfile,
  session: Session,
  role: string | undefined,
  ctx: Pick<Context, 'env' | 'log'>,
  device?: string,
): Promise<void> {
  const env = ctx.env;
  const ks = keychainSectionOf(p);
  // a key migrated by this run: the file names its entry now
  const id = ks.id ?? idInFile(ks, env);
  try {
    if (!id || id === 'invalid') throw new Error(`[${ks.section}] names no keychain entry`);
    const key = await ownedEntry({ ...ks, id }, ctx.log);
    const made = {
      ...session,
      ...(role ? { role } : {}),
      ...(key ? { longTermKeyId: key.accessKeyId } : {}),
      ...((device ?? ks.device) ? { device: device ?? ks.device } : {}),
      file: kc.ownerPath(ks.file),
    };
    await kc.storeSession(id, ks.shortTerm, made);
  } catch (e) {
    throw kc.keychainError(e, t('keychain.what.writeSession', { section: ks.shortTerm }), env);
  }
}
