/**
 * The operating system's keychain (macOS Keychain, Windows Credential Manager, the Secret Service
 * on Linux: GNOME Keyring, KWallet), the only importer of @napi-rs/keyring. That library is a
 * native addon: it is required lazily, on the paths that use the keychain only (the bundle keeps it
 * external), so nothing else pays for loading it.
 *
 * In the bundle the add-on is loaded by io/addon.ts (from the single executable's asset, or from
 * the npm install's own node_modules), never through require's walk up the folders.
 *
 * On Linux, @napi-rs/keyring 2.x silently falls back to the kernel keyring (keyutils) when no
 * Secret Service answers (its LinuxCredentialBuilder); kernel keys are gone at reboot, so a key
 * moved there would be lost. Every entry here is therefore pinned to the Secret Service
 * (`linux: { store: 'secret-service' }`), which throws instead of falling back.
 *
 * Entries live under the service "aws-mfa", named by the id the long-term section keeps in
 * `aws_mfa_keychain_id` (core/key-location.ts): `long-term@ID` holds the section's key pair,
 * `session@ID:SHORT` an MFA session made with it, with its expiration, the id of the key that
 * made it, the MFA device and the credentials file it was made for. The long-term entry records
 * which credentials file owns it (`Owner`: the file's real path), so a copy of the file, whose
 * section names the same id, is told apart from the file itself moved elsewhere
 * (service/keychain-entries.ts). Each is JSON in the shape of the credential_process output,
 * stored as UTF-8 bytes (Windows limits a credential to 2,560 bytes).
 *
 * Before ids, entries were named by section alone (`long-term:SECTION`, `session:SHORT`), so two
 * credentials files with the same section name shared, and overwrote, one entry. Those old
 * entries are read here only to be migrated (service/keychain-entries.ts); a migrated old
 * long-term entry is replaced by a claim record that names the file that took it and holds no secret.
 */
import { configError, isCliError, type CliError } from '../errors.js';
import { keyringFromInstall, keyringFromSea } from './addon.js';
import { inSea, loaderEnv } from '../start/chunk-hit.js';
import { t } from '../messages/index.js';
import type { AccessKey, Session } from '../core/credentials.js';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { realpathSync } from 'node:fs';

export const SERVICE = 'aws-mfa';

/** A long-term key as the keychain keeps it: no session token. */
export type LongTermKey = Omit<AccessKey, 'sessionToken'>;

/** An MFA session as its keychain entry keeps it: with its role, and the key that made it. */
export type KeychainSession = Session & {
  role?: string;
  /** The access key id of the long-term key the session was made with. */
  longTermKeyId?: string;
  /** The MFA device (serial) the session was made with. */
  device?: string;
  /** The real path of the credentials file the session was made for. */
  file?: string;
};

type Env = Readonly<Record<string, string | undefined>>;
type Keyring = typeof import('@napi-rs/keyring');
type Entry = InstanceType<Keyring['Entry']>;

declare const __BUNDLED__: boolean | undefined;
declare const __dirname: string;
let loaded: Promise<Keyring> | undefined;
/**
 * The addon, loaded on first use. In the bundle (where the package stays external) by io/addon.ts:
 * a single executable's own asset, or the platform package of the install this chunk is in
 * (dist/.. is its root); from source (tests through tsx), the package itself.
 */
const keyring = () =>
  (loaded ??=
    typeof __BUNDLED__ !== 'undefined' && __BUNDLED__
      ? Promise.resolve().then(() => (inSea() ? keyringFromSea(loaderEnv()) : keyringFromInstall(dirname(__dirname))))
      : import('@napi-rs/keyring'));

export const longTermAccount = (id: string) => `long-term@${id}`;
export const sessionAccount = (id: string, shortTerm: string) => `session@${id}:${shortTerm}`;
/** The names of before ids, shared by every file with the section (migrated on first use). */
export const oldLongTermAccount = (section: string) => `long-term:${section}`;
export const oldSessionAccount = (shortTerm: string) => `session:${shortTerm}`;

