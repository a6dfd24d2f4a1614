/**
 * A lossless document model for the AWS shared config and credentials files.
 *
 * Written by hand on purpose: the INI libraries on npm (ini, configparser ports, the AWS SDK's own
 * loader) parse into plain objects and lose comments, spacing, key order, line endings and the
 * BOM, so writing their result back reformats a user's file. Here every line keeps its exact text
 * and its own line ending; serialising an unmodified document gives back the input string, and an
 * edit replaces, inserts or removes only the lines it must.
 *
 * Three files: classify.ts (the line classifier), focused.ts (the focused parse), lines.ts (the
 * lines and queries); this one builds documents and holds the edits. Pure: no I/O, no environment.
 */
import { BOM, parseBody, type ClassifiedLine, type SectionSpan } from './classify.js';
import { focusedLines } from './focused.js';
import { DocumentLines } from './lines.js';

export * from './classify.js';

export class IniDocument extends DocumentLines {
  static parse(text: string): IniDocument {
    const bom = text.startsWith(BOM);
    const body = bom ? text.slice(1) : text;
    const nl = body.indexOf('\n');
    const eol = nl > 0 && body.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
    const { lines, issues } = parseBody(body);
    return new IniDocument(bom, eol, lines, issues);
  }

  /** A document that classifies only the sections `keep` accepts (see focused.ts). */
  static parseFocused(text: string, keep: (name: string) => boolean): IniDocument {
    const { bom, eol, lines } = focusedLines(text, keep);
    return new IniDocument(bom, eol, lines, []);
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
      if (
        b < this._lines.length &&
        this._lines[b]!.kind === 'blank' &&
        (a === 0 || this._lines[a - 1]!.kind === 'blank')
      )
        b++;
      else if (b >= s.end && a > 0 && this._lines[a - 1]!.kind === 'blank' && s.end === this._lines.length) a--;
      this.removeLines(a, b);
      this._spans = undefined;
      this.edited();
    }
    return true;
  }
}
