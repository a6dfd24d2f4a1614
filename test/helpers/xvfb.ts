/**
 * A private X display for the dialog tests: Xvfb on a display number it picks free (-displayfd),
 * started once per test file and stopped by its PID; and xdotool to find a dialog by its title,
 * type into it and press keys, as a person would. zenity and kdialog draw on it, and so does Wine
 * (the Windows dialog's tests answer it with `answerWindow`, which also waits for the window to go).
 * No window manager runs, so windows are focused with `windowfocus` (windowactivate needs one).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { needTool } from './tools.js';

export const XVFB_SKIP = needTool('Xvfb', 'xvfb') || needTool('xdotool', 'xdotool');

export interface Display {
  /** `:N`, for DISPLAY. */
  name: string;
  stop(): Promise<void>;
}

/** Xvfb on a free display; resolves once it accepts clients. */
export function startXvfb(xvfb = 'Xvfb'): Promise<Display> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let number = '';
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    child.stdio[3]!.on('data', (d) => {
      number += d;
      if (!number.endsWith('\n')) return;
      const stop = () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          process.kill(child.pid!, 'SIGTERM');
        });
      process.once('exit', () => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'));
      resolve({ name: `:${number.trim()}`, stop });
    });
    child.on('error', reject);
    child.on('exit', (code) => number.endsWith('\n') || reject(new Error(`Xvfb exited (${code}) before it gave a display: ${log}`)));
  });
}

/** Start Xvfb before the file's tests, stop it (by PID) after them. */
export function useXvfb(): Display {
  const display: Display = { name: '', stop: async () => {} };
  before(async () => {
    if (XVFB_SKIP) return;
    Object.assign(display, await startXvfb());
  });
  after(() => display.stop());
  return display;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function xdotoolSync(display: Display, args: string[], timeoutMs = 5000): string {
  const r = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display.name }, encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`xdotool ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status}`} ${r.stderr}`);
  return r.stdout;
}

/** The windows whose title starts with `title` now (none: []). */
export function windowsTitled(display: Display, title: string): string[] {
  const args = ['search', '--name', `^${escapeRegex(title)}`];
  const r = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display.name }, encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').filter(Boolean);
}

/** The windows whose title is exactly `title` (waits up to `timeoutMs` for one). */
export async function findWindows(display: Display, title: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = windowsTitled(display, title);
    if (ids.length > 0) return ids;
    if (Date.now() > deadline) throw new Error(`no window titled "${title}" on ${display.name} within ${timeoutMs} ms`);
    await new Promise((r2) => setTimeout(r2, 200));
  }
}

/** The PID of the program that drew the window (its _NET_WM_PID); undefined once it is gone. */
export function windowPid(display: Display, window: string): number | undefined {
  try {
    return Number(xdotoolSync(display, ['getwindowpid', window]).trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The command line of the program that drew the window; [] once it is gone. */
export function windowCommandLine(display: Display, window: string): string[] {
  try {
    const pid = windowPid(display, window);
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
  await typeInto(display, window!, text, key);
  return window!;
}

/** Focus the window `window`, type `text` (if any) and press `key` (Return, Escape). */
export async function typeInto(display: Display, window: string, text: string, key = 'Return'): Promise<void> {
  // let the toolkit map and lay out the window before typing into it
  await new Promise((r) => setTimeout(r, 500));
  xdotoolSync(display, ['windowfocus', '--sync', window]);
  if (text) xdotoolSync(display, ['type', '--delay', '30', text]);
  xdotoolSync(display, ['key', key]);
}

/** Run xdotool on `display`; its standard output. */
export function xdotool(path: string, display: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`xdotool ${args.join(' ')} failed (${code ?? 'killed after ' + timeoutMs + ' ms'}): ${err}`));
    });
  });
}

/**
 * Wait for a visible window whose title matches `title` (a regular expression, as xdotool takes
 * it), focus it, then type `text` (if any) and press `key`. Resolves with the window's title and
 * `gone`, which resolves once that window is no longer shown.
 */
export async function answerWindow(
  path: string,
  display: string,
  title: string,
  text: string | undefined,
  key: string,
): Promise<{ name: string; gone: Promise<void> }> {
  let window = '';
  let name = '';
  // Wine makes and destroys windows of its own meanwhile: a window gone while xdotool looks at it
  // (BadWindow) is looked for again
  for (let tries = 1; ; tries++) {
    try {
      const found = await xdotool(path, display, ['search', '--sync', '--onlyvisible', '--name', title]);
      window = found.trim().split('\n').pop()!;
      name = (await xdotool(path, display, ['getwindowname', window])).replace(/\n$/, '');
      await xdotool(path, display, ['windowfocus', '--sync', window]);
      break;
    } catch (e) {
      if (tries >= 10 || !/BadWindow/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  if (text !== undefined) await xdotool(path, display, ['type', '--delay', '50', text]);
  await xdotool(path, display, ['key', key]);
  // gone (or hidden) before the next dialog is looked for, so that one is never this one
  const gone = (async () => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const visible = await xdotool(path, display, ['search', '--onlyvisible', '--name', title]).catch(() => '');
      if (!visible.split('\n').includes(window)) return;
    }
  })();
  return { name, gone };
}
