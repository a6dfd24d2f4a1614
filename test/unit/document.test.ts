/**
 * The lossless document: exact round trips, edits that touch only their lines, and property tests
 * over thousands of generated files (with real botocore as the judge of "other profiles unchanged").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IniDocument } from '../../src/ini/document.js';
import { readView } from '../../src/ini/profiles.js';
import { writeProfile, profileFilter, removeProfile, renameProfile } from '../../src/ini/write-profile.js';
import { botocoreRead } from '../helpers/botocore.js';

const BOM = '\uFEFF';

test('unmodified documents serialise to the exact input', () => {
  const inputs = [
    '',
    '\n',
    '[a]',
    '[a]\nx=1',
    `${BOM}[default]\r\naws_access_key_id = AKIA\r\n`,
    '# c\n; c2\n\n[ spaced ]   # trailing comment\n  key  =   value ; inline\n\ts3 =\n\t  sub = 1\n\n\n',
    '[a]\r\nx = 1\n[b]\ny = 2\r\n', // mixed line endings
    'junk before any section\n[a]\nno equals here\n   \n',
    '[unterminated\nx=1\n',
    '[a]\nk = \u00e9\u{1F602}\n',
  ];
  for (const s of inputs) assert.equal(IniDocument.parse(s).toString(), s, JSON.stringify(s));
});

test('set: an existing key keeps its spelling and spacing; only its line changes', () => {
  const doc = IniDocument.parse('[p]\nAWS_Session_Token   =  old # note\nafter = 1\n');
  assert.equal(doc.set('p', 'aws_session_token', 'new'), true);
  assert.equal(doc.toString(), '[p]\nAWS_Session_Token   =  new\nafter = 1\n');
  assert.equal(doc.set('p', 'aws_session_token', 'new'), false, 'no change, no edit');
});

test('set: a new key goes after the last property, before trailing comments and blanks', () => {
  const doc = IniDocument.parse('[p]\na = 1\n\n# about q\n[q]\nb = 2\n');
  doc.set('p', 'c', '3');
  assert.equal(doc.toString(), '[p]\na = 1\nc = 3\n\n# about q\n[q]\nb = 2\n');
});

test('set: a value with continuation lines is replaced whole', () => {
  const doc = IniDocument.parse('[p]\ns3 =\n  x = 1\n  y = 2\nz = 3\n');
  doc.set('p', 's3', 'flat');
  assert.equal(doc.toString(), '[p]\ns3 = flat\nz = 3\n');
});

test('set: with duplicate sections, the effective (last) occurrence of the key is changed', () => {
  const doc = IniDocument.parse('[p]\nk = 1\n[p]\nk = 2\n');
  doc.set('p', 'k', '3');
  assert.equal(doc.toString(), '[p]\nk = 1\n[p]\nk = 3\n');
  assert.equal(doc.get('p', 'k'), '3');
});

test('addSection: in the file’s own line endings, after one blank line, keeping a missing final newline', () => {
  const crlf = IniDocument.parse('[a]\r\nx = 1\r\n');
  crlf.addSection('b', [['y', '2']]);
  assert.equal(crlf.toString(), '[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2\r\n');
  const open = IniDocument.parse('[a]\nx = 1');
  open.addSection('b', [['y', '2']]);
  assert.equal(open.toString(), '[a]\nx = 1\n\n[b]\ny = 2');
  const empty = IniDocument.parse('');
  empty.addSection('b', [['y', '2']]);
  assert.equal(empty.toString(), '[b]\ny = 2\n');
  const bom = IniDocument.parse(`${BOM}[a]\n`);
  bom.addSection('b');
  assert.equal(bom.toString(), `${BOM}[a]\n\n[b]\n`);
});

test('remove and removeSection touch only their lines', () => {
  const doc = IniDocument.parse('# top\n[a]\nx = 1\ns3 =\n  k = v\ny = 2\n\n[b]\nz = 3\n\n# about c\n[c]\nw = 4\n');
  assert.equal(doc.remove('a', 's3'), true);
  assert.equal(doc.toString(), '# top\n[a]\nx = 1\ny = 2\n\n[b]\nz = 3\n\n# about c\n[c]\nw = 4\n');
  assert.equal(doc.removeSection('b'), true);
  assert.equal(doc.toString(), '# top\n[a]\nx = 1\ny = 2\n\n# about c\n[c]\nw = 4\n');
  assert.equal(doc.removeSection('c'), true);
  assert.equal(doc.toString(), '# top\n[a]\nx = 1\ny = 2\n\n# about c\n');
  assert.equal(doc.remove('a', 'nope'), false);
  assert.equal(doc.removeSection('nope'), false);
});

test('renameHeader: `[ name ]` becomes `[name]`, keeping a trailing comment and line ending', () => {
  const doc = IniDocument.parse('[ a ]  # mine\r\nx = 1\r\n[b]\r\n');
  assert.equal(doc.rawHeader(doc.sectionSpans('a')[0]!), ' a ');
  assert.equal(doc.renameHeader(doc.sectionSpans('a')[0]!, 'a'), true);
  assert.equal(doc.toString(), '[a]  # mine\r\nx = 1\r\n[b]\r\n');
  assert.equal(doc.renameHeader(doc.sectionSpans('b')[0]!, 'b'), false);
});

test('writeProfile: into the exact header; later SDK duplicates lose the keys; [ name ] is made exact only when no exact one exists', () => {
  const dup = IniDocument.parse('[p]\nk = 1\n[ p ]\nk = 2\nother = x\n');
  writeProfile(dup, 'p', 'credentials', [['k', '3']]);
  assert.equal(dup.toString(), '[p]\nk = 3\n[ p ]\nother = x\n');
  const loose = IniDocument.parse('[ p ]\nk = 1\n');
  writeProfile(loose, 'p', 'credentials', [['k', '2']], ['gone']);
  assert.equal(loose.toString(), '[p]\nk = 2\n');
  const cfg = IniDocument.parse('[profile  p]\nregion = x\n');
  writeProfile(cfg, 'p', 'config', [['credential_process', 'cmd']]);
  assert.equal(cfg.toString(), '[profile p]\nregion = x\ncredential_process = cmd\n');
});

test('syntax errors are recorded with their line, as the SDK suite words them', () => {
  const doc = IniDocument.parse('[a]\nx = 1\nno equals\n');
  assert.deepEqual(doc.issues, [{ line: 3, message: "Expected an '=' sign defining a property" }]);
  assert.throws(() => readView(doc, 'credentials'), /line 3/);
});

// ---- property tests -------------------------------------------------------------------------

const name = fc.stringMatching(/^[A-Za-z0-9_\-.@]{1,12}$/);
const value = fc.stringMatching(/^[A-Za-z0-9/+=_.\-]{0,20}$/);
const ws = fc.constantFrom('', ' ', '  ', '\t');
const eol = fc.constantFrom('\n', '\r\n');

/** Lines a person (or Notepad) might have in a credentials file, all valid for the SDK rules. */
const validLine = fc.oneof(
  fc.tuple(fc.constantFrom('#', ';'), fc.stringMatching(/^[^\r\n]{0,30}$/)).map(([c, t]) => c + t),
  ws.map((w) => w),
  fc.tuple(ws, name, ws, fc.constantFrom('', ' # c', '  ; note')).map(([a, n, b, c]) => `[${a}${n}${b}]${c}`),
  fc.tuple(name, ws, ws, value).map(([k, a, b, v]) => `${k}${a}=${b}${v}`),
  fc.tuple(name, value).map(([k, v]) => `${k} = ${v} # trailing`),
  fc.tuple(name, fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 3 })).map(
    ([k, subs]) => `${k} =\n${subs.map(([s, v]) => `  ${s} = ${v}`).join('\n')}`,
  ),
);