/** A new id for a section's entries: 96 random bits, so two sections never meet by chance. */
export const newKeychainId = () => randomBytes(12).toString('hex');

/** What the keychain is called on this platform, for messages. */
export function storeName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/**
 * What is missing, in words, and how to fix it, from the library's error. Its texts come from the
 * Secret Service client (D-Bus) and the platform stores; the ones mapped here were seen on Debian
 * with and without a session bus, with a bus that has no Secret Service, and with a locked keyring.
 */
export function describeFailure(
  e: unknown,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): { missing: string; fix: string } {
  const raw = (e as Error)?.message ?? String(e);
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    const bus = env.DBUS_SESSION_BUS_ADDRESS;
    const noBus = /autolaunch|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|No such file or directory/i;
    if (noBus.test(raw) || /Connection refused|not connected/i.test(raw)) {
      return bus
        ? { missing: t('keychain.missing.busUnreachable', { address: bus }), fix: t('keychain.fix.bus') }
        : { missing: t('keychain.missing.noBus'), fix: t('keychain.fix.bus') };
    }
    if (/ServiceUnknown|not provided by any \.service|org\.freedesktop\.secrets|NameHasNoOwner/i.test(raw)) {
      return { missing: t('keychain.missing.noSecretService'), fix: t('keychain.fix.secretService') };
    }
    if (/no result found|NoSuchObject|Object does not exist|collection/i.test(raw)) {
      return { missing: t('keychain.missing.noCollection'), fix: t('keychain.fix.unlock') };
    }
    if (/locked|prompt was dismissed|IsLocked/i.test(raw)) {
      return { missing: t('keychain.missing.locked'), fix: t('keychain.fix.unlock') };
    }
  }
  return {
    missing: t('keychain.missing.other', { store: storeName(platform), detail: raw.replace(/\s+/g, ' ').trim() }),
    fix: t('keychain.fix.other'),
  };
}

/**
 * The error every keychain failure becomes: exit 3, what is missing and the fix. `env` is the
 * environment the library itself read (the entry's ctx.env: the process's own, unless a test passes another).
 */
export function keychainError(e: unknown, what: string, env: Env): CliError {
  // the add-on's own refusals (io/addon.ts) already say what is wrong and what to do
  if (isCliError(e)) return e;
  const { missing, fix } = describeFailure(e, env);
  return configError(t('keychain.unusable', { what, missing, fix }));
}

async function entry(account: string): Promise<Entry> {
  const { Entry } = await keyring();
  // pinned: never the kernel keyring (see the file's opening comment); ignored off Linux
  return new Entry(SERVICE, account, { linux: { store: 'secret-service' } });
}

const encode = (v: unknown) => new Uint8Array(Buffer.from(JSON.stringify(v), 'utf8'));

/**
 * The Secret Service went away while answering: gnome-keyring (42 to 50) aborts when a client's
 * session vanishes while it answers (gnome-keyring#196, #199; short-lived clients that connect for
 * each operation, as this add-on does, trigger it), and a desktop session's bus or systemd starts it
 * again on the next call. A call made at once can meet the new daemon still starting, which the same
 * race can bring down again (seen in CI twice), so the next tries come after a pause: RETRY_PAUSES_MS.
 * Each try builds its entry anew: building one opens the Secret Service session its calls use (the
 * add-on's `new Entry` talks to the daemon), and the dead daemon's session is gone with it ("The
 * session wrapping the secret does not exist"), so an entry kept from before can never succeed.
 * Every operation here is a whole replace, read or delete, so making it again changes nothing more.
 */
