/**
 * The lines of a lossless INI document and what can be asked of them: the sections and their
 * spans (kept true across edits without re-scanning), and values as the SDKs read them. The
 * edits live in document.ts. Pure.
 */
import { BOM, classify, type ClassifiedLine, type SectionSpan, type SyntaxIssue } from './classify.js';

export class DocumentLines {
  readonly bom: boolean;
  /** The line ending new lines get: the file's own (the first one it uses), LF for an empty file. */
  readonly eol: '\n' | '\r\n';
  protected _lines: ClassifiedLine[];
  protected _issues: SyntaxIssue[];
  protected _spans: SectionSpan[] | undefined;

  protected constructor(bom: boolean, eol: '\n' | '\r\n', lines: ClassifiedLine[], issues: SyntaxIssue[]) {
    this.bom = bom;
    this.eol = eol;
    this._lines = lines;
    this._issues = issues;
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

  protected lastContentLine(s: SectionSpan): number {
    let last = s.header;
    for (let i = s.header + 1; i < s.end; i++) {
      const k = this._lines[i]!.kind;
      if (k === 'property' || k === 'continuation' || k === 'invalid') last = i;
    }
    return last;
  }

  /** Index one past the continuation lines that follow property line `i`. */
  protected propertyEnd(i: number): number {
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
  protected makeLine(text: string): ClassifiedLine {
    return classify(['[_]', text], ['\n', this.eol]).lines[1]!;
  }

  /**
   * After an edit. Edits replace, insert or remove whole properties and sections, which leaves
   * the classification of every other line as it was, so only the section index is rebuilt. A
   * document that had syntax errors is classified again whole, so its issues stay true.
   */
  protected edited(spansKept = false): void {
    if (!spansKept) this._spans = undefined;
    if (this._issues.length > 0) this.reclassify();
  }

  /**
   * Keep the section index true after `delta` lines were inserted or removed at `at` inside
   * `owner`: the owner grows or shrinks, every later section moves. Linear in the number of
   * sections with no allocation, so repeated edits of a 10,000-profile file stay cheap.
   */
  protected shiftSpans(owner: SectionSpan, at: number, delta: number): void {
    if (!this._spans || delta === 0) return;
    for (const sp of this._spans) {
      if (sp === owner) sp.end += delta;
      else if (sp.header >= at) {
        sp.header += delta;
        sp.end += delta;
      }
    }
  }

  protected reclassify(): void {
    const { lines, issues } = classify(
      this._lines.map((l) => l.text),
      this._lines.map((l) => l.eol),
    );
    this._lines = lines;
    this._issues = issues;
    this._spans = undefined;
  }

  /** Insert lines; appended lines take over a missing final line ending from the old last line. */
  protected insert(start: number, items: ClassifiedLine[]): void {
    const last = this._lines[this._lines.length - 1];
    if (items.length > 0 && start === this._lines.length && last && last.eol === '') {
      last.eol = this.eol;
      items[items.length - 1]!.eol = '';
    }
    this._lines.splice(start, 0, ...items);
  }
}
