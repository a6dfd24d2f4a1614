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
  return all
    .map(
      (r) =>
        r
          .map((c, i) => pad(c, widths[i]!))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}

/** Below this many columns `status` shows one block a profile instead of a table (Windows 10's cmd is 120). */
export const NARROW_BELOW = 100;

/**
 * Greedy wrapping at spaces for a narrow terminal, double-width characters counted as two; a word
 * wider than the line (an ARN, a path) is kept whole, so what is shown can be pasted.
 */
function wrapAtSpaces(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && stringWidth(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/**
 * The narrow layout: each item's title on a line of its own, then its fields indented, as
 * `label: value` with the values lined up; a value too wide for the line goes under its label,
 * wrapped at spaces. Fields with an empty value are left out.
 */
export function blocks(
  items: ReadonlyArray<{ title: string; fields: ReadonlyArray<readonly [string, string]> }>,
  columns: number,
): string {
  const out: string[] = [];
  for (const { title, fields } of items) {
    if (out.length > 0) out.push('');
    out.push(title);
    const shown = fields.filter(([, v]) => v !== '');
    const labelWidth = Math.max(0, ...shown.map(([l]) => stringWidth(l) + 1));
    for (const [label, value] of shown) {
      const head = `  ${pad(`${label}:`, labelWidth)} `;
      if (stringWidth(head) + stringWidth(value) <= columns) out.push(head + value);
      else out.push(`  ${label}:`, ...wrapAtSpaces(value, columns - 4).map((l) => `    ${l}`));
    }
  }
  return out.map((l) => l.trimEnd() + '\n').join('');
}

/** The widest line of `text`, in terminal columns. */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => stringWidth(l)));
}
