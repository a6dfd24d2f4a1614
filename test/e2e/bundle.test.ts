/**
 * The built bundle's shape: chunks are compiled as scripts by the chunk loader (with a V8 code
 * cache), and a script cannot run a dynamic import(); so no chunk may contain one. The entry holds
 * only the cached paths: the other commands are not in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/shared.js';

const dist = join(ROOT, 'dist');

test('no chunk of the bundle uses a dynamic import()', () => {
  const offenders = readdirSync(dist)
    // sts.cjs, iam.cjs and aws-core.cjs are the AWS SDK: its own import()s are on paths aws-mfa never takes (the
    // instance metadata service, a browser's user agent); the e2e tests run the paths it takes
    .filter((f) => f.endsWith('.cjs') && !['aws-mfa.cjs', 'sts.cjs', 'iam.cjs', 'aws-core.cjs'].includes(f))
    // (an import() of another chunk, ./x.cjs, is the source-tree fallback of the loader: never run)
    .filter((f) => /\bimport\(\s*["'`](?!\.\/)/.test(readFileSync(join(dist, f), 'utf8')));
  assert.deepEqual(offenders, []);
});

test('every command other than the cached paths is a chunk of its own, not in the entry', () => {
  const entry = readFileSync(join(dist, 'aws-mfa.cjs'), 'utf8');
  for (const c of ['export', 'exec', 'status', 'whoami', 'console', 'clear', 'device', 'init', 'completion', 'help', 'setup-credential-process']) {
    assert.ok(readdirSync(dist).includes(`cmd-${c}.cjs`), `cmd-${c}.cjs is built`);
  }
  // strings only those commands use
  for (const only of ['Register-ArgumentCompleter', 'otpauth', 'getSigninToken']) assert.ok(!entry.includes(only), `${only} is not in the entry`);
});
