/**
 * Which command lines go to the entry's fast path: only a plain check. Anything more (another
 * flag, a value that looks like a flag, another command) must reach the full program, which parses
 * and answers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainCheck } from '../../src/start/plain-check.js';

test('a plain check: no flags, --profile NAME, --profile=NAME, credential-process --profile NAME', () => {
  assert.deepEqual(plainCheck([]), { command: 'session', flags: {} });
  assert.deepEqual(plainCheck(['--profile', 'work']), { command: 'session', flags: { profile: 'work' } });
  assert.deepEqual(plainCheck(['--profile=work']), { command: 'session', flags: { profile: 'work' } });
  assert.deepEqual(plainCheck(['credential-process', '--profile', 'work']), { command: 'credential-process', flags: { profile: 'work' } });
  assert.deepEqual(plainCheck(['credential-process', '--profile=work']), { command: 'credential-process', flags: { profile: 'work' } });
});

test('anything else is for the full program', () => {
  for (const argv of [
    ['credential-process'],
    ['--profile'],
    ['--profile='],
    ['--profile', '--force'],
    ['--profile', '-s'],
    ['--profile', 'work', '--force'],
    ['--force', '--profile', 'work'],
    ['--profile', 'work', '--lang', 'ja'],
    ['--profile', 'a', '--profile', 'b'],
    ['-s', 'work-long-term', '-d', 'work'],
    ['--help'],
    ['--version'],
    ['export', '--profile', 'work'],
    ['work'],
    ['--profilex', 'work'],
    ['credential-process', '--profile', 'work', '--token', '123456'],
  ]) {
    assert.equal(plainCheck(argv), undefined, argv.join(' '));
  }
});
