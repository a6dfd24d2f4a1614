/**
 * The read path's one-pass scanner agrees with the full document model and the SDK view on
 * every generated file: the same profiles, the same values, the same first syntax error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IniDocument } from '../../src/ini/document.js';
import { readView, type FileKind } from '../../src/ini/profiles.js';
import { scanProfiles } from '../../src/ini/scan.js';

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
