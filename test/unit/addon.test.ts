/**
 * The pure parts of loading the keyring add-on (src/io/addon.ts) and of a single executable's last
 * resort (src/io/sea-main.ts): which platform package is asked for, which node_modules folders an
 * install may take it from (none above the install), and the one line an escaped error becomes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFolders, keyringPlatform } from '../../src/io/addon.js';
import { lastResort } from '../../src/io/sea-main.js';
import { PINS } from '../../scripts/node-dist.mjs';

test('keyringPlatform: the @napi-rs/keyring package name of each supported platform, undefined elsewhere', () => {
  assert.equal(keyringPlatform('linux', 'x64', () => true), 'linux-x64-gnu');
  assert.equal(keyringPlatform('linux', 'x64', () => false), 'linux-x64-musl');
  assert.equal(keyringPlatform('linux', 'arm64', () => true), 'linux-arm64-gnu');
  assert.equal(keyringPlatform('win32', 'x64', () => true), 'win32-x64-msvc');
  assert.equal(keyringPlatform('darwin', 'arm64', () => true), 'darwin-arm64');
  assert.equal(keyringPlatform('linux', 'ppc64', () => true), undefined);
  assert.equal(keyringPlatform('aix', 'x64', () => true), undefined);
});

test("each executable carries the add-on of its own platform, pinned", () => {
  const want: Record<string, string> = { 'linux-x64': 'linux-x64-gnu', 'linux-arm64': 'linux-arm64-gnu', 'win-x64': 'win32-x64-msvc' };
  for (const [target, t] of Object.entries(PINS.targets)) {
    const spec = t.addons['keyring.node']!;
    assert.match(spec, new RegExp(`^@napi-rs/keyring-${want[target]}@\\d+\\.\\d+\\.\\d+$`), target);
    assert.match(PINS.packages[spec]!.binary, /^[0-9a-f]{64}$/);
  }
});

test('installFolders: the install\'s own node_modules and the node_modules folders that hold it, nothing above', () => {
  assert.deepEqual(installFolders('/work/aws-mfa'), ['/work/aws-mfa/node_modules']);
  assert.deepEqual(installFolders('/usr/lib/node_modules/aws-mfa-cli'), ['/usr/lib/node_modules/aws-mfa-cli/node_modules', '/usr/lib/node_modules']);
  assert.deepEqual(installFolders('/home/a/proj/node_modules/@x/tool/node_modules/aws-mfa-cli'), [
    '/home/a/proj/node_modules/@x/tool/node_modules/aws-mfa-cli/node_modules',
    '/home/a/proj/node_modules/@x/tool/node_modules',
    '/home/a/proj/node_modules',
  ]);
  // a checkout in /tmp never reaches /tmp/node_modules or /node_modules
  assert.deepEqual(installFolders('/tmp/checkout'), ['/tmp/checkout/node_modules']);
});

test('lastResort: a damaged executable exits 3, an error with its exit code keeps it, anything else exits 1; one line, both languages', () => {
  const damaged = Object.assign(new Error('main.cjs: Unexpected token'), { code: 'AWS_MFA_SEA_DAMAGED' });
  assert.deepEqual(lastResort(damaged, false), { line: `aws-mfa: error: ${process.execPath} is damaged (main.cjs: Unexpected token); replace it with a fresh copy (npm run package makes one)`, code: 3 });
  assert.match(lastResort(damaged, true).line, /^aws-mfa: エラー: .* が壊れています（main\.cjs: Unexpected token）。/);
  assert.deepEqual(lastResort(Object.assign(new Error('no file'), { exitCode: 3 }), false), { line: 'aws-mfa: error: no file', code: 3 });
  assert.deepEqual(lastResort(new TypeError('x is not a function\n    at f (a.js:1:1)'), false), { line: 'aws-mfa: error: unexpected failure: x is not a function', code: 1 });
  assert.deepEqual(lastResort('thrown string', false), { line: 'aws-mfa: error: unexpected failure: thrown string', code: 1 });
});

// Two users on one machine: XDG_CACHE_HOME pointing at a shared place (/tmp, a group folder) where
// another user made aws-mfa's folder first, or planted a link to a folder of theirs. The add-on
// must never be unpacked or looked for there. Needs root to give folders to another user (CI is).
const asRoot = process.getuid?.() === 0 ? {} : { skip: 'needs root to chown a folder to another user' };
const OTHER_UID = 65534; // nobody

test('addonFolder refuses a cache folder another user made or linked in a shared XDG_CACHE_HOME', asRoot, async () => {
  const { addonFolder } = await import('../../src/io/addon.js');
  const { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const shared = mkdtempSync(join(tmpdir(), 'aws-mfa-shared-'));
  try {
    chmodSync(shared, 0o1777); // a sticky folder like /tmp, but ours: the checks trust only root's
    chownSync(shared, 0, 0);
    // 1. the other user made <XDG>/aws-mfa/addons first (open to all, as a planter leaves it)
    const planted = join(shared, 'a');
    mkdirSync(join(planted, 'aws-mfa', 'addons'), { recursive: true });
    for (const d of [planted, join(planted, 'aws-mfa'), join(planted, 'aws-mfa', 'addons')]) {
      chownSync(d, OTHER_UID, OTHER_UID);
      chmodSync(d, 0o777);
    }
    assert.throws(() => addonFolder({ XDG_CACHE_HOME: planted }), /cannot hold the keyring add-on: it or a folder above it is another user's .*: export XDG_CACHE_HOME="\$HOME\/\.cache"$/);
    // 2. the same, but the other user's folders are closed to group and others: still theirs
    for (const d of [planted, join(planted, 'aws-mfa'), join(planted, 'aws-mfa', 'addons')]) chmodSync(d, 0o700);
    assert.throws(() => addonFolder({ XDG_CACHE_HOME: planted }), /cannot hold the keyring add-on: it or a folder above it is another user's .*: export XDG_CACHE_HOME="\$HOME\/\.cache"$/);
    // 3. a link the other user planted, pointing at a folder of theirs
    const theirs = join(shared, 'theirs');
    mkdirSync(theirs, { mode: 0o777 });
    chownSync(theirs, OTHER_UID, OTHER_UID);
    const link = join(shared, 'link');
    symlinkSync(theirs, link);
    lchownSync(link, OTHER_UID, OTHER_UID);
    assert.throws(() => addonFolder({ XDG_CACHE_HOME: link }), /cannot hold the keyring add-on: it or a folder above it is another user's .*: export XDG_CACHE_HOME="\$HOME\/\.cache"$/);
    // 4. our own add-on folder, open to others: chmod is the fix
    const open = join(shared, 'open');
    mkdirSync(join(open, 'aws-mfa', 'addons'), { recursive: true, mode: 0o700 });
    chmodSync(open, 0o700);
    chmodSync(join(open, 'aws-mfa', 'addons'), 0o755);
    const opened = join(open, 'aws-mfa', 'addons');
    assert.throws(() => addonFolder({ XDG_CACHE_HOME: open }), (e: Error) => e.message.endsWith(`run: chmod 700 "${opened}"`));
    // and the control: a folder of our own there is taken, 0700, and holds the add-on folder
    const ours = join(shared, 'ours');
    mkdirSync(ours, { mode: 0o700 });
    assert.equal(addonFolder({ XDG_CACHE_HOME: ours }), join(ours, 'aws-mfa', 'addons'));
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
});
