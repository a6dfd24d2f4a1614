/**
 * The code cache's hit: what nearly every start does, kept small because the entry carries it and
 * Node compiles the entry from source on every start (src/boot.ts). It handles only the plain case:
 * - Unix, not a single executable (inSea());
 * - a cache folder reached from / without a symbolic link, every folder on the way passing the
 *   same rule as the full check (folderProblem: the user's or root's, not writable by group or
 *   others unless root's and sticky);
 * - the chunk and its cache file regular files, read through the descriptor that was checked; the
 *   cache file the user's own and 0600;
 * - V8 accepting the data.
 * For anything else it returns undefined, having run nothing, and the caller takes the full loader
 * (chunk.ts), which handles links on the way, Windows, single executables, a miss, and the write.
 * It is never more permissive than the full loader: it says yes only where that one would read the
 * same file (test/unit/chunk-hit.test.ts). Its gain is the code cache's (chunk.ts).
 */
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { win32 } from 'node:path';
import { folderProblem, MAX_FILE_BYTES } from '../io/file-checks.js';
import { osHome } from '../io/os-user.js';

/** Where the code cache would live, or undefined for none (a pure function of env and platform). */
export function codeCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home = osHome,
): string | undefined {
  if (env.AWS_MFA_NO_CODE_CACHE === '1') return undefined;
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA;
    return base && /^[A-Za-z]:[\\/]/.test(base) ? win32.join(base, 'aws-mfa', 'cache') : undefined;
  }
  // joined by hand (node:path's join costs the entry a start ~0.3%); a path that is not plain
  // (`//`, `.`, `..` inside) is still the same folder, and only the full loader takes it
  const under = (base: string, rest: string) => {
    let end = base.length;
    while (end > 0 && base[end - 1] === '/') end--;
    return `${base.slice(0, end)}/${rest}`;
  };
  const xdg = env.XDG_CACHE_HOME;
  if (xdg?.startsWith('/')) return under(xdg, 'aws-mfa');
  const h = env.HOME || home();
  return h?.startsWith('/') ? under(h, '.cache/aws-mfa') : undefined;
}

const SEA = Symbol.for('aws-mfa.sea');
/**
 * Whether this process is a single executable (npm run package): its main script (dist/sea/main.cjs,
 * which only a single executable runs) says so at its start (markSea). Known from what the program
 * is, not from how argv spells its path (argv[1] is argv[0] as typed: `aws-mfa`, `./aws-mfa`, a
 * link), and without loading node:sea, which would cost every npm start ~7%. On globalThis, because
 * every chunk carries its own copy of this module.
 */
export const inSea = (): boolean => (globalThis as { [SEA]?: boolean })[SEA] === true;
export const markSea = (): void => void ((globalThis as { [SEA]?: boolean })[SEA] = true);

const LOADER_ENV = Symbol.for('aws-mfa.loader-env');
/**
 * The environment the code loaders go by (the code cache's folder here and in chunk.ts, the
 * add-on's folder in addon.ts), handed in once by the entry (src/boot.ts), the only reader of
 * process.env. On globalThis, as inSea: every chunk carries its own copy of the loaders, and a
 * lazy load is asked for in many places that have no Context at hand. Nothing else reads it.
 */
export const useLoaderEnv = (env: NodeJS.ProcessEnv): void => void ((globalThis as LoaderEnvSlot)[LOADER_ENV] = env);
/** What useLoaderEnv was given; none (a test from source) is an empty environment. */
export const loaderEnv = (): NodeJS.ProcessEnv => (globalThis as LoaderEnvSlot)[LOADER_ENV] ?? {};
type LoaderEnvSlot = { [LOADER_ENV]?: NodeJS.ProcessEnv };

/** A CommonJS module's text as the function Node runs it in (what Module.wrap gives). */
export const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/**
 * The cache file's name: the Node version, the architecture, the chunk and which file it is (its
 * size and its change time, which the kernel sets on every write, so a reinstall or an upgrade
 * gets a new entry; npm gives every file of a package the same modification time). Not a hash of
 * the content: loading node:crypto for one would cost more than the cache saves. The cache
 * folder's checks are what keep others' data out; V8 itself rejects data for another V8 or other flags.
 */
export function cacheKey(name: string, source: string, st: Stats | undefined): string {
  let id = `${process.version} ${process.arch} ${name} ${source.length}`;
  if (st) id += ` ${st.size} ${st.ctimeMs} ${st.mtimeMs}`;
  // FNV-1a, 64 bits, in two 32-bit halves: a name, not a guard
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** Whether every folder from / to `dir` passes folderProblem, reached without a link (a link: false). */
export function plainSafeFolder(dir: string, uid: number): boolean {
  const parts = dir.split('/');
  if (parts[0] !== '') return false;
  let path = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i > 0 && (part === '' || part === '.' || part === '..')) return false;
    path = i === 0 ? '/' : i === 1 ? `/${part}` : `${path}/${part}`;
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st || folderProblem(st, uid)) return false;
  }
  return true;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * The bytes of the regular file at `path` (no link at its end) and its stat, read through the
 * descriptor that was checked; with `uid`, only a file of that user's that no one else may read or
 * write. Undefined for anything else, or a file that changed size while it was read.
 */
export function readPlainFile(path: string, uid?: number): { buf: Buffer; stat: Stats } | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
    const buf = Buffer.allocUnsafe(stat.size + 1);
    return readSync(fd, buf, 0, buf.length, null) === stat.size ? { buf: buf.subarray(0, stat.size), stat } : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The chunk at `file` (absolute), evaluated from its cached code, or undefined (nothing was run)
 * when this is not the plain case described above. `require` is the chunk's require.
 */
export function cachedChunk<T>(file: string, require: NodeJS.Require, env: NodeJS.ProcessEnv): T | undefined {
  if (process.platform === 'win32' || inSea()) return undefined;
  try {
    const dir = codeCacheDir(env);
    const uid = process.getuid!();
    if (!dir || !plainSafeFolder(dir, uid)) return undefined;
    const own = readPlainFile(file);
    if (!own) return undefined;
    // the chunks are ASCII (esbuild escapes the rest)
    const source = own.buf.toString(isAscii(own.buf) ? 'latin1' : 'utf8');
    const slash = file.lastIndexOf('/');
    const name = file.slice(slash + 1);
    const cachedData = readPlainFile(`${dir}/${name.slice(0, -4)}.${cacheKey(name, source, own.stat)}.v8`, uid)?.buf;
    if (!cachedData) return undefined;
    const { Script } = process.getBuiltinModule('node:vm') as typeof import('node:vm');
    const script = new Script(wrap(source), { filename: file, cachedData });
    if (script.cachedDataRejected) return undefined;
    process.emit('aws-mfa:chunk' as never, file as never);
    const mod = { exports: {} as T };
    script.runInThisContext()(mod.exports, require, mod, file, file.slice(0, slash));
    return mod.exports;
  } catch {
    return undefined;
  }
}
