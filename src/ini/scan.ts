/**
 * The read path's parser: the plain properties of a few named profiles, by the SDKs' rules,
 * without building a document and without classifying the lines nobody asked for. The cached path
 * runs it on every start, so on a 10,000-profile file it must cost about what reading the file does.
 *
 * How: the text is searched, not walked. Native searches (V8's regular expressions and indexOf)
 * find the wanted profiles' headers, every header (for duplicates), and every line that is not
 * plainly valid (a continuation, a `[` without `]`, a property without `=`, an odd first
 * character). Only the sections holding such lines, the wanted sections and what precedes the
 * first header are classified line by line (scan-lines.ts). Every other section is a header
 * followed by comments, blank lines and well-formed properties: it cannot hold an error and
 * nobody reads it. A syntax error anywhere is still found, with its line.
 *
 * It must agree with IniDocument + readView (the full model); property tests check that on
 * thousands of generated files, with and without `trusted`. It also notes what the AWS CLI reads
 * differently (a BOM, duplicate sections, duplicate keys) so the caller can warn.
 */
import { t } from '../messages/index.js';
import type { SyntaxIssue } from './document.js';
import { isIdentifier, type FileKind } from './profiles.js';
import { Scan, lineNumbers, profileOf, trimTabsSpaces } from './scan-lines.js';

export interface ScanNote {
  line: number;
  message: string;
}

export interface ScanResult {
  /** The plain properties of each wanted profile that exists (sub-property blocks read as ''). */
  profiles: Map<string, Map<string, string>>;
  /** The first syntax error, if any: the SDKs refuse the whole file then. */
  issue?: SyntaxIssue;
  bom: boolean;
  /** Duplicate sections and keys (the AWS CLI refuses them), in line order. */
  duplicates: ScanNote[];
  /**
   * No syntax error, no header twice, and every header in its plain form (`[name]`,
   * `[profile name]`, no other blanks inside the brackets): the same text may later be scanned
   * with `trusted`.
   */
  clean: boolean;
}

/**
 * Lines that need no classification, as many as there are: well-formed headers, properties whose
 * name starts with a plain character and that have `=`, comments, empty lines (CRLF too). One run
 * stops at the first line that is not plainly valid (a continuation, a `[` without `]`, a property
 * without `=`, a name that may be blank, a lone CR, a last line without its newline).
 */
