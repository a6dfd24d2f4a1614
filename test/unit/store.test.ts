/** The locked read-modify-write of src/io/store.ts, where a test must reach inside a write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateIni } from '../../src/io/store.js';

test('an edit that throws leaves the file untouched and releases the lock', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'credentials');
  writeFileSync(file, '[a]\nx = 1\n', { mode: 0o600 });
  let edited = false;
  await assert.rejects(
    updateIni(file, (doc) => {
      doc.set('a', 'x', '2');
      edited = true;
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  assert.ok(edited, 'the edit ran (so the file could have changed)');
  assert.equal(readFileSync(file, 'utf8'), '[a]\nx = 1\n');
  assert.ok(!existsSync(`${file}.lock`), 'the lock is released');
  // and the next edit goes through
  await updateIni(file, (doc) => doc.set('a', 'x', '3'));
  assert.equal(readFileSync(file, 'utf8'), '[a]\nx = 3\n');
});
