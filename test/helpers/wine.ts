/**
 * Running Windows programs for the Windows test lane: one Wine prefix per test file (about 10 s to
 * create), set to report Windows 10 (Node refuses older Windows), removed afterwards with its
 * wineserver. Under Wine, node.exe cannot write to a pipe (EBADF), so a program's stdout and
 * stderr go to files that are read back; stdin can be a pipe.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, openSync, closeSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { findTool } from './tools.js';
import type { RunResult } from './cli.js';

export interface WineRunOptions {
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

export interface Wine {
  prefix: string;
  /** The Windows user's profile folder (%USERPROFILE%) as a Linux path. */
  profileDir: string;
  /** C:\users\<login> */
  userProfile: string;
  /** The Windows form of a Linux path: C:\... inside the prefix, else Z:\... */
  win(path: string): string;
  /** Run a Windows program (an .exe path or a Windows command such as cmd) and collect its output. */
  run(program: string, args: string[], opts?: WineRunOptions): Promise<RunResult>;
  stop(): Promise<void>;
}

const WINE_ENV = {
  WINEDEBUG: '-all',
  // no Mono or Gecko install prompts in a new prefix
  WINEDLLOVERRIDES: 'mscoree,mshtml=',
};

/** A new prefix reporting Windows 10, with its own wineserver. */
export async function startWine(): Promise<Wine> {
  const wine = findTool('wine');
  const prefix = mkdtempSync(join(tmpdir(), 'aws-mfa-wine-'));
  const out = mkdtempSync(join(tmpdir(), 'aws-mfa-wine-out-'));
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? prefix,
    LANG: 'C.UTF-8',
    WINEPREFIX: prefix,
    ...WINE_ENV,
  };
  const setup = (args: string[]) => {
    const r = spawnSync(wine, args, { env: base, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`wine ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  };
  setup(['wineboot', '--init']);
  setup(['winecfg', '-v', 'win10']);
  const login = userInfo().username;
  const profileDir = join(prefix, 'drive_c', 'users', login);
  mkdirSync(profileDir, { recursive: true });
  const driveC = join(prefix, 'drive_c');
  const win = (p: string) => {
    const rel = relative(driveC, p);
    return !rel.startsWith('..') && !rel.startsWith('/') ? `C:\\${rel.split('/').join('\\')}` : `Z:${p.split('/').join('\\')}`;
  };
  let n = 0;
  const run = (program: string, args: string[], opts: WineRunOptions = {}) =>
    new Promise<RunResult>((resolve, reject) => {
      const id = ++n;
      const outFile = join(out, `${id}.out`);
      const errFile = join(out, `${id}.err`);
      const o = openSync(outFile, 'w');
      const e = openSync(errFile, 'w');
      const child = spawn(wine, [program, ...args], { env: { ...base, ...opts.env }, stdio: ['pipe', o, e] });
      closeSync(o);
      closeSync(e);
      child.stdin!.on('error', () => {});
      child.stdin!.end(opts.input ?? '');
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') });
      });
    });
  const stop = async () => {
    spawnSync(findTool('wineserver'), ['-k'], { env: base });
    rmSync(prefix, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  };
  // a prefix must not outlive the test process
  process.once('exit', () => existsSync(prefix) && spawnSync(findTool('wineserver'), ['-k'], { env: base }));
  return { prefix, profileDir, userProfile: `C:\\users\\${login}`, win, run, stop };
}
