/**
 * The cache folder, shared by the code cache (start/chunk.ts) and the notes of clean files
 * (scan-notes.ts), under the rules start/chunk.ts describes: on Unix every folder from / down is the
 * user's or root's and not writable by others; on Windows a local LOCALAPPDATA reached through real
 * folders. A module of its own so that the fast path (dist/fast.cjs), which loads no chunk, has it
 * without the loader.
 */
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { dirname, win32 } from 'node:path';
import { codeCacheDir } from '../start/chunk-hit.js';
import { changeableByOthers } from './file-checks.js';

/** Windows: LOCALAPPDATA and our folders below it are real folders (lstat: no link, no junction). */
function windowsFoldersOk(base: string, dir: string): boolean {
  for (let p = dir; ; p = dirname(p)) {
    const st = lstatSync(p);
    if (!st.isDirectory() || st.isSymbolicLink()) return false;
    if (p === base || dirname(p) === p) return true;
  }
}

/**
 * The cache folder (the code cache's, and scan-notes.ts's) when every check passes, else undefined;
 * `create`: make it if missing.
 */
export function cacheDir(env: NodeJS.ProcessEnv, create = true): string | undefined {
  const dir = codeCacheDir(env);
  if (!dir) return undefined;
  try {
    if (process.platform === 'win32') {
      const base = win32.resolve(env.LOCALAPPDATA!);
      if (!windowsFoldersOk(base, base)) return undefined;
      if (create) mkdirSync(dir, { recursive: true });
      return windowsFoldersOk(base, dir) ? dir : undefined;
    }
    const uid = process.getuid!();
    // checked before anything is created there, and again after creating it
    if (changeableByOthers(dir, uid, true)) return undefined;
    if (!create || isFolder(dir)) return dir;
    makeFolders(dir);
    return changeableByOthers(dir, uid, true) ? undefined : dir;
  } catch {
    return undefined;
  }
}

/**
 * mkdir -p, 0700, one level at a time: Node's recursive mkdirSync never returns when mkdir answers
 * ENOENT under a folder that is there (anywhere in /proc), and XDG_CACHE_HOME may point there.
 */
function makeFolders(dir: string): void {
  // links followed, as mkdir -p does (changeableByOthers checked them)
  const there = () => statSync(dir, { throwIfNoEntry: false })?.isDirectory();
  if (there()) return;
  makeFolders(dirname(dir)); // ends at /, which is a folder
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if (!there()) throw e; // made meanwhile by another run: fine
  }
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
