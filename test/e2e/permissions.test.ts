/**
 * Permissions and paths: warnings like ssh's, no writing through another user's symlink, a lock
 * path that cannot redirect the write, and no temporary copies of the credentials left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lchownSync, symlinkSync, writeFileSync, readFileSync, existsSync, utimesSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { onboard } from '../helpers/onboard.js';

const emu = useMoto();
const homeFor = (): Home => makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });

test('a credentials file or folder readable by others gets a warning naming the fix; 0600/0700 get none', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'perm');
  chmodSync(home.credentials, 0o644);
  chmodSync(home.aws, 0o755);
  const loose = await runCli(['--profile', 'perm', '--token', '123456'], { env: home.env });
  assert.equal(loose.code, 0, loose.stderr);
  assert.match(loose.stderr, /warning: .*credentials is readable by other users \(mode 0644\); run: chmod 600 /);
  assert.match(loose.stderr, /warning: .*\.aws can be listed by other users \(mode 0755\); run: chmod 700 /);
  assert.equal(loose.stderr.match(/readable by other users/g)?.length, 1, 'once');
  chmodSync(home.credentials, 0o600);
  chmodSync(home.aws, 0o700);
  const tight = await runCli(['--profile', 'perm'], { env: home.env });
  assert.equal(tight.code, 0);
  assert.doesNotMatch(tight.stderr, /warning/);
});

test('a credentials symlink owned by another user is not written through', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'link');
  const real = join(home.dir, 'real-credentials');
  writeFileSync(real, readFileSync(home.credentials), { mode: 0o600 });
  unlinkSync(home.credentials);
  symlinkSync(real, home.credentials);
  lchownSync(home.credentials, 4242, 4242);
  const before = readFileSync(real, 'utf8');
  const r = await runCli(['--profile', 'link', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /credentials is a symbolic link owned by another user \(uid 4242\); aws-mfa will not write through it/);
  assert.equal(readFileSync(real, 'utf8'), before);
});

test('a planted lock symlink is refused, and what it points at is untouched', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'lock');
  const victim = join(home.dir, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  symlinkSync(victim, `${home.credentials}.lock`);
  const before = home.read();
  const r = await runCli(['--profile', 'lock', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /credentials\.lock is not a lock aws-mfa made \(a symbolic link\); remove it and try again/);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
  assert.equal(home.read(), before);
});

test('a temporary file left by a killed writer is removed by the next write', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'tmp');
  const stale = `${home.credentials}.1234567`;
  writeFileSync(stale, 'aws_secret_access_key = copy\n', { mode: 0o600 });
  const old = new Date(Date.now() - 60_000);
  utimesSync(stale, old, old);
  const r = await runCli(['--profile', 'tmp', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(stale), 'the stale copy is gone');
  assert.ok(!existsSync(`${home.credentials}.lock`));
});
