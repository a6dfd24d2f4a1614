/**
 * The read path's one-pass scanner agrees with the full document model and the SDK view on
 * every generated file: the same profiles, the same values, the same first syntax error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IniDocument } from '../../src/ini/document.js';
import { readView, type FileKind } from '../../src/ini/profiles.js';
import { firstIssue, scanProfiles, sectionPlaces } from '../../src/ini/scan.js';
import { placesOf } from '../../src/io/scan-notes.js';

const name = fc.constantFrom('default', 'a', 'b', 'work', 'work-long-term', 'x.y', 'bad name', 'p!');
const header = fc.oneof(
  name.map((n) => `[${n}]`),
  name.map((n) => `[profile ${n}]`),
  name.map((n) => `[ profile\t${n} ] # c`),
  name.map((n) => `[sso-session ${n}]`),
  fc.constant('[default'),
);
const lineArb = fc.oneof(
  { weight: 3, arbitrary: header },
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('aws_access_key_id', 'Region', 's3', 'in valid', 'k'), fc.constantFrom('=', ' = ', '= ', ' ='), fc.constantFrom('', 'v', 'v # c', 'v;c', ' spaced ')).map(([k, e, v]) => k + e + v) },
  { weight: 2, arbitrary: fc.constantFrom('  sub = 1', '\tnested=2', '  continued text', '  = x', '  noequals', '   ') },
  { weight: 2, arbitrary: fc.constantFrom('# c', '; c', '', '  ', 'junk', '=v') },
);
const fileArb = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n')), { maxLength: 25 }), fc.boolean())
  .map(([bom, ls, open]) => {
    const t = ls.map(([l, e]) => l + e).join('');
    return (bom ? '\uFEFF' : '') + (open ? t.replace(/\r?\n$/, '') : t);
  });

const NAMES = ['default', 'a', 'b', 'work', 'work-long-term', 'x.y', 'bad name', 'p!', 'missing'];

test('property: scanProfiles reads what IniDocument + readView read (20,000 files, both kinds)', () => {
  fc.assert(
    fc.property(fileArb, fc.constantFrom<FileKind>('credentials', 'config'), (text, kind) => {
      const doc = IniDocument.parse(text);
      const scan = scanProfiles(text, kind, NAMES);
      assert.equal(scan.bom, doc.bom);
      if (doc.issues.length > 0) {
        assert.deepEqual(scan.issue, doc.issues[0]);
        return;
      }
      assert.equal(scan.issue, undefined);
      const view = readView(doc, kind);
      for (const n of NAMES) {
        const full = view.profiles[n];
        const got = scan.profiles.get(n);
        if (!full) {
          assert.equal(got, undefined, `profile ${n} should not exist`);
          continue;
        }
        const want = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
        assert.deepEqual(Object.fromEntries(got ?? []), want, `profile ${n}`);
      }
    }),
    { numRuns: 20_000 },
  );
});

test('scanProfiles notes what the AWS CLI refuses: duplicate sections and keys', () => {
  const r = scanProfiles('[a]\nk = 1\nk = 2\n[b]\n[a]\n', 'credentials', ['a']);
  assert.deepEqual(r.duplicates.map((d) => d.line), [3, 5]);
  assert.match(r.duplicates[0]!.message, /key k appears twice in \[a\] \(first at line 2\)/);
  assert.match(r.duplicates[1]!.message, /section \[a\] appears again \(first at line 1\)/);
});

// The scanner classifies line by line only the wanted sections and the sections holding a line
// that is not plainly valid; everything else is skipped by native searches. These files ask for
// a random subset of the names (so sections are skipped) and add odd first characters, stray
// carriage returns and unusual header spacing (the shapes those searches must not miss).
const oddLine = fc.constantFrom(
  '\rk=v', '\u000bk = v', '\fk=v', '\u00a0= v', '\u00a0k=v', '=v', 'k\r', 'k\rx', ' \r', '\t\rx', '\r', '\u0001k=v', 'ké = v',
  '[a]\r', '[ a ]', '[a ]', '[\ta]', '[profile\ta]', '[profile  a]', '[profile a ]', '[profile\u00a0a]', '[Profile a]', '[profile a b]',
  '[a', '[profile a', 'junk', 'k', 'k = [x]', '  k', '\tk = v', '# c', '; c', '[default]', '[profile default]', '[ default ]',
  'note = [a]', 'k = [profile a]', '# [default]', '; [work]',
);
const richFile = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: lineArb }, { weight: 1, arbitrary: oddLine }), fc.constantFrom('\n', '\r\n')), { maxLength: 30 }), fc.boolean())
  .map(([bom, ls, open]) => {
    const t = ls.map(([l, e]) => l + e).join('');
    return (bom ? '\uFEFF' : '') + (open ? t.replace(/\r?\n$/, '') : t);
  });

/** What the full model reads for these names (sub-property blocks as ''), or its first error. */
function fullRead(text: string, kind: FileKind, names: readonly string[]) {
  const doc = IniDocument.parse(text);
  if (doc.issues.length > 0) return { issue: doc.issues[0] };
  const view = readView(doc, kind);
  const profiles: Record<string, Record<string, string>> = {};
  for (const n of names) {
    const full = view.profiles[n];
    if (full) profiles[n] = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
  }
  return { profiles };
}

