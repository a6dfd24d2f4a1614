/**
 * Finding section headers in raw text without classifying lines: the native string searches the
 * read-path scanner (scan.ts) uses to jump to the sections it wants. Pure.
 */
import { isIdentifier, type FileKind } from './profiles.js';

/** Whether the line starting at `at` (a `[`) is a well-formed header: a `]` before the line ends. */
export function wellFormed(text: string, at: number): boolean {
  const close = text.indexOf(']', at);
  if (close === -1) return false;
  const nl = text.indexOf('\n', at);
  return nl === -1 || close < nl;
}

/** The last well-formed header line that starts before `at` (`floor` is one). */
export function headerBefore(text: string, at: number, floor: number): number {
  for (let j = text.lastIndexOf('\n[', at - 2); j !== -1 && j + 1 > floor; j = j === 0 ? -1 : text.lastIndexOf('\n[', j - 1)) {
    if (wellFormed(text, j + 1)) return j + 1;
  }
  return floor;
}

/** The first well-formed header line that starts after `at`, or the end of the text. */
export function headerAfter(text: string, at: number): number {
  for (let j = text.indexOf('\n[', at); j !== -1; j = text.indexOf('\n[', j + 1)) {
    if (wellFormed(text, j + 1)) return j + 1;
  }
  return text.length;
}

/**
 * The wanted profiles' headers when every header is in its plain form: `[name]`, or in a config
 * file `[profile name]` (and `[default]`), at a line start. A plain search for those few strings.
 */
export function plainHeaders(text: string, start: number, kind: FileKind, want: Set<string>): number[] {
  const out: number[] = [];
  for (const n of want) {
    if (!isIdentifier(n)) continue;
    const forms = kind === 'credentials' ? [`[${n}]`] : n === 'default' ? ['[default]', '[profile default]'] : [`[profile ${n}]`];
    for (const f of forms) {
      for (let i = text.indexOf(f, start); i !== -1; i = text.indexOf(f, i + 1)) {
        if (i === start || text.charCodeAt(i - 1) === 10) out.push(i);
      }
    }
  }
  return out;
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