const PLAIN_LINES =
  /(?:[^\s#;[=\x00-\x1f\x7f-\uffff][^=\n]*=[^\n]*\n|\[[^\]\n]*\][^\n]*(?:\n|$)|[#;][^\n]*\n|\r?\n){0,65535}/y;
/** Every header line after the first one: `\n[` up to the first `]` on the line. */
const HEADER = /\n\[[^\]\n]*\]/g;
/**
 * Headers not in their plain form, once the one space after `[profile` and the like is gone: a
 * blank after `[` or before `]`, or another blank after the kind word. (Blanks inside a name
 * make it no profile at all, so they do not matter.)
 */
const KIND_WORD = /\[(?:profile|sso-session|services) /g;
const NOT_PLAIN = /\[\s|\s\]|\[(?:profile|sso-session|services)\s/;

/** Whether the line starting at `at` (a `[`) is a well-formed header: a `]` before the line ends. */
function wellFormed(text: string, at: number): boolean {
  const close = text.indexOf(']', at);
  if (close === -1) return false;
  const nl = text.indexOf('\n', at);
  return nl === -1 || close < nl;
}

/** The last well-formed header line that starts before `at` (`floor` is one). */
function headerBefore(text: string, at: number, floor: number): number {
  for (
    let j = text.lastIndexOf('\n[', at - 2);
    j !== -1 && j + 1 > floor;
    j = j === 0 ? -1 : text.lastIndexOf('\n[', j - 1)
  ) {
    if (wellFormed(text, j + 1)) return j + 1;
  }
  return floor;
}

/** The first well-formed header line that starts after `at`, or the end of the text. */
function headerAfter(text: string, at: number): number {
  for (let j = text.indexOf('\n[', at); j !== -1; j = text.indexOf('\n[', j + 1)) {
    if (wellFormed(text, j + 1)) return j + 1;
  }
  return text.length;
}

/** How a header of profile `name` starts, plain: `[name]`, or `[profile name]` (and `[default]`) in config. */
export function headerForms(kind: FileKind, name: string): string[] {
  if (!isIdentifier(name)) return [];
  if (kind === 'credentials') return [`[${name}]`];
  return name === 'default' ? ['[default]', '[profile default]'] : [`[profile ${name}]`];
}

/**
 * Whether `bytes` (ASCII), read from a clean file, are exactly one whole section of profile `name`:
 * they start a line (`prev`, the byte before them, is a line feed, or they start the file: undefined),
 * start with its header in a plain form, hold no other header line, and end where the next header
 * starts (`next`, the byte after them, is `[` after a line feed) or at the end of the file (`next`
 * undefined). The check of a noted place (io/scan-notes.ts) before its bytes are used: a range that
 * starts inside a line (a comment that quotes a header) is not a section.
 */
export function isWholeSection(
  bytes: Uint8Array,
  kind: FileKind,
  name: string,
  prev: number | undefined,
  next: number | undefined,
): boolean {
  if (prev !== undefined && prev !== 0x0a) return false;
  // plain loops over the bytes: Buffer's string and search methods cost more to load than a section to walk
  let header = false;
  for (const f of headerForms(kind, name)) {
    let i = 0;
    while (i < f.length && bytes[i] === f.charCodeAt(i)) i++;
    header ||= i === f.length;
  }
  if (!header) return false;
  const end = bytes.length;
  for (let i = 0; i + 1 < end; i++) if (bytes[i] === 0x0a && bytes[i + 1] === 0x5b) return false;
  return next === undefined || (next === 0x5b && bytes[end - 1] === 0x0a);
}

/**
 * The wanted profiles' headers when every header is in its plain form: `[name]`, or in a config
 * file `[profile name]` (and `[default]`), at a line start. A plain search for those few strings.
 */
function plainHeaders(text: string, start: number, kind: FileKind, want: Set<string>): number[] {
  const out: number[] = [];
  for (const n of want) {
    for (const f of headerForms(kind, n)) {
      for (let i = text.indexOf(f, start); i !== -1; i = text.indexOf(f, i + 1)) {
        if (i === start || text.charCodeAt(i - 1) === 10) out.push(i);
      }
    }
  }
  return out;
}

/**
 * Where each wanted profile's sections are in a clean text (scanProfiles said `clean`): from the
 * header line to the next header line or the end, in text order. Scanning just those pieces, in
 * order, with `trusted` reads the same properties as scanning the whole text.
 */
export function sectionPlaces(
  text: string,
  kind: FileKind,
  wanted: readonly string[],
): Map<string, Array<[number, number]>> {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return new Map(
    wanted.map((n) => [
      n,
      plainHeaders(text, start, kind, new Set([n]))
        .sort((a, b) => a - b)
        .map((h): [number, number] => {
          const next = text.indexOf('\n[', h);
          return [h, next === -1 ? text.length : next + 1];
        }),
    ]),
  );
}

/** Files from this size on are searched natively; smaller ones are classified line by line (cheaper then). */
export const NATIVE_FROM = 4096;

/**
 * The wanted profiles' plain properties, the first syntax error and what the AWS CLI reads
 * differently. `trusted`: an earlier scan of this very text was `clean`, so the checks of the
 * whole text (syntax, duplicate headers) are skipped and only the wanted sections are read.
 * `nativeFrom`: the size from which sections are skipped natively (tests vary it).
 */
export function scanProfiles(
  text: string,
  kind: FileKind,
  wanted: readonly string[],
  trusted = false,
  nativeFrom = NATIVE_FROM,
): ScanResult {
  const want = new Set(wanted);
  const bom = text.charCodeAt(0) === 0xfeff;
  const start = bom ? 1 : 0;
  const s = new Scan(text, kind, want);
  let clean: boolean;
  if (trusted) {
    readSections(s, plainHeaders(text, start, kind, want));
    clean = true;
  } else clean = text.length < nativeFrom ? readAll(s, start) : readLarge(s, start);
  if (
    kind === 'config' &&
    want.has('default') &&
    !s.hasProfileDefault &&
    (s.bareDefault.size > 0 || s.bareDefaultSeen)
  ) {
    const merged = s.profiles.get('default') ?? new Map<string, string>();
    for (const [k, v] of s.bareDefault) merged.set(k, v);
    s.profiles.set('default', merged);
  }
  return finish(s, bom, clean && !s.issue);
}

/** A small file, every line: what precedes the first section, then each section. Not worked out whether clean. */
function readAll(s: Scan, start: number): boolean {
  const heads: number[] = [];
  for (let at = s.lines(start, false); at < s.text.length; at = s.lines(at, true)) heads.push(at);
  noteHeaders(s, heads);
  return false;
}

/** A large file, searched natively; returns whether it is clean. */
function readLarge(s: Scan, start: number): boolean {
  const { text, kind, want } = s;
  // what precedes the first section: comments and blank lines, or an error
  const first = s.lines(start, false);
  if (s.issue) return false;
  const odd = walk(text, first);
  // every header as written: a repeated one, or one with blanks inside its brackets, takes the slow way
  const raw: string[] = text.match(HEADER) ?? [];
  if (first === start && first < text.length) raw.push(`\n${text.slice(first, text.indexOf(']', first) + 1)}`);
  const clean = new Set(raw).size === raw.length && !NOT_PLAIN.test(raw.join('').replace(KIND_WORD, '['));
  readSections(s, [
    ...odd,
    ...(clean ? plainHeaders(text, start, kind, want) : noteHeaders(s, headerPositions(text, first))),
  ]);
  return clean;
}

/**
 * Only the first syntax error, as scanProfiles finds it: what the writer checks before it writes.
 * No profile is read and no headers are compared, which saves a third of the work on a large file.
 */
export function firstIssue(text: string, nativeFrom = NATIVE_FROM): SyntaxIssue | undefined {
  if (text.length < nativeFrom) return scanProfiles(text, 'credentials', []).issue;
  const bom = text.charCodeAt(0) === 0xfeff;
  const s = new Scan(text, 'credentials', new Set());
  const first = s.lines(bom ? 1 : 0, false);
  if (!s.issue) readSections(s, walk(text, first));
  return finish(s, bom, false).issue;
}

/** The sections after `first` (a header) that hold a line that is not plainly valid, found natively. */
function walk(text: string, first: number): number[] {
  const odd: number[] = [];
  const len = text.length;
  const plain = PLAIN_LINES;
  for (let at = first; at < len; ) {
    plain.lastIndex = at;
    plain.test(text);
    if (plain.lastIndex > at) at = plain.lastIndex;
    else {
      odd.push(headerBefore(text, at, first));
      at = headerAfter(text, at);
    }
  }
  return odd;
}

/** Where each header line starts, from `first` on. */
function headerPositions(text: string, first: number): number[] {
  const out = first < text.length ? [first] : [];
  HEADER.lastIndex = first;
  for (let m; (m = HEADER.exec(text)); ) out.push(m.index + 1);
  return out;
}

/** Note repeated profile sections (by their trimmed names); returns the wanted profiles' headers. */
function noteHeaders(s: Scan, heads: number[]): number[] {
  const { text, kind, want } = s;
  const wantedAt: number[] = [];
  const seen = new Map<string, number>();
  for (const at of heads) {
    const name = trimTabsSpaces(text.slice(at + 1, text.indexOf(']', at)));
    const p = profileOf(name, kind);
    const before = seen.get(name);
    if (before === undefined) seen.set(name, at);
    else if (p)
      s.notes.push({
        pos: at,
        first: before,
        message: (_, f) => t('scan.duplicateSection', { section: name, first: f }),
      });
    if (p && want.has(p.name)) wantedAt.push(at);
  }
  return wantedAt;
}

/** Classify these sections line by line, in file order (later sections override earlier ones). */
function readSections(s: Scan, heads: number[]): void {
  for (const h of [...new Set(heads)].sort((a, b) => a - b)) {
    if (s.issue && s.issue.pos < h) break;
    s.lines(h, true);
  }
}

function finish(s: Scan, bom: boolean, clean: boolean): ScanResult {
  if (!s.issue && s.notes.length === 0) return { profiles: s.profiles, issue: undefined, bom, duplicates: [], clean };
  const positions = s.notes.flatMap((n) => [n.pos, n.first]);
  if (s.issue) positions.push(s.issue.pos);
  const lines = lineNumbers(s.text, positions);
  const duplicates = s.notes
    .sort((a, b) => a.pos - b.pos)
    .map((n) => ({ line: lines.get(n.pos)!, message: n.message(lines.get(n.pos)!, lines.get(n.first)!) }));
  const issue = s.issue && { line: lines.get(s.issue.pos)!, message: s.issue.message };
  return { profiles: s.profiles, issue, bom, duplicates, clean };
}
