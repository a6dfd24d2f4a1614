/**
 * Running a dialog program (zenity, kdialog, osascript, ykman) and reading what it means: the
 * answer on standard output, a cancel, or a failure the user can act on (the program missing, no
 * display, a crash). Only the title and the question go in argv, never a code or a key; the
 * program's own environment is passed on (DISPLAY, WAYLAND_DISPLAY, its locale).
 */
import { CliError, EXIT } from '../../errors.js';
import { sentences, t } from '../../messages/index.js';
import { PROMPT_DRIVERS } from '../../core/prompt-choice.js';
import { terminalLine, terminalText } from '../../core/sanitize.js';
import type { AskDialog, PromptRequest, ShowError } from './types.js';
import { loaderEnv } from '../../start/chunk-hit.js';

/**
 * A prompt driver that cannot work here (exit 3, a setup problem). Marked so the entry does not
 * try to show it in a dialog as well: the dialog is what failed.
 */
export class DialogFailure extends CliError {
  readonly dialogFailed = true;
  /** `what`: what cannot work; the way to choose another driver follows. */
  constructor(what: string) {
    super(sentences(what, t('prompt.another', { drivers: PROMPT_DRIVERS.join(', ') })), EXIT.CONFIG);
  }
}

export interface ProgramResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * What a toolkit prints when it cannot reach the display (GTK: "cannot open display", Qt: "could not connect to
 * display").
 */
const NO_DISPLAY = /cannot open display|could not connect to display|failed to connect to (?:the )?wayland display/i;

/**
 * Where `program` is: the first executable file of that name in PATH's absolute folders (on
 * Windows with PATHEXT's extensions), else undefined. A dialog program is started by this path,
 * never by name: a relative or empty PATH entry, or Windows' own look in the current folder first,
 * would run whatever a cloned repository holds under that name.
 */
export function whichProgram(program: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const { accessSync, constants, statSync } = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  const windows = process.platform === 'win32';
  const exts = windows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const ext of exts) {
      const file = path.join(dir, program + ext);
      try {
        accessSync(file, constants.X_OK);
        if (statSync(file).isFile()) return file;
      } catch {
        /* the next one */
      }
    }
  }
  return undefined;
}

/** Run `program` with `args`; resolves when it exits. A program that cannot be started is a DialogFailure. */
export function runProgram(
  driver: string,
  program: string,
  args: readonly string[],
  opts: { signal?: AbortSignal } = {},
): Promise<ProgramResult> {
  // node:child_process only when a dialog is due: chunks stay light to load
  const { spawn } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
  return new Promise((resolvePromise, reject) => {
    const found = whichProgram(program, loaderEnv());
    if (!found) return reject(new DialogFailure(t('prompt.notFound', { driver, program })));
    const child = spawn(found, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') return; // stopped on purpose (a notice no longer needed); 'close' follows
      reject(
        e.code === 'ENOENT'
          ? new DialogFailure(t('prompt.notFound', { driver, program }))
          : crashed(driver, e.code ?? e.message),
      );
    });
    child.on('close', (status, signal) => resolvePromise({ status, signal, stdout, stderr }));
  });
}

function crashed(driver: string, why: string): DialogFailure {
  return new DialogFailure(t('prompt.crashed', { driver, why }));
}

/**
 * What a dialog's exit means: the first line it printed (exit 0), undefined for a cancel (exit 1,
 * or `cancelled` says so), else a DialogFailure naming the reason in one line.
 */
export function dialogAnswer(
  driver: string,
  r: ProgramResult,
  env: NodeJS.ProcessEnv,
  cancelled = (x: ProgramResult) => x.status === 1,
): string | undefined {
  if (NO_DISPLAY.test(r.stderr)) {
    const display = env.WAYLAND_DISPLAY || env.DISPLAY;
    throw new DialogFailure(
      display ? t('prompt.noDisplay', { driver, display }) : t('prompt.noDisplaySet', { driver }),
    );
  }
  if (r.signal) throw crashed(driver, r.signal);
  if (r.status === 0) return r.stdout.split(/\r?\n/)[0] ?? '';
  if (cancelled(r)) return undefined;
  // what the program said (zenity: "Locale not supported by C library"), its first line, as text
  const said = terminalLine(r.stderr.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').slice(0, 200);
  throw crashed(driver, said ? `exit ${r.status}: ${said}` : `exit ${r.status}`);
}

/** A dialog program's command lines: the question, the error, the notice (a window closed by us). */
export interface ProgramDialogSpec {
  driver: string;
  program: string;
  ask: (req: PromptRequest) => string[];
  error: (req: PromptRequest) => string[];
  notice: (req: PromptRequest) => string[];
  /** Whether an exit means the user cancelled (default: exit 1). */
  cancelled?: (r: ProgramResult) => boolean;
}

export interface ProgramDialog {
  ask: AskDialog;
  showError: ShowError;
  /** Shows a message while something happens (touch your YubiKey); the function returned closes it. */
  notice: (req: PromptRequest) => () => void;
}

/** A request as a window may show it: control characters (from a file's device name, say) made visible. */
const shown = (r: PromptRequest): PromptRequest => ({ title: terminalLine(r.title), text: terminalText(r.text) });

/** The driver functions of a dialog program. */
export function programDialog(spec: ProgramDialogSpec): ProgramDialog {
  return {
    ask: async (req) =>
      dialogAnswer(
        spec.driver,
        await runProgram(spec.driver, spec.program, spec.ask(shown(req))),
        loaderEnv(),
        spec.cancelled,
      ),
    // left open when this process exits (an IDE waits for credential-process): shown, not waited for
    showError: (req) => detached(spec.program, spec.error(shown(req))),
    notice: (req) => {
      const stop = new AbortController();
      runProgram(spec.driver, spec.program, spec.notice(shown(req)), { signal: stop.signal }).catch(() => undefined);
      return () => stop.abort();
    },
  };
}

/** Start a program that outlives this process; resolves once it started (or could not). */
function detached(program: string, args: readonly string[]): Promise<void> {
  const { spawn } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
  return new Promise((resolvePromise) => {
    const found = whichProgram(program, loaderEnv());
    if (!found) return resolvePromise();
    const child = spawn(found, args, { stdio: 'ignore', detached: true });
    child.on('error', () => resolvePromise());
    child.on('spawn', () => {
      child.unref();
      resolvePromise();
    });
  });
}
