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
