/**
 * Hostile paths: AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE naming something that is not a
 * regular file (a FIFO, /dev/zero, a block device, a directory, a socket) or a file far too large.
 * Each is refused before a byte is read, with exit 3 and one line naming what it is; nothing is
 * sent to AWS and nothing is written. Before, a FIFO hung forever and /dev/zero ate memory.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeHome, runCli } from '../helpers/cli.js';
import { startFakeSts } from '../helpers/fake-sts.js';
import { updateIni } from '../../src/io/store.js';

const sts = await startFakeSts();
after(() => sts.close());
sts.script({ ok: 'GetSessionToken' });

const LONG_TERM = '[p-long-term]\naws_access_key_id = AKIAHOSTILEFILES0000\naws_secret_access_key = secret\naws_mfa_device = arn:aws:iam::123456789012:mfa/p\n';

/** One of each kind of thing that is not a file, in a fresh HOME. */
async function hostilePlaces() {
  const home = makeHome({ AWS_ENDPOINT_URL: sts.endpoint });
  home.write(LONG_TERM);
  const fifo = join(home.dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const folder = join(home.dir, 'folder');
  mkdirSync(folder);
  const socket = join(home.dir, 'socket');
  const server = createServer();
  await new Promise<void>((r) => server.listen(socket, r));
  after(() => new Promise<void>((r) => server.close(() => r())));
  const places: Array<[string, string]> = [
    [fifo, 'a FIFO \\(named pipe\\)'],
    ['/dev/zero', 'a character device'],
    [folder, 'a directory'],
    [socket, 'a socket'],
  ];
  // a block device, where the machine has one (a container may have none)
  const block = ['/dev/loop0', '/dev/vda', '/dev/sda'].find((p) => existsSync(p) && statSync(p).isBlockDevice());
  if (block) places.push([block, 'a block device']);
  return { home, places };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a credentials path that is a FIFO, /dev/zero, a device, a directory or a socket is refused at once, naming what it is', async () => {
  const { home, places } = await hostilePlaces();
  const before = home.read();
  for (const [path, what] of places) {
    const started = Date.now();
    const r = await runCli(['--profile', 'p', '--token', '123456'], { env: { ...home.env, AWS_SHARED_CREDENTIALS_FILE: path }, timeoutMs: 15_000 });
    assert.equal(r.signal, null, `${path}: aws-mfa had to be killed (it hung or ate memory)`);
    assert.equal(r.code, 3, `${path}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^aws-mfa: error: ${escape(path)} is ${what}, not a file; aws-mfa reads only regular files: point AWS_SHARED_CREDENTIALS_FILE at one\\n$`));
    assert.ok(Date.now() - started < 10_000, `${path}: answered in ${Date.now() - started} ms`);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(sts.actions, [], 'nothing was sent to AWS');
  assert.equal(home.read(), before, 'the real credentials file is untouched');
});

test('a config path that is a FIFO or /dev/zero is refused the same way, and the credentials file is not written', async () => {
  const { home, places } = await hostilePlaces();
  const before = home.read();
  for (const [path, what] of places.slice(0, 2)) {
    const r = await runCli(['--profile', 'p', '--token', '123456'], { env: { ...home.env, AWS_CONFIG_FILE: path }, timeoutMs: 15_000 });
    assert.equal(r.signal, null, `${path}: aws-mfa had to be killed`);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`${escape(path)} is ${what}, not a file; aws-mfa reads only regular files: point AWS_CONFIG_FILE at one`));
  }
  assert.deepEqual(sts.actions, []);
  assert.equal(home.read(), before);
  assert.ok(!existsSync(`${home.credentials}.lock`));
});

test('a credentials file over 64 MiB is refused with a message that says so, before it is read', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: sts.endpoint });
  home.write(LONG_TERM);
  truncateSync(home.credentials, 65 * 1024 * 1024); // sparse: takes no disk
  const r = await runCli(['--profile', 'p', '--token', '123456'], { env: home.env, timeoutMs: 30_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /credentials is larger than the 64 MiB aws-mfa reads \(68157440 bytes\); it is not a credentials or config file: point AWS_SHARED_CREDENTIALS_FILE at the right one/);
  assert.deepEqual(sts.actions, []);
  assert.equal(statSync(home.credentials).size, 65 * 1024 * 1024, 'not rewritten');
});

test('the writer refuses the same: a directory or an oversized file as the target of an update is an error, and nothing is written', async () => {
  const home = makeHome();
  const folder = join(home.dir, 'folder-target');
  mkdirSync(folder);
  await assert.rejects(
    updateIni(folder, (doc) => doc.addSection('x', [['k', 'v']]), undefined, 'credentials'),
    (e: Error & { exitCode?: number }) => e.exitCode === 3 && /folder-target is a directory, not a file/.test(e.message),
  );
  const big = join(home.dir, 'big');
  writeFileSync(big, '[a]\nk = v\n');
  truncateSync(big, 64 * 1024 * 1024 + 1);
  await assert.rejects(
    updateIni(big, (doc) => doc.addSection('x', [['k', 'v']]), undefined, 'config'),
    (e: Error & { exitCode?: number }) => e.exitCode === 3 && /big is larger than the 64 MiB aws-mfa reads \(67108865 bytes\); .* point AWS_CONFIG_FILE/.test(e.message),
  );
  assert.equal(statSync(big).size, 64 * 1024 * 1024 + 1);
  assert.equal(readFileSync(big).subarray(0, 10).toString(), '[a]\nk = v\n');
});
