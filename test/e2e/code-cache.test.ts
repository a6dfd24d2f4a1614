/**
 * The V8 code cache of the bundle's chunks. V8 accepts cached data made from a different source of
 * the same length, so a planted cache file runs the planter's code: where the cache lives is the
 * only guard. These tests plant real attack data (compiled from an evil source of the chunk's
 * length) and check that it is neither read nor rewritten wherever another user could have put
 * it, that a relative XDG_CACHE_HOME is ignored, and that the cache still works where it is safe.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lchownSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { startFakeSts } from '../helpers/fake-sts.js';
import { ROOT } from '../helpers/shared.js';

const sts = await startFakeSts();
after(() => sts.close());
sts.script({ ok: 'GetSessionToken' });

const NOBODY = 65534;
const LONG_TERM = '[p-long-term]\naws_access_key_id = AKIACODECACHE0000000\naws_secret_access_key = secret\naws_mfa_device = arn:aws:iam::123456789012:mfa/p\n';

function home(): Home {
  const h = makeHome({ AWS_ENDPOINT_URL: sts.endpoint });
  h.write(LONG_TERM);
  return h;
}

/** A refresh: loads the STS and write chunks, so through the code cache. */
const refresh = (h: Home, env: Record<string, string>, cwd?: string) =>
  runCli(['--profile', 'p', '--token', '123456', '--force'], { env: { ...h.env, ...env }, cwd, timeoutMs: 60_000 });

/**
 * Cached data that V8 accepts for dist/sts.cjs but that runs other code: compiled, by the same
 * node as the CLI, from a source of the same length that writes `marker`.
 */
function attackData(marker: string): Buffer {
  const script = `
    const { Script } = require('node:vm'); const { Module } = require('node:module'); const fs = require('node:fs');
    const [file, marker, out] = process.argv.slice(1);
    const length = fs.readFileSync(file, 'utf8').length;
    const head = 'require("fs").writeFileSync(' + JSON.stringify(marker) + ', "planted code ran");/*';
    const evil = head + ' '.repeat(length - head.length - 2) + '*/';
    fs.writeFileSync(out, new Script(Module.wrap(evil), { filename: file }).createCachedData());`;
  const out = `${marker}.data`;
  execFileSync(process.execPath, ['-e', script, join(ROOT, 'dist', 'sts.cjs'), marker, out]);
  return readFileSync(out);
}

/** Run once where it is safe (so the cache files exist), then plant attack data in every one of them. */
async function plant(h: Home, env: Record<string, string>, cacheDir: string, marker: string): Promise<Map<string, Buffer>> {
  const first = await refresh(h, env);
  assert.equal(first.code, 0, first.stderr);
  const names = readdirSync(cacheDir).filter((n) => n.endsWith('.v8'));
  assert.ok(names.length >= 2, `the first run cached its chunks in ${cacheDir}: ${names}`);
  const data = attackData(marker);
  const planted = new Map<string, Buffer>();
  for (const n of names) {
    writeFileSync(join(cacheDir, n), data, { mode: 0o600 });
    planted.set(n, data);
  }
  return planted;
}

test('control: V8 runs planted cache data of the same length (why the folder checks are the only guard)', async () => {
  const h = home();
  const cacheRoot = join(h.dir, 'cache');
  const marker = join(h.dir, 'PLANTED');
  await plant(h, { XDG_CACHE_HOME: cacheRoot }, join(cacheRoot, 'aws-mfa'), marker);
  await refresh(h, { XDG_CACHE_HOME: cacheRoot });
  assert.ok(existsSync(marker), 'in a place only the user can change, the cache is used, attack data included');
});

