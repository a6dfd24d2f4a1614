/**
 * A real moto_server per test file: started on a free 127.0.0.1 port, awaited until it answers,
 * stopped by its PID afterwards (test files use `useMoto()` from hooks.ts). Recording is on, so a test can see
 * which AWS actions reached the emulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { findTool } from './tools.js';

export interface Moto {
  endpoint: string;
  pid: number;
  /** The AWS actions (Action=... of query-protocol requests) recorded since the last reset. */
  actions(): Promise<string[]>;
  resetRecording(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering:\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`moto_server did not answer at ${url} within ${timeoutMs} ms:\n${log()}`);
}

export async function startMoto(): Promise<Moto> {
  const bin = findTool('moto_server');
  const port = await freePort();
  let output = '';
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ENABLE_RECORDING: 'True' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGTERM');
      const t = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
  };
  // if the test process dies without stopping us, the emulator goes with it
  const onExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitUntilAnswering(`${endpoint}/moto-api/`, child, () => output);
    await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    endpoint,
    pid: child.pid!,
    stop,
    async resetRecording() {
      await fetch(`${endpoint}/moto-api/recorder/reset-recording`, { method: 'POST' });
      await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
    },
    async actions() {
      const text = await (await fetch(`${endpoint}/moto-api/recorder/download-recording`)).text();
      const out: string[] = [];
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const rec = JSON.parse(line) as { body?: string; body_encoded?: boolean };
        const body = rec.body_encoded ? Buffer.from(rec.body ?? '', 'base64').toString('utf8') : (rec.body ?? '');
        const m = /(?:^|&)Action=([A-Za-z]+)/.exec(body);
        if (m) out.push(m[1]!);
      }
      return out;
    },
  };
}

