/**
 * Lines wrapped for an 80-column terminal, Japanese included: double-width characters count as two
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
 * so what the help shows can be pasted.
 */
function pieces(text: string): Array<{ text: string; required: boolean }> {
  const out: Array<{ text: string; required: boolean }> = [];
  const breaker = new LineBreaker(text);
  let last = 0;
  for (let b = breaker.nextBreak(); b; b = breaker.nextBreak()) {
    const before = Array.from(text.slice(last, b.position)).at(-1);
    const after = Array.from(text.slice(b.position, b.position + 2))[0];
    if (!b.required && after !== undefined && !/\s/.test(before ?? ' ') && !wide(before) && !wide(after)) continue;
    out.push({ text: text.slice(last, b.position), required: b.required });
    last = b.position;
  }
  return out;
}

/** `text` wrapped to `width` columns, every line after the first indented by `indent` spaces. */
export function wrap(text: string, width = 80, indent = 0, first = indent): string {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  let used = first;
  for (const piece of pieces(text)) {
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
