/**
 * Writing to a terminal costs Linux nothing: only a Windows console is written through Node's
 * console stream (src/io/terminal.ts writeAll, for Japanese at any code page; the Windows lane's
 * test/windows/console.test.ts). On Linux a cached check and an error line, written to a real
 * terminal (tmux), load neither node:tty nor node:net and build no stdio stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome, BIN } from '../helpers/cli.js';
import { startPty } from '../helpers/tmux.js';
import { needTool } from '../helpers/need-tool.js';

const { skip } = needTool('tmux', 'tmux');

/** Preloaded with --require: at exit, the terminal modules loaded and the stdio streams built. */
const RECORDER = `
const built = [];
for (const name of ['stdout', 'stderr']) {
  const d = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: d.enumerable,
    get() {
      built.push('process.' + name);
      return d.get.call(process);
    },
  });
}
process.on('exit', () => {
  const modules = process.moduleLoadList.filter((m) => /^NativeModule (tty|net)$/.test(m));
  require('node:fs').writeFileSync(process.env.RECORD_TO, [...modules, ...built].join('\\n'));
});
`;

const name = 'on Linux, a cached check and an error written to a terminal load no tty module and build no stream';
test(name, { skip }, async () => {
  const home = makeHome({ AWS_MFA_LANG: 'ja' });
  home.write(
    [
      '[work-long-term]',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '[work]',
      'aws_access_key_id = ASIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_session_token = FwoGZXIvYXdzEXAMPLETOKEN',
      'expiration = 2099-01-01T00:00:00Z',
      '',
    ].join('\n'),
  );
  const recorder = join(home.dir, 'recorder.cjs');
  writeFileSync(recorder, RECORDER);
  const run = async (args: string[], record: string, exit: number, shown: RegExp) => {
    const env = { ...home.env, RECORD_TO: join(home.dir, record) };
    const pty = startPty([process.execPath, '--require', recorder, ...args], env);
    assert.equal(await pty.exitCode(), exit, pty.screen());
    assert.match(pty.screen(), shown);
    pty.kill();
    return readFileSync(join(home.dir, record), 'utf8');
  };
  // the recorder sees a terminal stream being built (so this test can)
  const stream = await run(['-e', 'process.stderr.write("streamed")'], 'stream.txt', 0, /streamed/);
  assert.ok(stream.includes('NativeModule tty') && stream.includes('process.stderr'), stream);
  assert.equal(await run([BIN, '--profile', 'work'], 'cached.txt', 0, /認証情報はまだ有効です/), '');
  assert.equal(await run([BIN, '--profile', 'nosuch'], 'error.txt', 3, /\[nosuch-long-term\] がありません/), '');
});
