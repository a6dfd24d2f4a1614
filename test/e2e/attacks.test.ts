/**
 * Attacks on the cache folder, the add-on and the output files that no other test file holds: each
 * test is an attack from the outside review of issue 23 that broke (and is fixed) or that held in a
 * way nothing else pins. Runs the built bundle (or AWS_MFA_BIN, a single executable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { makeHome, runCli } from '../helpers/cli.js';

const KEYS = '[work-long-term]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';

// Node's mkdirSync({ recursive: true }) never returns when mkdir answers ENOENT under a folder that
// is there (/proc): a cache folder asked for under /proc spun at full CPU forever, on every start.
test('XDG_CACHE_HOME under /proc (no folder can be made there): aws-mfa still answers, it does not spin', { skip: !existsSync('/proc/self') && 'no /proc' }, async () => {
  for (const base of ['/proc', '/proc/self']) {
    const home = makeHome({ XDG_CACHE_HOME: base });
    home.write(KEYS);
    const r = await runCli(['status'], { env: home.env, timeoutMs: 20_000 });
    assert.equal(r.signal, null, `XDG_CACHE_HOME=${base}: aws-mfa status did not end within 20 s`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /work/);
  }
});
