/**
 * The terminal driver: the controlling terminal (/dev/tty), even when stdin and stdout are pipes,
 * as credential_process needs (the session command asks on stdin itself). Also tells whether
 * there is one, which the default choice of a driver turns on.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { controllingTerminalAsk } from '../terminal.js';
import { terminalLine } from '../../core/sanitize.js';
import type { PromptRequest } from './types.js';

/** The answer typed on the controlling terminal; undefined when there is none (or it closed). */
export const askTerminal = async (req: PromptRequest): Promise<string | undefined> => controllingTerminalAsk(req.text);

/** Whether this process has a controlling terminal a person can answer on. */
export function hasControllingTerminal(): boolean {
  if (process.platform === 'win32') return false;
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** Writes a line on the controlling terminal (touch your YubiKey); false when there is none. */
export function tellTerminal(text: string): boolean {
  try {
    const fd = openSync('/dev/tty', 'w');
    try {
      writeSync(fd, `${terminalLine(text)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}
