/**
 * A lossless document model for the AWS shared config and credentials files.
 *
 * Written by hand on purpose: the INI libraries on npm (ini, configparser ports, the AWS SDK's own
 * loader) parse into plain objects and lose comments, spacing, key order, line endings and the
 * BOM, so writing their result back reformats a user's file. Here every line keeps its exact text
 * and its own line ending; serialising an unmodified document gives back the input string, and an
 * edit replaces, inserts or removes only the lines it must.
 *
 * Line classification follows the SDK teams' shared parser suite (see ../shared/conformance):
 * blank, then indented (continuation / sub-property), then comment, then section header, then
 * property. Syntax errors are recorded with their line number instead of thrown, so a caller
 * decides; the profile view (profiles.ts) turns them into a load failure as the SDKs do.
 *
 * Pure: no I/O, no environment.
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

const BOM = '\uFEFF';

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
function line(text: string, eol: Eol, kind: LineKind, section?: string, key?: string, value?: string, trimmed?: string, error?: string): ClassifiedLine {
  return { text, eol, kind, section, key, value, trimmed, error };
}

/** Split into lines (each with its own ending) and classify them in one pass. */
function parseBody(body: string): { lines: ClassifiedLine[]; issues: SyntaxIssue[] } {
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
function classify(texts: readonly string[], eols: readonly Eol[]): { lines: ClassifiedLine[]; issues: SyntaxIssue[] } {
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

export class IniDocument {
  readonly bom: boolean;
  /** The line ending new lines get: the file's own (the first one it uses), LF for an empty file. */
  readonly eol: '\n' | '\r\n';
  private _lines: ClassifiedLine[];
  private _issues: SyntaxIssue[];
  private _spans: SectionSpan[] | undefined;

  private constructor(bom: boolean, eol: '\n' | '\r\n', lines: ClassifiedLine[], issues: SyntaxIssue[]) {
    this.bom = bom;
    this.eol = eol;
    this._lines = lines;
    this._issues = issues;
  }

  static parse(text: string): IniDocument {
    const bom = text.startsWith(BOM);
    const body = bom ? text.slice(1) : text;
    const nl = body.indexOf('\n');
    const eol = nl > 0 && body.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
    const { lines, issues } = parseBody(body);
    return new IniDocument(bom, eol, lines, issues);
  }

  /**
   * A document that classifies only the sections `keep` accepts (by their trimmed header text);
   * every other run of lines is one opaque piece of raw text, with its last line kept apart so
   * that edits see the real neighbours of what they change. Serialises to the same bytes, and the
   * kept sections edit exactly as in a full document (a property test compares the two). For
   * files with thousands of profiles, where a full parse is most of the cost of an update.
   * The text must be free of syntax errors (check with the scanner first).
   */
  static parseFocused(text: string, keep: (name: string) => boolean): IniDocument {
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
        out.push({ ...line(crlf ? piece.slice(0, -1) : piece, crlf ? '\r\n' : '\n', 'opaque'), startsSection: regionIsSection });
      }
      const l = parseBody(chunk.slice(lastStart)).lines[0]!;
      out.push({ ...line(l.text, l.eol, isBlank(l.text) ? 'blank' : 'opaque'), startsSection: regionIsSection && lastStart === 0 });
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
    return new IniDocument(bom, eol, out, []);
  }

  toString(): string {
    let s = this.bom ? BOM : '';
    for (const l of this._lines) s += l.text + l.eol;
    return s;
  }

  get lines(): readonly ClassifiedLine[] {
    return this._lines;
  }

  /** Syntax errors by the SDK suite's rules, in line order. */
  get issues(): readonly SyntaxIssue[] {
    return this._issues;
  }

  /** Every section header in file order (duplicates included), with the span it owns. */
  spans(): readonly SectionSpan[] {
    if (this._spans) return this._spans;
    const spans: SectionSpan[] = [];
    for (let i = 0; i < this._lines.length; i++) {
      const l = this._lines[i]!;
      if (l.kind === 'section' || l.startsSection) {
        const prev = spans[spans.length - 1];
        if (prev && prev.end === this._lines.length) prev.end = i;
        if (l.kind === 'section') spans.push({ name: l.section!, header: i, end: this._lines.length });
      }
    }
    this._spans = spans;
    return spans;
  }

  /** All spans whose trimmed header text equals `name` (case-sensitive, as the SDKs compare). */
  sectionSpans(name: string): SectionSpan[] {
    return this.spans().filter((s) => s.name === name);
  }

  hasSection(name: string): boolean {
    return this.spans().some((s) => s.name === name);
  }

  /** The value the SDKs would read for `key` in section `name` (later occurrences win). */
  get(name: string, key: string): string | undefined {
    const k = key.toLowerCase();
    let found: string | undefined;
    for (const s of this.sectionSpans(name)) {
      for (let i = s.header + 1; i < s.end; i++) {
        const l = this._lines[i]!;
        if (l.kind === 'property' && l.key === k) found = l.value;
      }
    }
    return found;
  }

  /** Keys and values of a section as the SDKs read them (plain properties only). */
  entries(name: string): Map<string, string> {
    const m = new Map<string, string>();
    for (const s of this.sectionSpans(name)) {
      for (let i = s.header + 1; i < s.end; i++) {
        const l = this._lines[i]!;
        if (l.kind === 'property') m.set(l.key!, l.value!);
      }
    }
    return m;
  }

  private lastContentLine(s: SectionSpan): number {
    let last = s.header;
    for (let i = s.header + 1; i < s.end; i++) {
      const k = this._lines[i]!.kind;
      if (k === 'property' || k === 'continuation' || k === 'invalid') last = i;
    }
    return last;
  }

  /** Index one past the continuation lines that follow property line `i`. */
  private propertyEnd(i: number): number {
    let j = i + 1;
    while (j < this._lines.length) {
      const k = this._lines[j]!.kind;
      if (k === 'continuation') j++;
      else if (k === 'blank') {
        // a blank line inside a continuation block belongs to it only if more continuation follows
        let n = j + 1;
        while (n < this._lines.length && this._lines[n]!.kind === 'blank') n++;
        if (n < this._lines.length && this._lines[n]!.kind === 'continuation') j = n;
        else break;
      } else break;
    }
    return j;
  }

  /** Classify a new line as it reads inside a section (which is where edits put lines). */
  private makeLine(text: string): ClassifiedLine {
    return classify(['[_]', text], ['\n', this.eol]).lines[1]!;
  }

  /**
   * After an edit. Edits replace, insert or remove whole properties and sections, which leaves
   * the classification of every other line as it was, so only the section index is rebuilt. A
   * document that had syntax errors is classified again whole, so its issues stay true.
   */
  private edited(spansKept = false): void {
    if (!spansKept) this._spans = undefined;
    if (this._issues.length > 0) this.reclassify();
  }

  /**
   * Keep the section index true after `delta` lines were inserted or removed at `at` inside
   * `owner`: the owner grows or shrinks, every later section moves. Linear in the number of
   * sections with no allocation, so repeated edits of a 10,000-profile file stay cheap.
   */
  private shiftSpans(owner: SectionSpan, at: number, delta: number): void {
    if (!this._spans || delta === 0) return;
    for (const sp of this._spans) {
      if (sp === owner) sp.end += delta;
      else if (sp.header >= at) {
        sp.header += delta;
        sp.end += delta;
      }
    }
  }

  private reclassify(): void {
    const { lines, issues } = classify(this._lines.map((l) => l.text), this._lines.map((l) => l.eol));
    this._lines = lines;
    this._issues = issues;
    this._spans = undefined;
  }

  /** Insert lines; appended lines take over a missing final line ending from the old last line. */
  private insert(start: number, items: ClassifiedLine[]): void {
    const last = this._lines[this._lines.length - 1];
    if (items.length > 0 && start === this._lines.length && last && last.eol === '') {
      last.eol = this.eol;
      items[items.length - 1]!.eol = '';
    }
    this._lines.splice(start, 0, ...items);
  }

  /**
   * Set `key = value` in section `name`. An existing key keeps its spelling and the spacing
   * around `=` (its old value, inline comment and continuation lines go); a new key goes after
   * the section's last property. The section must exist. Returns true if the text changed.
   */
  set(name: string, key: string, value: string): boolean {
    const spans = this.sectionSpans(name);
    if (spans.length === 0) throw new Error(`no section [${name}]`);
    return this.setIn(spans, key, value);
  }

  /** `set` within the given spans only (one occurrence of a duplicated section, say). */
  setIn(spans: readonly SectionSpan[], key: string, value: string): boolean {
    if (/[\r\n]/.test(value)) throw new Error('a value cannot contain a line break');
    if (spans.length === 0) throw new Error('no section to set a key in');
    const k = key.toLowerCase();
    let at = -1;
    for (const s of spans) {
      for (let i = s.header + 1; i < s.end; i++) {
        const l = this._lines[i]!;
        if (l.kind === 'property' && l.key === k) at = i;
      }
    }
    if (at >= 0) {
      const old = this._lines[at]!;
      const m = /^([^=]*?)([ \t]*)=([ \t]*)/.exec(old.text)!;
      // keep `k=v` tight and `k = v` spaced; an empty `k =` gets the space its `=` had before it
      const text = `${m[1]}${m[2]}=${m[3] || (m[2] ? ' ' : '')}${value}`;
      const contEnd = this.propertyEnd(at);
      if (text === old.text && contEnd === at + 1) return false;
      // the replacement ends the way the last replaced line did (a file without a final
      // line ending keeps not having one)
      const eol = this._lines[contEnd - 1]!.eol;
      this._lines.splice(at, contEnd - at, { ...this.makeLine(text), eol });
      this.shiftSpans(spans.find((sp) => sp.header < at && at < sp.end)!, at + 1, 1 - (contEnd - at));
    } else {
      const s = spans[spans.length - 1]!;
      const after = this.lastContentLine(s) + 1;
      // inserted before the section's trailing blank lines and comments
      this.insert(after, [this.makeLine(`${key} = ${value}`)]);
      this.shiftSpans(s, after, 1);
    }
    this.edited(true);
    return true;
  }

  /** The text between the brackets of a header line, untrimmed (the AWS CLI does not trim it). */
  rawHeader(span: SectionSpan): string {
    const t = this._lines[span.header]!.text;
    return t.slice(1, t.indexOf(']'));
  }

  /** Rewrite one header line to `[text]`, keeping whatever follows its `]` and its line ending. */
  renameHeader(span: SectionSpan, text: string): boolean {
    if (/[\r\n\]]/.test(text)) throw new Error('invalid section name');
    const l = this._lines[span.header]!;
    const close = l.text.indexOf(']');
    const next = `[${text}]${l.text.slice(close + 1)}`;
    if (next === l.text) return false;
    this._lines[span.header] = { ...this.makeLine(next), eol: l.eol };
    span.name = this._lines[span.header]!.section!;
    this.edited(true);
    return true;
  }

  /** Remove `key` (every occurrence, with its continuation lines) from section `name`. */
  remove(name: string, key: string): boolean {
    return this.removeIn(this.sectionSpans(name), key);
  }

  /** `remove` within the given spans only. */
  removeIn(spans: readonly SectionSpan[], key: string): boolean {
    const k = key.toLowerCase();
    const ranges: Array<[SectionSpan, number, number]> = [];
    for (const s of spans) {
      for (let i = s.header + 1; i < s.end; i++) {
        const l = this._lines[i]!;
        if (l.kind === 'property' && l.key === k) ranges.push([s, i, this.propertyEnd(i)]);
      }
    }
    if (ranges.length === 0) return false;
    const indexed = this._spans !== undefined;
    for (const [owner, a, b] of ranges.reverse()) {
      this.removeLines(a, b);
      if (indexed) this.shiftSpans(owner, a, -(b - a));
    }
    this.edited(indexed);
    return true;
  }

  private removeLines(a: number, b: number): void {
    const removingLast = b === this._lines.length;
    const lastEol = this._lines[b - 1]!.eol;
    this._lines.splice(a, b - a);
    // a file that did not end with a line ending keeps not ending with one
    if (removingLast && lastEol === '' && a > 0) this._lines[a - 1]!.eol = '';
  }

  /**
   * Append a new section with the given keys at the end, separated from the text before it by
   * one blank line, in the file's own line-ending style.
   */
  addSection(name: string, entries: ReadonlyArray<readonly [string, string]> = []): void {
    if (/[\r\n\]]/.test(name)) throw new Error('invalid section name');
    const add: ClassifiedLine[] = [];
    const last = this._lines[this._lines.length - 1];
    if (last && last.kind !== 'blank') add.push(this.makeLine(''));
    add.push(this.makeLine(`[${name}]`));
    for (const [k, v] of entries) {
      if (/[\r\n]/.test(v)) throw new Error('a value cannot contain a line break');
      add.push(this.makeLine(`${k} = ${v}`));
    }
    this.insert(this._lines.length, add);
    this.edited();
  }

  /**
   * Remove every section called `name`: its header and its lines up to its last property.
   * Comments and blank lines that follow the last property are left for the next section, and
   * one blank separator goes with it so no double gap remains.
   */
  removeSection(name: string): boolean {
    const spans = this.sectionSpans(name);
    if (spans.length === 0) return false;
    for (const s of [...spans].reverse()) {
      let a = s.header;
      let b = this.lastContentLine(s) + 1;
      if (b < this._lines.length && this._lines[b]!.kind === 'blank' && (a === 0 || this._lines[a - 1]!.kind === 'blank')) b++;
      else if (b >= s.end && a > 0 && this._lines[a - 1]!.kind === 'blank' && s.end === this._lines.length) a--;
      this.removeLines(a, b);
      this._spans = undefined;
      this.edited();
    }
    return true;
  }
}
