/**
 * The single executables of `npm run package`, for the tests that run them (the Windows lane, the
 * standalone Linux binaries). npm test rebuilds dist/, so a binary older than the bundle is packaged
 * again here (scripts/package.mjs reuses its own result when the bundle did not change); a lock
 * folder keeps two test files from packaging at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './shared.js';
import { PINS, nodeBinary } from '../../scripts/node-dist.mjs';

export type Target = 'linux-x64' | 'linux-arm64' | 'win-x64';

const DIST = join(ROOT, 'dist');

function newestChunk(): number {
  return Math.max(...readdirSync(DIST).filter((f) => f.endsWith('.cjs')).map((f) => statSync(join(DIST, f)).mtimeMs));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * dist/bin/<the target's executable>, packaged now if missing or older than the bundle (in a
 * child process, so a test file can create its Wine prefix meanwhile).
 */
export async function packaged(target: Target): Promise<string> {
  const exe = join(DIST, 'bin', PINS.targets[target]!.out);
  const fresh = () => existsSync(exe) && statSync(exe).mtimeMs >= newestChunk();
  if (fresh()) return exe;
  mkdirSync(join(DIST, 'bin'), { recursive: true });
  const lock = join(DIST, 'bin', '.packaging');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held for 5 minutes; remove it if no packaging runs`);
      await sleep(200);
      if (fresh()) return exe;
    }
  }
  try {
    if (fresh()) return exe;
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--target', target], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    if (code !== 0) throw new Error(`node scripts/package.mjs --target ${target} failed (${code}):\n${out}`);
    return exe;
  } finally {
    rmdirSync(lock);
  }
}

/** The verified official node.exe the Windows executable is built from (for the npm bundle under Wine). */
export function windowsNode(): string {
  return nodeBinary(PINS.targets['win-x64']!.node);
}
