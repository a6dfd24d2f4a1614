/**
 * The crash-and-fault soak, short form, about 15 s (the long one: npm run soak): refreshes of the
 * built binary on a 2,000-profile file, several at once, with random kill -9 and dropped
 * connections; zero violations of the file invariants, and each kind of event seen at least once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runProcess } from '../helpers/cli.js';
import { ROOT } from '../helpers/shared.js';

test('soak (short): refreshes, kills, faults and concurrent runs with zero violations', async () => {
  const r = await runProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'soak.ts'), '--short'], {
    env: { ...(process.env as Record<string, string>) },
    cwd: ROOT,
    timeoutMs: 300_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('soak:')) ?? '';
  console.log(line);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const n = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(line)?.[1] ?? -1);
  assert.equal(n('violations'), 0);
  assert.ok(n('refreshes') > 0 && n('kills') > 0 && n('dropped connections') > 0 && n('concurrent runs') > 0, `every kind of event happened: ${line}`);
});
