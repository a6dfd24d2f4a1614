/**
 * The SDKs' rules for the lines of a shared file, one line at a time: the part of the read-path
 * scanner (scan.ts) that classifies the few sections it must look into (the wanted ones, the ones
 * holding a line that is not plainly valid, what precedes the first header), or every line of a
 * small file. The rules are those of IniDocument and readView; the property tests in
 * test/unit/scan.test.ts hold the two to each other.
 */
import { t } from '../messages/index.js';
import { sdkValue } from './document.js';
import { isIdentifier, sectionRole, type FileKind } from './profiles.js';

export function trimTabsSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return s.slice(a, b);
}

const SPACE = /\s/;

/** Whether text[a, b) has a character that trim() would keep, without making a string. */
function hasNonSpace(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128 || !SPACE.test(text[i]!)) return true;
  }
  return false;
}

/** Which profile a header names, by file kind (the same rule as the full view); `bare`: a config `[default]`. */
export function profileOf(header: string, kind: FileKind): { name: string; bare: boolean } | undefined {
  const r = sectionRole(header, kind);
  return r.type === 'profile' ? { name: r.name, bare: Boolean(r.bareDefault) && kind === 'config' } : undefined;
}

export interface PendingNote {
  pos: number;
  first: number;
  message: (line: number, first: number) => string;
}

export class Scan {
  readonly profiles = new Map<string, Map<string, string>>();
  readonly bareDefault = new Map<string, string>(); // config [default], used only if no [profile default]
  hasProfileDefault = false;
  bareDefaultSeen = false;
  issue: { pos: number; message: string } | undefined;
  readonly notes: PendingNote[] = [];

  constructor(
    readonly text: string,
    readonly kind: FileKind,
    readonly want: Set<string>,
  ) {}

  private fail(pos: number, message: string): void {
    if (!this.issue || pos < this.issue.pos) this.issue = { pos, message };
  }

  /**
   * Classify lines from `pos` by the SDKs' rules: from a header line (`fromHeader`), or from the
   * start of the file (no section yet). Stops before the next well-formed header; returns where.
   */
  lines(pos: number, fromHeader: boolean): number {
    const { text, kind, want, profiles } = this;
    let target: Map<string, string> | undefined; // properties of the current section, if wanted
    let keysSeen: Map<string, number> | undefined;
    let inSection = false;
    let sectionName = '';
    let currentKey: string | undefined;
    let currentValid = false;
    let currentValueEmpty = false;
    let first = true;
    const len = text.length;
    while (pos < len) {
      let nl = text.indexOf('\n', pos);
      let end = nl;
      if (nl === -1) nl = end = len;
      else if (end > pos && text.charCodeAt(end - 1) === 13) end--; // CR only as part of CRLF
      const c = text.charCodeAt(pos);
      // blank: only spaces and tabs
      let blank = true;
      for (let i = pos; i < end; i++) {
        const ch = text.charCodeAt(i);
        if (ch !== 32 && ch !== 9) {
          blank = false;
          break;
        }
      }
      if (!blank) {
        if (c === 32 || c === 9) {
          const trimmed = text.slice(pos, end).trim();
          if (!inSection) this.fail(pos, 'Expected a section definition');
          else if (currentKey === undefined) this.fail(pos, 'Expected a property definition, found continuation');
          else if (currentValueEmpty) {
            const eq = trimmed.indexOf('=');
            if (eq === -1) this.fail(pos, "Expected an '=' sign defining a property in sub-property");
            else if (trimmed.slice(0, eq).trim() === '') this.fail(pos, 'Property did not have a name in sub-property');
          } else if (target && currentValid) {
            target.set(currentKey, `${target.get(currentKey)}\n${trimmed}`);
          }
        } else if (c === 35 || c === 59) {
          // comment
        } else if (c === 91) {
          const close = text.indexOf(']', pos);
          if (close === -1 || close >= end) {
            this.fail(pos, "Section definition must end with ']'");
          } else {
            if (!(first && fromHeader)) return pos;
            inSection = true;
            currentKey = undefined;
            sectionName = trimTabsSpaces(text.slice(pos + 1, close));
            const p = profileOf(sectionName, kind);
            if (kind === 'config') {
              if (p && !p.bare && p.name === 'default') this.hasProfileDefault = true;
              if (sectionName === 'default') this.bareDefaultSeen = true;
            }
            if (!p) target = undefined;
            else if (p.bare) target = want.has('default') ? this.bareDefault : undefined;
            else if (want.has(p.name)) {
              target = profiles.get(p.name);
              if (!target) profiles.set(p.name, (target = new Map()));
            } else target = undefined;
            // duplicate keys are noted in the profiles that are read (the ones that matter here)
            keysSeen = target ? new Map() : undefined;
          }
        } else {
          const eq = text.indexOf('=', pos);
          if (!inSection) this.fail(pos, 'Expected a section definition');
          else if (eq === -1 || eq >= end) this.fail(pos, "Expected an '=' sign defining a property");
          else if (!hasNonSpace(text, pos, eq)) this.fail(pos, 'Property did not have a name');
          else if (target) {
            const key = text.slice(pos, eq).trim().toLowerCase();
            const value = sdkValue(text.slice(eq + 1, end));
            currentKey = key;
            currentValid = isIdentifier(key);
            currentValueEmpty = value === '';
            const seen = keysSeen?.get(key);
            const section = sectionName;
            if (seen !== undefined) {
              this.notes.push({
                pos,
                first: seen,
                message: (_, f) => t('scan.duplicateKey', { key, section, first: f }),
              });
            } else keysSeen?.set(key, pos);
            if (currentValid) target.set(key, value);
          } else {
            // outside the wanted profiles only the syntax matters: no strings are made
            currentKey = '';
            currentValid = false;
            currentValueEmpty = !hasNonSpace(text, eq + 1, end);
          }
        }
      }
      first = false;
      pos = nl + 1;
    }
    return len;
  }
}

/** 1-based line numbers of the given positions, counted in one pass. */
export function lineNumbers(text: string, positions: number[]): Map<number, number> {
  const out = new Map<number, number>();
  let line = 1;
  let at = 0;
  for (const p of [...new Set(positions)].sort((a, b) => a - b)) {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < p; nl = text.indexOf('\n', nl + 1)) {
      line++;
      at = nl + 1;
    }
    out.set(p, line);
  }
  return out;
}
