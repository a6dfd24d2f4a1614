/**
 * Attacks on the cache folder, the add-on and the output files that no other test file holds: each
 * test is an attack from the outside review of issue 23 that broke (and is fixed) or that held in a
 * way nothing else pins. Runs the built bundle (or AWS_MFA_BIN, a single executable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome, runCli } from '../helpers/cli.js';
import { startFakeAws, type FakeAws } from '../helpers/hostile.js';

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

// --qr-png: the path is checked before any AWS call, the PNG written after CreateVirtualMFADevice.
// Another user who can write the folder (a shared /tmp) plants a link there in between, pointing at
// a file of the user's: it must not be written through, and the new device must not be left behind.
test('--qr-png: a link planted at the path while AWS creates the device is not written through', async (t) => {
  const servers: FakeAws[] = [];
  t.after(() => Promise.all(servers.map((s) => s.close())));
  for (const overwrite of [[], ['--overwrite']]) {
    let home: ReturnType<typeof makeHome> | undefined;
    const png = () => join(home!.dir, 'shared', 'mfa.png');
    const victim = () => join(home!.dir, 'victim');
    const s = await startFakeAws({ onAction: (a) => a === 'CreateVirtualMFADevice' && symlinkSync(victim(), png()) });
    servers.push(s);
    home = makeHome({ AWS_ENDPOINT_URL: s.endpoint, AWS_REGION: 'us-east-1' });
    home.write(`${KEYS}aws_mfa_device = arn:aws:iam::123456789012:mfa/alice\n`);
    mkdirSync(join(home.dir, 'shared'), { mode: 0o1777 });
    writeFileSync(victim(), 'precious\n', { mode: 0o600 });
    const args = ['device', 'create', '--profile', 'work', '--qr-png', png(), ...overwrite, '--code1', '123456', '--code2', '654321'];
    const r = await runCli(args, { env: home.env });
    assert.equal(readFileSync(victim(), 'utf8'), 'precious\n', `${overwrite}: the link's target was not written`);
    if (overwrite.length === 0) {
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.ok(lstatSync(png()).isSymbolicLink(), 'the planted link is left as it is');
      assert.deepEqual(s.actions.filter((a) => /MFA/.test(a)), ['CreateVirtualMFADevice', 'DeleteVirtualMFADevice'], 'the device went again');
    } else {
      // replaced means the link itself is replaced by the PNG, never its target
      assert.equal(r.code, 0, r.stderr);
      assert.ok(lstatSync(png()).isFile());
      assert.equal(readFileSync(png()).subarray(1, 4).toString(), 'PNG');
    }
  }
});
