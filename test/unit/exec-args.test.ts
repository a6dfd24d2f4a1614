/** Where exec's own options end: at the command, or at --. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitExecArgs } from '../../src/core/exec-args.js';
import { SESSION_OPTIONS as options } from '../../src/commands/options.js';

test('everything from the command on belongs to the command', () => {
  const cases: Array<[string[], string[], string[]]> = [
    [['--profile', 'p', 'env', '--region', 'x'], ['--profile', 'p'], ['env', '--region', 'x']],
    [['--profile', 'p', '--', 'env', '--region', 'x'], ['--profile', 'p'], ['env', '--region', 'x']],
    [['--force', 'aws', 's3', 'ls', '--profile', 'other'], ['--force'], ['aws', 's3', 'ls', '--profile', 'other']],
    [['--profile=p', 'sh', '-c', 'echo $0', '--', 'x'], ['--profile=p'], ['sh', '-c', 'echo $0', '--', 'x']],
    [['--region', 'env', 'env', '-h'], ['--region', 'env'], ['env', '-h']], // a value that looks like a command is the option's
    [['-h', 'env'], ['-h'], ['env']],
    [['--profile', 'p'], ['--profile', 'p'], []],
    [['--unknown', 'env'], ['--unknown'], ['env']], // the parser reports the unknown option
    [['--', '--weird-command'], [], ['--weird-command']],
    [['-', 'x'], [], ['-', 'x']],
    [[], [], []],
  ];
  for (const [argv, own, command] of cases) assert.deepEqual(splitExecArgs(argv, options), { own, command }, argv.join(' '));
});
