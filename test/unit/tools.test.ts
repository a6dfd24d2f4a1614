/** The rule for Debian tools a test needs: skip with the install command, except under CI=true. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needTool } from '../helpers/tools.js';

test('a missing tool skips, naming the package and the install command', () => {
  const reason = needTool('no-such-tool-aws-mfa', 'some-package', { PATH: '/nonexistent' });
  assert.equal(reason, 'no-such-tool-aws-mfa is not installed; install it with: apt-get install -y some-package');
});

test('under CI=true a missing tool is a failure', () => {
  assert.throws(() => needTool('no-such-tool-aws-mfa', 'some-package', { PATH: '/nonexistent', CI: 'true' }), /CI=true: no-such-tool-aws-mfa is not installed; install it with: apt-get install -y some-package/);
});

test('a tool on PATH runs its tests, in CI and out', () => {
  assert.equal(needTool('sh', 'dash', { PATH: process.env.PATH }), false);
  assert.equal(needTool('sh', 'dash', { PATH: process.env.PATH, CI: 'true' }), false);
});
