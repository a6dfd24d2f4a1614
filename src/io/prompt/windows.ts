/**
 * The native Windows dialog: a stub until the Windows dialog (built in parallel) replaces this
 * file. It fails with one clear line, as a driver that cannot work here does.
 */
import { t } from '../../messages/index.js';
import { DialogFailure } from './run.js';
import type { AskDialog, ShowError } from './types.js';

export const askWindows: AskDialog = async () => {
  throw new DialogFailure(t('prompt.windowsNotBuilt'));
};

export const showWindowsError: ShowError = async () => {
  throw new DialogFailure(t('prompt.windowsNotBuilt'));
};
