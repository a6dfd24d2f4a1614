/**
 * The operating system's keychain (macOS Keychain, Windows Credential Manager, the Secret Service
 * on Linux: GNOME Keyring, KWallet), the only importer of @napi-rs/keyring. That library is a
 * native addon: it is required lazily, on the paths that use the keychain only (the bundle keeps it
 * external), so nothing else pays for loading it.
 *
 * On Linux, @napi-rs/keyring 2.x silently falls back to the kernel keyring (keyutils) when no
 * Secret Service answers (its LinuxCredentialBuilder); kernel keys are gone at reboot, so a key
 * moved there would be lost. Every entry here is therefore pinned to the Secret Service
 * (`linux: { store: 'secret-service' }`), which throws instead of falling back.
 *
 * Entries live under the service "aws-mfa": `long-term:SECTION` holds a long-term key pair,
 * `session:SECTION` an MFA session with its expiration, each as JSON in the shape of the
 * credential_process output, stored as UTF-8 bytes (Windows limits a credential to 2,560 bytes).
 */
import { configError, type CliError } from '../errors.js';
import { t } from '../messages/index.js';
import type { AccessKey, Session, StoredSession } from '../core/credentials.js';

export const SERVICE = 'aws-mfa';

/** A long-term key as the keychain keeps it: no session token. */
type LongTermKey = Omit<AccessKey, 'sessionToken'>;

type Env = Readonly<Record<string, string | undefined>>;
type Keyring = typeof import('@napi-rs/keyring');
type Entry = InstanceType<Keyring['Entry']>;

declare const __BUNDLED__: boolean | undefined;
let loaded: Promise<Keyring> | undefined;
/**
 * The addon, loaded on first use. In the bundle (where the package stays external) a plain
 * require, as io/chunk.ts does for the chunks: import() would start Node's ES module loader.
 */
const keyring = () =>
  (loaded ??= typeof __BUNDLED__ !== 'undefined' && __BUNDLED__ ? Promise.resolve().then(() => require('@napi-rs/keyring') as Keyring) : import('@napi-rs/keyring'));

export const longTermAccount = (section: string) => `long-term:${section}`;
export const sessionAccount = (section: string) => `session:${section}`;

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
export function describeFailure(e: unknown, env: Env = process.env, platform: NodeJS.Platform = process.platform): { missing: string; fix: string } {
  const raw = (e as Error)?.message ?? String(e);
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    const bus = env.DBUS_SESSION_BUS_ADDRESS;
    if (/autolaunch|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|No such file or directory|Connection refused|not connected/i.test(raw)) {
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
  return { missing: t('keychain.missing.other', { store: storeName(platform), detail: raw.replace(/\s+/g, ' ').trim() }), fix: t('keychain.fix.other') };
}

/**
 * The error every keychain failure becomes: exit 3, what is missing and the fix. `env` is the
 * environment the library itself read (the process's own, unless a test passes another).
 */
export function keychainError(e: unknown, what: string, env: Env = process.env): CliError {
  const { missing, fix } = describeFailure(e, env);
  return configError(t('keychain.unusable', { what, missing, fix }));
}

async function entry(account: string): Promise<Entry> {
  const { Entry } = await keyring();
  // pinned: never the kernel keyring (see the file's opening comment); ignored off Linux
  return new Entry(SERVICE, account, { linux: { store: 'secret-service' } });
}

const encode = (v: unknown) => new Uint8Array(Buffer.from(JSON.stringify(v), 'utf8'));

async function writeJson(account: string, value: unknown): Promise<void> {
  (await entry(account)).setSecret(encode(value));
}

async function readJson(account: string): Promise<Record<string, unknown> | undefined> {
  const bytes = (await entry(account)).getSecret();
  if (bytes === null) return undefined;
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function remove(account: string): Promise<boolean> {
  return (await entry(account)).deleteCredential();
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Whether the keychain can store and give back a secret now: a probe entry is written, read back
 * and deleted. Says precisely what is missing when not.
 */
export async function keychainAvailable(env: Env = process.env): Promise<{ ok: true } | { ok: false; missing: string; fix: string; error: unknown }> {
  const probe = `probe:${process.pid}`;
  try {
    await writeJson(probe, { probe: true });
    const back = await readJson(probe);
    await remove(probe);
    if (back?.probe !== true) throw new Error('the probe entry did not read back');
    return { ok: true };
  } catch (e) {
    return { ok: false, ...describeFailure(e, env), error: e };
  }
}

/** Write a long-term key pair, then read it back: the promise resolves only if the keychain has it. */
export async function storeLongTerm(section: string, keys: LongTermKey): Promise<void> {
  await writeJson(longTermAccount(section), { Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey });
  const back = await readLongTerm(section);
  if (back?.accessKeyId !== keys.accessKeyId || back.secretAccessKey !== keys.secretAccessKey) {
    throw new Error(`the ${storeName()} did not give back the key just written`);
  }
}

/** The long-term key pair of a section, or undefined when the keychain has no (complete) entry. */
export async function readLongTerm(section: string): Promise<LongTermKey | undefined> {
  const v = await readJson(longTermAccount(section));
  const accessKeyId = str(v?.AccessKeyId);
  const secretAccessKey = str(v?.SecretAccessKey);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

export const deleteLongTerm = (section: string) => remove(longTermAccount(section));

/** The long-term key of a section marked `aws_mfa_keychain = true`, or the error that says why not. */
export async function readLongTermKey(section: string): Promise<AccessKey> {
  let pair;
  try {
    pair = await readLongTerm(section);
  } catch (e) {
    throw keychainError(e, t('keychain.what.readKey', { section }));
  }
  if (!pair) throw configError(t('keys.missingInKeychain', { section, store: storeName() }));
  return pair;
}

/** Write an MFA session (with its expiration and the role it is for, if any), then read it back. */
export async function storeSession(section: string, s: Session, role: string | undefined): Promise<void> {
  await writeJson(sessionAccount(section), {
    Version: 1,
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secretAccessKey,
    SessionToken: s.sessionToken,
    Expiration: s.expiration.toISOString(),
    ...(role ? { AssumedRoleArn: role } : {}),
  });
  const back = await readSession(section);
  if (back?.session?.sessionToken !== s.sessionToken) throw new Error(`the ${storeName()} did not give back the session just written`);
}

/** The MFA session kept for a section, or undefined when there is none (or it cannot be read as one). */
export async function readSession(section: string): Promise<StoredSession | undefined> {
  const v = await readJson(sessionAccount(section));
  const accessKeyId = str(v?.AccessKeyId);
  const secretAccessKey = str(v?.SecretAccessKey);
  const sessionToken = str(v?.SessionToken);
  const expiration = str(v?.Expiration) ? new Date(v!.Expiration as string) : undefined;
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration || Number.isNaN(expiration.getTime())) return undefined;
  const role = str(v?.AssumedRoleArn) ? (v!.AssumedRoleArn as string) : undefined;
  return { session: { accessKeyId, secretAccessKey, sessionToken, expiration }, holdsLongTermKeys: false, ...(role ? { role } : {}) };
}

export const deleteSession = (section: string) => remove(sessionAccount(section));
