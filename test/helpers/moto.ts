/**
 * A real moto_server per test file: started on a free 127.0.0.1 port, awaited until it answers,
 * stopped by its PID afterwards (test files use `useMoto()` from hooks.ts). Recording is on, so a
 * test can see which requests reached the emulator and with which parameters: moto accepts any
 * MFA serial and code, so only the recorded request shows what the tool sent. Each server records
 * into a file in a temporary folder of its own (MOTO_RECORDER_FILEPATH; it is also the server's
 * working directory), removed when the server stops, so test files in parallel never share one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from './tools.js';

/** One request as moto recorded it. */
export interface RecordedRequest {
  /** The query-protocol Action ('' for a request without one). */
  action: string;
  /** Every query-protocol parameter, from the URL and the form body: SerialNumber, TokenCode, DurationSeconds, RoleArn, ... */
  params: Record<string, string>;
  /** The access key id the request was signed with (SigV4 Authorization header). */
  accessKeyId: string | undefined;
  method: string;
  url: string;
}

export interface Moto {
  endpoint: string;
  pid: number;
  /** The AWS actions (Action=... of query-protocol requests) recorded since the last reset. */
  actions(): Promise<string[]>;
  /** The requests recorded since the last reset, oldest first; only those of `action` if given. */
  requests(action?: string): Promise<RecordedRequest[]>;
  resetRecording(): Promise<void>;
  stop(): Promise<void>;
}

interface RecordLine {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string | null;
  body_encoded?: boolean;
}

/** Parse moto's recording (one JSON object a line) into requests with their parameters. */
export function parseRecording(text: string): RecordedRequest[] {
  const out: RecordedRequest[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as RecordLine;
    const body = rec.body_encoded ? Buffer.from(rec.body ?? '', 'base64').toString('utf8') : (rec.body ?? '');
    const url = rec.url ?? '';
    const params: Record<string, string> = {};
    try {
      for (const [k, v] of new URL(url, 'http://127.0.0.1').searchParams) params[k] = v;
    } catch {
      /* not a URL: no parameters from it */
    }
    const type = Object.entries(rec.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    if (body && (type.includes('x-www-form-urlencoded') || /^[\w.%-]+=/.test(body))) {
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    }
    const auth = Object.entries(rec.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
    out.push({ action: params.Action ?? '', params, accessKeyId: /Credential=([^/,\s]+)\//.exec(auth)?.[1], method: rec.method ?? '', url });
  }
  return out;
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

// moto_server's Python start took over 30 s on a loaded machine (the suite beside six builds): wait up to 90
async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string, timeoutMs = 90_000): Promise<void> {
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
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-moto-'));
  const recording = join(dir, 'recording.jsonl');
  let output = '';
  // port 0: the emulator binds a port the kernel picks and says which; a port found free and handed
  // over (freePort) could be taken by another file's server in between (seen: answers in HTML)
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', '0'], {
    cwd: dir,
    env: { ...process.env, MOTO_ENABLE_RECORDING: 'True', MOTO_RECORDER_FILEPATH: recording },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  let endpoint = '';
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
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
  };
  // if the test process dies without stopping us, the emulator and its folder go with it
  const onExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    const said = /Running on (http:\/\/127\.0\.0\.1:\d+)/;
    const deadline = Date.now() + 90_000;
    let m: RegExpExecArray | null;
    while (!(m = said.exec(output))) {
      if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering:\n${output}`);
      if (Date.now() > deadline) throw new Error(`moto_server did not say its port within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    endpoint = m[1]!;
    await waitUntilAnswering(`${endpoint}/moto-api/`, child, () => output);
    await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
  } catch (e) {
    await stop();
    throw e;
  }
  // moto writes each request to the file before it answers it, so reading the file after the
  // client has its answer sees every request
  const requests = async (action?: string) => {
    let text = '';
    try {
      text = readFileSync(recording, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // no request yet
    }
    const all = parseRecording(text);
    return action === undefined ? all : all.filter((r) => r.action === action);
  };
  return {
    endpoint,
    pid: child.pid!,
    stop,
    async resetRecording() {
      await fetch(`${endpoint}/moto-api/recorder/reset-recording`, { method: 'POST' });
      await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
    },
    requests,
    // query-protocol requests only, as before: a request without an Action is not an AWS action
    actions: async () => (await requests()).map((r) => r.action).filter(Boolean),
  };
}

