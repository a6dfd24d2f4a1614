/**
 * Reading and updating the shared files: decoding, following symlinks, turning parse failures
 * into errors that name the file and line, and handing every change to the locked atomic writer.
 * Reads are synchronous and load nothing heavy, so the cached path stays fast.
 */
import { isAscii } from 'node:buffer';
import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IniDocument } from '../ini/document.js';
import type { FileKind } from '../ini/profiles.js';
import { firstIssue, scanProfiles } from '../ini/scan.js';
import { writeProfile, removeProfile, profileFilter } from '../core/profile-data.js';
import { configError } from '../errors.js';
import { lazyChunk } from './chunk.js';
import { NOTED_FROM_BYTES, identityOf, knownClean, noteClean } from './scan-notes.js';

const writer = lazyChunk<typeof import('./write.js')>('write.cjs', () => import('./write.js'));

export interface IniFile {
  path: string;
  /** The file the path finally points at (symlinks followed). */
  target: string;
  exists: boolean;
  doc: IniDocument;
}

/** Follow a chain of symlinks (even a dangling one) to the path that is really written. */
export function resolveTarget(path: string, forWrite = false): string {
  let p = resolve(path);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  for (let i = 0; i < 40; i++) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    // a link someone else owns could point our write anywhere they like
    if (forWrite && uid !== undefined && st.uid !== uid) {
      throw configError(`${p} is a symbolic link owned by another user (uid ${st.uid}); aws-mfa will not write through it: replace it with your own file or link`);
    }
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw configError(`${path}: too many levels of symbolic links; point it at a regular file`);
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
    throw configError(`${path}:${line}: the file is not valid UTF-8; save it as UTF-8 text`);
  }
}

const syntaxMessage = (path: string, issue: { line: number; message: string }) =>
  `${path}:${issue.line}: ${issue.message}; fix that line (the AWS SDKs cannot read this file either)`;

export function parseOrThrow(text: string, path: string): IniDocument {
  const doc = IniDocument.parse(text);
  const issue = doc.issues[0];
  if (issue) {
    throw configError(syntaxMessage(path, issue));
  }
  return doc;
}

function readBytes(path: string): { target: string; buf?: Buffer } {
  const target = resolveTarget(path);
  try {
    return { target, buf: readFileSync(target) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { target };
    throw configError(`${path}: cannot read the file (${code ?? (e as Error).message}); check its permissions`);
  }
}

/** The whole file as a lossless document (for the paths that edit or list it). */
export function readIni(path: string): IniFile {
  const { target, buf } = readBytes(path);
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
}

/**
 * The read path: a few profiles' plain properties, by the SDKs' rules, without building a
 * document (fast on files with thousands of profiles). A syntax error anywhere is an error that
 * names the file and line, as the SDKs refuse such a file (in a large file: looked for once per
 * change of the file, see scan-notes.ts).
 */
export function readProfiles(path: string, kind: FileKind, names: readonly string[]): ProfilesRead {
  const { buf, target } = readBytes(path);
  if (!buf) return { path, exists: false, profiles: new Map(), warnings: [] };
  // a large file is checked in full once per change (scan-notes.ts), then only its wanted sections are read
  const id = buf.length >= NOTED_FROM_BYTES ? identityOf(target) : undefined;
  const trusted = id !== undefined && knownClean(id);
  const r = scanProfiles(decode(buf, path), kind, names, trusted);
  if (id && !trusted && r.clean) noteClean(id);
  if (r.issue) {
    throw configError(syntaxMessage(path, r.issue));
  }
  const warnings = r.duplicates.map((d) => `${path}:${d.line}: ${d.message}`);
  if (r.bom) warnings.unshift(`${path}:1: the file starts with a UTF-8 byte order mark, which the AWS CLI cannot read; save it without BOM`);
  if (kind === 'credentials') warnings.unshift(...permissionWarnings(target, path));
  return { path, exists: true, profiles: r.profiles, warnings };
}

/**
 * As ssh does for private keys: the credentials file should be readable by its owner only, and
 * its folder not listable by others. Unix only (Windows has no such mode bits).
 */
export function permissionWarnings(target: string, shown: string): string[] {
  if (process.platform === 'win32') return [];
  const out: string[] = [];
  try {
    const mode = statSync(target).mode & 0o777;
    if (mode & 0o044) out.push(`${shown} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${shown}`);
    const dir = dirname(target);
    const dmode = statSync(dir).mode & 0o777;
    if (dmode & 0o004) out.push(`${dir} can be listed by other users (mode ${dmode.toString(8).padStart(4, '0')}); run: chmod 700 ${dir}`);
  } catch {
    /* not there: nothing to warn about */
  }
  return out;
}

/**
 * Apply `edit` to the file's current content under the inter-process lock, and write the result
 * atomically if it changed. `edit` may run on content newer than an earlier read: it must be a
 * function of the document it is given. Throwing from `edit` leaves the file untouched.
 */
export async function updateIni(
  path: string,
  edit: (doc: IniDocument, exists: boolean) => void,
  focus?: (header: string) => boolean,
): Promise<{ changed: boolean; created: boolean }> {
  const target = resolveTarget(path, true);
  const { lockedUpdate } = await writer();
  try {
    return await lockedUpdate(target, (current) => {
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
      return doc.toString();
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') throw configError(`${path}: another aws-mfa is still writing it; try again in a moment`);
    if (code === 'EBADLOCK') throw configError((e as Error).message);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw configError(`${path}: cannot write the file or its folder (${code}); check permissions`);
    }
    throw e;
  }
}

/** Write keys into one profile (creating its section if needed), touching nothing else. */
export function writeProfileTo(path: string, name: string, kind: FileKind, entries: ReadonlyArray<readonly [string, string]>, remove: readonly string[] = []) {
  return updateIni(path, (doc) => writeProfile(doc, name, kind, entries, remove), profileFilter(name, kind));
}

/** Remove one profile's sections, or just `key` from them. */
export function removeFromProfile(path: string, name: string, kind: FileKind, key?: string) {
  return updateIni(
    path,
    (doc) => {
      if (key === undefined) removeProfile(doc, name, kind);
      else doc.removeIn(doc.spans().filter((s) => profileFilter(name, kind)(s.name)), key);
    },
    profileFilter(name, kind),
  );
}
