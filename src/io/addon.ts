/**
 * The native add-ons: the keyring (the native part of @napi-rs/keyring) and, on Windows, the dialog's
 * FFI (koffi's, io/prompt/windows.ts). Each is loaded so that nothing is ever resolved
 * through a node_modules folder another user could plant a module in (/tmp/node_modules,
 * C:\node_modules, ~/.node_modules, NODE_PATH: a planted one would run with the user's rights and
 * receive the long-term key during `keys move`).
 * - A single executable carries it as the asset `keyring.node`, with its sha256 in the asset
 *   `addons.json` (scripts/package.mjs). It is checked against that digest, written once into a
 *   private folder (the cache folder's rules, io/cache-dir.ts, plus: `addons` below it is the
 *   user's own and 0700) as keyring-SHA256.node through an exclusive temporary renamed into place,
 *   then opened, its bytes read and checked again, and process.dlopen'd (on Linux through
 *   /proc/self/fd of the descriptor that was checked, so the bytes checked are the bytes loaded).
 * - From npm, the platform package (@napi-rs/keyring-linux-x64-gnu, ...) is taken from the install
 *   itself: aws-mfa's own node_modules, or a node_modules folder that holds aws-mfa (where npm
 *   hoists dependencies), never one above the install. @napi-rs/keyring's own index.js is not run:
 *   it would walk every node_modules up to / and honour NAPI_RS_NATIVE_LIBRARY_PATH.
 * koffi's own index.js is not run either, for the same reasons: its native file
 * (@koromix/koffi-win32-x64/win32_x64/koffi.node) is loaded the same way, as the asset `koffi.node`.
 * Any failure is a CliError (exit 3) that says what to do.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { configError, type CliError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';
import { codeCacheDir } from '../start/chunk-hit.js';
import { cacheDir } from './cache-dir.js';
import { changeableByOthers } from './file-checks.js';
import { writeExclusive } from './exclusive-write.js';

type Keyring = typeof import('@napi-rs/keyring');

/** The asset names inside a single executable (scripts/package.mjs writes them). */
export const KEYRING_ASSET = 'keyring.node';
export const DIGESTS_ASSET = 'addons.json';

/** One native add-on: its asset in a single executable, and how messages name it. */
export interface Addon {
  /** The asset's name (scripts/node-binaries.json `addons`); unpacked as STEM-SHA256.node. */
  asset: string;
  /** The message that names it ("the keyring add-on"). */
  what: MessageKey;
  /** The message for a DLL it imports that Windows lacks, where one is known. */
  dllMissing?: MessageKey;
}
export const KEYRING: Addon = { asset: KEYRING_ASSET, what: 'addon.keyring', dllMissing: 'addon.dllMissing' };

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** @napi-rs/keyring's name for this platform (its package is @napi-rs/keyring-NAME), or undefined. */
export function keyringPlatform(platform: string, arch: string, glibc: () => boolean): string | undefined {
  if (platform === 'linux' && (arch === 'x64' || arch === 'arm64')) return `linux-${arch}-${glibc() ? 'gnu' : 'musl'}`;
  if (platform === 'win32' && (arch === 'x64' || arch === 'arm64' || arch === 'ia32')) return `win32-${arch}-msvc`;
  if (platform === 'darwin' && (arch === 'x64' || arch === 'arm64')) return `darwin-${arch}`;
  if (platform === 'freebsd' && arch === 'x64') return 'freebsd-x64';
  return undefined;
}

/**
 * The node_modules folders an install at `root` takes its dependencies from: its own, and each
 * folder above it named node_modules (npm hoists there). Nothing above the install.
 */
export function installFolders(root: string): string[] {
  const folders = [join(root, 'node_modules')];
  for (let d = dirname(root); ; d = dirname(d)) {
    if (basename(d) === 'node_modules') folders.push(d);
    if (dirname(d) === d) return folders;
  }
}

/**
 * Whether this Linux runs on glibc (else musl), as @napi-rs/keyring's index.js asks: the report's header, without its
 * slow network part.
 */
function glibc(): boolean {
  if (!process.report) return true;
  (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
  return Boolean(
    (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime,
  );
}

function dlopen<T>(path: string, shown: string, addon: Addon): T {
  const mod = { exports: {} as T };
  // for the tests that record what a run loads (test/fixtures/record-modules.cjs), as start/chunk.ts does
  process.emit('aws-mfa:addon' as never, shown as never);
  try {
    process.dlopen(mod, path);
  } catch (e) {
    const detail = oneLine((e as Error)?.message ?? String(e));
    // Windows' "module not found" for a file that is there: a DLL it imports is missing (Wine 8 has
    // no bcryptprimitives.dll, which Rust's standard library imports; VCRUNTIME140.dll comes with
    // the Visual C++ Redistributable)
    if (
      addon.dllMissing &&
      process.platform === 'win32' &&
      /module not found|specified module could not be found/i.test(detail)
    ) {
      throw configError(t(addon.dllMissing, { path: shown }));
    }
    throw configError(t('addon.loadFailed', { what: t(addon.what), path: shown, detail }));
  }
  return mod.exports;
}

// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();

/**
 * From npm: the add-on in package `pkg` of the install at `root` (the folder above dist/), at the
 * path `file` gives for the package's folder (undefined: not there).
 */
export function addonFromInstall<T>(
  root: string,
  pkg: string,
  addon: Addon,
  file: (dir: string) => string | undefined,
): T {
  for (const folder of installFolders(root)) {
    const found = file(join(folder, ...pkg.split('/')));
    if (found !== undefined) return dlopen<T>(found, found, addon);
  }
  throw configError(t('addon.notInstalled', { package: pkg, what: t(addon.what), dir: root }));
}

/** From npm: the keyring's platform package of the install at `root` (the folder above dist/). */
export function keyringFromInstall(root: string): Keyring {
  const name = keyringPlatform(process.platform, process.arch, glibc);
  if (!name) throw configError(t('addon.unsupported', { platform: `${process.platform}-${process.arch}` }));
  return addonFromInstall<Keyring>(root, `@napi-rs/keyring-${name}`, KEYRING, (dir) => {
    let main: unknown;
    try {
      main = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: unknown }).main;
    } catch {
      return undefined;
    }
    return typeof main === 'string' && /^[\w.-]+\.node$/.test(main) && existsSync(join(dir, main))
      ? join(dir, main)
      : undefined;
  });
}

