/**
 * Which large shared files were last found clean (no syntax error, no header twice, every header
 * in its plain form), so that the cached path reads a 10,000-profile file without checking all of
 * it on every run: the whole check runs once after each change to the file, not on every start.
 *
 * A file is known by its device, inode, size, and modification and change times in nanoseconds.
 * Any write to a file sets its change time, which only the kernel sets. A file is noted only when
 * its last change is over NOTE_AGE_MS old (so a second write in the same clock tick cannot go
 * unseen); a file changed while it was being read has a fresh change time, so it is neither
 * trusted nor noted. The notes live in the user's own cache folder, under the code cache's
 * rules (owned by the user, not writable by others; AWS_MFA_NO_CODE_CACHE=1 turns both off).
 * Small files are always checked in full: that costs less than looking here.
 *
 * A note also says where the sections read from the file are (byte ranges, ASCII files only): the
 * next run that wants the same profiles from the same file reads those bytes alone, through one
 * descriptor whose identity is checked before and after the read, and uses them only when they
 * prove to be the whole sections of those names (store.ts). A note is never more than a hint.
 *
 * The notes file is read only when it is the user's own regular file, mode 0600 (Unix), in the
 * checked cache folder; the identity noted is the fstat of the descriptor the file was read through.
 */
import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { writeSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';

/** Files smaller than this are checked in full on every read. */
export const NOTED_FROM_BYTES = 64 * 1024;
export const NOTE_AGE_MS = 3000;
const FILE = 'clean-files';
const KEEP = 16;

export interface FileIdentity {
  key: string;
  changedMs: number;
}

const identity = (st: BigIntStats): FileIdentity => ({
  key: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
  changedMs: Number(st.ctimeNs / 1_000_000n),
});

/** The identity of the file at `target` now, or undefined if it cannot be had (tests; readers use identityOfOpen). */
export function identityOf(target: string): FileIdentity | undefined {
  try {
    return identity(statSync(target, { bigint: true }));
  } catch {
    return undefined;
  }
}

/** The identity of the file open at `fd` (what is read through it is that file). */
export function identityOfOpen(fd: number): FileIdentity {
  return identity(fstatSync(fd, { bigint: true }));
}

/**
 * Where the sections of a noted file are: for each profile name read from it, the byte ranges
 * (start, end) of its sections in file order; an empty list when it has none. Only ASCII files get
 * them (a character is then a byte).
 */
export type SectionPlaces = Map<string, Array<[number, number]>>;

/** One line per file: its identity, then a tab and `name=start-end,start-end` for each name read. */
interface Note {
  key: string;
  places: SectionPlaces;
}

function parseLine(line: string): Note {
  const [key, ...fields] = line.split('\t');
  const places: SectionPlaces = new Map();
  for (const f of fields) {
    const eq = f.lastIndexOf('=');
    const ranges = f
      .slice(eq + 1)
      .split(',')
      .filter(Boolean)
      .map((r) => /^(\d{1,15})-(\d{1,15})$/.exec(r));
    if (eq > 0 && ranges.every((m) => m && Number(m[2]) > Number(m[1]))) {
      places.set(
        decodeURIComponent(f.slice(0, eq)),
        ranges.map((m) => [Number(m![1]), Number(m![2])]),
      );
    }
  }
  return { key: key!, places };
}

const formatLine = ({ key, places }: Note) =>
  [
    key,
    ...[...places].map(
      ([name, ranges]) => `${encodeURIComponent(name)}=${ranges.map(([a, b]) => `${a}-${b}`).join(',')}`,
    ),
  ].join('\t');

// O_NOFOLLOW: a link planted in place of the notes file is not followed (neither exists on Windows)
const NOTES_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Whether the open notes file may be believed: a regular file, on Unix the user's own and 0600. */
function trustedNotes(st: { isFile(): boolean; uid: number; mode: number }, uid = process.getuid?.()): boolean {
  if (!st.isFile()) return false;
  return uid === undefined || process.platform === 'win32' || (st.uid === uid && (st.mode & 0o777) === 0o600);
}

function noted(dir: string): Note[] {
  let fd: number;
  try {
    fd = openSync(join(dir, FILE), NOTES_FLAGS);
  } catch {
    return [];
  }
  try {
    if (!trustedNotes(fstatSync(fd))) return [];
    // ASCII lines; 'utf8' is Node's fast path (straight to C++)
    return readFileSync(fd, 'utf8').split('\n').filter(Boolean).map(parseLine);
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}

/** The note of this very file (same identity) if it was found clean before, else undefined. */
function noteOf(id: FileIdentity, env: NodeJS.ProcessEnv): Note | undefined {
  const dir = cacheDir(env, false);
  return dir === undefined ? undefined : noted(dir).find((n) => n.key === id.key);
}

/** Whether this very file (same identity) was found clean before. */
export function knownClean(id: FileIdentity, env: NodeJS.ProcessEnv): boolean {
  return noteOf(id, env) !== undefined;
}

/** A noted section: its byte range (start, end) and the name it was noted under. */
export type NotedPlace = [start: number, end: number, name: string];

/**
 * The byte ranges of the sections of `names` in this very file, in file order, when it was found
 * clean before and every one of those names was read from it then; else undefined. Only a hint:
 * the reader checks that the bytes are those sections.
 */
export function notedPlaces(
  id: FileIdentity,
  names: readonly string[],
  env: NodeJS.ProcessEnv,
): NotedPlace[] | undefined {
  const note = noteOf(id, env);
  return note && placesOf(note.places, names);
}

/**
 * The ranges of all of `names` in file order, each once, with the name each was noted under;
 * undefined when one of them is not there, when one is noted as absent (no range: an absence
 * cannot be checked against the bytes, so only a whole read may say a section is not there), or
 * when one range is noted under two names (a section has one header).
 */
export function placesOf(places: SectionPlaces, names: readonly string[]): NotedPlace[] | undefined {
  if (!names.every((n) => places.get(n)?.length)) return undefined;
  const byStart = new Map<number, NotedPlace>();
  for (const n of names) {
    for (const [a, b] of places.get(n)!) {
      const seen = byStart.get(a);
      if (seen && (seen[1] !== b || seen[2] !== n)) return undefined;
      byStart.set(a, [a, b, n]);
    }
  }
  return [...byStart.values()].sort((x, y) => x[0] - y[0]);
}

/**
 * Remember that the file was found clean, with where the sections just read are (added to what
 * an earlier note of the same file holds); quietly does nothing when it cannot (a cache is optional).
 */
export function noteClean(
  id: FileIdentity,
  env: NodeJS.ProcessEnv,
  now = Date.now(),
  places: SectionPlaces = new Map(),
): void {
  if (now - id.changedMs < NOTE_AGE_MS) return;
  const dir = cacheDir(env);
  if (!dir) return;
  const file = join(dir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const notes = noted(dir);
    const earlier = notes.find((n) => n.key === id.key);
    const note = { key: id.key, places: new Map([...(earlier?.places ?? []), ...places]) };
    const lines = [note, ...notes.filter((n) => n.key !== id.key)].slice(0, KEEP).map(formatLine);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      if (process.platform !== 'win32') fchmodSync(fd, 0o600); // whatever the umask: notes are read only when 0600
      writeSync(fd, `${lines.join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch {
    /* a cache is optional */
  }
}
