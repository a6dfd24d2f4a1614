/**
 * Loading a bundle chunk (dist/sts.cjs, a command, ...) with a V8 code cache, so a refresh does not
 * compile half a megabyte of SDK on every run. Node 22 has module.enableCompileCache(); Node 20
 * does not, and the library that fills the gap (v8-compile-cache) keeps its cache in a shared
 * temporary folder that another local user could plant code in. So this is a small loader of our
 * own. V8 accepts cached data made from a *different* source of the same length, so where the
 * cache lives is the only guard, and it is strict:
 * - Unix: $XDG_CACHE_HOME/aws-mfa (only an absolute XDG_CACHE_HOME counts, as the XDG spec says),
 *   else ~/.cache/aws-mfa. Every folder from / down must be the user's or root's and not writable
 *   by group or others (unless root's and sticky, as /tmp), each file the user's and 0600.
 * - Windows: %LOCALAPPDATA%\aws-mfa\cache. Node sees no owners there (uid 0) and mode bits that
 *   do not reflect the ACLs, so no owner check is possible without native code; the per-user
 *   LOCALAPPDATA is created by Windows with an ACL for the user, SYSTEM and Administrators only,
 *   the equivalent of 0700. So the cache is used only under a LOCALAPPDATA on a local drive
 *   (C:\..., not a network share), through real folders (no link or junction on our part).
 * If any check fails, no file there is read or written. Keyed by a hash of the chunk's source,
 * the Node version and the architecture. Any problem falls back to a plain require. The hit, the
 * path nearly every start takes, is chunk-hit.ts: the entry carries only that, and comes here for
 * anything else. Set
 * AWS_MFA_NO_CODE_CACHE=1 to turn it off. Chunks are compiled as scripts, which cannot use a
 * dynamic import() of a package or a built-in: chunk code imports those statically
 * (test/e2e/bundle.test.ts checks).
 *
 * Measured (issue 24; exact instructions, node --predictable under callgrind, the cached check of a
 * 2-profile file, 103.6 M with every trick):
 * with AWS_MFA_NO_CODE_CACHE=1 120.8 M: the code cache saves 17.2 M, 17%.
 */
import { lstatSync, readdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { writeExclusive } from '../io/exclusive-write.js';
import { cacheKey, cachedChunk, inSea, loaderEnv, wrap } from './chunk-hit.js';
import { cacheDir } from '../io/cache-dir.js';
import { basename, dirname, join } from 'node:path';
import { readRegular } from '../io/file-checks.js';
import type { ChunkFile } from './chunk-names.js';

/** The cache file's bytes if it is a regular file of the user's that no one else may write. */
function readCache(cacheFile: string): Buffer | undefined {
  try {
    const r = readRegular(cacheFile);
    if (!r) return undefined;
    if (process.platform !== 'win32' && (r.stat.uid !== process.getuid!() || (r.stat.mode & 0o077) !== 0))
      return undefined;
    return r.buf;
  } catch {
    return undefined;
  }
}

/**
 * In a single executable (npm run package) the chunks are not files beside the entry but SEA
 * assets named by their file name: a loader that runs the asset's text as a CommonJS module (what
 * require does with a file), or undefined when this is no single executable.
 */
function seaChunk<T>(file: string): { source: string; load: (require: NodeJS.Require) => T } | undefined {
  // only a single executable's main script marks it (chunk-hit.ts inSea): node:sea costs a start ~7%
  if (!inSea()) return undefined;
  const sea = process.getBuiltinModule('node:sea') as typeof import('node:sea');
  let source: string;
  try {
    source = sea.getAsset(basename(file), 'utf8');
  } catch (e) {
    throw damaged(basename(file), e);
  }
  return {
    source,
    load: (require) => {
      const { Script } = process.getBuiltinModule('node:vm') as typeof import('node:vm');
      const mod = { exports: {} as T };
      let run: (...args: unknown[]) => void;
      try {
        run = new Script(wrap(source), { filename: file }).runInThisContext() as typeof run;
      } catch (e) {
        throw damaged(basename(file), e);
      }
      run(mod.exports, require, mod, file, dirname(file));
      return mod.exports;
    },
  };
}

/**
 * A chunk that is missing from the single executable or does not compile: the executable is
 * damaged. An error the main script's last-resort handler (src/io/sea-main.ts) words as one line.
 */
function damaged(asset: string, cause: unknown): Error {
  return Object.assign(new Error(`${asset}: ${(cause as Error)?.message ?? String(cause)}`), {
    code: 'AWS_MFA_SEA_DAMAGED',
  });
}

/** The cache files of earlier versions of the same chunk go (only our own regular files, never a link). */
function pruneOlder(dir: string, name: string, keep: string): void {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (p === keep || !f.startsWith(`${name}.`) || !/^[\w-]+\.[0-9a-f]{16}\.v8$/.test(f)) continue;
    try {
      if (lstatSync(p).isFile()) unlinkSync(p);
    } catch {
      /* gone already */
    }
  }
}

