/**
 * writeQrPng's --overwrite path in a folder others can write (a shared /tmp): the temporary it
 * writes the seed's PNG through must have a name nobody can guess (a planted file under the
 * guessable name would refuse the write, and the run would remove a file it never created).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeQrPng } from '../../src/io/qr.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

test('--overwrite: a file planted under a temporary name derived from the pid neither blocks the write nor is removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-qr-'));
  try {
    const file = join(dir, 'mfa.png');
    writeFileSync(file, 'old');
    const planted = `${file}.${process.pid}.tmp`;
    writeFileSync(planted, 'not yours');
    await writeQrPng(file, 'otpauth://totp/x:y?secret=JBSWY3DPEHPK3PXP&issuer=x', true);
    assert.deepEqual(readFileSync(file).subarray(0, 4), PNG_MAGIC);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(planted, 'utf8'), 'not yours', 'the planted file is left alone');
    assert.deepEqual(readdirSync(dir).sort(), ['mfa.png', `mfa.png.${process.pid}.tmp`], 'no temporary left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
