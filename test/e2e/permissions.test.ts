/**
 * Permissions and paths: warnings like ssh's (files others can read or change), no reading or
 * writing through another user's symlink, a lock path that cannot redirect the write, temporary
 * files that cannot be planted (O_EXCL, random names: checked on the system calls themselves),
 * and stale temporaries removed without following links or touching anything not ours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, lchownSync, lstatSync, mkdtempSync, symlinkSync, writeFileSync, readFileSync, existsSync, utimesSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { BIN, makeHome, runCli, runProcess, type Home } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';
import { onboard } from '../helpers/onboard.js';

const emu = useMoto();
const homeFor = (): Home => makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
const NOBODY = 65534;

test('a credentials file readable by others gets a warning naming the fix; 0600 gets none, in the 0755 ~/.aws the AWS CLI makes too', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'perm');
  chmodSync(home.credentials, 0o644);
  chmodSync(home.aws, 0o755);
  const loose = await runCli(['--profile', 'perm', '--token', '123456'], { env: home.env });
  assert.equal(loose.code, 0, loose.stderr);
  assert.match(loose.stderr, /warning: .*credentials is readable by other users \(mode 0644\); run: chmod 600 /);
  const permissions = /warning: .*by other users/;
  assert.equal(loose.stderr.match(new RegExp(permissions, 'g'))?.length, 1, `one warning about permissions, once:\n${loose.stderr}`);
  // the file fixed: a folder others can list (not change) is no reason to warn on every run
  chmodSync(home.credentials, 0o600);
  for (const args of [['--profile', 'perm'], ['--profile', 'perm', '--force', '--token', '123456'], ['status']]) {
    const tight = await runCli(args, { env: home.env });
    assert.equal(tight.code, 0, tight.stderr);
    assert.doesNotMatch(tight.stderr, permissions, `${args.join(' ')}: ${tight.stderr}`);
  }
});

test('a credentials file or config file others can change gets a warning naming the fix, as does a folder others can change', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'wperm');
  chmodSync(home.credentials, 0o620); // group-writable, not readable by others
  writeFileSync(home.config, '[profile wperm]\nregion = eu-west-1\n');
  chmodSync(home.config, 0o646); // writable by others: not a secret, but a config others can change is theirs
  chmodSync(home.aws, 0o775);
  const r = await runCli(['--profile', 'wperm', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: \S*\/\.aws\/credentials can be changed by other users \(mode 0620\); run: chmod go-w \S*\/\.aws\/credentials\n/);
  assert.match(r.stderr, /warning: \S*\/\.aws\/config can be changed by other users \(mode 0646\); run: chmod go-w \S*\/\.aws\/config\n/);
  assert.match(r.stderr, /warning: \S*\/\.aws can be changed by other users \(mode 0775\), who could replace the files in it; run: chmod go-w \S*\/\.aws\n/);
  assert.equal(r.stderr.split('.aws can be changed').length, 2, `the folder's warning once, for both files in it:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /config is readable/, 'the config file holds no secret: only changing it matters');
  chmodSync(home.credentials, 0o600);
  chmodSync(home.config, 0o644);
  chmodSync(home.aws, 0o700);
  const tight = await runCli(['--profile', 'wperm'], { env: home.env });
  assert.equal(tight.code, 0, tight.stderr);
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
  assert.match(r.stderr, /credentials is a symbolic link owned by another user \(uid 4242\); aws-mfa will not read or write through it/);
  assert.equal(readFileSync(real, 'utf8'), before);
});

test('a credentials or config symlink owned by another user, planted in a group-writable folder, is refused for reading too', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'rlink');
  assert.equal((await runCli(['--profile', 'rlink', '--token', '123456'], { env: home.env })).code, 0);
  // a session is cached now: the next run only reads
  assert.equal((await runCli(['--profile', 'rlink'], { env: home.env })).code, 0);
  chmodSync(home.aws, 0o775);
  const theirs = mkdtempSync(join(home.dir, 'theirs-'));
  const planted = join(theirs, 'credentials');
  writeFileSync(planted, readFileSync(home.credentials), { mode: 0o644 });
  chownSync(planted, NOBODY, NOBODY);
  const mine = join(home.dir, 'my-credentials');
  writeFileSync(mine, readFileSync(home.credentials), { mode: 0o600 });
  unlinkSync(home.credentials);
  symlinkSync(planted, home.credentials);
  lchownSync(home.credentials, NOBODY, NOBODY);
  const r = await runCli(['--profile', 'rlink'], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`^aws-mfa: error: ${home.credentials.replace(/[.]/g, '\\.')} is a symbolic link owned by another user \\(uid ${NOBODY}\\); aws-mfa will not read or write through it: check it \\(ls -l `, 'm'));
  assert.equal(r.stdout, '');
  // the config file the same way (credentials are the user's own again)
  unlinkSync(home.credentials);
  symlinkSync(mine, home.credentials);
  writeFileSync(join(theirs, 'config'), '[profile rlink]\nregion = eu-west-1\n');
  symlinkSync(join(theirs, 'config'), home.config);
  lchownSync(home.config, NOBODY, NOBODY);
  const c = await runCli(['--profile', 'rlink'], { env: home.env });
  assert.equal(c.code, 3, c.stderr);
  assert.match(c.stderr, /config is a symbolic link owned by another user \(uid 65534\); aws-mfa will not read or write through it/);
  // the user's own link is followed as before
  unlinkSync(home.config);
  assert.equal((await runCli(['--profile', 'rlink'], { env: home.env })).code, 0);
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

test('temporary files left by killed writers are removed by the next write: only ours, only regular files, never through a link', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'tmp');
  const old = new Date(Date.now() - 60_000);
  const aged = (p: string) => utimesSync(p, old, old);
  // ours: removed
  const stale = `${home.credentials}.aws-mfa-0123456789abcdef.tmp`;
  writeFileSync(stale, 'aws_secret_access_key = copy\n', { mode: 0o600 });
  aged(stale);
  // a link under our pattern, to a file elsewhere: neither followed nor is its target touched
  const victim = join(home.dir, 'victim');
  writeFileSync(victim, 'keep me\n');
  const link = `${home.credentials}.aws-mfa-fedcba9876543210.tmp`;
  symlinkSync(victim, link);
  // under our pattern but another user's: not ours to remove
  const foreign = `${home.credentials}.aws-mfa-00000000ffffffff.tmp`;
  writeFileSync(foreign, 'theirs\n');
  chownSync(foreign, NOBODY, NOBODY);
  aged(foreign);
  // the user's own backup, named like write-file-atomic's temporaries once were: kept
  const backup = `${home.credentials}.2024`;
  writeFileSync(backup, 'my backup\n', { mode: 0o600 });
  aged(backup);
  const r = await runCli(['--profile', 'tmp', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(backup), 'the user\'s backup is not a temporary of ours');
  assert.equal(readFileSync(backup, 'utf8'), 'my backup\n');
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is left alone');
  assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
  assert.equal(readFileSync(foreign, 'utf8'), 'theirs\n');
  assert.ok(!existsSync(stale), 'the stale copy is gone');
  assert.ok(!existsSync(`${home.credentials}.lock`));
});

/** The credentials file's system calls of one run of aws-mfa, under strace. */
async function traceWrite(home: Home, args: string[]): Promise<string[]> {
  const log = join(home.dir, `strace-${Date.now()}.log`);
  const r = await runProcess(findTool('strace'), ['-f', '-qq', '-e', 'trace=openat,open,rename,renameat,renameat2', '-o', log, process.execPath, BIN, ...args], {
    env: home.env,
  });
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes(home.credentials));
}

