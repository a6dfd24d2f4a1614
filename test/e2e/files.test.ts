/**
 * The file store under real conditions, through the built binary: symlinks, modes, creation,
 * 20 concurrent writers, and kill -9 in the middle of refreshes on a large file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, chmodSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { BIN, makeHome, runCli, runProcess, type Home } from '../helpers/cli.js';
import { createUser, type OnboardedUser } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const homeFor = (): Home => makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });

const longTerm = (name: string, u: OnboardedUser) =>
  `[${name}-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\naws_mfa_device = ${u.deviceArn}\n`;

test('a symlinked credentials file: the link stays, its target is updated', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  const dotfiles = join(home.dir, 'dotfiles');
  mkdirSync(dotfiles);
  const target = join(dotfiles, 'aws-credentials');
  writeFileSync(target, `# in my dotfiles repo\n${longTerm('link', u)}`, { mode: 0o600 });
  symlinkSync('../dotfiles/aws-credentials', home.credentials);
  const r = await runCli(['--profile', 'link', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(home.credentials).isSymbolicLink(), 'still a link');
  assert.equal(readlinkSync(home.credentials), '../dotfiles/aws-credentials');
  const text = readFileSync(target, 'utf8');
  assert.ok(text.startsWith('# in my dotfiles repo\n'));
  assert.ok(IniDocument.parse(text).get('link', 'aws_session_token'));
});

test('the file mode is kept (0640 stays 0640)', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  home.write(longTerm('mode', u));
  chmodSync(home.credentials, 0o640);
  const r = await runCli(['--profile', 'mode', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(home.credentials).mode & 0o777, 0o640);
  assert.ok(IniDocument.parse(home.read()).get('mode', 'aws_session_token'));
});

test('the mode is exact whatever the umask, and the owner is kept when root edits another user\'s file', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  home.write(longTerm('own', u));
  chmodSync(home.credentials, 0o640);
  chownSync(home.credentials, 65534, 65534);
  // umask 077 would make a plain open(..., 0640) 0600
  const r = await runProcess('/bin/sh', ['-c', 'umask 077; exec "$0" "$@"', process.execPath, BIN, '--profile', 'own', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  const st = statSync(home.credentials);
  assert.equal(st.mode & 0o777, 0o640);
  assert.deepEqual([st.uid, st.gid], [65534, 65534]);
  assert.ok(IniDocument.parse(home.read()).get('own', 'aws_session_token'));
});

test('init on a machine without the folder: the credentials file is created 0600 in a new 0700 folder', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  const folder = join(home.dir, 'fresh', '.aws');
  const path = join(folder, 'credentials');
  const env = { ...home.env, AWS_SHARED_CREDENTIALS_FILE: path, AWS_CONFIG_FILE: join(folder, 'config') };
  const r = await runCli(['init', '--profile', 'p', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--token', '123456'], { env, input: `${u.secretAccessKey}\n`, detached: true });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  const doc = IniDocument.parse(readFileSync(path, 'utf8'));
  assert.equal(doc.get('p-long-term', 'aws_access_key_id'), u.accessKeyId);
  assert.ok(doc.get('p', 'aws_session_token'));
  assert.deepEqual(readdirSync(folder).filter((f) => f !== 'config'), ['credentials'], 'no lock or temporary file left');
});

test('20 processes each updating a different profile of one file at once: all 20 updates land', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  const n = 20;
  home.write(Array.from({ length: n }, (_, i) => longTerm(`p${i}`, u)).join('\n'));
  const runs = await Promise.all(
    Array.from({ length: n }, (_, i) => runCli(['--profile', `p${i}`, '--token', '123456'], { env: home.env, timeoutMs: 120_000 })),
  );
  runs.forEach((r, i) => assert.equal(r.code, 0, `p${i}: ${r.stderr}`));
  const doc = IniDocument.parse(home.read());
  assert.equal(doc.issues.length, 0);
  for (let i = 0; i < n; i++) {
    assert.ok(doc.get(`p${i}`, 'aws_session_token'), `[p${i}] has its session`);
    assert.ok(doc.get(`p${i}-long-term`, 'aws_secret_access_key'), `[p${i}-long-term] is intact`);
  }
  assert.ok(!existsSync(`${home.credentials}.lock`));
});

test('kill -9 during refreshes of a 10,000-profile file: the file is always the old or the new content', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  const filler = Array.from({ length: 10_000 }, (_, i) => `[acct${i}]\n# account ${i}\naws_access_key_id = AKIAFILLER${String(i).padStart(10, '0')}\nregion = eu-west-1\n`).join('\n');
  home.write(`${filler}\n${longTerm('big', u)}`);
  // a first complete session, so every later state has one; how long it takes sets the kill times
  const t0 = Date.now();
  assert.equal((await runCli(['--profile', 'big', '--token', '123456'], { env: home.env, timeoutMs: 120_000 })).code, 0);
  const span = Math.max(300, 1.5 * (Date.now() - t0));
  const baseline = IniDocument.parse(home.read());
  const others = (doc: IniDocument) => doc.lines.slice(0, doc.sectionSpans('big')[0]!.header).map((l) => l.text + l.eol).join('');
  const fixed = others(baseline);
  let killed = 0;
  let completed = 0;
  for (let i = 0; i < 12; i++) {
    const before = home.read();
    const run = runCli(['--profile', 'big', '--force', '--token', '123456', '--duration', String(900 + i)], { env: home.env, timeoutMs: 120_000 });
    // from early (before any write) to late (around and after the write), spread over the runs;
    // the last two are never killed, so new content is checked even on a loaded machine
    const delay = 10 + Math.floor((i / 9) * span) + Math.floor(Math.random() * 25);
    const timer = setTimeout(() => {
      if (i >= 10) return;
      const pid = run.pid();
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }, delay);
    const r = await run;
    clearTimeout(timer);
    if (r.signal === 'SIGKILL') killed++;
    else {
      assert.equal(r.code, 0, r.stderr);
      completed++;
    }
    const now = home.read();
    const doc = IniDocument.parse(now);
    assert.equal(doc.issues.length, 0, 'the file always parses');
    assert.equal(others(doc), fixed, 'the 10,000 other profiles are byte-identical');
    const big = doc.entries('big');
    if (now !== before) {
      // a complete new session: every key present, token pair in step
      assert.equal(big.get('aws_session_token'), big.get('aws_security_token'));
      assert.match(big.get('expiration') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    }
    // the lock is released even after kill -9 within a few seconds (stale lock detection) — the next run waits for it
  }
  assert.ok(killed > 0, 'some runs were killed');
  assert.ok(completed > 0, 'some runs completed, so new content was checked too');
  const leftovers = readdirSync(home.aws).filter((f) => f !== 'credentials' && f !== 'credentials.lock');
  assert.ok(leftovers.every((f) => /^credentials\.aws-mfa-[0-9a-f]{16}\.tmp$/.test(f)), `only temporary files of killed writes may remain: ${leftovers}`);
});
