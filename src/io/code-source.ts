/**
 * Where an MFA code comes from, in aws-vault's order (vault/mfa.go): the flag, then the profile's
 * `mfa_process`, then a prompt driver (io/prompt/). Built by the entry (cli.ts) and handed to the
 * session services through the context (`ctx.codes`), as the AWS SDK's fromIni takes its
 * mfaCodeProvider: the services touch no terminal and start no process.
 * The driver is the one chosen (--prompt, AWS_MFA_PROMPT, mfa_prompt), else the default
 * (core/prompt-choice.ts). The terminal asks as follows. In `session` mode (the drop-in command)
 * the person is asked on stdin when it is a terminal, else one line of stdin is read; in
 * `terminal-only` mode (credential-process, export, exec, ...) the controlling terminal is used,
 * never stdin or stdout; with none, the desktop's dialog asks when there is one.
 */
import { configError, usageError, CliError, EXIT } from '../errors.js';
import { t, sentences } from '../messages/index.js';
import { errorLine, isTerminal, type Logger, type Terminal } from './terminal.js';
import { checkCode, codeRefusal } from '../core/checks.js';
import { suggestSession } from '../core/names.js';
import type { ResolvedProfile } from '../core/profile.js';
import { processSourceProblem } from './store.js';
import {
  chosenPrompt,
  defaultPrompt,
  isDialogDriver,
  type DialogDriver,
  type PromptDriver,
} from '../core/prompt-choice.js';
import { askTerminal, hasControllingTerminal, tellTerminal } from './prompt/terminal.js';
import { dialogOf, thisDesktop } from './prompt/select.js';
import { checkYkman, ykmanCode } from './prompt/ykman.js';

export type CodeMode = 'session' | 'terminal-only';
/** What asking needs: the run's log, terminal and environment (the context's). */
export type CodeIo = { log: Logger; term: Terminal; env: Readonly<Record<string, string | undefined>> };
/** Gives a code for the device; the prompt names the device and the duration. */
export type CodeSource = (device: string) => Promise<string>;

const TRIES = 3;

/**
 * Ask up to three times; a malformed code never reaches AWS. `ask` gets the reason the last answer
 * was refused (also logged); undefined from it is a cancel, reported with `cancelled`. How the
 * asking ends (a cancel, the last try) is also given to `onScreen`, for a screen the log is not on.
 */
