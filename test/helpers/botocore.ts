/** botocore (the parser inside the `aws` CLI), run for real from the image's Python. */
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { findTool } from './tools.js';

export type BotocoreResult = { profiles: Record<string, Record<string, string>> } | { error: string };

/** A Python that can import botocore: the image's pyenv one (where `aws` comes from), else PATH's. */
let python: string | undefined;
export function awsPython(): string {
  if (python) return python;
  const candidates = [join(homedir(), '.pyenv', 'shims', 'python3'), '/root/.pyenv/shims/python3'];
  try {
    candidates.push(findTool('python3'));
  } catch {
    /* none on PATH */
  }
  for (const c of candidates) {
    if (spawnSync(c, ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0) return (python = c);
  }
  throw new Error('no Python with botocore found (the image provides one in ~/.pyenv with the aws CLI)');
}

export function botocoreRead(texts: string[]): BotocoreResult[] {
  const r = spawnSync(awsPython(), [join(dirname(new URL(import.meta.url).pathname), 'botocore_read.py')], {
    input: JSON.stringify(texts),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`botocore reader failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
