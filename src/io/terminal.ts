/**
 * The one place for terminal I/O: the logger (stderr), prompts, and reading a line from stdin.
 * Prompts go to the controlling terminal or stderr, and to stdout only when it is the terminal and
 * stderr is not (`2>log.txt`: the question must be on the screen, not in the log), so stdout stays
 * clean for output that other programs read. Every line written here goes through the terminal sanitizer
 * (core/sanitize.ts): a message may quote a server or a file.
 */
import { readSync, writeSync } from 'node:fs';
import { terminalLine } from '../core/sanitize.js';
import { t } from '../messages/index.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };
export const LOG_LEVELS = Object.keys(ORDER) as LogLevel[];

export function writeStderr(s: string): void {
  writeAll(2, s);
}

/**
 * Which of stdout and stderr are a Windows console, asked once each. A console takes characters, not
 * bytes: bytes written to it (WriteFile) are decoded with its code page, 932 on Japanese Windows, where
 * UTF-8 Japanese comes out garbled. libuv's TTY stream writes UTF-16 (WriteConsoleW), right in any
 * code page, and writes it before write() returns, so output stays whole and in order before exit.
 * Redirected output (a file, a pipe, Git Bash's mintty) stays UTF-8 bytes: what other programs read
 * is the same on every platform and in every code page.
 */
const windowsConsole: { 1?: boolean; 2?: boolean } = {};

/** Write all of `s` to a descriptor, waiting out EAGAIN on a non-blocking pipe. */
export function writeAll(fd: number, s: string): void {
  if (process.platform === 'win32' && (fd === 1 || fd === 2) && (windowsConsole[fd] ??= isTerminal(fd))) {
    (fd === 1 ? process.stdout : process.stderr).write(s);
    return;
  }
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

/**
 * Whether a descriptor is a terminal. node:tty is loaded only when this is first asked (it pulls
 * in node:net, which the cached path has no use for).
 */
export function isTerminal(fd: number): boolean {
  const tty = process.getBuiltinModule?.('node:tty') as typeof import('node:tty') | undefined;
  if (tty) return tty.isatty(fd);
  // Node before 20.16: no lazy loader for built-ins; the stream objects know
  return Boolean((fd === 0 ? process.stdin : fd === 1 ? process.stdout : process.stderr).isTTY);
}

/** A warning as the log writes it: one line. */
export const warningLine = (m: string) => `aws-mfa: ${t('log.warning')}: ${terminalLine(m)}\n`;
/** An error as the log writes it: one line. */
export const errorLine = (m: string) => `aws-mfa: ${t('log.error')}: ${terminalLine(m)}\n`;

export class Logger {
  private seen = new Set<string>();
  constructor(
    public level: LogLevel = 'INFO',
    // a direct write to fd 2: touching process.stderr would build a stream object, which costs
    // start-up time on the cached path
    private readonly write: (s: string) => void = writeStderr,
  ) {}
  enabled(l: LogLevel): boolean {
    return ORDER[l] >= ORDER[this.level];
  }
  debug(m: string): void {
    if (this.enabled('DEBUG')) this.write(`aws-mfa: debug: ${terminalLine(m)}\n`);
  }
  info(m: string): void {
    if (this.enabled('INFO')) this.write(`aws-mfa: ${terminalLine(m)}\n`);
  }
  warn(m: string): void {
    if (this.enabled('WARNING')) this.write(warningLine(m));
  }
  /** Warn about the same thing only once per run. */
  warnOnce(m: string): void {
    if (this.seen.has(m)) return;
    this.seen.add(m);
    this.warn(m);
  }
  error(m: string): void {
    if (this.enabled('ERROR')) this.write(errorLine(m));
  }
}

export interface Terminal {
  /** Whether a person can be asked (stdin is a terminal). */
  interactive: boolean;
  /**
   * Ask on the terminal; `hidden` does not echo what is typed. Resolves undefined on end of input.
   * `refused` is why the last answer was refused, already logged: it is also shown above the question
   * when the log (stderr) is not the screen the question is on (`2>log.txt`).
   */
  ask(question: string, opts?: { hidden?: boolean; refused?: string }): Promise<string | undefined>;
  /**
   * An error the log writes that the person who was asked must see (how the asking ended): also
   * written to the screen the questions are on when the log (stderr) is not it (`2>log.txt`).
   */
  errorOnScreen?(message: string): void;
  /** One line from standard input when it is not a terminal (for `echo 123456 | aws-mfa`). */
  readStdinLine(): string | undefined;
  /** The width of the terminal standard output goes to; undefined when it is not a terminal. */
  columns?(): number | undefined;
}

/**
 * How wide the output may be: COLUMNS when it holds a positive number (as `ls` reads it), else the
 * width of the console standard output goes to; undefined for a pipe or file without COLUMNS.
 */
export function terminalColumns(
  env: Readonly<Record<string, string | undefined>>,
  term: Pick<Terminal, 'columns'>,
): number | undefined {
  const given = /^\s*(\d+)\s*$/.exec(env.COLUMNS ?? '');
  if (given && Number(given[1]) > 0) return Number(given[1]);
  return term.columns?.();
}

/** Read one line synchronously from a file descriptor (stdin pipe or file). */
function readLineFromFd(fd: number): string | undefined {
  const buf = Buffer.alloc(1);
  const bytes: number[] = [];
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, 1, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    if (buf[0] === 10) return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
    bytes.push(buf[0]!);
  }
  return bytes.length > 0 ? Buffer.from(bytes).toString('utf8').replace(/\r$/, '') : undefined;
}

/** Where questions go: stderr, unless only stdout is the terminal (stderr redirected to a file). */
const promptOutput = () => (!isTerminal(2) && isTerminal(1) ? process.stdout : process.stderr);

export function processTerminal(): Terminal {
  return {
    errorOnScreen(message) {
      const output = promptOutput();
      if (output !== process.stderr) output.write(errorLine(message));
    },
    // asked only when a prompt may be needed; isatty(0), not process.stdin.isTTY, which would
    // build the stdin stream (and make fd 0 non-blocking for readStdinLine)
    get interactive() {
      return isTerminal(0);
    },
    async ask(question, opts = {}) {
      // Node's readline is the well-kept line editor here; hiding input means muting its echo.
      // getBuiltinModule, not import(): the program runs as a code-cached script, which cannot import()
      const { createInterface } = process.getBuiltinModule('node:readline') as typeof import('node:readline');
      const output = promptOutput();
      // the log has said why the last answer was refused; the screen must say it too
      if (opts.refused && output !== process.stderr) output.write(warningLine(opts.refused));
      const rl = createInterface({ input: process.stdin, output, terminal: true });
      let muted = false;
      const origWrite = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
      if (opts.hidden) {
        (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
          if (!muted) origWrite.call(rl, s);
        };
      }
      return await new Promise<string | undefined>((resolvePromise) => {
        let answered = false;
        rl.on('close', () => {
          if (!answered) {
            output.write('\n');
            resolvePromise(undefined);
          }
        });
        rl.on('SIGINT', () => {
          rl.close();
        });
        rl.question(terminalLine(question), (answer) => {
          answered = true;
          if (opts.hidden) output.write('\n');
          rl.close();
          resolvePromise(answer);
        });
        muted = Boolean(opts.hidden);
      });
    },
    columns() {
      return isTerminal(1) && process.stdout.columns > 0 ? process.stdout.columns : undefined;
    },
    readStdinLine() {
      return readLineFromFd(0);
    },
  };
}
