/**
 * The line classifier of the lossless INI model: splits text into lines (each with its own
 * ending) and classifies them by the SDK teams' shared parser suite (see test/conformance):
 * blank, then indented (continuation / sub-property), then comment, then section header, then
 * property. Syntax errors are recorded with their line number instead of thrown. Pure.
 */
export type Eol = '\n' | '\r\n' | '';

/** `opaque`: in a focused document, lines of sections that were not asked for, kept as raw text. */
export type LineKind = 'blank' | 'comment' | 'section' | 'property' | 'continuation' | 'invalid' | 'opaque';

export interface Line {
  /** The line's text without its line ending. */
  text: string;
  /** The line's own ending ('' only for a last line without one). */
  eol: Eol;
}

export interface ClassifiedLine extends Line {
  kind: LineKind;
  /** section: trimmed text between the brackets. */
  section?: string;
  /** property: lowercased trimmed key; continuation: the property it continues. */
  key?: string;
  /** property: value as the SDKs read it (trimmed, inline comment after whitespace cut). */
  value?: string;
  /** continuation: the trimmed line. */
  trimmed?: string;
  /** invalid: the SDK suite's error message. */
  error?: string;
  /** opaque: the raw text starts with a section header (so it ends the section before it). */
  startsSection?: boolean;
}

export interface SyntaxIssue {
  line: number; // 1-based
  message: string;
}

/** One `[name]` header and the lines that follow it up to the next header. */
export interface SectionSpan {
  name: string;
  /** Index of the header line. */
  header: number;
  /** Index one past the section's last line (the next header, or the end). */
  end: number;
}

export const BOM = '\uFEFF';

export function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

/** The value rule of the SDK suite: trim, cut at the first `#`/`;` that follows whitespace, trim. */
export function sdkValue(raw: string): string {
  const v = raw.trim();
  const m = /[ \t][#;]/.exec(v);
  return (m ? v.slice(0, m.index) : v).trim();
}

/** One line with every field present, so all lines share one object shape (fast on 100k lines). */
export function line(
  text: string,
  eol: Eol,
  kind: LineKind,
  section?: string,
  key?: string,
  value?: string,
  trimmed?: string,
  error?: string,
): ClassifiedLine {
  return { text, eol, kind, section, key, value, trimmed, error };
}

/** Split into lines (each with its own ending) and classify them in one pass. */
export function parseBody(body: string): { lines: ClassifiedLine[]; issues: SyntaxIssue[] } {
  const texts: string[] = [];
  const eols: Eol[] = [];
  let start = 0;
  for (;;) {
    const nl = body.indexOf('\n', start);
    if (nl === -1) {
      if (start < body.length) {
        texts.push(body.slice(start));
        eols.push('');
      }
      break;
    }
    const crlf = nl > start && body.charCodeAt(nl - 1) === 13;
    texts.push(body.slice(start, crlf ? nl - 1 : nl));
    eols.push(crlf ? '\r\n' : '\n');
    start = nl + 1;
  }
  return classify(texts, eols);
}

function isBlankAt(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Classify lines in one pass, with the state the suite's rules need. */
export function classify(
  texts: readonly string[],
  eols: readonly Eol[],
): { lines: ClassifiedLine[]; issues: SyntaxIssue[] } {
  const n = texts.length;
  const out: ClassifiedLine[] = new Array(n);
  const issues: SyntaxIssue[] = [];
  let inSection = false;
  let currentKey: string | undefined; // property being continued in the current section
  let currentValueEmpty = false;
  for (let i = 0; i < n; i++) {
    const t = texts[i]!;
    const eol = eols[i]!;
    const c = t.charCodeAt(0);
    let error: string | undefined;
    if (isBlankAt(t)) {
      out[i] = line(t, eol, 'blank');
    } else if (c === 32 || c === 9) {
      const trimmed = t.trim();
      if (!inSection) error = 'Expected a section definition';
      else if (currentKey === undefined) error = 'Expected a property definition, found continuation';
      else if (currentValueEmpty) {
        const eq = trimmed.indexOf('=');
        if (eq === -1) error = "Expected an '=' sign defining a property in sub-property";
        else if (trimmed.slice(0, eq).trim() === '') error = 'Property did not have a name in sub-property';
      }
      if (!error) out[i] = line(t, eol, 'continuation', undefined, currentKey, undefined, trimmed);
    } else if (c === 35 || c === 59) {
      out[i] = line(t, eol, 'comment');
    } else if (c === 91) {
      const close = t.indexOf(']');
      if (close === -1) error = "Section definition must end with ']'";
      else {
        out[i] = line(t, eol, 'section', t.slice(1, close).replace(/^[ \t]+|[ \t]+$/g, ''));
        inSection = true;
        currentKey = undefined;
      }
    } else {
      const eq = t.indexOf('=');
      if (!inSection) error = 'Expected a section definition';
      else if (eq === -1) error = "Expected an '=' sign defining a property";
      else {
        const key = t.slice(0, eq).trim().toLowerCase();
        if (key === '') error = 'Property did not have a name';
        else {
          const value = sdkValue(t.slice(eq + 1));
          out[i] = line(t, eol, 'property', undefined, key, value);
          currentKey = key;
          currentValueEmpty = value === '';
        }
      }
    }
    if (error) {
      issues.push({ line: i + 1, message: error });
      out[i] = line(t, eol, 'invalid', undefined, undefined, undefined, undefined, error);
    }
  }
  return { lines: out, issues };
}
