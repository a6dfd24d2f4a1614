/**
 * A private X display for the dialog tests: Xvfb on a display number it picks itself (-displayfd,
 * so test files running in parallel never collide), stopped by its PID; and xdotool answering a
 * dialog on it as a person would: find the window by its title, focus it, type, press a key.
 * No window manager runs, so windows are focused with `windowfocus` (windowactivate needs one).
 * Wine draws its windows on the same display, so this answers a Windows dialog too.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Display {
  /** The value for DISPLAY, e.g. ":12". */
  name: string;
  stop(): Promise<void>;
}

/** Xvfb on a free display; resolves once it accepts clients. */
export function startXvfb(xvfb: string): Promise<Display> {
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