/** The executable is damaged: one of its assets is missing or not what it was built with. */
function damaged(detail: string): CliError {
  return configError(t('sea.damaged', { exe: process.execPath, detail }));
}

/** The private folder the add-on is unpacked into (made if missing), or the error that says why there is none. */
export function addonFolder(env: NodeJS.ProcessEnv, addon: Addon = KEYRING): string {
  const what = t(addon.what);
  // the add-on is needed even where the code cache is turned off
  const own = { ...env, AWS_MFA_NO_CODE_CACHE: undefined };
  const intended = codeCacheDir(own);
  if (!intended) throw configError(t(process.platform === 'win32' ? 'addon.noBaseWindows' : 'addon.noBase', { what }));
  const dir = join(intended, 'addons');
  const base = cacheDir(own);
  // chmod fixes a folder of the user's own that others may enter; a folder of another user, or one
  // below folders others can change (a shared XDG_CACHE_HOME), cannot be fixed by its mode
  let chmodFixes = false;
  try {
    if (base) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const st = lstatSync(dir);
      if (process.platform === 'win32') {
        if (st.isDirectory() && !st.isSymbolicLink()) return dir;
      } else {
        const uid = process.getuid!();
        const ours = st.isDirectory() && st.uid === uid && !changeableByOthers(dir, uid, true);
        if (ours && (st.mode & 0o077) === 0) return dir;
        chmodFixes = ours;
      }
    }
  } catch {
    /* named below */
  }
  if (process.platform !== 'win32' && !chmodFixes) throw configError(t('addon.sharedFolder', { what, dir }));
  throw configError(t('addon.noFolder', { what, dir }));
}

/** `bytes` written at `file` (io/exclusive-write.ts), or the refusal that says why not. */
function writeOnce(file: string, bytes: Uint8Array, addon: Addon): void {
  try {
    writeExclusive(file, bytes, randomBytes(8).toString('hex'));
  } catch (e) {
    throw configError(
      t('addon.loadFailed', { what: t(addon.what), path: file, detail: oneLine((e as Error)?.message ?? String(e)) }),
    );
  }
}

/**
 * The unpacked add-on at `file`, loaded only if it is the user's own regular file holding exactly the bytes of
 * `digest`.
 */
function loadVerified<T>(file: string, digest: string, addon: Addon): T {
  const windows = process.platform === 'win32';
  const remove = windows ? `del "${file}"` : `rm -f "${file}"`;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (windows ? 0 : constants.O_NOFOLLOW));
  } catch {
    throw configError(t('addon.tampered', { what: t(addon.what), path: file, remove }));
  }
  try {
    const st = fstatSync(fd);
    const mine = windows || (st.uid === process.getuid!() && (st.mode & 0o077) === 0);
    if (!st.isFile() || !mine || sha256(readFileSync(fd)) !== digest) {
      throw configError(t('addon.tampered', { what: t(addon.what), path: file, remove }));
    }
    // Linux: the very file just checked, through its descriptor
    const viaFd = `/proc/self/fd/${fd}`;
    return dlopen<T>(process.platform === 'linux' && existsSync(viaFd) ? viaFd : file, file, addon);
  } finally {
    closeSync(fd);
  }
}

/** In a single executable: an add-on from its asset, unpacked and verified as the file's opening comment says. */
export function addonFromSea<T>(addon: Addon, env: NodeJS.ProcessEnv): T {
  const sea = process.getBuiltinModule('node:sea') as typeof import('node:sea');
  let bytes: Uint8Array;
  let expected: unknown;
  try {
    bytes = new Uint8Array(sea.getAsset(addon.asset));
    expected = (JSON.parse(sea.getAsset(DIGESTS_ASSET, 'utf8')) as Record<string, unknown>)[addon.asset];
  } catch (e) {
    throw damaged(`${addon.asset}: ${oneLine((e as Error)?.message ?? String(e))}`);
  }
  const digest = sha256(bytes);
  if (digest !== expected) throw damaged(`${addon.asset}: sha256 ${digest}, built with ${String(expected)}`);
  const file = join(addonFolder(env, addon), `${addon.asset.replace(/\.node$/, '')}-${digest}.node`);
  if (!lstatSync(file, { throwIfNoEntry: false })) writeOnce(file, bytes, addon);
  return loadVerified<T>(file, digest, addon);
}

/** In a single executable: the keyring add-on from its asset. */
export const keyringFromSea = (env: NodeJS.ProcessEnv): Keyring => addonFromSea<Keyring>(KEYRING, env);