const DAEMON_GONE = /disconnected from message bus without replying/i;
export const RETRY_PAUSES_MS = [250, 1000] as const;
export async function againIfGone<T>(
  op: () => T | Promise<T>,
  pause = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await op();
    } catch (e) {
      if (!DAEMON_GONE.test((e as Error)?.message ?? '') || tried >= RETRY_PAUSES_MS.length) throw e;
      await pause(RETRY_PAUSES_MS[tried]!);
    }
  }
}

async function writeJson(account: string, value: unknown): Promise<void> {
  await againIfGone(async () => (await entry(account)).setSecret(encode(value)));
}

async function readJson(account: string): Promise<Record<string, unknown> | undefined> {
  const bytes = await againIfGone(async () => (await entry(account)).getSecret());
  if (bytes === null) return undefined;
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function remove(account: string): Promise<boolean> {
  return await againIfGone(async () => (await entry(account)).deleteCredential());
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Whether the keychain can store and give back a secret now: a probe entry is written, read back
 * and deleted. Says precisely what is missing when not.
 */
export async function keychainAvailable(
  env: Env,
): Promise<{ ok: true } | { ok: false; missing: string; fix: string; error: unknown }> {
  const probe = `probe:${process.pid}`;
  try {
    await writeJson(probe, { probe: true });
    const back = await readJson(probe);
    await remove(probe);
    if (back?.probe !== true) throw new Error('the probe entry did not read back');
    return { ok: true };
  } catch (e) {
    if (isCliError(e)) throw e; // the add-on's own refusal (io/addon.ts)
    return { ok: false, ...describeFailure(e, env), error: e };
  }
}

/**
 * How an entry names the credentials file that owns it: its real path (links and `..` resolved, so
 * the same file reached another way is the same owner); the path as given when it cannot be resolved.
 */
export function ownerPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return resolve(file);
  }
}

export { sameFile } from './file-checks.js';

/**
 * Write a long-term key pair, owned by the credentials file `owner` (ownerPath), then read it back:
 * the promise resolves only if the keychain has it.
 */
export async function storeLongTerm(id: string, section: string, keys: LongTermKey, owner: string): Promise<void> {
  // Section: for whoever looks at the entry with a keychain tool; aws-mfa goes by the id alone
  const { accessKeyId, secretAccessKey } = keys;
  const entry = { Version: 1, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, Section: section };
  await writeJson(longTermAccount(id), { ...entry, Owner: owner });
  const back = await readLongTermEntry(id);
  if (back?.accessKeyId !== keys.accessKeyId || back.secretAccessKey !== keys.secretAccessKey || back.owner !== owner) {
    throw new Error(`the ${storeName()} did not give back the key just written`);
  }
}

const pairOf = (v: Record<string, unknown> | undefined): LongTermKey | undefined => {
  const accessKeyId = str(v?.AccessKeyId);
  const secretAccessKey = str(v?.SecretAccessKey);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
};

/** The long-term key pair of an id, or undefined when the keychain has no (complete) entry. */
export async function readLongTerm(id: string): Promise<LongTermKey | undefined> {
  return pairOf(await readJson(longTermAccount(id)));
}

/** A long-term entry: its key pair, its section, and the file that owns it (none: made before owners). */
export type LongTermEntry = LongTermKey & { section?: string; owner?: string };

export async function readLongTermEntry(id: string): Promise<LongTermEntry | undefined> {
  const v = await readJson(longTermAccount(id));
  const pair = pairOf(v);
  if (!pair) return undefined;
  return {
    ...pair,
    ...(str(v?.Section) ? { section: str(v?.Section) } : {}),
    ...(str(v?.Owner) ? { owner: str(v?.Owner) } : {}),
  };
}

export const deleteLongTerm = (id: string) => remove(longTermAccount(id));

/** The long-term key of a section's entry, or the error that says why not. */
export async function readLongTermKey(id: string, section: string, env: Env): Promise<AccessKey> {
  let pair;
  try {
    pair = await readLongTerm(id);
  } catch (e) {
    throw keychainError(e, t('keychain.what.readKey', { section }), env);
  }
  if (!pair) {
    throw configError(t('keys.missingInKeychain', { section, store: storeName(), account: longTermAccount(id) }));
  }
  return pair;
}

