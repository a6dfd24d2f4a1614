/**
 * Reading and updating the shared files: decoding, following symlinks (never another user's),
 * refusing what is not a regular file or is too large before reading it, turning parse failures
 * into errors that name the file and line, warning as ssh does about files others can read or
 * change, and handing every change to the locked atomic writer. Reads are synchronous and load
 * nothing heavy, so the cached path stays fast.
 */
import { isAscii } from 'node:buffer';
import { lstatSync, readSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IniDocument } from '../ini/document.js';
import type { FileKind } from '../ini/profiles.js';
import { firstIssue, isWholeSection, scanProfiles, sectionPlaces } from '../ini/scan.js';
import { writeProfile, removeProfile, profileFilter } from '../ini/write-profile.js';
import { configError, type CliError } from '../errors.js';
import { t } from '../messages/index.js';
import { lazyChunk } from '../start/chunk.js';
import { changeableByOthers, MAX_FILE_BYTES, readRegular, type Changeable, type RefusedFile } from './file-checks.js';
import { NOTED_FROM_BYTES, identityOfOpen, knownClean, notedPlaces, noteClean } from './scan-notes.js';
import type { FileIdentity } from './scan-notes.js';

const writer = lazyChunk<typeof import('./write.js')>('write.cjs', () => import('./write.js'));

export interface IniFile {
  path: string;
  /** The file the path finally points at (symlinks followed). */
  target: string;
  exists: boolean;
  doc: IniDocument;
}

