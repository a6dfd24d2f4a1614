/**
 * The checks that keep a file aws-mfa opens from being turned against the user:
 * - `readRegular` opens once and looks at what it opened: a FIFO, a device, a directory or a
 *   socket is refused before a byte is read (O_NONBLOCK, so a FIFO cannot even hang the open),
 *   and a file over 64 MiB is refused rather than read into memory;
 * - `changeableByOthers` walks a path from / down, as OpenSSH's safe_path does, and names the
 *   first place another user could change (a folder they own or can write, a link they own).
 * Errors carry codes and facts, not text: the callers word them from the message catalog, so the
 * write chunk that also uses this module does not carry the catalog.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  statSync,
  type Stats,
} from 'node:fs';
import { resolve, sep } from 'node:path';

/** Far above any real credentials or config file (the 10,000-profile benchmark file is 1.3 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** What a path is when it is not a regular file. */
export type NotFileKind = 'fifo' | 'directory' | 'characterDevice' | 'blockDevice' | 'socket' | 'other';

export function notFileKind(st: Stats): NotFileKind | undefined {
  if (st.isFile()) return undefined;
  if (st.isFIFO()) return 'fifo';
  if (st.isDirectory()) return 'directory';
  if (st.isCharacterDevice()) return 'characterDevice';
  if (st.isBlockDevice()) return 'blockDevice';
  if (st.isSocket()) return 'socket';
  return 'other';
}

/** code ENOTREG: `kind` says what it is; code EFBIG: `size` is its size in bytes (at least). */
export interface RefusedFile extends Error {
  code: 'ENOTREG' | 'EFBIG';
  kind?: NotFileKind;
  size?: number;
}

const notRegular = (path: string, kind: NotFileKind): RefusedFile =>
  Object.assign(new Error(`${path} is not a regular file (${kind})`), { code: 'ENOTREG' as const, kind });
const tooLarge = (path: string, size: number): RefusedFile =>
  Object.assign(new Error(`${path} is larger than ${MAX_FILE_BYTES} bytes`), { code: 'EFBIG' as const, size });

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
// O_NOFOLLOW: the path is the end of an already followed link chain; a link appearing there now
// was swapped in, and is refused (ELOOP). Neither exists on Windows, where neither is needed.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * The bytes of the regular file at `path` and its stat, read through one descriptor (what is
 * checked is what is read: no check-then-open race); undefined when nothing is there. `part`, once
 * the file is checked, may read only some of it through the same descriptor (`partial` then).
 * `whole`, after the whole file was read, is given the descriptor it was read through.
 */
export function readRegular(
  path: string,
  cap = MAX_FILE_BYTES,
  part?: (fd: number, stat: Stats) => Buffer | undefined,
  whole?: (fd: number, length: number) => void,
): { buf: Buffer; stat: Stats; partial?: true } | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // a socket cannot be opened (ENXIO), a directory cannot on Windows (EISDIR): name what it is
    let kind: NotFileKind | undefined;
    try {
      kind = notFileKind(statSync(path));
    } catch {
      /* the open's own error says it */
    }
    if (kind) throw notRegular(path, kind);
    throw e;
  }
  try {
    const stat = fstatSync(fd);
    const kind = notFileKind(stat);
    if (kind) throw notRegular(path, kind);
    if (stat.size > cap) throw tooLarge(path, stat.size);
    const some = part?.(fd, stat);
    if (some) return { buf: some, stat, partial: true };
    // read to the end, but never more than cap + 1 bytes (a file may grow while it is read)
    let buf = Buffer.allocUnsafe(Math.min(cap + 1, stat.size + 1));
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > cap) throw tooLarge(path, length);
        const bigger = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(2 * length, 8192)));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    whole?.(fd, length);
    return { buf: buf.subarray(0, length), stat };
  } finally {
    closeSync(fd);
  }
}

/** A place on a path that another user could change, and why. */
export interface Changeable {
  path: string;
  /** owner: owned by another user (not root); writable: group or others may write it; loop: too many links. */
  why: 'owner' | 'writable' | 'notFolder' | 'loop';
  uid: number;
  mode: number;
}

/** Root's folders are trusted; a folder others may write is safe only when root owns it and it is sticky (/tmp). */
export function folderProblem(st: Stats, uid: number): Changeable['why'] | undefined {
  if (!st.isDirectory()) return 'notFolder';
  if (st.uid !== uid && st.uid !== 0) return 'owner';
  if ((st.mode & 0o022) !== 0 && !(st.uid === 0 && (st.mode & 0o1000) !== 0)) return 'writable';
  return undefined;
}

/**
 * The first place on `path` (absolute) that someone other than `uid` or root could change, from /
 * down: a folder owned by another user or writable by group or others (unless root-owned and
 * sticky), a symbolic link owned by another user (links are followed, and their targets walked the
 * same way), or, at the end, a file owned by another user or writable by group or others. A path
 * that does not exist (yet) is checked as far as it goes: what is missing cannot have been planted.
 * Unix only: callers skip it on Windows, whose permissions are ACLs, not owners and mode bits.
 */
export function changeableByOthers(path: string, uid: number, expectFolder = false, depth = 0): Changeable | undefined {
  const parts = resolve(path).split(sep).filter(Boolean);
  const problem = (p: string, st: Stats, why: Changeable['why']): Changeable => ({
    path: p,
    why,
    uid: st.uid,
    mode: st.mode & 0o7777,
  });
  let current: string = sep;
  const root = lstatSync(current);
  const rootWhy = folderProblem(root, uid);
  if (rootWhy) return problem(current, root, rootWhy);
  for (let i = 0; i < parts.length; i++) {
    const next = current === sep ? `${sep}${parts[i]}` : `${current}${sep}${parts[i]}`;
    let st: Stats;
    try {
      st = lstatSync(next);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const last = i === parts.length - 1;
    if (st.isSymbolicLink()) {
      if (st.uid !== uid && st.uid !== 0) return problem(next, st, 'owner');
      if (depth >= 40) return problem(next, st, 'loop');
      // the link's folder was checked above, so only the user or root could have made it
      return changeableByOthers(
        resolve(current, readlinkSync(next), ...parts.slice(i + 1)),
        uid,
        expectFolder,
        depth + 1,
      );
    }
    if (!last || expectFolder) {
      const why = folderProblem(st, uid);
      if (why) return problem(next, st, why);
    } else if (st.uid !== uid && st.uid !== 0) return problem(next, st, 'owner');
    else if ((st.mode & 0o022) !== 0) return problem(next, st, 'writable');
    current = next;
  }
  return undefined;
}

/**
 * Whether two paths are one file now: the same path, or the same volume and file id (through a link,
 * a hard link; on Windows a mapped drive and its UNC path). The keychain's owner check and --qr-png's
 * refusal of the files aws-mfa reads.
 */
export function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  const stat = (p: string) => statSync(p, { bigint: true, throwIfNoEntry: false });
  const [x, y] = [stat(a), stat(b)];
  return Boolean(x && y && x.ino !== 0n && x.dev === y.dev && x.ino === y.ino);
}
