/**
 * A refresh reads the credentials file once, plus the locked re-read before the write: the entry's
 * fast path reads the file and decides, and when the session is due it hands what it read and
 * decided to the full program (ctx.early) instead of leaving it to start over. Counted with
 * strace (every open of the file for reading, in every thread and child).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runProcess, BIN, type Home } from '../helpers/cli.js';
import { onboard } from '../helpers/onboard.js';
import { findTool } from '../helpers/tools.js';

const emu = useMoto();

/** The opens of the credentials file itself for reading (not its lock, not the temporary) in one run. */
async function readsOfCredentials(home: Home, args: string[], input?: string): Promise<string[]> {
  const log = join(home.dir, `strace-${Date.now()}.log`);
  const trace = ['-f', '-qq', '-e', 'trace=openat,open', '-o', log, process.execPath, BIN, ...args];
  const r = await runProcess(findTool('strace'), trace, { env: home.env, ...(input === undefined ? {} : { input }) });
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes(`"${home.credentials}"`) && !/O_WRONLY|O_RDWR|O_CREAT/.test(l));
}

/** The session in [profile] ended an hour ago (as written by aws-mfa, every key in place). */
function expire(home: Home): void {
  const text = readFileSync(home.credentials, 'utf8');
  const past = new Date(Date.now() - 3600_000).toISOString().replace('T', ' ').slice(0, 19);
  writeFileSync(home.credentials, text.replace(/^expiration = .*$/m, `expiration = ${past}`));
}

for (const [what, args] of [
  ['the session command', ['--profile', 'reads']],
  ['credential-process', ['credential-process', '--profile', 'reads']],
] as const) {
  test(`a refresh by ${what} opens the credentials file for reading twice: the read and the locked re-read`, async () => {
    const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
    await onboard(emu.moto.endpoint, home, 'reads');
    const first = await runProcess(process.execPath, [BIN, '--profile', 'reads', '--token', '123456'], { env: home.env });
    assert.equal(first.code, 0, first.stderr);
    expire(home);
    // a code without a terminal (credential-process asks none on stdin), as aws-vault's mfa_process
    writeFileSync(home.config, '[profile reads]\nregion = us-east-1\nmfa_process = echo 654321\n', { mode: 0o600 });
    const before = readFileSync(home.credentials, 'utf8');
    const reads = await readsOfCredentials(home, [...args]);
    assert.notEqual(readFileSync(home.credentials, 'utf8'), before, 'a new session was written');
    assert.equal(reads.length, 2, `two reads:\n${reads.join('\n')}`);
  });
}
