/**
 * The shape of the session path, read from the sources: the session decision (core/decision.ts
 * decideSession) is made in one module outside core/, the caching wrapper
 * (service/cached-session.ts), so no command or service grows a threshold of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { cachedSession, LOCK_WAIT_SECONDS, lockWaitSeconds } from '../../src/service/cached-session.js';
import { removeLockCommand } from '../../src/service/cached-session.js';
import type { SessionStore } from '../../src/service/session-store.js';
import type { Session, StoredSession } from '../../src/core/credentials.js';
import { DEFAULT_MIN_TTL } from '../../src/core/decision.js';
import { sourceFiles } from '../helpers/shared.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');


test('the session decision is called from service/cached-session.ts alone outside core/', () => {
  const callers = sourceFiles()
    .map((f) => relative(SRC, f))
    .filter((f) => !f.startsWith('core/') && /\bdecideSession\s*\(/.test(readFileSync(join(SRC, f), 'utf8')));
  assert.deepEqual(callers, ['service/cached-session.ts']);
});

const NOW = new Date('2026-12-06T05:00:00.000Z');
const session = (secondsLeft: number): Session => ({
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: `token-${secondsLeft}`,
  expiration: new Date(NOW.getTime() + secondsLeft * 1000),
});

// the refresh lock's folder (the cache folder's locks/) in a folder of this file's own
const home = mkdtempSync(join(tmpdir(), 'aws-mfa-session-path-'));
after(() => rmSync(home, { recursive: true, force: true }));
const LOCK_ENV = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), LOCALAPPDATA: join(home, 'local') };

/**
 * A session store in memory, counting its reads (the first, and the one under the lock) and keeping
 * its writes; an inner provider counting its calls. `storedMeanwhile`: what another process stored
 * while this one waited for the lock. `kept`: shared by wrappers built on it (callers at once).
 */
function parts(
  first: StoredSession | undefined,
  storedMeanwhile?: StoredSession,
  kept = { now: storedMeanwhile ?? first },
) {
  const writes: Array<{ session: Session; role?: string; device?: string }> = [];
  const seen = { reads: 0, rereads: 0, waits: [] as string[], writes, refreshes: 0 };
  const store: SessionStore = {
    read: async () => (seen.reads++, first),
    reread: async () => (seen.rereads++, kept.now),
    lockKey: () => ({ key: 'memory\nwork', file: join(home, 'credentials') }),
    write: async (s, role, device) => {
      seen.writes.push({ session: s, role, device });
      kept.now = { session: s, holdsLongTermKeys: false };
      return { bom: false };
    },
  };
  const wrapper = cachedSession({
    store,
    wanted: { role: undefined, minTtl: DEFAULT_MIN_TTL, force: false },
    now: () => NOW,
    inner: async () => {
      seen.refreshes++;
      await new Promise((r) => setTimeout(r, 100)); // STS takes a while: the others find the lock held
      return { session: session(3600), lookedUp: 'arn:aws:iam::123456789012:mfa/u' };
    },
    refused: () => new Error('refused'),
    lock: { name: 'work', log: { warn: (m) => seen.waits.push(m) }, env: LOCK_ENV },
  });
  return { seen, wrapper, kept };
}

test('the caching wrapper reuses a kept session and never calls the inner provider for it', async () => {
  const { seen, wrapper } = parts({ session: session(DEFAULT_MIN_TTL), holdsLongTermKeys: false });
  const got = await wrapper.get();
  assert.equal(got.refreshed, false);
  assert.equal(got.session.sessionToken, `token-${DEFAULT_MIN_TTL}`);
  assert.deepEqual([seen.reads, seen.refreshes, seen.writes.length], [1, 0, 0]);
});

test('the caching wrapper refreshes through the inner provider and writes the store, once', async () => {
  const { seen, wrapper } = parts({ session: session(DEFAULT_MIN_TTL - 1), holdsLongTermKeys: false });
  const got = await wrapper.get();
  assert.equal(got.refreshed, true);
  assert.equal(got.decision.action === 'refresh' && got.decision.reason.kind, 'ending');
  assert.deepEqual([seen.reads, seen.rereads, seen.refreshes], [1, 1, 1]);
  assert.deepEqual(seen.writes, [{ session: session(3600), role: undefined, device: 'arn:aws:iam::123456789012:mfa/u' }]);
});

test("the caching wrapper's state reads and decides but refreshes nothing", async () => {
  const { seen, wrapper } = parts(undefined);
  assert.deepEqual(await wrapper.state(), { action: 'refresh', reason: { kind: 'missing' } });
  assert.deepEqual([seen.reads, seen.refreshes, seen.writes.length], [1, 0, 0]);
});

