/**
 * Loading a bundle chunk (dist/sts.cjs and the SDK core it requires, dist/aws-core.cjs, say) with a
 * V8 code cache, so a refresh does not compile a third of a megabyte of SDK on every run. Each chunk
 * is evaluated once per process, however many chunks require it. Node 22 has module.enableCompileCache(); Node 20
 * does not, and the library that fills the gap (v8-compile-cache) keeps its cache in a shared
 * temporary folder that another local user could plant code in. So this is a small loader of our
 * own: the cache lives in the user's own cache folder (0700, owned by the user, not writable by
 * others, or it is not used), each file 0600, keyed by a hash of the chunk's source, the Node
 * version and the architecture. Any problem falls back to a plain require. Set AWS_MFA_NO_CODE_CACHE=1
 * to turn it off.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire, Module } from 'node:module';

/** The user's own cache folder, if it is safe to use (also for scan-notes.ts); `create`: make it if missing. */
export function cacheDir(env: NodeJS.ProcessEnv, create = true): string | undefined {
  if (env.AWS_MFA_NO_CODE_CACHE === '1' || typeof process.getuid !== 'function') return undefined;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  const dir = join(base, 'aws-mfa');
  try {
    if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

const loaded = new Map<string, unknown>();

export function requireChunk<T>(file: string, env: NodeJS.ProcessEnv = process.env): T {
  if (loaded.has(file)) return loaded.get(file) as T;
  const dir = cacheDir(env);
  process.emit('aws-mfa:chunk' as never, file as never);
  const req = createRequire(file);
  if (!dir) return req(file) as T;
  // a chunk's require of a sibling chunk (sts.cjs and iam.cjs of aws-core.cjs) goes through the code cache too
  const chunkRequire = Object.assign((id: string) => (/^\.\/[\w-]+\.cjs$/.test(id) ? requireChunk(join(dirname(file), id), env) : req(id)), req);
  // required here, not at the top: the cached path never loads a chunk and should not pay for these
  const { createHash } = req('node:crypto') as typeof import('node:crypto');
  const { Script } = req('node:vm') as typeof import('node:vm');
  try {
    const source = readFileSync(file, 'utf8');
    const key = createHash('sha256').update(process.version).update(process.arch).update(source).digest('hex').slice(0, 24);
    const cacheFile = join(dir, `${key}.v8`);
    let cachedData: Buffer | undefined;
    try {
      const st = lstatSync(cacheFile);
      if (st.isFile() && st.uid === process.getuid!() && (st.mode & 0o022) === 0) cachedData = readFileSync(cacheFile);
    } catch {
      /* no cache yet */
    }
    const script = new Script(Module.wrap(source), { filename: file, cachedData });
    const mod = { exports: {} as T };
    script.runInThisContext()(mod.exports, chunkRequire, mod, file, dirname(file));
    loaded.set(file, mod.exports);
    if (!cachedData || script.cachedDataRejected) {
      // written at exit, so the functions this run compiled (the request path) are in it too
      process.once('exit', () => {
        try {
          const tmp = `${cacheFile}.${process.pid}.tmp`;
          const fd = openSync(tmp, 'wx', 0o600);
          try {
            writeSync(fd, script.createCachedData());
          } finally {
            closeSync(fd);
          }
          renameSync(tmp, cacheFile);
        } catch {
          /* a cache is optional */
        }
      });
    }
    return mod.exports;
  } catch {
    const plain = req(file) as T;
    loaded.set(file, plain);
    return plain;
  }
}

declare const __BUNDLED__: boolean | undefined;
declare const __dirname: string;

/**
 * A loader for one chunk, run once: in the bundle the file next to the entry, through the code
 * cache (a plain require, not import(): that would start Node's ES module loader); from source
 * (tests through tsx), the module itself.
 */
export function lazyChunk<T>(file: string, load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= typeof __BUNDLED__ !== 'undefined' && __BUNDLED__ ? Promise.resolve().then(() => requireChunk<T>(`${__dirname}/${file}`)) : load());
}

/** The QR code chunk (device commands only). */
export const loadQr = lazyChunk<typeof import('./qr.js')>('qr.cjs', () => import('./qr.js'));
