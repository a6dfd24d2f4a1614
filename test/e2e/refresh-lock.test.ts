/**
 * One refresh at a time per session, across processes, end to end with the built bundle and
 * moto_server: callers that ask at once for a due session cause one code and one GetSessionToken
 * and all print that session; a caller that waits too long gets exit 75 and one line saying what to
 * do, with no file changed; a holder killed with SIGKILL does not block the next caller. Codes come
 * from an `mfa_process` that counts its runs (a shell script appending to a file).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { CLI_COMMAND, makeHome, runCli, runProcess, type Home, type RunResult } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';

const emu = useMoto();
let user: OnboardedUser;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
});

interface Setup {
  home: Home;
  /** One line per run of mfa_process. */
  runs: () => number;
  /** The PIDs of the shells and sleeps mfa_process started (ended by the test that leaves them). */
  pids: () => number[];
}

/**
 * A HOME whose [w] session is due (it ended an hour ago), with an mfa_process that records its run,
 * sleeps LOCK_TEST_SLEEP seconds (default 2: the other callers find the lock held) and prints a code.
 */
async function dueSession(): Promise<Setup> {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1' });
  writeLongTerm(home, 'w', user);
  const first = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
  const past = new Date(Date.now() - 3600_000).toISOString().replace('T', ' ').slice(0, 19);
  home.write(home.read().replace(/^expiration = .*$/m, `expiration = ${past}`));
  const script = join(home.dir, 'count-codes.sh');
  const runsFile = join(home.dir, 'runs');
  const pidsFile = join(home.dir, 'pids');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `echo "$$" >> '${pidsFile}'`,
      `echo run >> '${runsFile}'`,
      'sleep "${LOCK_TEST_SLEEP:-2}" &',
      `echo "$!" >> '${pidsFile}'`,
      'wait',
      'echo 123456',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o700);
  home.write(`[profile w]\nregion = us-east-1\nmfa_process = ${script}\n`, home.config);
  const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
  await emu.moto.resetRecording();
  return { home, runs: () => lines(runsFile).length, pids: () => lines(pidsFile).map(Number) };
}

const credentialProcess = (home: Home, env: Record<string, string> = {}) =>
  runCli(['credential-process', '--profile', 'w'], { env: { ...home.env, ...env }, timeoutMs: 120_000 });

/** Lock folders left anywhere aws-mfa may put one (the cache folder's locks/, beside the credentials file). */
function locksLeft(home: Home): string[] {
  const locks = join(home.dir, '.cache', 'aws-mfa', 'locks');
  const inCache = existsSync(locks) ? readdirSync(locks) : [];
  return [...inCache, ...readdirSync(home.aws).filter((f) => f.endsWith('.lock'))];
}

async function until(what: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether process `pid` is still running. */
const running = (pid: number | undefined) => {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
};

const endAll = (pids: number[]) => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* ended already */
    }
  }
};

test('eight credential-process callers at once, session due: one code, one GetSessionToken, one session', async () => {
  const { home, runs } = await dueSession();
  const results: RunResult[] = await Promise.all(Array.from({ length: 8 }, () => credentialProcess(home)));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  assert.equal(runs(), 1, 'one code asked');
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1, 'one GetSessionToken');
  // moto gives every session the same keys: the expiration tells them apart
  const expirations = new Set(results.map((r) => JSON.parse(r.stdout).Expiration as string));
  assert.equal(expirations.size, 1, [...expirations].join(', '));
  assert.ok(Date.parse([...expirations][0]!) > Date.now(), 'the new session');
  const saying = 'another aws-mfa is getting the session for [w]; waiting for it to finish (up to 180 s)';
  const waited = results.filter((r) => r.stderr.includes(saying));
  assert.ok(waited.length >= 1, results.map((r) => r.stderr).join('\n'));
  for (const r of waited) assert.equal(r.stderr.split('another aws-mfa').length, 2, 'said once');
  assert.deepEqual(locksLeft(home), [], 'every lock released');
});