/** The single executable's own identity (its chunks are inside it), if it can be read. */
function execStat(): Stats | undefined {
  try {
    return statSync(process.execPath);
  } catch {
    return undefined;
  }
}

/** Each chunk is evaluated once per process, however many chunks require it (aws-core.cjs). */
const loaded = new Map<string, unknown>();

export function requireChunk<T>(file: string, env: NodeJS.ProcessEnv): T {
  if (loaded.has(file)) return loaded.get(file) as T;
  const exports = loadChunk<T>(file, env);
  loaded.set(file, exports);
  return exports;
}

/**
 * The require a chunk gets: a built-in straight from Node; a sibling chunk (sts.cjs and iam.cjs
 * require aws-core.cjs) back through requireChunk (the code cache, the SEA assets, evaluated once);
 * anything else (a native addon) as require() from the chunk's file would find it. node:module is
 * loaded only then: it costs a start ~1% for nothing otherwise.
 */
export function chunkRequire(file: string, env: NodeJS.ProcessEnv): NodeJS.Require {
  let fileRequire: NodeJS.Require | undefined;
  return ((id: string) =>
    /^\.\/[\w-]+\.cjs$/.test(id)
      ? requireChunk(join(dirname(file), id), env)
      : (process.getBuiltinModule(id) ?? (fileRequire ??= moduleRequire(file))(id))) as NodeJS.Require;
}

/**
 * require() as from the chunk's file. Never in a single executable: there nothing may be resolved
 * through a node_modules folder beside or above the executable (its add-ons are assets, io/addon.ts).
 */
function moduleRequire(file: string): NodeJS.Require {
  if (inSea()) {
    return ((id: string) => {
      throw damaged(id, 'not in the executable');
    }) as unknown as NodeJS.Require;
  }
  return (process.getBuiltinModule('node:module') as typeof import('node:module')).createRequire(file);
}

function loadChunk<T>(file: string, env: NodeJS.ProcessEnv): T {
  const req = chunkRequire(file, env);
  // the plain case (Unix, a cache folder without links on the way, the cache there): chunk-hit.ts
  const hit = cachedChunk<T>(file, req, env);
  if (hit !== undefined) return hit;
  const dir = cacheDir(env);
  process.emit('aws-mfa:chunk' as never, file as never);
  const sea = seaChunk<T>(file);
  if (!dir) return sea ? sea.load(req) : (req(file) as T);
  // required here, not at the top: paths that load no chunk should not pay for it
  const { Script } = req('node:vm') as typeof import('node:vm');
  try {
    // the chunk read as the cache is (readRegular: no link, no FIFO), its identity from the same open
    const own = sea ? undefined : readRegular(file);
    if (!sea && !own) throw new Error(`${file} is missing`);
    const source = sea?.source ?? own!.buf.toString('utf8');
    const name = basename(file, '.cjs');
    const cacheFile = join(dir, `${name}.${cacheKey(basename(file), source, sea ? execStat() : own!.stat)}.v8`);
    const cachedData = readCache(cacheFile);
    const script = new Script(wrap(source), { filename: file, cachedData });
    const mod = { exports: {} as T };
    script.runInThisContext()(mod.exports, req, mod, file, dirname(file));
    if (!cachedData || script.cachedDataRejected) {
      // written at exit, so the functions this run compiled (the request path) are in it too
      atExit(() => {
        // a random name created exclusively: nothing planted under it is followed or reused
        const { randomBytes } = req('node:crypto') as typeof import('node:crypto');
        try {
          writeExclusive(cacheFile, script.createCachedData(), randomBytes(8).toString('hex'));
          pruneOlder(dir, name, cacheFile);
        } catch {
          // a cache is optional (writeExclusive removed what this run created)
        }
      });
    }
    return mod.exports;
  } catch {
    return sea ? sea.load(req) : (req(file) as T);
  }
}

const exitTasks: Array<() => void> = [];
/** One exit listener for every chunk's cache write (a listener each would trip Node's leak warning). */
function atExit(task: () => void): void {
  if (exitTasks.length === 0) process.once('exit', () => exitTasks.forEach((f) => f()));
  exitTasks.push(task);
}

declare const __BUNDLED__: boolean | undefined;
declare const __dirname: string;

/**
 * A loader for one chunk, run once: in the bundle the file next to the entry, through the code
 * cache (a plain require, not import(): that would start Node's ES module loader); from source
 * (tests through tsx), the module itself.
 */
export function lazyChunk<T>(file: ChunkFile, load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  const bundled = typeof __BUNDLED__ !== 'undefined' && __BUNDLED__;
  const fromBundle = () => requireChunk<T>(`${__dirname}/${file}`, loaderEnv());
  return () => (p ??= bundled ? Promise.resolve().then(fromBundle) : load());
}
