/**
 * The entry's code-cache hit (src/start/chunk-hit.ts) handles only the plain case and must never be
 * more permissive than the full loader (chunk.ts, file-checks.ts): on real folders and files,
 * wherever it says yes, the full checks say yes too, and where another user could have put a
 * file, it says no.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainSafeFolder, readPlainFile } from '../../src/start/chunk-hit.js';
import { changeableByOthers, readRegular } from '../../src/io/file-checks.js';

const NOBODY = 65534;
const uid = process.getuid!();
const scratch = mkdtempSync(join(tmpdir(), 'aws-mfa-hit-'));
chmodSync(scratch, 0o700);
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder under the scratch folder, made unsafe (or not) by `how`. */
function folder(name: string, how: (dir: string) => void = () => {}): string {
  const dir = join(scratch, name, 'cache', 'aws-mfa');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  how(join(scratch, name));
  return dir;
}

test('the hit path takes a cache folder only where the full check does, and declines links and odd paths', () => {
  const cases: Array<[string, string, boolean]> = [
    ['plain', folder('plain'), true],
    ['root-owned sticky folder on the way (as /tmp)', folder('sticky', (d) => chmodSync(d, 0o1777)), true],
    ['group-writable folder on the way', folder('group', (d) => chmodSync(d, 0o770)), false],
    ['writable by others, not sticky', folder('others', (d) => chmodSync(d, 0o757)), false],
    ['a folder of another user', folder('foreign', (d) => chownSync(join(d, 'cache'), NOBODY, NOBODY)), false],
    ['missing', join(scratch, 'nothing', 'aws-mfa'), false],
    ['not plain: a double slash', folder('double').replace('/cache/', '//cache/'), false],
    ['not plain: a dot', folder('dot').replace('/cache/', '/./cache/'), false],
    ['relative', 'cache/aws-mfa', false],
  ];
  symlinkSync(join(scratch, 'plain'), join(scratch, 'link'));
  cases.push(['a link on the way (the full loader follows it)', join(scratch, 'link', 'cache', 'aws-mfa'), false]);
  for (const [name, dir, want] of cases) {
    const plain = plainSafeFolder(dir, uid);
    assert.equal(plain, want, name);
    if (plain) assert.equal(changeableByOthers(dir, uid, true), undefined, `${name}: the full check agrees`);
  }
  assert.equal(changeableByOthers(join(scratch, 'link', 'cache', 'aws-mfa'), uid, true), undefined, 'the linked folder is safe for the full loader');
});

test('the hit path reads only a regular file, the user\'s own and 0600 when asked, exactly as the full read does', () => {
  const dir = folder('files');
  const file = (name: string, mode = 0o600, text = `${name}\n`) => {
    const p = join(dir, name);
    writeFileSync(p, text, { mode });
    chmodSync(p, mode);
    return p;
  };
  const mine = file('mine.v8');
  const got = readPlainFile(mine, uid);
  assert.ok(got && got.buf.equals(readRegular(mine)!.buf), 'the same bytes as the full read');
  assert.equal(readPlainFile(file('readable.v8', 0o644), uid), undefined, 'readable by others');
  assert.equal(readPlainFile(file('group.v8', 0o620), uid), undefined, 'writable by the group');
  const foreign = file('foreign.v8');
  chownSync(foreign, NOBODY, NOBODY);
  assert.equal(readPlainFile(foreign, uid), undefined, 'another user\'s');
  assert.ok(readPlainFile(file('chunk.cjs', 0o644)), 'a chunk (no owner asked) may be readable by all');
  symlinkSync(mine, join(dir, 'link.v8'));
  assert.equal(readPlainFile(join(dir, 'link.v8'), uid), undefined, 'a link at the end');
  execFileSync('mkfifo', [join(dir, 'fifo.v8')]);
  assert.equal(readPlainFile(join(dir, 'fifo.v8')), undefined, 'a FIFO: refused at once, not waited on');
  assert.equal(readPlainFile('/dev/zero'), undefined, 'a device');
  assert.equal(readPlainFile(dir), undefined, 'a folder');
  assert.equal(readPlainFile(join(dir, 'missing.v8')), undefined, 'nothing there');
});