test('a lock held longer than the wait: exit 75, one line saying what to do, no file changed', async () => {
  const { home, runs, pids } = await dueSession();
  const holder = credentialProcess(home, { LOCK_TEST_SLEEP: '60' });
  try {
    await until(() => runs() === 1);
    const credentials = home.read();
    const start = Date.now();
    const r = await credentialProcess(home, { AWS_MFA_LOCK_WAIT_SECONDS: '1' });
    assert.equal(r.code, 75, r.stderr);
    assert.ok(Date.now() - start >= 1000, 'it waited');
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr); // the wait, said once, and the failure
    assert.match(lines[0]!, /another aws-mfa is getting the session for \[w\]; waiting for it to finish \(up to 1 s\)/);
    assert.match(
      lines[1]!,
      new RegExp(
        'another aws-mfa has been getting the session for \\[w\\] for 1 s and has not finished; ' +
          "answer or close its code prompt .* remove its lock: rm -r '/.*\\.lock'$",
      ),
    );
    assert.equal(home.read(), credentials, 'the credentials file is unchanged');
    assert.equal(runs(), 1, 'the waiter asked no code');
    assert.equal((await emu.moto.requests('GetSessionToken')).length, 0);
  } finally {
    holder.kill('SIGKILL');
    endAll(pids());
    await holder;
  }
});

test('Ctrl-C while waiting for another run: exit 130 with one line saying so; the holder goes on, nothing changed', async () => {
  const { home, runs, pids } = await dueSession();
  const holder = credentialProcess(home, { LOCK_TEST_SLEEP: '60' });
  try {
    await until(() => runs() === 1);
    const credentials = home.read();
    // stderr to a file, to see the wait begin (exec: the signal goes to aws-mfa itself)
    const log = join(home.dir, 'waiter.log');
    const args = [...CLI_COMMAND, 'credential-process', '--profile', 'w'];
    const waiter = runProcess('sh', ['-c', 'exec "$@" 2>"$LOG"', 'sh', ...args], { env: { ...home.env, LOG: log } });
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('waiting for it to finish'));
    waiter.kill('SIGINT');
    const r = await waiter;
    assert.equal(r.code, 130, readFileSync(log, 'utf8'));
    assert.equal(r.stdout, '');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2, lines.join('\n')); // the wait, and the cancel
    assert.equal(
      lines[1],
      'aws-mfa: error: cancelled while waiting for the other aws-mfa getting the session for [w]; nothing was sent to AWS',
    );
    assert.equal(runs(), 1, 'the waiter asked no code');
    assert.equal(home.read(), credentials, 'the credentials file is unchanged');
    assert.equal(locksLeft(home).length, 1, "the holder's lock is still there");
    assert.ok(running(holder.pid()), 'the holder goes on');
  } finally {
    holder.kill('SIGKILL');
    endAll(pids());
    await holder;
  }
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 0);
});

test('a holder killed with SIGKILL does not block the next caller: its lock is broken at once', async () => {
  const { home, runs, pids } = await dueSession();
  const holder = credentialProcess(home, { LOCK_TEST_SLEEP: '60' });
  await until(() => runs() === 1);
  holder.kill('SIGKILL');
  endAll(pids());
  assert.equal((await holder).signal, 'SIGKILL');
  assert.equal(locksLeft(home).length, 1, 'the killed holder left its lock');
  const start = Date.now();
  const r = await credentialProcess(home, { LOCK_TEST_SLEEP: '0' });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - start < 15_000, `took ${Date.now() - start} ms`);
  assert.doesNotMatch(r.stderr, /another aws-mfa/, 'no wait');
  assert.equal(runs(), 2);
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1);
  assert.ok(Date.parse(JSON.parse(r.stdout).Expiration) > Date.now());
  assert.deepEqual(locksLeft(home), []);
});

test('the session command twice at once: one code; the one that waited says the session is still valid', async () => {
  const { home, runs } = await dueSession();
  const [a, b] = await Promise.all([1, 2].map(() => runCli(['--profile', 'w'], { env: home.env, timeoutMs: 120_000 })));
  for (const r of [a!, b!]) assert.equal(r.code, 0, r.stderr);
  assert.equal(runs(), 1, 'one code asked');
  assert.equal((await emu.moto.requests('GetSessionToken')).length, 1);
  const said = [a!, b!].map((r) => r.stderr);
  assert.equal(said.filter((s) => /Success! Your credentials will expire/.test(s)).length, 1, said.join('\n'));
  const waiter = said.find((s) => s.includes('another aws-mfa is getting the session for [w]'));
  assert.ok(waiter, said.join('\n'));
  assert.doesNotMatch(waiter, /Success!/);
  assert.match(waiter, /Your credentials are still valid/);
});
