/**
 * The file-safety pieces a user cannot reach end to end on Linux, tested on real files:
 * - where the code cache lives on each platform (Windows: %LOCALAPPDATA%);
 * - the Windows rule for replacing a file another program holds open (retry EPERM/EBUSY/EACCES
 *   with backoff, bounded), driven by a real EPERM from an immutable file (chattr +i);
 * - the refusal to run mfa_process from a config file others can change (ssh's rule), which the
 *   session service calls.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheDir } from '../../src/start/chunk-hit.js';
import { replaceFile } from '../../src/io/write.js';
import { processSourceProblem } from '../../src/io/store.js';

const scratch = mkdtempSync(join(tmpdir(), 'aws-mfa-unit-'));
after(() => {
  try {
    execFileSync('chattr', ['-R', '-i', scratch], { stdio: 'ignore' });
  } catch {
    /* nothing immutable left */
  }
  rmSync(scratch, { recursive: true, force: true });
});

test('code cache location: XDG_CACHE_HOME only when absolute, else ~/.cache; %LOCALAPPDATA% on Windows, only on a local drive', () => {
  const home = () => '/home/fallback';
  const cases: Array<[NodeJS.ProcessEnv, NodeJS.Platform, string | undefined]> = [
    [{ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' }, 'linux', '/var/cache/me/aws-mfa'],
    [{ XDG_CACHE_HOME: '/var/cache/me/', HOME: '/home/me' }, 'linux', '/var/cache/me/aws-mfa'],
    [{ HOME: '/' }, 'linux', '/.cache/aws-mfa'],
    [{ XDG_CACHE_HOME: 'relative/cache', HOME: '/home/me' }, 'linux', '/home/me/.cache/aws-mfa'],
    [{ XDG_CACHE_HOME: './cache', HOME: '/home/me' }, 'darwin', '/home/me/.cache/aws-mfa'],
    [{ XDG_CACHE_HOME: '' }, 'linux', '/home/fallback/.cache/aws-mfa'],
    [{ HOME: 'relative-home' }, 'linux', undefined],
    [{ HOME: '/home/me', AWS_MFA_NO_CODE_CACHE: '1' }, 'linux', undefined],
    [{ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', XDG_CACHE_HOME: '/x' }, 'win32', 'C:\\Users\\me\\AppData\\Local\\aws-mfa\\cache'],
    [{ LOCALAPPDATA: 'D:/Profiles/me/Local' }, 'win32', 'D:\\Profiles\\me\\Local\\aws-mfa\\cache'],
    [{ LOCALAPPDATA: '\\\\server\\share\\me' }, 'win32', undefined],
    [{ LOCALAPPDATA: 'AppData\\Local' }, 'win32', undefined],
    [{ USERPROFILE: 'C:\\Users\\me' }, 'win32', undefined],
  ];
  for (const [env, platform, want] of cases) assert.equal(codeCacheDir(env, platform, home), want, `${platform} ${JSON.stringify(env)}`);
});

/** A target that rename() cannot replace (EPERM) until `release` is called: an immutable file. */
function heldTarget(name: string) {
  const target = join(scratch, name);
  writeFileSync(target, 'old\n');
  execFileSync('chattr', ['+i', target]);
  const from = join(scratch, `${name}.new`);
  writeFileSync(from, 'new\n');
  return { target, from, release: () => execFileSync('chattr', ['-i', target]) };
}

test('on Windows a replace that fails with EPERM is retried with backoff until the other program lets go', async () => {
  const { target, from, release } = heldTarget('held');
  const started = Date.now();
  setTimeout(release, 400);
  await replaceFile(from, target, { platform: 'win32' });
  assert.ok(Date.now() - started >= 400, 'it waited');
  assert.equal(readFileSync(target, 'utf8'), 'new\n');
  assert.ok(!existsSync(from));
});

test('on Windows the retries are bounded: the error comes back with how long it tried', async () => {
  const { target, from, release } = heldTarget('stuck');
  const started = Date.now();
  await assert.rejects(replaceFile(from, target, { platform: 'win32', maxMs: 300 }), (e: NodeJS.ErrnoException & { retriedMs?: number }) => {
    assert.equal(e.code, 'EPERM');
    assert.ok(e.retriedMs !== undefined && e.retriedMs >= 300, `retriedMs ${e.retriedMs}`);
    return true;
  });
  assert.ok(Date.now() - started < 2_000, 'bounded');
  release();
  assert.equal(readFileSync(target, 'utf8'), 'old\n');
});

test('elsewhere EPERM is final at once (no retry)', async () => {
  const { target, from, release } = heldTarget('final');
  const started = Date.now();
  await assert.rejects(replaceFile(from, target, { platform: 'linux' }), (e: NodeJS.ErrnoException & { retriedMs?: number }) => e.code === 'EPERM' && e.retriedMs === undefined);
  assert.ok(Date.now() - started < 200);
  release();
});

test('mfa_process is refused from a config file that others can change: the file, a folder above it, or a link on the way', () => {
  const base = mkdtempSync(join(scratch, 'cfg-'));
  const aws = join(base, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  const config = join(aws, 'config');
  writeFileSync(config, '[profile p]\nmfa_process = totp p\n', { mode: 0o600 });
  assert.equal(processSourceProblem(config), undefined, 'the user\'s own 0600 file in 0700 folders is safe');

  chmodSync(config, 0o664);
  const writable = processSourceProblem(config);
  assert.equal(writable?.exitCode, 3);
  assert.equal(
    writable?.message,
    `aws-mfa will not run mfa_process from ${config}: ${config} can be changed by other users (mode 0664), and a command from a file others can change is theirs to choose (ssh has the same rule); run: chmod go-w ${config}`,
  );
  chmodSync(config, 0o644);
  assert.equal(processSourceProblem(config), undefined, 'readable by others is fine: only changing it matters');

  chmodSync(base, 0o775);
  assert.match(processSourceProblem(config)?.message ?? '', new RegExp(`: ${base} can be changed by other users \\(mode 0775\\).*run: chmod go-w ${base}$`));
  chmodSync(base, 0o1777); // sticky, but not root's: still unsafe
  chownSync(base, 65534, 65534);
  assert.match(processSourceProblem(config)?.message ?? '', new RegExp(`: ${base} can be changed by other users \\(it belongs to uid 65534\\).*run: sudo chown "\\$\\(id -un\\)" ${base}$`));
  chownSync(base, 0, 0);
  chmodSync(base, 0o700);

  const linked = join(aws, 'linked-config');
  symlinkSync(config, linked);
  assert.equal(processSourceProblem(linked), undefined, 'the user\'s own link to a safe file');
  lchownSync(linked, 65534, 65534);
  assert.match(processSourceProblem(linked)?.message ?? '', /linked-config can be changed by other users \(it belongs to uid 65534\)/);
  assert.equal(processSourceProblem(join(aws, 'missing')), undefined, 'no file, no command to run');
});
