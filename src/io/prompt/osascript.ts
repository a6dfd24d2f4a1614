/**
 * The macOS driver: AppleScript's `display dialog` through osascript (untested on a Mac: this
 * machine has none; test/unit/prompt.test.ts checks the script). The title and the question are
 * the script's arguments (`item N of argv`), never spliced into its text, so no quoting can break
 * it. Cancel makes osascript fail with AppleScript's error -128 ("User canceled").
 */
import { programDialog, type ProgramResult } from './run.js';
import type { PromptRequest } from './types.js';

/** `osascript -e LINE ... TITLE TEXT`: the script's lines, then its arguments. */
const script = (lines: string[], r: PromptRequest) => [...lines.flatMap((l) => ['-e', l]), r.title, r.text];

export const osascriptArgs = {
  ask: (r: PromptRequest) =>
    script(
      [
        'on run argv',
        'text returned of (display dialog (item 2 of argv) default answer "" with title (item 1 of argv))',
        'end run',
      ],
      r,
    ),
  error: (r: PromptRequest) =>
    script(
      [
        'on run argv',
        'display dialog (item 2 of argv) with title (item 1 of argv) buttons {"OK"} default button 1 with icon stop',
        'end run',
      ],
      r,
    ),
  notice: (r: PromptRequest) =>
    script(['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run'], r),
};

/** AppleScript's "User canceled" (-128) is a cancel; any other failure is the driver's. */
export const userCancelled = (r: ProgramResult) => r.status === 1 && /\(-128\)/.test(r.stderr);

export const osascript = programDialog({
  driver: 'osascript',
  program: 'osascript',
  ...osascriptArgs,
  cancelled: userCancelled,
});
