/**
 * The focused parse: only the sections a caller asks for are classified; every other run of
 * lines is one opaque piece of raw text, with its last line kept apart so that edits see the real
 * neighbours of what they change. It serialises to the same bytes, and the kept sections edit
 * exactly as in a full document (a property test compares the two). For files with thousands of
 * profiles, where a full parse is most of the cost of an update. Pure.
 */
import { BOM, isBlank, line, parseBody, type ClassifiedLine } from './classify.js';

/** The text must be free of syntax errors (check with the scanner first). */
export function focusedLines(
  text: string,
  keep: (name: string) => boolean,
): { bom: boolean; eol: '\n' | '\r\n'; lines: ClassifiedLine[] } {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const nl0 = body.indexOf('\n');
  const eol = nl0 > 0 && body.charCodeAt(nl0 - 1) === 13 ? '\r\n' : '\n';
  const out: ClassifiedLine[] = [];
  // regions start at header lines; each is kept (classified) or not (opaque)
  let regionStart = 0;
  let regionKept = false;
  let regionIsSection = false;
  const flush = (end: number) => {
    if (end <= regionStart) return;
    const chunk = body.slice(regionStart, end);
    if (regionKept) {
      const { lines } = parseBody(chunk);
      for (const l of lines) out.push(l);
      return;
    }
    // all but the last line as one opaque piece; the last line on its own
    const searchFrom = chunk.endsWith('\n') ? chunk.length - 2 : chunk.length - 1;
    const lastStart = searchFrom < 0 ? 0 : chunk.lastIndexOf('\n', searchFrom) + 1;
    if (lastStart > 0) {
      const piece = chunk.slice(0, lastStart - 1); // without its final newline
      const crlf = piece.charCodeAt(piece.length - 1) === 13;
      out.push({
        ...line(crlf ? piece.slice(0, -1) : piece, crlf ? '\r\n' : '\n', 'opaque'),
        startsSection: regionIsSection,
      });
    }
    const l = parseBody(chunk.slice(lastStart)).lines[0]!;
    out.push({
      ...line(l.text, l.eol, isBlank(l.text) ? 'blank' : 'opaque'),
      startsSection: regionIsSection && lastStart === 0,
    });
  };
  // a region is a maximal run of sections that are all kept or all not: the sections nobody
  // asked for become one opaque piece however many there are
  let pos = 0;
  while (pos < body.length) {
    let nl = body.indexOf('\n', pos);
    if (nl === -1) nl = body.length;
    if (body.charCodeAt(pos) === 91) {
      const close = body.indexOf(']', pos);
      if (close !== -1 && close < nl) {
        const kept = keep(body.slice(pos + 1, close).replace(/^[ \t]+|[ \t]+$/g, ''));
        if (kept || regionKept || !regionIsSection) {
          flush(pos);
          regionStart = pos;
          regionIsSection = true;
          regionKept = kept;
        }
      }
    }
    pos = nl + 1;
  }
  flush(body.length);
  return { bom, eol, lines: out };
}
