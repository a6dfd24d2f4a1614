/**
 * The terminal driver: the controlling terminal (/dev/tty), even when stdin and stdout are pipes,
 * as credential_process needs (the session command asks on stdin itself). Also tells whether
 * there is one, which the default choice of a driver turns on.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { terminalLine } from '../../core/sanitize.js';
import { isTerminal, warningLine } from '../terminal.js';
import type { PromptRequest } from './types.js';

/** A line feed on the terminal asked on (not stderr, which may be a file or the caller's pipe). */
function newLine(fd: number): void {
  try {
    writeSync(fd, '\n');
  } catch {
    /* the terminal gone: nothing to tidy */
  }
}

/**
 * Ask on the controlling terminal (/dev/tty) even when stdin and stdout are pipes, as
 * credential_process needs: the line typed; undefined when the user cancelled (Ctrl-C, or Ctrl-D
 * on an empty line); null when there is no controlling terminal. The terminal stays in its own
 * line mode (the kernel echoes and edits the line). The line is read without blocking the event
 * loop: a Ctrl-C must reach this process's SIGINT listeners (the refresh lock's among them), which
 * a synchronous read would hold off until Enter.
 */
async function controllingTerminalAsk(question: string, refused?: string): Promise<string | undefined | null> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return null;
  }
  try {
    // why the last answer was refused: logged on stderr, which is not this terminal for a caller that
    // keeps it (the AWS CLI reads credential_process's stderr), so said here too
    if (refused && !isTerminal(2)) writeSync(fd, warningLine(refused));
    writeSync(fd, terminalLine(question));
  } catch {
    closeSync(fd);
    return null;
  }
  // getBuiltinModule, not import(): the program runs as a code-cached script, which cannot import()
  const { ReadStream } = process.getBuiltinModule('node:tty') as typeof import('node:tty');
  const input = new ReadStream(fd); // closes fd when destroyed
  return await new Promise<string | undefined>((resolvePromise) => {
    let typed = '';
    const done = (answer: string | undefined) => {
      process.off('SIGINT', interrupted);
      input.destroy();
      resolvePromise(answer);
    };
    // the terminal echoed ^C: the next line starts on a line of its own
    const interrupted = () => {
      newLine(fd);
      done(undefined);
    };
    process.on('SIGINT', interrupted);
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      typed += chunk;
      const end = typed.indexOf('\n');
      if (end !== -1) done(typed.slice(0, end).replace(/\r$/, ''));
    });
    // Ctrl-D: the terminal echoes nothing, so the next line would follow the question
    input.on('end', () => {
      if (typed === '') newLine(fd);
      done(typed === '' ? undefined : typed.replace(/\r$/, ''));
    });
    input.on('error', () => done(undefined));
  });
}

/**
 * The answer typed on the controlling terminal; undefined when the user cancelled (Ctrl-C, Ctrl-D),
 * null when there is no controlling terminal.
 */
export const askTerminal = async (req: PromptRequest, refused?: string): Promise<string | undefined | null> =>
  controllingTerminalAsk(req.text, refused);

/** Whether this process has a controlling terminal a person can answer on. */
export function hasControllingTerminal(): boolean {
  if (process.platform === 'win32') return false;
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** Writes a line on the controlling terminal (touch your YubiKey); false when there is none. */
export function tellTerminal(text: string): boolean {
  try {
    const fd = openSync('/dev/tty', 'w');
    try {
      writeSync(fd, `${terminalLine(text)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}