test('a decision handed in is not made again: the store is read only under the lock', async () => {
  const { seen, wrapper } = parts(undefined);
  await wrapper.get({ action: 'refresh', reason: { kind: 'missing' } });
  assert.deepEqual([seen.reads, seen.rereads, seen.refreshes, seen.writes.length], [0, 1, 1, 1]);
});

test('a session another process stored while this one waited for the lock is reused: no code, no STS', async () => {
  const { seen, wrapper } = parts(undefined, { session: session(3600), holdsLongTermKeys: false });
  const got = await wrapper.get();
  assert.equal(got.refreshed, false);
  assert.equal(got.decision.action, 'reuse');
  assert.deepEqual([seen.reads, seen.rereads, seen.refreshes, seen.writes.length], [1, 1, 0, 0]);
});

test('callers at once: one refreshes under the lock, the others wait (said once each) and reuse it', async () => {
  const kept = { now: undefined as StoredSession | undefined };
  const callers = Array.from({ length: 4 }, () => parts(undefined, undefined, kept));
  const got = await Promise.all(callers.map((c) => c.wrapper.get()));
  assert.equal(callers.reduce((n, c) => n + c.seen.refreshes, 0), 1, 'one refresh');
  assert.deepEqual(got.map((g) => g.session.sessionToken), Array(4).fill('token-3600'));
  const waited = callers.filter((c) => c.seen.waits.length > 0);
  assert.equal(waited.length, 3, 'the three others waited');
  const saying = 'another aws-mfa is getting the session for [work]; waiting for it to finish (up to 180 s)';
  for (const c of waited) assert.deepEqual(c.seen.waits, [saying]);
});

test('the wait for another aws-mfa is 180 s by default; AWS_MFA_LOCK_WAIT_SECONDS changes it', () => {
  assert.equal(LOCK_WAIT_SECONDS, 180);
  assert.equal(lockWaitSeconds({}), 180);
  assert.equal(lockWaitSeconds({ AWS_MFA_LOCK_WAIT_SECONDS: '2' }), 2);
  assert.equal(lockWaitSeconds({ AWS_MFA_LOCK_WAIT_SECONDS: '0.5' }), 0.5);
  assert.equal(lockWaitSeconds({ AWS_MFA_LOCK_WAIT_SECONDS: 'soon' }), 180);
  assert.equal(lockWaitSeconds({ AWS_MFA_LOCK_WAIT_SECONDS: '-1' }), 180);
});

test("the command that removes a lock left behind works when pasted in the platform's shell", () => {
  const linux = "/home/o'neil/.cache/aws-mfa/locks/ab.lock";
  assert.equal(removeLockCommand(linux, 'linux'), `rm -r '/home/o'\\''neil/.cache/aws-mfa/locks/ab.lock'`);
  const windows = 'C:\\Users\\taro\\AppData\\Local\\aws-mfa\\cache\\locks\\ab.lock';
  assert.equal(removeLockCommand(windows, 'win32'), `rmdir /s /q "${windows}"`);
});

test('a section holding long-term keys is refused, never refreshed over', async () => {
  const { seen, wrapper } = parts({ holdsLongTermKeys: true });
  await assert.rejects(wrapper.get(), /refused/);
  assert.deepEqual([seen.refreshes, seen.writes.length], [0, 0]);
});

test('one name per shape: one kept-session type, one key type', () => {
  const declared = (name: string) =>
    sourceFiles()
      .filter((f) => new RegExp(`^\\s*(export\\s+)?(interface\\s+${name}\\b|type\\s+${name}\\s*[=<])`, 'm').test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
  assert.deepEqual(declared('StoredSession'), ['core/credentials.ts']);
  assert.deepEqual(declared('AccessKey'), ['core/credentials.ts']);
  assert.deepEqual(declared('KeyPair'), []);
});

test('side effects from the edge: service/ prompts no terminal and starts no process; commands touch no file', () => {
  const importing = (dir: string, what: RegExp) =>
    sourceFiles(join(SRC, dir))
      .filter((f) => what.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
  // types only (`import type`) may come from there
  const sideEffects = /^import (?!type )[^;]*(node:child_process|cross-spawn|\/io\/terminal\.js|\/io\/code-source\.js)'/m;
  assert.deepEqual(importing('service', sideEffects), []);
  assert.deepEqual(importing('commands', /from 'node:fs'|\/io\/write\.js/), []);
});