const fileOf = (lines: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.boolean(), fc.array(fc.tuple(lines, eol), { maxLength: 40 }), fc.boolean(), fc.boolean())
    .map(([bom, ls, lastOpen, startWithSection]) => {
      let text = (startWithSection ? '[first]\n' : '') + ls.map(([l, e]) => l.replace(/\n/g, e) + e).join('');
      if (lastOpen) text = text.replace(/\r?\n$/, '');
      return (bom ? BOM : '') + text;
    });

const anyLine = fc.oneof(validLine, fc.stringMatching(/^[^\r\n]{0,40}$/), fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')));

test('property: any file round-trips byte for byte (5,000 generated files)', () => {
  fc.assert(
    fc.property(fileOf(anyLine), (text) => IniDocument.parse(text).toString() === text),
    { numRuns: 5000 },
  );
});

test('property: writing a session into one profile changes only that section; botocore reads every other profile the same', () => {
  const cases: Array<{ before: string; after: string; target: string }> = [];
  fc.assert(
    fc.property(fileOf(validLine), name, value, (text, target, v) => {
      const doc = IniDocument.parse(text);
      fc.pre(doc.issues.length === 0);
      const names = doc.spans().map((s) => s.name);
      const section = names.length > 0 && names.includes(target) === false ? names[names.length - 1]! : target;
      // what the session command does: several keys set, one removed, the header made exact
      writeProfile(doc, section, 'credentials', [['assumed_role', 'False'], ['aws_session_token', v], ['expiration', '2030-01-01 00:00:00']], ['assumed_role_arn']);
      const after = doc.toString();
      const afterDoc = IniDocument.parse(after);
      assert.equal(afterDoc.issues.length, 0, 'the result parses cleanly');
      // edits classify only the lines they touch: the result must equal a fresh parse of the text
      assert.deepEqual(doc.lines, afterDoc.lines, 'incremental classification equals a full parse');
      assert.deepEqual(doc.spans(), afterDoc.spans(), 'the section index kept up to date by edits equals a fresh one');
      assert.equal(afterDoc.get(section, 'aws_session_token'), v);
      assert.equal(before(afterDoc, section), before(IniDocument.parse(text), section), 'other sections are byte-identical');
      cases.push({ before: text, after, target: section });
      return true;
    }),
    { numRuns: 3000 },
  );
  // botocore (the AWS CLI's reader) on a sample: every profile but the target reads the same
  const sample = cases.filter((c) => !c.before.startsWith(BOM)).slice(0, 1500);
  const results = botocoreRead(sample.flatMap((c) => [c.before, c.after]));
  let compared = 0;
  sample.forEach((c, i) => {
    const b = results[2 * i]!;
    const a = results[2 * i + 1]!;
    if ('error' in b) return; // botocore refuses the original too (e.g. duplicate sections): nothing to compare
    assert.ok(!('error' in a), `botocore cannot read the edited file: ${JSON.stringify(c.after)} (before: ${JSON.stringify(c.before)})`);
    // botocore does not trim header text: `[ name ]` is another profile to it, but the same section to us
    for (const [p, props] of Object.entries(b.profiles)) if (p.trim() !== c.target) assert.deepEqual(a.profiles[p], props, `profile ${p}`);
    compared++;
  });
  assert.ok(compared > 300, `enough files compared with botocore (${compared})`);
});

/**
 * The text before the first section and of every section except `name`, in order: a fingerprint
 * of "everything else". Trailing blank lines of a span are left out (an appended section brings
 * one blank separator line, and completes a missing final line ending).
 */
function before(doc: IniDocument, name: string): string {
  const spans = doc.spans();
  const text = (a: number, b: number) => doc.lines.slice(a, b).map((l) => l.text + l.eol).join('').replace(/[\r\n \t]*$/, '');
  return [text(0, spans[0]?.header ?? doc.lines.length), ...spans.filter((s) => s.name !== name).map((s) => text(s.header, s.end))].join('\u0000');
}

test('property: a focused document serialises to the same bytes and edits exactly like a full one (3,000 files)', () => {
  fc.assert(
    fc.property(
      fileOf(validLine),
      fc.oneof(name, fc.constant('first'), fc.constant('default')),
      fc.constantFrom('credentials' as const, 'config' as const),
      fc.constantFrom('write', 'remove', 'none'),
      value,
      (text, target, kind, op, v) => {
        const full = IniDocument.parse(text);
        fc.pre(full.issues.length === 0);
        const focused = IniDocument.parseFocused(text, profileFilter(target, kind));
        assert.equal(focused.toString(), text);
        for (const d of [full, focused]) {
          if (op === 'write') writeProfile(d, target, kind, [['aws_session_token', v], ['expiration', 'x']], ['assumed_role_arn']);
          if (op === 'remove') removeProfile(d, target, kind);
        }
        assert.equal(focused.toString(), full.toString());
      },
    ),
    { numRuns: 3000 },
  );
});

test('renameProfile: only the header lines change (BOM, CRLF, comments, spacing and what follows the bracket kept)', () => {
  const text = '\ufeff# top\r\n[other]\r\nx = 1\r\n\r\n[ work ]  ; aws configure\r\n# the key\r\naws_access_key_id = AKIA\r\n\r\n[work]\r\nregion=eu\r\n';
  const doc = IniDocument.parse(text);
  assert.equal(renameProfile(doc, 'work', 'work-long-term', 'credentials'), true);
  assert.equal(doc.toString(), text.replace('[ work ]', '[work-long-term]').replace('[work]', '[work-long-term]'));
  assert.equal(renameProfile(doc, 'nothing', 'x', 'credentials'), false);
  const config = IniDocument.parse('[profile work]\nregion = eu\n');
  renameProfile(config, 'work', 'work-long-term', 'config');
  assert.equal(config.toString(), '[profile work-long-term]\nregion = eu\n');
});
