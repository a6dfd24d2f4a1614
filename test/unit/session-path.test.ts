/**
 * The shape of the session path, read from the sources: the session decision (core/decision.ts
 * decideSession) is made in one module outside core/, the caching wrapper
 * (service/cached-session.ts), so no command or service grows a threshold of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedSession } from '../../src/service/cached-session.js';
import type { SessionStore } from '../../src/service/session-store.js';
import type { Session, StoredSession } from '../../src/core/credentials.js';
import { DEFAULT_MIN_TTL } from '../../src/core/decision.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

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

/** A session store in memory, counting its reads and keeping its writes; an inner provider counting its calls. */
function parts(kept: StoredSession | undefined) {
  const seen = { reads: 0, writes: [] as Array<{ session: Session; role?: string; device?: string }>, refreshes: 0 };
  const store: SessionStore = {
    read: async () => (seen.reads++, kept),
    write: async (s, role, device) => (seen.writes.push({ session: s, role, device }), { bom: false }),
  };
  const wrapper = cachedSession({
    store,
    wanted: { role: undefined, minTtl: DEFAULT_MIN_TTL, force: false },
    now: () => NOW,
    inner: async () => (seen.refreshes++, { session: session(3600), lookedUp: 'arn:aws:iam::123456789012:mfa/u' }),
    refused: () => new Error('refused'),
  });
  return { seen, wrapper };
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
  assert.deepEqual([seen.reads, seen.refreshes], [1, 1]);
  assert.deepEqual(seen.writes, [{ session: session(3600), role: undefined, device: 'arn:aws:iam::123456789012:mfa/u' }]);
});

test("the caching wrapper's state reads and decides but refreshes nothing", async () => {
  const { seen, wrapper } = parts(undefined);
  assert.deepEqual(await wrapper.state(), { action: 'refresh', reason: { kind: 'missing' } });
  assert.deepEqual([seen.reads, seen.refreshes, seen.writes.length], [1, 0, 0]);
});

test('a decision handed in is not made again: the store is not read a second time', async () => {
  const { seen, wrapper } = parts(undefined);
  await wrapper.get({ action: 'refresh', reason: { kind: 'missing' } });
  assert.deepEqual([seen.reads, seen.refreshes, seen.writes.length], [0, 1, 1]);
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
