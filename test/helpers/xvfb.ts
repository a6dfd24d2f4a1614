/**
 * A private X display for the dialog tests: Xvfb on a display number it picks free (-displayfd),
 * started once per test file and stopped by its PID; and xdotool to find a dialog by its title,
 * type into it and press keys, as a person would. zenity and kdialog draw on it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { needTool } from './tools.js';

export const XVFB_SKIP = needTool('Xvfb', 'xvfb') || needTool('xdotool', 'xdotool');

export interface Display {
  /** `:N`, for DISPLAY. */
  name: string;
}

/** Start Xvfb before the file's tests, stop it (by PID) after them. */
export function useXvfb(): Display {
  const display: Display = { name: '' };
  let xvfb: ChildProcess | undefined;
  before(async () => {
    if (XVFB_SKIP) return;
    const child = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    xvfb = child;
    display.name = await new Promise<string>((resolvePromise, reject) => {
      let out = '';
      child.stdio[3]!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolvePromise(`:${out.trim()}`);
      });
      child.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it gave a display number`)));
    });
  });
  after(() => {
    if (xvfb?.pid) process.kill(xvfb.pid, 'SIGTERM');
  });
  return display;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function xdotool(display: Display, args: string[], timeoutMs = 5000): string {
  const r = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display.name }, encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`xdotool ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status}`} ${r.stderr}`);
  return r.stdout;
}

/** The windows whose title is exactly `title` (waits up to `timeoutMs` for one). */
export async function findWindows(display: Display, title: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = spawnSync('xdotool', ['search', '--name', `^${escapeRegex(title)}`], { env: { ...process.env, DISPLAY: display.name }, encoding: 'utf8' });
    const ids = r.stdout.split('\n').filter(Boolean);
    if (ids.length > 0) return ids;
    if (Date.now() > deadline) throw new Error(`no window titled "${title}" on ${display.name} within ${timeoutMs} ms`);
    await new Promise((r2) => setTimeout(r2, 200));
  }
}

/** The command line of the program that drew the window (its _NET_WM_PID); [] once it is gone. */
export function windowCommandLine(display: Display, window: string): string[] {
  try {
    const pid = xdotool(display, ['getwindowpid', window]).trim();
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The command line of the dialog titled `title` once `shows` holds for it (a second dialog after a first). */
export async function dialogShowing(display: Display, title: string, shows: (argv: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const w of await findWindows(display, title, timeoutMs)) {
      const argv = windowCommandLine(display, w).join(' ');
      if (shows(argv)) return argv;
    }
    if (Date.now() > deadline) throw new Error(`no dialog "${title}" showing what was expected within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Focus the dialog titled `title`, type `text` (if any) and press `key` (Return, Escape). */
export async function answerDialog(display: Display, title: string, text: string, key = 'Return'): Promise<string> {
  const [window] = (await findWindows(display, title)).slice(-1);
  // let the toolkit map and lay out the window before typing into it
  await new Promise((r) => setTimeout(r, 500));
  xdotool(display, ['windowfocus', '--sync', window!]);
  if (text) xdotool(display, ['type', '--delay', '30', text]);
  xdotool(display, ['key', key]);
  return window!;
}
