/**
 * The notes of large files found clean: kept per file identity, never for a file changed in the
 * last few seconds, bounded, and not used from a cache folder that others can write to.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTE_AGE_MS, identityOf, knownClean, noteClean, notedPlaces } from '../../src/io/scan-notes.js';

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

test('a note keeps where the sections read were, adds those of later runs, and gives them only when all are there', () => {
  const f = id('3:3:3:3:3');
  noteClean(f, env, now, new Map([['work', [[900, 1000]]], ['work-long-term', [[100, 200]]]]));
  assert.deepEqual(notedPlaces(f, ['work-long-term', 'work'], env), [[100, 200, 'work-long-term'], [900, 1000, 'work']], 'in file order');
  assert.equal(notedPlaces(f, ['work', 'other'], env), undefined, 'a name not read before: the whole file is read');
  assert.equal(notedPlaces(id('3:3:3:3:4'), ['work'], env), undefined, 'another file');
  // a later run with other names adds theirs; a name with no section is noted as such, but an
  // absence cannot be checked against the bytes: asked for, the whole file is read
  noteClean(f, env, now, new Map([['a=b\tc', [[300, 400]]], ['none', []]]));
  assert.deepEqual(notedPlaces(f, ['work', 'a=b\tc'], env), [[300, 400, 'a=b\tc'], [900, 1000, 'work']]);
  assert.equal(notedPlaces(f, ['work', 'a=b\tc', 'none'], env), undefined, 'noted absent: the whole file is read');
  // the config file's [default] and [profile default] are one name, read once each
  noteClean(f, env, now, new Map([['default', [[10, 20], [500, 600]]]]));
  assert.deepEqual(notedPlaces(f, ['default', 'default'], env), [[10, 20, 'default'], [500, 600, 'default']]);
});

test('a place that is not a range of bytes is not used', () => {
  const file = join(dir, 'aws-mfa', 'clean-files');
  for (const bad of ['work=5-5', 'work=-1-4', 'work=a-b', 'work=7-3', 'work=1-2-3x']) {
    writeFileSync(file, `4:4:4:4:4\t${bad}\n`, { mode: 0o600 });
    assert.equal(notedPlaces(id('4:4:4:4:4'), ['work'], env), undefined, bad);
    assert.equal(knownClean(id('4:4:4:4:4'), env), true, 'the file is still known clean');
  }
});

test('a notes file that is not the user\'s own regular file, mode 0600, is not believed', () => {
  const file = join(dir, 'aws-mfa', 'clean-files');
  noteClean(id('8:8:8:8:8'), env, now);
  assert.equal(knownClean(id('8:8:8:8:8'), env), true);
  for (const mode of [0o644, 0o640, 0o602, 0o400]) {
    chmodSync(file, mode);
    assert.equal(knownClean(id('8:8:8:8:8'), env), false, `mode ${mode.toString(8)}`);
  }
  chmodSync(file, 0o600);
  // a link in its place (to a file of the same content) is not followed
  const elsewhere = join(dir, 'planted');
  writeFileSync(elsewhere, readFileSync(file), { mode: 0o600 });
  rmSync(file);
  symlinkSync(elsewhere, file);
  assert.equal(knownClean(id('8:8:8:8:8'), env), false, 'a symlink');
  // the next note replaces what is there with the user's own 0600 file
  noteClean(id('8:8:8:8:8'), env, now);
  assert.equal(lstatSync(file).mode & 0o777, 0o600);
  assert.equal(knownClean(id('8:8:8:8:8'), env), true);
});

test('notes are written 0600 whatever the umask', () => {
  const saved = process.umask(0o077 | 0o200);
  try {
    noteClean(id('6:6:6:6:6'), env, now);
  } finally {
    process.umask(saved);
  }
  assert.equal(statSync(join(dir, 'aws-mfa', 'clean-files')).mode & 0o777, 0o600);
  assert.equal(knownClean(id('6:6:6:6:6'), env), true);
});