/** A path as it can be pasted into a POSIX shell: quoted only when it needs to be. */
const shellPath = (p: string) => (/^[\w@%+=:,./~-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

/**
 * Follow a chain of symlinks (even a dangling one) to the path that is really read or written.
 * A link owned by another user (not root) is refused, for reading as for writing: it could point
 * a write of the user's keys anywhere, or a read at keys of the other user's choosing.
 */
export function resolveTarget(path: string): string {
  return followLinks(path).target;
}

/** resolveTarget, and whether the target was seen to be missing (then there is nothing to open). */
function followLinks(path: string): { target: string; missing: boolean } {
  let p = resolve(path);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  for (let i = 0; i < 40; i++) {
    let st;
    try {
      st = lstatSync(p, { throwIfNoEntry: false });
    } catch {
      return { target: p, missing: false }; // reading it will say what is wrong
    }
    if (!st) return { target: p, missing: true };
    if (!st.isSymbolicLink()) return { target: p, missing: false };
    if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
      throw configError(t('file.foreignSymlink', { path: shellPath(p), uid: st.uid }));
    }
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw configError(t('file.linkLoop', { path }));
}

/** The variable that names the file of this kind, for messages. */
const variableFor = (kind?: FileKind) =>
  kind === 'credentials'
    ? 'AWS_SHARED_CREDENTIALS_FILE'
    : kind === 'config'
      ? 'AWS_CONFIG_FILE'
      : 'AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE';

/**
 * The message for a failed read or write of `path`, or undefined for an error that is not about
 * the file (a bug, passed on as it is). Every file problem is exit 3.
 */
export function fileProblem(e: unknown, path: string, kind?: FileKind): CliError | undefined {
  const err = e as { code?: string; kind?: RefusedFile['kind']; size?: number; retriedMs?: number };
  const variable = variableFor(kind);
  switch (err.code) {
    case 'ENOTREG':
      return configError(t('file.notRegular', { path, what: t(`file.kind.${err.kind ?? 'other'}`), variable }));
    case 'EFBIG':
      return configError(t('file.tooLarge', { path, size: err.size ?? 0, limit: MAX_FILE_BYTES / 2 ** 20, variable }));
    case 'ELOOP':
      return configError(t('file.linkLoop', { path }));
    case 'EPERM':
    case 'EBUSY':
    case 'EACCES':
      if (err.retriedMs !== undefined)
        return configError(t('file.heldOpen', { path, seconds: Math.round(err.retriedMs / 1000), code: err.code }));
  }
  return undefined;
}

let decoder: TextDecoder | undefined;

/** UTF-8 text of the file; invalid bytes are an error naming the line (the SDKs cannot read them either). */
export function decode(buf: Uint8Array, path: string): string {
  // most files are pure ASCII, for which latin1 gives the same text without a UTF-8 decoder
  if (isAscii(buf)) return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(buf);
  } catch {
    let line = 1;
    for (let start = 0; start <= buf.length; line++) {
      let end = buf.indexOf(10, start);
      if (end === -1) end = buf.length;
      try {
        decoder.decode(buf.subarray(start, end));
      } catch {
        break;
      }
      start = end + 1;
    }
    throw configError(t('file.notUtf8', { path, line }));
  }
}

const syntaxMessage = (path: string, issue: { line: number; message: string }) =>
  t('file.syntax', { path, line: issue.line, message: issue.message });

export function parseOrThrow(text: string, path: string): IniDocument {
  const doc = IniDocument.parse(text);
  const issue = doc.issues[0];
  if (issue) {
    throw configError(syntaxMessage(path, issue));
  }
  return doc;
}

function readBytes(
  path: string,
  kind?: FileKind,
  part?: Parameters<typeof readRegular>[2],
  whole?: Parameters<typeof readRegular>[3],
): { target: string; buf?: Buffer; partial?: boolean } {
  const { target, missing } = followLinks(path);
  if (missing) return { target };
  try {
    const r = readRegular(target, MAX_FILE_BYTES, part, whole);
    return { target, buf: r?.buf, partial: r?.partial };
  } catch (e) {
    const problem = fileProblem(e, path, kind);
    if (problem) throw problem;
    throw configError(t('file.cannotRead', { path, code: (e as NodeJS.ErrnoException).code ?? (e as Error).message }));
  }
}

/** The whole file as a lossless document (for the paths that edit or list it). */
export function readIni(path: string, kind?: FileKind): IniFile {
  const { target, buf } = readBytes(path, kind);
  if (!buf) return { path, target, exists: false, doc: IniDocument.parse('') };
  return { path, target, exists: true, doc: parseOrThrow(decode(buf, path), path) };
}

export interface ProfilesRead {
  path: string;
  exists: boolean;
  /** Plain properties of the wanted profiles that exist. */
  profiles: Map<string, Map<string, string>>;
  /** What the AWS CLI reads differently, one line each, naming file and line. */
  warnings: string[];
  /** The identity of the bytes read (the descriptor's, after the read): whether the file changed since. */
  stamp?: FileStamp;
}

/** What says a file is still the one read (from the fstat its read already made: nothing extra to do). */
export interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * The read path: a few profiles' plain properties, by the SDKs' rules, without building a
 * document (fast on files with thousands of profiles). A syntax error anywhere is an error that
 * names the file and line, as the SDKs refuse such a file (in a large file: looked for once per
 * change of the file, see scan-notes.ts; `env` says where their notes are kept, cache-dir.ts).
 */
export function readProfiles(
  path: string,
  kind: FileKind,
  names: readonly string[],
  env: NodeJS.ProcessEnv,
): ProfilesRead {
  // noted places are the kind's (one file may be read as both, through two variables or a link)
  const placeNames = names.map((n) => `${kind}:${n}`);
  // the identity of what was read: the descriptor's, after the read (never the path's, which may have changed since)
  let id: FileIdentity | undefined;
  let stamp: FileStamp | undefined;
  const { buf, target, partial } = readBytes(
    path,
    kind,
    (fd, stat) => {
      // the descriptor's own fstat, taken as it was opened: the bytes read are that file's
      stamp = { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
      return stat.size >= NOTED_FROM_BYTES ? readNotedSections(fd, stat.size, kind, placeNames, env) : undefined;
    },
    (fd, length) => (id = length >= NOTED_FROM_BYTES ? identityOfOpen(fd) : undefined),
  );
  if (!buf) return { path, exists: false, profiles: new Map(), warnings: [] };
  // a large file is checked in full once per change (scan-notes.ts), then only its wanted sections are
  // read: out of the whole file, or (their places noted) alone
  const trusted = partial || (id !== undefined && knownClean(id, env));
  const text = decode(buf, path);
  const r = scanProfiles(text, kind, names, trusted);
  // noted once found clean; with these sections' places when read alone they say what the whole
  // file says: an ASCII file (a character is a byte) without a repeated key (its warning names lines)
  const places =
    isAscii(buf) && r.duplicates.length === 0
      ? new Map([...sectionPlaces(text, kind, names)].map(([n, at]) => [`${kind}:${n}`, at]))
      : undefined;
  if (id && r.clean && (!trusted || places)) noteClean(id, env, Date.now(), places);
  if (r.issue) {
    throw configError(syntaxMessage(path, r.issue));
  }
  const warnings = r.duplicates.map((d) => `${path}:${d.line}: ${d.message}`);
  if (r.bom) warnings.unshift(t('file.bom', { path }));
  warnings.unshift(...permissionWarnings(target, path, kind));
  return { path, exists: true, profiles: r.profiles, warnings, ...(stamp ? { stamp } : {}) };
}

/**
 * The noted sections of `names` (`kind:name`) in the file open at `fd` (scan-notes.ts), read alone,
 * one after the other; undefined (the whole file is read) when they are not all noted, when the
 * bytes read are not exactly the whole sections of those names, or when the file changed while
 * they were read. A note is a hint, never trusted: a stale or planted one only costs a whole read.
 */
function readNotedSections(
  fd: number,
  size: number,
  kind: FileKind,
  names: readonly string[],
  env: NodeJS.ProcessEnv,
): Buffer | undefined {
  const id = identityOfOpen(fd);
  const places = notedPlaces(id, names, env);
  // in file order, apart and within the file, as noted; anything else (a note gone wrong): the whole file
  if (!places || places.some(([a, b], i) => b > size || (i > 0 && a < places[i - 1]![1]))) return undefined;
  // each section with the byte after it (the next header's "["), which is not kept
  // each section with the byte before it (a line feed) and the byte after it (the next header's "["),
  // neither kept: the section read next starts where the line feed was
  const buf = Buffer.allocUnsafe(places.reduce((n, [a, b]) => n + b - a, 0) + 2);
  let at = 0;
  for (const [a, b, name] of places) {
    const from = a > 0 ? a - 1 : a;
    const want = b - from + (b < size ? 1 : 0);
    if (readSync(fd, buf, at, want, from) !== want) return undefined;
    const prev = a > 0 ? buf[at] : undefined;
    const start = at + a - from;
    const next = b < size ? buf[start + b - a] : undefined;
    if (!isWholeSection(buf.subarray(start, start + b - a), kind, name.slice(kind.length + 1), prev, next)) {
      return undefined;
    }
    if (start !== at) buf.copyWithin(at, start, start + b - a);
    at += b - a;
  }
  return identityOfOpen(fd).key === id.key ? buf.subarray(0, at) : undefined;
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * As ssh does: a file others can change (credentials or config), or whose folder they can change,
 * is someone else's to write; the credentials file should also be readable by its owner only. A
 * folder others can list but not change is no warning: the file names in it are no secret, and the
 * AWS CLI makes ~/.aws 0755 (a warning on every run that nothing needs fixing is one users learn
 * to skip). Unix only (Windows has ACLs, not these mode bits).
 */
export function permissionWarnings(target: string, shown: string, kind: FileKind = 'credentials'): string[] {
  if (process.platform === 'win32') return [];
  const out: string[] = [];
  try {
    const mode = statSync(target).mode & 0o777;
    const dir = dirname(target);
    const dst = statSync(dir);
    const dmode = dst.mode & 0o7777;
    if (mode & 0o022) out.push(t('file.writableByOthers', { path: shellPath(shown), mode: octal(mode) }));
    if ((dmode & 0o022) !== 0 && !(dst.uid === 0 && (dmode & 0o1000) !== 0)) {
      // said of the folder alone: one warning for the credentials and config files in it
      out.push(t('file.folderWritableByOthers', { dir: shellPath(dir), mode: octal(dmode) }));
    }
    if (kind === 'credentials' && mode & 0o044) {
      out.push(t('file.readableByOthers', { path: shellPath(shown), mode: octal(mode) }));
    }
  } catch {
    /* not there: nothing to warn about */
  }
  return out;
}

/**
 * Where the file at `path` could be changed by another user: the file, a folder on its way from /
 * (checked as OpenSSH's safe_path does), or a link on the way. Undefined when only the user and root
 * could change it, when it does not exist, and on Windows.
 */
export function writableByOthers(path: string): Changeable | undefined {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  try {
    return changeableByOthers(resolve(path), process.getuid());
  } catch {
    return undefined; // cannot be read either, which reading it will say
  }
}

/**
 * The refusal to run `mfa_process` from a config file others can change (ssh's rule for commands
 * from a file), or undefined when it is safe to run. Also the test for printing credential_process
 * hints from that file.
 */
export function processSourceProblem(configPath: string): CliError | undefined {
  const c = writableByOthers(configPath);
  if (!c) return undefined;
  const place = shellPath(c.path);
  const why =
    c.why === 'writable'
      ? t('file.why.writable', { mode: octal(c.mode) })
      : c.why === 'owner'
        ? t('file.why.owner', { uid: c.uid })
        : t(`file.why.${c.why}`);
  const fix =
    c.why === 'writable'
      ? `chmod go-w ${place}`
      : c.why === 'owner'
        ? `sudo chown "$(id -un)" ${place}`
        : `ls -ld ${place}`;
  return configError(t('config.processFromChangeable', { config: configPath, place, why, fix }));
}

/**
 * Apply `edit` to the file's current content under the inter-process lock, and write the result
 * atomically if it changed. `edit` may run on content newer than an earlier read: it must be a
 * function of the document it is given. Throwing from `edit` leaves the file untouched. `bom`: the
 * file starts with a UTF-8 BOM (kept; the AWS CLI cannot read such a file), known without another read.
 */
export async function updateIni(
  path: string,
  edit: (doc: IniDocument, exists: boolean) => void,
  focus?: (header: string) => boolean,
  kind?: FileKind,
): Promise<{ changed: boolean; created: boolean; bom: boolean }> {
  const target = resolveTarget(path);
  const { lockedUpdate } = await writer();
  let bom = false;
  try {
    const done = await lockedUpdate(target, (current) => {
      let doc: IniDocument;
      if (current === undefined) doc = IniDocument.parse('');
      else if (focus) {
        // validate the whole file with the scanner (no allocation), classify only what the edit touches
        const text = decode(current, path);
        const issue = firstIssue(text);
        if (issue) throw configError(syntaxMessage(path, issue));
        doc = IniDocument.parseFocused(text, focus);
      } else doc = parseOrThrow(decode(current, path), path);
      edit(doc, current !== undefined);
      const text = doc.toString();
      bom = text.charCodeAt(0) === 0xfeff;
      return text;
    });
    return { ...done, bom };
  } catch (e) {
    const problem = fileProblem(e, path, kind);
    if (problem) throw problem;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') throw configError(t('file.locked', { path }));
    if (code === 'EBADLOCK') throw configError((e as Error).message);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw configError(t('file.noPermission', { path, code: code ?? '' }));
    }
    throw e;
  }
}

/** Write keys into one profile (creating its section if needed), touching nothing else. */
export function writeProfileTo(
  path: string,
  name: string,
  kind: FileKind,
  entries: ReadonlyArray<readonly [string, string]>,
  remove: readonly string[] = [],
) {
  return updateIni(path, (doc) => writeProfile(doc, name, kind, entries, remove), profileFilter(name, kind), kind);
}

/** Remove one profile's sections, or just `key` from them. */
export function removeFromProfile(path: string, name: string, kind: FileKind, key?: string) {
  return updateIni(
    path,
    (doc) => {
      if (key === undefined) removeProfile(doc, name, kind);
      else
        doc.removeIn(
          doc.spans().filter((s) => profileFilter(name, kind)(s.name)),
          key,
        );
    },
    profileFilter(name, kind),
    kind,
  );
}

/**
 * Whether the file at `path` is still the one read with `stamp` (its identity by stat, no open):
 * every writer here renames a new file into place, so a write since changes it.
 */
export function unchangedSince(path: string, stamp: FileStamp | undefined): boolean {
  if (stamp === undefined) return false;
  const now = statSync(resolveTarget(path), { throwIfNoEntry: false });
  return (
    now !== undefined &&
    now.dev === stamp.dev &&
    now.ino === stamp.ino &&
    now.size === stamp.size &&
    now.mtimeMs === stamp.mtimeMs &&
    now.ctimeMs === stamp.ctimeMs
  );
}
