/**
 * Lines wrapped for a terminal (80 columns, or its own width), Japanese included: double-width characters count as two
 * (string-width), and lines break where the Unicode line breaking algorithm allows (linebreak,
 * UAX #14, which knows 禁則). Only help needs it, so it is a module of its own and the status and
 * device tables do not carry the line breaking data.
 */
import stringWidth from 'string-width';
import LineBreaker from 'linebreak';

const wide = (c: string | undefined) => c !== undefined && stringWidth(c) === 2;

/**
 * The pieces of `text` between the places a line may break. The places are the Unicode line breaking
 * algorithm's (UAX #14, from linebreak): after spaces, and between Japanese characters except where
 * 禁則 forbids it (no line starts with 、。）」ー or a small kana, none ends with （「). One rule is
 * added: a run of narrow characters without spaces (a flag, path, ARN or command) is never split,
 * so what the help shows can be pasted; nor is any of `keep` (a command with its spaces).
 */
function pieces(text: string, keep: readonly string[]): Array<{ text: string; required: boolean }> {
  const out: Array<{ text: string; required: boolean }> = [];
  const inside = new Set<number>();
  for (const k of keep) {
    for (let at = text.indexOf(k); k !== '' && at >= 0; at = text.indexOf(k, at + k.length))
      for (let i = at + 1; i < at + k.length; i++) inside.add(i);
  }
  const breaker = new LineBreaker(text);
  let last = 0;
  for (let b = breaker.nextBreak(); b; b = breaker.nextBreak()) {
    if (!b.required && inside.has(b.position)) continue;
    const before = Array.from(text.slice(last, b.position)).at(-1);
    const after = Array.from(text.slice(b.position, b.position + 2))[0];
    if (!b.required && after !== undefined && !/\s/.test(before ?? ' ') && !wide(before) && !wide(after)) continue;
    out.push({ text: text.slice(last, b.position), required: b.required });
    last = b.position;
  }
  return out;
}

/**
 * `text` wrapped to `width` columns, every line after the first indented by `indent` spaces; no line
 * breaks inside any of `keep`.
 */
export function wrap(text: string, width = 80, indent = 0, first = indent, keep: readonly string[] = []): string {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  let used = first;
  for (const piece of pieces(text, keep)) {
    const body = piece.text.replace(/\s+$/, '');
    const w = stringWidth(body);
    if (used + w > width && used > indent && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent);
      used = indent;
    }
    line += piece.text.replace(/\s+$/, ' ');
    used = stringWidth(line);
    if (piece.required && /[\r\n]$/.test(piece.text)) {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent);
      used = indent;
    }
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
