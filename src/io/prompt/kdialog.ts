/**
 * The kdialog driver (KDE): an input box for the code, an error box, and a message box for "touch
 * your YubiKey". kdialog answers on standard output and exits 1 on Cancel.
 */
import { programDialog } from './run.js';
import type { PromptRequest } from './types.js';

export const kdialogArgs = {
  ask: (r: PromptRequest) => ['--title', r.title, '--inputbox', r.text],
  error: (r: PromptRequest) => ['--title', r.title, '--error', r.text],
  notice: (r: PromptRequest) => ['--title', r.title, '--msgbox', r.text],
};

export const kdialog = programDialog({ driver: 'kdialog', program: 'kdialog', ...kdialogArgs });
