/**
 * The refresh lock's rules (src/io/session-lock.ts), on real folders: where it goes, what it
 * refuses, and when a lock is abandoned (its holder gone) and broken rather than waited for.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { breakIfAbandoned, FOREIGN_STALE_MS, HOLDERLESS_MS } from '../../src/io/session-lock.js';
import { holdSessionLock, sessionLockPath } from '../../src/io/session-lock.js';

const home = mkdtempSync(join(tmpdir(), 'aws-mfa-session-lock-'));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache') };
let n = 0;
const key = () => ({ key: `file\n${home}/credentials\nwork-${n++}`, file: join(home, 'credentials') });
const host = hostname().replace(/[^\w.-]/g, '_') || 'host';

/** A lock folder as a holder leaves it: `records` inside, its mtime `ageMs` ago. */
function planted(records: string[], ageMs = 0): string {
  const path = sessionLockPath(key(), env);
  mkdirSync(path);
  for (const r of records) writeFileSync(join(path, r), '');
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
  return path;
}

/** The PID of a process that has exited (and been reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

test("the lock goes in the cache folder's locks/ (0700), also with AWS_MFA_NO_CODE_CACHE=1", () => {
  const path = sessionLockPath(key(), { ...env, AWS_MFA_NO_CODE_CACHE: '1' });
  assert.match(path, new RegExp(`^${join(home, 'cache', 'aws-mfa', 'locks')}/[0-9a-f]{32}\\.lock$`));
  assert.equal(lstatSync(join(home, 'cache', 'aws-mfa', 'locks')).mode & 0o777, 0o700);
});

test('with no usable cache folder, the lock goes beside the credentials file', () => {
  const beside = sessionLockPath(key(), { HOME: home, XDG_CACHE_HOME: '/proc/self' });
  assert.match(beside, new RegExp(`^${home}/credentials\\.session-[0-9a-f]{16}\\.lock$`));
});

test('a lock whose holder on this host is gone is broken; a live holder is waited for', () => {
  const dead = planted([`${deadPid()}@${host}`]);
  assert.equal(breakIfAbandoned(dead), true);
  assert.equal(existsSync(dead), false);
  const live = planted([`${process.pid}@${host}`], 3600_000);
  assert.equal(breakIfAbandoned(live), false);
  assert.equal(existsSync(live), true);
});

test('a lock folder without a holder record is waited for a while, then broken', () => {
  assert.equal(breakIfAbandoned(planted([], HOLDERLESS_MS - 2_000)), false);
  assert.equal(breakIfAbandoned(planted([], HOLDERLESS_MS + 2_000)), true);
});

test("a holder on another host (a shared home) is taken for gone only after FOREIGN_STALE_MS", () => {
  assert.equal(FOREIGN_STALE_MS, 600_000);
  assert.equal(breakIfAbandoned(planted([`1@other-host.example`], FOREIGN_STALE_MS - 60_000)), false);
  assert.equal(breakIfAbandoned(planted([`1@other-host.example`], FOREIGN_STALE_MS + 60_000)), true);
});

test('something else than a lock at its path is refused, never followed or removed', async () => {
  const k = key();
  const path = sessionLockPath(k, env);
  const target = join(home, 'elsewhere');
  mkdirSync(target);
  symlinkSync(target, path);
  await assert.rejects(holdSessionLock(k, env, { waitMs: 0, onWait: () => {} }), { code: 'EBADLOCK' });
  assert.equal(lstatSync(path).isSymbolicLink(), true);
});

test('a held lock is waited for up to the wait, then the wait runs out naming the lock', async () => {
  const k = key();
  const first = await holdSessionLock(k, env, { waitMs: 0, onWait: () => {} });
  assert.equal(first.waited, false);
  let said = 0;
  const start = Date.now();
  const expired = { code: 'ESESSIONLOCKED', lockPath: sessionLockPath(k, env) };
  await assert.rejects(holdSessionLock(k, env, { waitMs: 600, onWait: () => said++ }), expired);
  assert.ok(Date.now() - start >= 600, 'waited the whole wait');
  assert.equal(said, 1, 'said once');
  await first.release();
  assert.equal(existsSync(sessionLockPath(k, env)), false, 'released: the folder is gone');
  const again = await holdSessionLock(k, env, { waitMs: 0, onWait: () => {} });
  await again.release();
});
