/**
 * The read path's parser: the plain properties of a few named profiles, by the SDKs' rules, in
 * one pass over the text without building a document. A 10,000-profile file is read in a few
 * milliseconds this way, which keeps the cached path on Node's start-up floor.
 *
 * It must agree with IniDocument + readView (the full model); a property test checks that on
 * thousands of generated files. It also notes what the AWS CLI reads differently (a BOM,
 * duplicate sections, duplicate keys) so the caller can warn.
 */
import { sdkValue, type SyntaxIssue } from './document.js';
import { isIdentifier, sectionRole, type FileKind } from './profiles.js';

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
}


function trimTabsSpaces(s: string): string {
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
function profileOf(header: string, kind: FileKind): { name: string; bare: boolean } | undefined {
  const r = sectionRole(header, kind);
  return r.type === 'profile' ? { name: r.name, bare: Boolean(r.bareDefault) && kind === 'config' } : undefined;
}

export function scanProfiles(text: string, kind: FileKind, wanted: readonly string[]): ScanResult {
  const want = new Set(wanted);
  const bom = text.charCodeAt(0) === 0xfeff;
  const profiles = new Map<string, Map<string, string>>();
  const bareDefault = new Map<string, string>(); // config [default], used only if no [profile default]
  let hasProfileDefault = false;
  const duplicates: ScanNote[] = [];
  const headersSeen = new Map<string, number>();
  let keysSeen: Map<string, number> | undefined;
  let issue: SyntaxIssue | undefined;

  let target: Map<string, string> | undefined; // properties of the current section, if wanted
  let inSection = false;
  let sectionName = '';
  let currentKey: string | undefined;
  let currentValid = false;
  let currentValueEmpty = false;

  let pos = bom ? 1 : 0;
  let lineNo = 0;
  const len = text.length;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    let end = nl;
    if (nl === -1) nl = end = len;
    else if (end > pos && text.charCodeAt(end - 1) === 13) end--; // CR only as part of CRLF
    lineNo++;
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
        if (!inSection) issue ??= { line: lineNo, message: 'Expected a section definition' };
        else if (currentKey === undefined) issue ??= { line: lineNo, message: 'Expected a property definition, found continuation' };
        else if (currentValueEmpty) {
          const eq = trimmed.indexOf('=');
          if (eq === -1) issue ??= { line: lineNo, message: "Expected an '=' sign defining a property in sub-property" };
          else if (trimmed.slice(0, eq).trim() === '') issue ??= { line: lineNo, message: 'Property did not have a name in sub-property' };
        } else if (target && currentValid) {
          target.set(currentKey, `${target.get(currentKey)}\n${trimmed}`);
        }
      } else if (c === 35 || c === 59) {
        // comment
      } else if (c === 91) {
        const close = text.indexOf(']', pos);
        if (close === -1 || close >= end) {
          issue ??= { line: lineNo, message: "Section definition must end with ']'" };
        } else {
          inSection = true;
          currentKey = undefined;
          sectionName = trimTabsSpaces(text.slice(pos + 1, close));
          const p = profileOf(sectionName, kind);
          const first = headersSeen.get(sectionName);
          if (first !== undefined) {
            if (p) duplicates.push({ line: lineNo, message: `section [${sectionName}] appears again (first at line ${first}); the AWS CLI refuses duplicate sections, merge them` });
          } else headersSeen.set(sectionName, lineNo);
          keysSeen = undefined;
          if (p && !p.bare && p.name === 'default' && kind === 'config') hasProfileDefault = true;
          if (!p) target = undefined;
          else if (p.bare && kind === 'config') target = want.has('default') ? bareDefault : undefined;
          else if (want.has(p.name)) {
            target = profiles.get(p.name);
            if (!target) profiles.set(p.name, (target = new Map()));
          } else target = undefined;
          // duplicate keys are noted in the profiles that are read (the ones that matter here)
          if (target) keysSeen = new Map();
        }
      } else {
        const eq = text.indexOf('=', pos);
        if (!inSection) issue ??= { line: lineNo, message: 'Expected a section definition' };
        else if (eq === -1 || eq >= end) issue ??= { line: lineNo, message: "Expected an '=' sign defining a property" };
        else if (!hasNonSpace(text, pos, eq)) issue ??= { line: lineNo, message: 'Property did not have a name' };
        else if (target) {
          const key = text.slice(pos, eq).trim().toLowerCase();
          const value = sdkValue(text.slice(eq + 1, end));
          currentKey = key;
          currentValid = isIdentifier(key);
          currentValueEmpty = value === '';
          const first = keysSeen?.get(key);
          if (first !== undefined) duplicates.push({ line: lineNo, message: `key ${key} appears twice in [${sectionName}] (first at line ${first}); the AWS CLI refuses duplicate keys` });
          else keysSeen?.set(key, lineNo);
          if (currentValid) target.set(key, value);
        } else {
          // outside the wanted profiles only the syntax matters: no strings are made
          currentKey = '';
          currentValid = false;
          currentValueEmpty = !hasNonSpace(text, eq + 1, end);
        }
      }
    }
    pos = nl + 1;
  }
  if (kind === 'config' && want.has('default') && !hasProfileDefault && (bareDefault.size > 0 || headersSeen.has('default'))) {
    const merged = profiles.get('default') ?? new Map<string, string>();
    for (const [k, v] of bareDefault) merged.set(k, v);
    profiles.set('default', merged);
  }
  return { profiles, issue, bom, duplicates };
}
