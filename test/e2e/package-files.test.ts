/**
 * What the build and `npm pack` leave: `npm run build` (which `npm pack` runs first) replaces what it
 * made in dist/ but keeps dist/bin, the executables of `npm run package` (a user who packed the npm
 * install after packaging them lost them); the npm package holds the bundle, never those executables.
 * Run on a copy of the sources, so the dist/ the other tests use is not rebuilt under them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/shared.js';

test('npm run build keeps dist/bin and replaces the rest of dist/; npm pack holds the bundle and leaves dist/bin out', (t) => {
  const copy = mkdtempSync(join(tmpdir(), 'aws-mfa-build-'));
  t.after(() => rmSync(copy, { recursive: true, force: true }));
  for (const part of ['src', 'scripts', 'package.json', 'README.md', 'README.ja.md', 'LICENSE']) {
    if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  mkdirSync(join(copy, 'dist', 'bin'), { recursive: true });
  writeFileSync(join(copy, 'dist', 'bin', 'aws-mfa-linux-x64'), 'an executable packaged before');
  writeFileSync(join(copy, 'dist', 'left-by-an-older-build.cjs'), '');
  mkdirSync(join(copy, 'dist', 'bin', '.packaging')); // the lock of a packaging that was killed

  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: copy, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.equal(readFileSync(join(copy, 'dist', 'bin', 'aws-mfa-linux-x64'), 'utf8'), 'an executable packaged before');
  assert.ok(!existsSync(join(copy, 'dist', 'left-by-an-older-build.cjs')), 'what an older build made is gone');
  assert.ok(!existsSync(join(copy, 'dist', 'bin', '.packaging')), "a killed packaging's lock is gone");
  assert.ok(existsSync(join(copy, 'dist', 'aws-mfa.cjs')), 'the bundle is built');

  // the build has just run: npm pack's own (prepack) is not needed to list what it packs
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: copy, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  assert.ok(files.includes('dist/aws-mfa.cjs'), files.join(' '));
  assert.ok(files.includes('dist/main.cjs'), files.join(' '));
  assert.deepEqual(files.filter((f) => f.startsWith('dist/bin')), [], 'no executable in the npm package');
});
