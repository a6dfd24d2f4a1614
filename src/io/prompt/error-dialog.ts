/**
 * A failure shown where the user is: with no terminal (an IDE, Terraform, an agent running
 * credential_process captures stderr), the entry's one line is also shown in a dialog, when a
 * dialog can be shown. Loaded by the entry only on failure (dist/prompt-error.cjs), so the cached
 * path never compiles it. The driver: a dialog named by --prompt or AWS_MFA_PROMPT, else the
 * desktop's; `--prompt terminal` means no dialog.
 */
import { checkPromptDriver, isDialogDriver, type DialogDriver } from '../../core/prompt-choice.js';
import { t } from '../../messages/index.js';
import { DEFAULT_PROFILE } from '../../core/names.js';
import { isTerminal } from '../terminal.js';
import { hasControllingTerminal } from './terminal.js';
import { dialogOf, thisDesktop } from './select.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The value of `--NAME VALUE` or `--NAME=VALUE` in argv (the last one given), if any. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((a, i) => {
    if (a === `--${name}` && i + 1 < argv.length) value = argv[i + 1];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
  });
  return value;
}

/** The dialog a failure goes to: none when a person is at a terminal, or none can be shown. */
export function errorDialogDriver(
  argv: readonly string[],
  env: Env,
  atTerminal: boolean,
  desktop: () => DialogDriver | undefined,
): DialogDriver | undefined {
  if (atTerminal) return undefined;
  const named = flagValue(argv, 'prompt') ?? (env.AWS_MFA_PROMPT || undefined);
  if (named !== undefined) {
    try {
      const chosen = checkPromptDriver(named, '');
      if (chosen === 'terminal') return undefined;
      if (isDialogDriver(chosen)) return chosen;
    } catch {
      return undefined; // the failure being reported may be this very name
    }
  }
  return desktop();
}

/** Show `message` (the line already on stderr) in a dialog when no terminal is there; never fails. */
export async function showFailure(message: string, argv: readonly string[], env: Env): Promise<void> {
  // /dev/tty first: isTerminal loads node:tty (and node:net), which a run at a terminal never needs
  const atTerminal = hasControllingTerminal() || isTerminal(2);
  const driver = errorDialogDriver(argv, env, atTerminal, () => thisDesktop(env));
  if (!driver) return;
  const profile =
    flagValue(argv, 'profile') ??
    flagValue(argv, 'destination') ??
    (env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || DEFAULT_PROFILE);
  const title = t('prompt.errorTitle', { profile });
  try {
    await (await dialogOf(driver)).showError({ title, text: message });
  } catch {
    /* stderr has the message: a dialog that cannot be shown changes nothing */
  }
}
