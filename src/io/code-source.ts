/**
 * Where an MFA code comes from, in aws-vault's order (vault/mfa.go): the flag, then the profile's
 * `mfa_process`, then a person. Built by the entry (cli.ts) and handed to the session services
 * through the context (`ctx.codes`), as the AWS SDK's fromIni takes its mfaCodeProvider: the
 * services touch no terminal and start no process. The next prompt drivers (dialogs) come here.
 * A person is asked as follows. In `session` mode (the drop-in command) the person is asked on stdin when it is a
 * terminal, else one line of stdin is read; in `terminal-only` mode (credential-process, export,
 * exec, ...) the controlling terminal is used, never stdin or stdout, and there must be one.
 * With AWS_MFA_PROMPT=windows the person is asked in the Windows dialog (io/prompt/windows.ts).
 */
import { configError, usageError, CliError, EXIT, isCliError } from '../errors.js';
import { t, sentences } from '../messages/index.js';
import type { Logger, Terminal } from './terminal.js';
import { checkCode } from '../core/checks.js';
import { suggest } from '../core/names.js';
import type { ResolvedProfile } from '../core/profile.js';
import { controllingTerminalAsk } from './terminal.js';
import { processSourceProblem } from './store.js';
import { lazyChunk } from './chunk.js';

const loadWindowsDialog = lazyChunk<typeof import('./prompt/windows.js')>('prompt-windows.cjs', () => import('./prompt/windows.js'));

export type CodeMode = 'session' | 'terminal-only';
/** What asking needs: the run's log and terminal (the context's). */
export type CodeIo = { log: Logger; term: Terminal; env: Readonly<Record<string, string | undefined>> };
/** Gives a code for the device; the prompt names the device and the duration. */
export type CodeSource = (device: string) => Promise<string>;

const TRIES = 3;

/** Ask up to three times (`ask` is told why the last code was refused); a malformed code never reaches AWS. */
async function askCode(
  ask: (q: string, refused?: string) => Promise<string | undefined>,
  ctx: CodeIo,
  question: string,
  cancelled = () => new CliError(t('code.noneEntered'), EXIT.INTERRUPTED),
): Promise<string> {
  let refused: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const answer = await ask(question, refused);
    if (answer === undefined) throw cancelled();
    try {
      return checkCode(answer);
    } catch (e) {
      if (attempt >= TRIES) throw usageError(sentences((e as Error).message, t('code.lastTry', { tries: TRIES })));
      refused = sentences((e as Error).message, t('code.tryAgain', { left: TRIES - attempt }));
      ctx.log.error(refused);
    }
  }
}

/** Ask in the Windows dialog, the reason for a refused code first; the last refusal is shown in a message box too. */
async function askWindowsDialog(p: ResolvedProfile, ctx: CodeIo, device: string): Promise<string> {
  const dialog = await loadWindowsDialog();
  const title = t('code.dialogTitle', { profile: p.names.profile });
  const driver = async <T>(f: () => Promise<T>) => {
    try {
      return await f();
    } catch (e) {
      if (isCliError(e)) throw e; // the add-on's own refusal (io/addon.ts)
      throw configError(t('code.dialogFailed', { detail: String((e as Error)?.message ?? e).replace(/\s+/g, ' ') }));
    }
  };
  const question = t('code.dialogQuestion', { device, seconds: p.duration.value });
  const ask = (q: string, refused?: string) => driver(() => dialog.askWindows({ title, text: refused ? `${refused}\n\n${q}` : q }));
  try {
    return await askCode(ask, ctx, question, () => new CliError(t('code.dialogCancelled'), EXIT.INTERRUPTED));
  } catch (e) {
    // stderr has it too: a message box that cannot be shown changes nothing
    if (isCliError(e) && e.exitCode === EXIT.USAGE) await dialog.showWindowsError({ title, text: e.message }).catch(() => {});
    throw e;
  }
}

/** Run `mfa_process` (aws-vault's key): its standard output is the code. The command is never echoed. */
async function runMfaProcess(p: ResolvedProfile, ctx: CodeIo): Promise<string> {
  const { value: command, source } = p.codes.mfaProcess!;
  // ssh's rule: a command from a file others can change is not run
  const refusal = processSourceProblem(p.paths.config);
  if (refusal) throw refusal;
  ctx.log.debug(t('code.mfaProcessRunning', { source }));
  // node:child_process only when a code is due: the entry that builds this source stays light
  const { spawnSync } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(command, { shell: true, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 });
  if (r.error || r.status !== 0) {
    throw configError(t('code.mfaProcessFailed', { source, why: r.error ? (r.error as NodeJS.ErrnoException).code ?? 'error' : `exit ${r.status}` }));
  }
  try {
    return checkCode(r.stdout);
  } catch {
    throw configError(t('code.mfaProcessOutput', { source }));
  }
}

/** The code source of a profile, as the entry builds it for `ctx.codes`. */
export function codeSource(p: ResolvedProfile, ctx: CodeIo, mode: CodeMode): CodeSource {
  return async (device) => {
    if (p.codes.token !== undefined) return checkCode(p.codes.token);
    if (p.codes.mfaProcess) return await runMfaProcess(p, ctx);
    if (ctx.env.AWS_MFA_PROMPT === 'windows') return await askWindowsDialog(p, ctx, device);
    const question = t('code.prompt', { device, seconds: p.duration.value });
    if (mode === 'session') {
      if (ctx.term.interactive) return await askCode((q) => ctx.term.ask(q), ctx, question);
      const line = ctx.term.readStdinLine();
      if (line === undefined) throw usageError(t('code.noStdin'));
      return checkCode(line);
    }
    const ttyAsk = async (q: string) => controllingTerminalAsk(q);
    const first = await ttyAsk(question);
    if (first === undefined) {
      throw new CliError(t('code.noTerminal', { profile: p.names.shortTerm, command: suggest(p.names, p.flags) }), EXIT.CONFIG);
    }
    try {
      return checkCode(first);
    } catch (e) {
      ctx.log.error(sentences((e as Error).message, t('code.tryAgain', { left: TRIES - 1 })));
      return await askCode(ttyAsk, ctx, question);
    }
  };
}
