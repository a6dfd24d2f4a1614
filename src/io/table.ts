/**
 * Text laid out for a terminal in columns that line up, double-width characters (Japanese) counted
 * as two. string-width does the counting. (Wrapping lines is in wrap.ts, which only help needs.)
 */
import stringWidth from 'string-width';

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - stringWidth(s)));

/** Rows under a head (which may be empty), each column as wide as its widest cell. */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = head.length > 0 ? [head, ...rows] : [...rows];
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...all.map((r) => stringWidth(r[i] ?? ''))));
  return all.map((r) => r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd() + '\n').join('');
}
