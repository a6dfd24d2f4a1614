/**
 * The notes of large files found clean: kept per file identity, never for a file changed in the
 * last few seconds, bounded, and not used from a cache folder that others can write to.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTE_AGE_MS, identityOf, knownClean, noteClean } from '../../src/io/scan-notes.js';

const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-notes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { XDG_CACHE_HOME: dir };
const now = Date.now();
const id = (key: string, ageMs = 60_000) => ({ key, changedMs: now - ageMs });

test('a noted file is known clean by its identity only', () => {
  noteClean(id('1:2:3:4:5'), env, now);
  assert.equal(knownClean(id('1:2:3:4:5'), env), true);
  assert.equal(knownClean(id('1:2:3:4:6'), env), false, 'another change time is another file');
  assert.equal(readFileSync(join(dir, 'aws-mfa', 'clean-files'), 'utf8'), '1:2:3:4:5\n');
});

test('a file changed within the last few seconds is not noted', () => {
  noteClean(id('9:9:9:9:9', NOTE_AGE_MS - 500), env, now);
  assert.equal(knownClean(id('9:9:9:9:9'), env), false);
});

test('at most 16 files are remembered, the latest first', () => {
  for (let i = 0; i < 20; i++) noteClean(id(`k${i}`), env, now);
  const lines = readFileSync(join(dir, 'aws-mfa', 'clean-files'), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 16);
  assert.equal(lines[0], 'k19');
  assert.equal(knownClean(id('k0'), env), false);
});

test('notes in a cache folder that others can write to are not trusted', () => {
  noteClean(id('7:7:7:7:7'), env, now);
  chmodSync(join(dir, 'aws-mfa'), 0o777);
  try {
    assert.equal(knownClean(id('7:7:7:7:7'), env), false);
  } finally {
    chmodSync(join(dir, 'aws-mfa'), 0o700);
  }
  assert.equal(knownClean(id('7:7:7:7:7'), { ...env, AWS_MFA_NO_CODE_CACHE: '1' }), false, 'and AWS_MFA_NO_CODE_CACHE=1 turns them off');
});

test('the identity of a file changes when the file is written, even to the same size', async () => {
  const f = join(dir, 'f');
  writeFileSync(f, 'a');
  const a = identityOf(f)!;
  await new Promise((r) => setTimeout(r, 50)); // past the file system's clock tick
  writeFileSync(f, 'b');
  assert.notEqual(identityOf(f)!.key, a.key);
  assert.equal(identityOf(join(dir, 'missing')), undefined);
});
