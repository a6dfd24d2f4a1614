/**
 * Which prompt driver asks for an MFA code: the names (as aws-vault's --prompt takes them), the
 * check of a name the user gave, and the default. Unlike aws-vault, the default is never "nothing":
 * the terminal when there is one, else the platform's dialog when a desktop is there, else none
 * (and the caller's clear "no terminal" error). Pure: the facts (terminal, PATH) are passed in.
 */
import { configError, usageError } from '../errors.js';
import { t } from '../messages/index.js';

export const PROMPT_DRIVERS = ['terminal', 'zenity', 'kdialog', 'osascript', 'windows', 'ykman'] as const;
export type PromptDriver = (typeof PROMPT_DRIVERS)[number];
/** The drivers that show a window: they can also show an error. */
export type DialogDriver = 'zenity' | 'kdialog' | 'osascript' | 'windows';

type Env = Readonly<Record<string, string | undefined>>;

export const isDialogDriver = (d: PromptDriver): d is DialogDriver => d !== 'terminal' && d !== 'ykman';

/**
 * A driver name as given (`--prompt`, AWS_MFA_PROMPT, mfa_prompt), checked; `source` says where it
 * came from. A wrong name in a file is a setup problem (exit 3), on the command line bad usage (2).
 */
export function checkPromptDriver(value: string, source: string, inFile = false): PromptDriver {
  const name = value.trim().toLowerCase();
  if ((PROMPT_DRIVERS as readonly string[]).includes(name)) return name as PromptDriver;
  const message = t('prompt.unknownDriver', { value, source, drivers: PROMPT_DRIVERS.join(', ') });
  throw inFile ? configError(message) : usageError(message);
}

/**
 * The driver the user chose: `--prompt`, else AWS_MFA_PROMPT, else `mfa_prompt` in the
 * ~/.aws/config profile (read where a code is asked, so the cached path neither reads nor checks
 * it); undefined: the default. `config`: the profile's properties, `configFile` its path.
 */
export function chosenPrompt(
  flag: string | undefined,
  env: Env,
  config: ReadonlyMap<string, string>,
  configFile: string,
): PromptDriver | undefined {
  if (flag !== undefined) return checkPromptDriver(flag, '--prompt');
  if (env.AWS_MFA_PROMPT) return checkPromptDriver(env.AWS_MFA_PROMPT, 'AWS_MFA_PROMPT');
  const key = config.get('mfa_prompt');
  return key ? checkPromptDriver(key, t('source.configKey', { key: 'mfa_prompt', file: configFile }), true) : undefined;
}

export interface DesktopFacts {
  platform: NodeJS.Platform;
  env: Env;
  /** Whether a program of this name is on PATH. */
  onPath: (program: string) => boolean;
}

/**
 * The platform's dialog when a desktop is there, else undefined. Linux and the BSDs: an X or
 * Wayland display and zenity (first) or kdialog on PATH. macOS: osascript. Windows: an interactive
 * logon session, which Windows marks with SESSIONNAME (Console, RDP-Tcp#N); services have none.
 */
export function desktopDialog(f: DesktopFacts): DialogDriver | undefined {
  if (f.platform === 'darwin') return 'osascript';
  if (f.platform === 'win32') return f.env.SESSIONNAME ? 'windows' : undefined;
  if (!f.env.DISPLAY && !f.env.WAYLAND_DISPLAY) return undefined;
  return (['zenity', 'kdialog'] as const).find((p) => f.onPath(p));
}

/** The driver when none was chosen: the terminal when there is one, else the desktop's dialog (or none). */
export function defaultPrompt(hasTerminal: boolean, desktop: () => DialogDriver | undefined): PromptDriver | undefined {
  return hasTerminal ? 'terminal' : desktop();
}