/** What an old shared entry `long-term:SECTION` holds: a key pair, or the record of the file that took it. */
export type OldLongTerm = { kind: 'key'; pair: LongTermKey } | ({ kind: 'claimed' } & OldClaim);
/** Which file took an old entry's key (its path, its entries' id), and the key's id. */
export interface OldClaim {
  accessKeyId: string;
  file: string;
  id: string;
}

export async function readOldLongTerm(section: string): Promise<OldLongTerm | undefined> {
  const v = await readJson(oldLongTermAccount(section));
  if (v === undefined) return undefined;
  const claim = v.ClaimedBy as Record<string, unknown> | undefined;
  if (claim && typeof claim === 'object') {
    const [accessKeyId, file, id] = [str(v.AccessKeyId) ?? '?', str(claim.File) ?? '?', str(claim.Id) ?? '?'];
    return { kind: 'claimed', accessKeyId, file, id };
  }
  const pair = pairOf(v);
  return pair ? { kind: 'key', pair } : undefined;
}

/** Replace an old shared entry by the record of who took its key (no secret), read back. */
export async function markOldClaimed(section: string, claim: OldClaim): Promise<void> {
  const record = { Version: 2, AccessKeyId: claim.accessKeyId, ClaimedBy: { File: claim.file, Id: claim.id } };
  await writeJson(oldLongTermAccount(section), record);
  const back = await readOldLongTerm(section);
  if (back?.kind !== 'claimed' || back.id !== claim.id) {
    throw new Error(`the ${storeName()} did not give back the record just written`);
  }
}

/** Write an MFA session (with its expiration, role and the key that made it), then read it back. */
export async function storeSession(id: string, shortTerm: string, s: KeychainSession): Promise<void> {
  await writeJson(sessionAccount(id, shortTerm), {
    Version: 1,
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secretAccessKey,
    SessionToken: s.sessionToken,
    Expiration: s.expiration.toISOString(),
    ...(s.role ? { AssumedRoleArn: s.role } : {}),
    ...(s.longTermKeyId ? { LongTermAccessKeyId: s.longTermKeyId } : {}),
    ...(s.device ? { MfaDevice: s.device } : {}),
    ...(s.file ? { CredentialsFile: s.file } : {}),
  });
  const back = await readSession(id, shortTerm);
  if (back?.sessionToken !== s.sessionToken)
    throw new Error(`the ${storeName()} did not give back the session just written`);
}

/** The MFA session kept for a section, or undefined when there is none (or it cannot be read as one). */
export async function readSession(id: string, shortTerm: string): Promise<KeychainSession | undefined> {
  const v = await readJson(sessionAccount(id, shortTerm));
  const accessKeyId = str(v?.AccessKeyId);
  const secretAccessKey = str(v?.SecretAccessKey);
  const sessionToken = str(v?.SessionToken);
  const expiration = str(v?.Expiration) ? new Date(v!.Expiration as string) : undefined;
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration || Number.isNaN(expiration.getTime()))
    return undefined;
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration,
    ...(str(v?.AssumedRoleArn) ? { role: v!.AssumedRoleArn as string } : {}),
    ...(str(v?.LongTermAccessKeyId) ? { longTermKeyId: v!.LongTermAccessKeyId as string } : {}),
    ...(str(v?.MfaDevice) ? { device: v!.MfaDevice as string } : {}),
    ...(str(v?.CredentialsFile) ? { file: v!.CredentialsFile as string } : {}),
  };
}

export const deleteSession = (id: string, shortTerm: string) => remove(sessionAccount(id, shortTerm));
export const deleteOldSession = (shortTerm: string) => remove(oldSessionAccount(shortTerm));
