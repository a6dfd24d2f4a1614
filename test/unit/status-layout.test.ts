/**
 * status's layout, pinned: COLUMNS before the console's width (as `ls` reads them), the narrow
 * layout below 100 columns, and blocks that fit, double-width characters counted as two.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { NARROW_BELOW, blocks } from '../../src/io/table.js';
import { terminalColumns } from '../../src/io/terminal.js';
import { shortTime } from '../../src/core/time.js';

test('the narrow layout starts below 100 columns (cmd on Windows 10 is 120 wide)', () => {
  assert.equal(NARROW_BELOW, 100);
});

test('COLUMNS when it is a positive number, else the console width, else none (a pipe)', () => {
  const console80 = { columns: () => 80 };
  assert.equal(terminalColumns({ COLUMNS: '120' }, console80), 120);
  assert.equal(terminalColumns({ COLUMNS: ' 90 ' }, console80), 90);
  for (const bad of ['', '0', 'wide', '-5', undefined]) assert.equal(terminalColumns({ COLUMNS: bad }, console80), 80, String(bad));
  assert.equal(terminalColumns({}, { columns: () => undefined }), undefined);
  assert.equal(terminalColumns({}, {}), undefined);
});

test('blocks line up the values, leave out empty fields, and put a value too wide under its label', () => {
  const text = blocks(
    [
      { title: 'work', fields: [['セッション', '残り 11 時間 47 分、期限 2026-12-06 17:08:05 UTC+09:00 (2026-12-06 08:08:05 UTC)'], ['ロール', ''], ['キー', 'ファイル']] },
      { title: 'prod', fields: [['Device', 'arn:aws:iam::123456789012:mfa/a']] },
    ],
    60,
  );
  assert.equal(
    text,
    [
      'work',
      '  セッション:',
      '    残り 11 時間 47 分、期限 2026-12-06 17:08:05 UTC+09:00',
      '    (2026-12-06 08:08:05 UTC)',
      '  キー:       ファイル',
      '',
      'prod',
      '  Device: arn:aws:iam::123456789012:mfa/a',
      '',
    ].join('\n'),
  );
  for (const line of text.split('\n')) assert.ok(stringWidth(line) <= 60, line);
});

test("the table's time is local to the minute with its zone, and UTC only where local is UTC", () => {
  const saved = process.env.TZ;
  const d = new Date('2026-12-06T08:08:05Z');
  try {
    process.env.TZ = 'Asia/Tokyo';
    assert.equal(shortTime(d), '2026-12-06 17:08 UTC+09:00');
    process.env.TZ = 'UTC';
    assert.equal(shortTime(d), '2026-12-06 08:08 UTC');
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
