/**
 * A real pseudo-terminal: the built binary runs inside tmux (its own server socket per session),
 * the test types with send-keys as a person would and reads the screen with capture-pane.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { findTool } from './tools.js';

export interface Pty {
  /** Wait until the screen shows `pattern`; returns the screen. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  type(text: string): void;
  enter(): void;
  /** End of input (Ctrl-D), as a person gives up at a prompt. */
  ctrlD(): void;
  /** Ctrl-C: the terminal sends SIGINT to the foreground processes. */
  ctrlC(): void;
  screen(): string;
  /** The screen with its colours (SGR escape sequences), as a camera would see them. */
  colourScreen(): string;
  /** Wait for each prompt in turn and answer it (an answer of '' just presses Enter). */
  answer(dialogue: Array<[RegExp, string]>): Promise<void>;
  /** Wait for the command to end; its exit code. */
  exitCode(timeoutMs?: number): Promise<number>;
  kill(): void;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `width`: the terminal's columns (200 unless given, so that nothing a test reads wraps). */
export function startPty(cmd: string[], env: Record<string, string>, { width = 200 }: { width?: number } = {}): Pty {
  const tmux = findTool('tmux');
  const socket = `aws-mfa-test-${randomUUID().slice(0, 8)}`;
  const t = (...args: string[]) => spawnSync(tmux, ['-L', socket, ...args], { encoding: 'utf8' });
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
  // the shell line prints the exit code, then waits so the screen can still be read; it outlives a
  // Ctrl-C sent to the command (a trap, which the command does not inherit: it gets SIGINT as usual)
  const line = `trap : INT; env -i ${envArgs} ${cmd.map(quote).join(' ')}; echo "[exit=$?]"; sleep 600`;
  const r = t('new-session', '-d', '-x', String(width), '-y', '50', 'sh', '-c', line);
  if (r.status !== 0) throw new Error(`tmux failed to start: ${r.stderr}`);
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    t('kill-server');
  };
  after(kill);
  const screen = () => t('capture-pane', '-p', '-J', '-S', '-200').stdout;
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = screen();
      if (pattern.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}; it shows:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    waitFor,
    screen,
    colourScreen: () => t('capture-pane', '-p', '-e', '-J', '-S', '-200').stdout,
    type: (text) => void t('send-keys', '-l', text),
    enter: () => void t('send-keys', 'Enter'),
    ctrlD: () => void t('send-keys', 'C-d'),
    ctrlC: () => void t('send-keys', 'C-c'),
    answer: async (dialogue) => {
      for (const [prompt, reply] of dialogue) {
        await waitFor(prompt);
        if (reply) t('send-keys', '-l', reply);
        t('send-keys', 'Enter');
      }
    },
    exitCode: async (timeoutMs) => Number(/\[exit=(\d+)\]/.exec(await waitFor(/\[exit=\d+\]/, timeoutMs))![1]),
    kill,
  };
}