const scanRead = (r: ReturnType<typeof scanProfiles>) =>
  r.issue ? { issue: r.issue } : { profiles: Object.fromEntries([...r.profiles].map(([n, m]) => [n, Object.fromEntries(m)])) };

test('property: reading a subset of the names skips the other sections yet reads what the full model reads (20,000 files)', () => {
  fc.assert(
    fc.property(richFile, fc.constantFrom<FileKind>('credentials', 'config'), fc.subarray(NAMES), (text, kind, names) => {
      const want = fullRead(text, kind, names);
      assert.deepEqual(scanRead(scanProfiles(text, kind, names)), want, 'line by line (a small file)');
      assert.deepEqual(scanRead(scanProfiles(text, kind, names, false, 0)), want, 'searched natively (as a large file)');
      assert.deepEqual(firstIssue(text, 0), want.issue, 'the writer\'s check finds the same first error');
      assert.deepEqual(firstIssue(text), want.issue);
    }),
    { numRuns: 20_000 },
  );
});

test('property: a clean file has no error and no repeated header, and a trusted scan of it reads the same (20,000 files)', () => {
  let cleanFiles = 0;
  fc.assert(
    fc.property(richFile, fc.constantFrom<FileKind>('credentials', 'config'), fc.subarray(NAMES), (text, kind, names) => {
      const r = scanProfiles(text, kind, names, false, 0);
      if (!r.clean) return;
      cleanFiles++;
      const doc = IniDocument.parse(text);
      assert.deepEqual(doc.issues, []);
      const headers = doc.spans().map((s) => s.name);
      assert.equal(new Set(headers).size, headers.length, 'no header twice');
      assert.deepEqual(r.duplicates.filter((d) => d.message.startsWith('section')), []);
      const trusted = scanProfiles(text, kind, names, true);
      assert.deepEqual(scanRead(trusted), scanRead(r));
      assert.deepEqual(trusted.duplicates, r.duplicates);
      assert.deepEqual(r.duplicates, scanProfiles(text, kind, names).duplicates, 'the same notes, searched or line by line');
      // the noted places of the wanted sections (scan-notes.ts), read alone and in order, read the same
      // (a section not in the text has no place: only a whole read may say so)
      const places = sectionPlaces(text, kind, names);
      const noted = placesOf(places, names);
      const present = names.filter((n) => places.get(n)?.length);
      if (present.length < names.length) assert.equal(noted, undefined, 'an absent section is read whole');
      const pieces = placesOf(places, present)!.map(([a, b]) => text.slice(a, b)).join('');
      const whole = scanRead(scanProfiles(text, kind, present, false, 0));
      assert.deepEqual(scanRead(scanProfiles(pieces, kind, present, true)), whole, 'the noted sections alone');
    }),
    { numRuns: 20_000 },
  );
  assert.ok(cleanFiles > 2_000, `enough clean files were generated (${cleanFiles})`);
});

test('a header with blanks inside its brackets, or one that appears twice, makes the file not clean', () => {
  assert.equal(scanProfiles('[a]\nk = 1\n[b]\n', 'credentials', ['a'], false, 0).clean, true);
  assert.equal(scanProfiles('[profile a]\nk = 1\n', 'config', ['a'], false, 0).clean, true);
  for (const text of ['[ a]\nk = 1\n', '[a ]\n', '[profile  a]\n', '[profile\ta]\n', '[a]\n[b]\n[a]\n', '[a]\nk\n']) {
    assert.equal(scanProfiles(text, 'config', ['a'], false, 0).clean, false, JSON.stringify(text));
  }
  assert.equal(scanProfiles('[a]\nk = 1\n', 'credentials', ['a']).clean, false, 'a small file is read line by line and not worked out');
});

test('a 10,000-profile file: the wanted profile, a late syntax error, and a late duplicate are all found', () => {
  const filler = Array.from({ length: 10_000 }, (_, i) => `[acct${i}]\n# account ${i}\naws_access_key_id = AKIA${i}\nregion = eu-west-1\n`).join('');
  const text = `${filler}[p]\nexpiration = 2030-01-01 00:00:00\n`;
  const r = scanProfiles(text, 'credentials', ['p']);
  assert.equal(r.clean, true);
  assert.deepEqual(Object.fromEntries(r.profiles.get('p')!), { expiration: '2030-01-01 00:00:00' });
  const broken = text.replace('[acct9999]\n', '[acct9999]\njunk\n');
  assert.deepEqual(scanProfiles(broken, 'credentials', ['p']).issue, { line: 39_998, message: "Expected an '=' sign defining a property" });
  const twice = `${text}[acct5]\nk = v\n`;
  const d = scanProfiles(twice, 'credentials', ['p']);
  assert.equal(d.clean, false);
  assert.deepEqual(d.duplicates.map((x) => x.line), [40_003]);
  assert.match(d.duplicates[0]!.message, /section \[acct5\] appears again \(first at line 21\)/);
});
