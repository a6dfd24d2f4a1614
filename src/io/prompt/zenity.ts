/**
 * The zenity driver (GNOME and most Linux desktops): an entry dialog for the code, an error dialog,
 * and an information window for "touch your YubiKey". zenity reads its --text with GLib's escapes
 * (a backslash starts one) and, in the entry dialog, with GTK mnemonics (an underscore marks one),
 * so both are doubled; the error text is plain (--no-markup). It answers on standard output.
 */
import { programDialog } from './run.js';
import type { PromptRequest } from './types.js';

const WIDTH = ['--width', '480'];
const escaped = (text: string) => text.replace(/\\/g, '\\\\');
/** The text as zenity --entry shows it literally. */
export const entryText = (text: string) => escaped(text).replace(/_/g, '__');

export const zenityArgs = {
  ask: (r: PromptRequest) => ['--entry', '--title', r.title, '--text', entryText(r.text), ...WIDTH],
  error: (r: PromptRequest) => ['--error', '--no-markup', '--title', r.title, '--text', escaped(r.text), ...WIDTH],
  notice: (r: PromptRequest) => ['--info', '--no-markup', '--title', r.title, '--text', escaped(r.text), ...WIDTH],
};

export const zenity = programDialog({ driver: 'zenity', program: 'zenity', ...zenityArgs });
