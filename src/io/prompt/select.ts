/**
 * The facts the choice of a prompt driver turns on (a controlling terminal, a desktop, the dialog
 * programs on PATH) and the dialog drivers by name. The Windows dialog is a chunk of its own
 * (dist/prompt-windows.cjs), loaded only when it is used.
 */
import { desktopDialog, type DialogDriver } from '../../core/prompt-choice.js';
import { lazyChunk } from '../../start/chunk.js';
import { zenity } from './zenity.js';
import { kdialog } from './kdialog.js';
import { osascript } from './osascript.js';
import { whichProgram, type ProgramDialog } from './run.js';
import type { AskDialog, ShowError } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether `program` is an executable file in one of PATH's (absolute) folders (io/prompt/run.ts). */
export const onPath = (program: string, env: Env): boolean => whichProgram(program, env) !== undefined;

/** This machine's desktop dialog, if a desktop is there. */
export const thisDesktop = (env: Env): DialogDriver | undefined =>
  desktopDialog({ platform: process.platform, env, onPath: (p) => onPath(p, env) });

const loadWindows = lazyChunk<typeof import('./windows.js')>('prompt-windows.cjs', () => import('./windows.js'));

/** What a dialog driver can do: ask, show an error, and (when it can) show a notice it closes later. */
export interface Dialog {
  ask: AskDialog;
  showError: ShowError;
  notice?: ProgramDialog['notice'];
}

export async function dialogOf(driver: DialogDriver): Promise<Dialog> {
  if (driver === 'zenity') return zenity;
  if (driver === 'kdialog') return kdialog;
  if (driver === 'osascript') return osascript;
  const { askWindows, showWindowsError } = await loadWindows();
  return { ask: askWindows, showError: showWindowsError };
}