/** Ways another user could have put files in the cache: each makes one place on the way unsafe. */
const unsafePlaces: Array<[string, (base: string) => { cacheRoot: string; makeUnsafe: () => void }]> = [
  [
    'the cache root sits in a group-writable folder',
    (base) => {
      const parent = join(base, 'shared');
      mkdirSync(parent, { mode: 0o755 });
      return { cacheRoot: join(parent, 'cache'), makeUnsafe: () => chmodSync(parent, 0o775) };
    },
  ],
  [
    'the cache root belongs to another user',
    (base) => {
      const cacheRoot = join(base, 'cache');
      mkdirSync(cacheRoot, { mode: 0o755 });
      return { cacheRoot, makeUnsafe: () => chownSync(cacheRoot, NOBODY, NOBODY) };
    },
  ],
  [
    'the cache root is a symbolic link that belongs to another user',
    (base) => {
      const real = join(base, 'real-cache');
      mkdirSync(real, { mode: 0o700 });
      const link = join(base, 'cache-link');
      symlinkSync(real, link);
      return { cacheRoot: link, makeUnsafe: () => lchownSync(link, NOBODY, NOBODY) };
    },
  ],
  [
    'a folder above the cache root is writable by others, without the sticky bit',
    (base) => {
      const top = join(base, 'top');
      mkdirSync(join(top, 'middle'), { recursive: true, mode: 0o755 });
      return { cacheRoot: join(top, 'middle', 'cache'), makeUnsafe: () => chmodSync(top, 0o777) };
    },
  ],
];

for (const [name, setup] of unsafePlaces) {
  test(`a planted code cache is neither run nor rewritten when ${name}`, async () => {
    const h = home();
    const { cacheRoot, makeUnsafe } = setup(h.dir);
    const cacheDir = join(cacheRoot, 'aws-mfa');
    const marker = join(h.dir, 'PLANTED');
    const planted = await plant(h, { XDG_CACHE_HOME: cacheRoot }, cacheDir, marker);
    // what the safe run left there: the code cache, and the refresh lock's folder (locks/)
    const listed = readdirSync(cacheDir).sort();
    makeUnsafe();
    const r = await refresh(h, { XDG_CACHE_HOME: cacheRoot });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(marker), 'the planted code did not run');
    assert.deepEqual(readdirSync(cacheDir).sort(), listed, 'no file was added');
    for (const [n, data] of planted) assert.ok(readFileSync(join(cacheDir, n)).equals(data), `${n} was not rewritten`);
  });
}

test('a relative XDG_CACHE_HOME is ignored (XDG spec): the cache goes to ~/.cache, nothing under the working folder', async () => {
  const h = home();
  const work = join(h.dir, 'work');
  mkdirSync(work);
  const r = await refresh(h, { XDG_CACHE_HOME: 'relative-cache' }, work);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(work), [], 'nothing was created under the working folder');
  const cached = readdirSync(join(h.dir, '.cache', 'aws-mfa'));
  assert.ok(cached.some((n) => n.endsWith('.v8')), `the default place was used: ${cached}`);
});

test('under a root-owned sticky folder (as /tmp) the cache is used: written once 0600 in a 0700 folder, then read, not rewritten', async () => {
  const h = home();
  const sticky = join(h.dir, 'sticky');
  mkdirSync(sticky);
  chmodSync(sticky, 0o1777);
  const cacheDir = join(sticky, 'cache', 'aws-mfa');
  assert.equal((await refresh(h, { XDG_CACHE_HOME: join(sticky, 'cache') })).code, 0);
  // beside the code cache, the refresh lock's folder (locks/, empty once the refresh is done)
  assert.deepEqual(readdirSync(join(cacheDir, 'locks')), []);
  const names = readdirSync(cacheDir).filter((n) => n !== 'locks');
  assert.ok(names.length >= 2 && names.every((n) => /^[\w-]+\.[0-9a-f]{16}\.v8$/.test(n)), `only cache files: ${names}`);
  assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
  const stamps = names.map((n) => {
    const st = statSync(join(cacheDir, n));
    assert.equal(st.mode & 0o777, 0o600);
    return st.ino;
  });
  assert.equal((await refresh(h, { XDG_CACHE_HOME: join(sticky, 'cache') })).code, 0);
  assert.deepEqual(
    names.map((n) => statSync(join(cacheDir, n)).ino),
    stamps,
    'the second run read the cache and did not replace it',
  );
});