async function askCode(
  ask: (reason?: string) => Promise<string | undefined>,
  ctx: CodeIo,
  cancelled: string,
  first?: string,
  onScreen: (message: string) => void = () => {},
): Promise<string> {
  const end = (e: CliError) => (onScreen(e.message), e);
  let reason = first;
  for (let attempt = first === undefined ? 1 : 2; ; attempt++) {
    const answer = await ask(reason);
    if (answer === undefined) throw end(new CliError(cancelled, EXIT.INTERRUPTED));
    try {
      return checkCode(answer);
    } catch (e) {
      const refused = codeRefusal(e);
      if (!refused) throw e;
      // the last: what was wrong and that nothing was sent, with no request to type (the prompt is over)
      if (attempt >= TRIES) throw end(usageError(sentences(refused.problem, t('code.lastTry', { tries: TRIES }))));
      reason = sentences(refused.problem, refused.again(TRIES - attempt));
      ctx.log.warn(reason); // a try left is no failure
    }
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
  const r = spawnSync(command, {
    shell: true,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
  });
  if (r.error || r.status !== 0) {
    throw configError(
      t('code.mfaProcessFailed', {
        source,
        why: r.error ? ((r.error as NodeJS.ErrnoException).code ?? 'error') : `exit ${r.status}`,
      }),
    );
  }
  try {
    return checkCode(r.stdout);
  } catch {
    throw configError(t('code.mfaProcessOutput', { source }));
  }
}

/** The driver that asks: the one chosen, else the default (the session command: the terminal, as before). */
function promptDriver(p: ResolvedProfile, ctx: CodeIo, mode: CodeMode): PromptDriver | undefined {
  const chosen = chosenPrompt(p.flags.prompt, ctx.env, p.config, p.paths.config);
  if (chosen) return chosen;
  if (mode === 'session') return 'terminal';
  return defaultPrompt(hasControllingTerminal() || windowsConsole(ctx), () => thisDesktop(ctx.env));
}

/**
 * Windows has no /dev/tty: a console the command was typed in (`aws-mfa export` in cmd: stdin is the
 * console, and so is stderr or stdout, where the question goes) is asked on as the session command
 * asks. A caller that keeps both outputs (the AWS CLI runs credential_process with stdin inherited
 * from its console and stdout and stderr piped) would hide the question: the dialog asks there.
 */
const windowsConsole = (ctx: CodeIo) =>
  process.platform === 'win32' && ctx.term.interactive && (isTerminal(2) || isTerminal(1));

/**
 * Today's terminal prompt: stdin (the session command, and a Windows console) or the controlling
 * terminal, which there must be.
 */
async function terminalCode(p: ResolvedProfile, ctx: CodeIo, mode: CodeMode, question: string): Promise<string> {
  const noneEntered = t('code.noneEntered');
  if (mode === 'session' || windowsConsole(ctx)) {
    if (ctx.term.interactive) {
      const ask = (refused?: string) => ctx.term.ask(question, { refused });
      return await askCode(ask, ctx, noneEntered, undefined, (message) => ctx.term.errorOnScreen?.(message));
    }
    const line = ctx.term.readStdinLine();
    if (line === undefined) throw usageError(t('code.noStdin'));
    return checkCode(line);
  }
  const ttyAsk = async (refused?: string) => (await askTerminal({ title: '', text: question }, refused)) ?? undefined;
  // stderr is the caller's (the AWS CLI keeps it) or a file: how the asking ended is said on the terminal too
  const onTty = (message: string) => void (!isTerminal(2) && tellTerminal(errorLine(message).trimEnd()));
  const first = await askTerminal({ title: '', text: question });
  if (first === undefined) {
    onTty(noneEntered);
    throw new CliError(noneEntered, EXIT.INTERRUPTED);
  }
  if (first === null) {
    throw new CliError(
      t('code.noTerminal', { profile: p.names.shortTerm, command: suggestSession(p.names, p.flags) }),
      EXIT.CONFIG,
    );
  }
  try {
    return checkCode(first);
  } catch (e) {
    const refused = codeRefusal(e);
    if (!refused) throw e;
    const reason = sentences(refused.problem, refused.again(TRIES - 1));
    ctx.log.warn(reason);
    return await askCode(ttyAsk, ctx, noneEntered, reason, onTty);
  }
}

/** A dialog asks; after a malformed code it asks again with the reason first. */
async function dialogCode(driver: DialogDriver, p: ResolvedProfile, ctx: CodeIo, device: string): Promise<string> {
  const dialog = await dialogOf(driver);
  const title = t('prompt.title', { profile: p.names.profile });
  const question = t('prompt.question', { device, seconds: p.duration.value });
  return await askCode(
    (reason) => dialog.ask({ title, text: reason ? `${reason}\n\n${question}` : question }),
    ctx,
    t('prompt.cancelled'),
  );
}

/** The YubiKey gives the code; "touch your YubiKey" goes to the terminal, else a desktop notice, and the log. */
async function yubikeyCode(p: ResolvedProfile, ctx: CodeIo, device: string): Promise<string> {
  checkYkman();
  const touch = t('prompt.ykmanTouch', { device });
  let close = () => {};
  if (!tellTerminal(touch)) {
    ctx.log.warn(touch);
    const desktop = thisDesktop(ctx.env);
    const notice = desktop && (await dialogOf(desktop)).notice;
    if (notice) close = notice({ title: t('prompt.title', { profile: p.names.profile }), text: touch });
  }
  try {
    return await ykmanCode(device, ctx.env);
  } finally {
    close();
  }
}

/** The code source of a profile, as the entry builds it for `ctx.codes`. */
export function codeSource(p: ResolvedProfile, ctx: CodeIo, mode: CodeMode): CodeSource {
  return async (device) => {
    if (p.codes.token !== undefined) return checkCode(p.codes.token, '--token');
    if (p.codes.mfaProcess) return await runMfaProcess(p, ctx);
    const driver = promptDriver(p, ctx, mode);
    if (driver === 'ykman') return await yubikeyCode(p, ctx, device);
    if (driver !== undefined && isDialogDriver(driver)) return await dialogCode(driver, p, ctx, device);
    return await terminalCode(p, ctx, mode, t('code.prompt', { device, seconds: p.duration.value }));
  };
}
