/**
 * The facts the choice of a prompt driver turns on (a controlling terminal, a desktop, the dialog
 * programs on PATH) and the dialog drivers by name. The Windows dialog is a chunk of its own
 * (dist/prompt-windows.cjs), loaded only when it is used.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { desktopDialog, type DialogDriver } from '../../core/prompt-choice.js';
import { lazyChunk } from '../../start/chunk.js';
import { zenity } from './zenity.js';
import { kdialog } from './kdialog.js';
import { osascript } from './osascript.js';
import type { ProgramDialog } from './run.js';
import type { AskDialog, ShowError } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether `program` is an executable file in one of PATH's (absolute) folders. */
export function onPath(program: string, env: Env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative entry would run whatever the current folder holds
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      /* the next folder */
    }
  }
  return false;
}

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
