/**
 * The cached path loads neither the AWS SDK nor the writer: checked by recording every module and
 * bundle chunk the built binary loads. (How fast it is, is for `npm run bench`, not for a test.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runProcess, BIN } from '../helpers/cli.js';
import { onboard } from '../helpers/onboard.js';
import { ROOT } from '../helpers/shared.js';

const emu = useMoto();
const RECORDER = join(ROOT, 'test', 'fixtures', 'record-modules.cjs');

async function loadedBy(args: string[], env: Record<string, string>, file: string): Promise<string[]> {
  const r = await runProcess(process.execPath, ['--require', RECORDER, BIN, ...args], { env: { ...env, RECORD_MODULES_TO: file }, detached: true });
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

const heavy = (mods: string[]) => mods.filter((m) => /sts\.cjs|iam\.cjs|write\.cjs|@aws-sdk|@smithy|proper-lockfile|write-file-atomic/.test(m));

test('a cached session check and a cached credential-process load no SDK and no writer', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'fast');
  const refresh = await loadedBy(['--profile', 'fast', '--token', '123456'], home.env, join(home.dir, 'refresh.txt'));
  assert.ok(heavy(refresh).some((m) => m.endsWith('sts.cjs')), 'a refresh loads the STS chunk (so this test can see it)');
  assert.ok(heavy(refresh).some((m) => m.endsWith('write.cjs')), 'and the writer');
  assert.ok(!heavy(refresh).some((m) => m.endsWith('iam.cjs')), 'but not IAM');
  assert.deepEqual(heavy(await loadedBy(['--profile', 'fast'], home.env, join(home.dir, 'cached.txt'))), []);
  assert.deepEqual(heavy(await loadedBy(['credential-process', '--profile', 'fast'], home.env, join(home.dir, 'cp.txt'))), []);
});
