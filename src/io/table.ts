/**
 * Text laid out for a terminal: columns that line up and lines wrapped at 80 columns, with
 * double-width characters (Japanese) counted as two. string-width does the counting.
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

// a CJK character (with a closing mark after it) is a place to break; other text breaks at spaces
const TOKENS = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef][、。）」』,.]?|[^\s\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+|\s+/g;

/** `text` wrapped to `width` columns, every line after the first indented by `indent` spaces. */
export function wrap(text: string, width = 80, indent = 0, first = indent): string {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  let used = first;
  for (const token of text.match(TOKENS) ?? []) {
    const w = stringWidth(token);
    if (/^\s+$/.test(token)) {
      if (used > indent) {
        line += ' ';
        used += 1;
      }
      continue;
    }
    if (used + w > width && used > indent) {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent);
      used = indent;
    }
    line += token;
    used += w;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