test('the temporary file is created with O_CREAT|O_EXCL under a random name, with the file\'s mode, then renamed over the file', async () => {
  const home = homeFor();
  await onboard(emu.moto.endpoint, home, 'excl');
  chmodSync(home.credentials, 0o640);
  const names: string[] = [];
  for (let i = 0; i < 2; i++) {
    // a different duration each time, so the new session differs from the old even within one second
    const calls = await traceWrite(home, ['--profile', 'excl', '--token', '123456', '--force', '--duration', String(900 + i)]);
    const creates = calls.filter((l) => /O_CREAT/.test(l) && !l.includes('.lock'));
    assert.equal(creates.length, 1, `one temporary file is created:\n${calls.join('\n')}`);
    const [, name, flags, mode] = /open(?:at)?\((?:AT_FDCWD, )?"([^"]+)", ([A-Z_|]+), (\d+)\)/.exec(creates[0]!) ?? [];
    assert.match(flags ?? '', /(^|\|)O_EXCL(\||$)/, `created exclusively: ${creates[0]}`);
    assert.equal(mode, '0640', 'with the file\'s own mode from its creation');
    assert.match(name ?? '', new RegExp(`^${home.credentials.replace(/[.]/g, '\\.')}\\.aws-mfa-[0-9a-f]{16}\\.tmp$`));
    assert.ok(calls.some((l) => /rename/.test(l) && l.includes(`"${name}", `) && l.endsWith('= 0')), `renamed over the file:\n${calls.join('\n')}`);
    names.push(name!);
  }
  assert.notEqual(names[0], names[1], 'a new random name each time');
  assert.equal(lstatSync(home.credentials).mode & 0o777, 0o640);
});

test(
  'mfa_process is not run from a config file others can change (ssh\'s rule), and runs once the file is the user\'s alone',
  async () => {
    const home = homeFor();
    await onboard(emu.moto.endpoint, home, 'mp');
    const marker = join(home.dir, 'mfa-process-ran');
    writeFileSync(home.config, `[profile mp]\nmfa_process = touch ${marker}; echo 123456\n`);
    chmodSync(home.config, 0o664);
    const before = home.read();
    const r = await runCli(['--profile', 'mp'], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /aws-mfa will not run mfa_process from \S+\/\.aws\/config: \S+\/\.aws\/config can be changed by other users \(mode 0664\).*; run: chmod go-w \S+\/\.aws\/config\n/);
    assert.ok(!existsSync(marker), 'the command did not run');
    assert.equal(home.read(), before, 'nothing written');
    chmodSync(home.config, 0o644);
    const ok = await runCli(['--profile', 'mp'], { env: home.env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(existsSync(marker), 'the command ran');
  },
);
