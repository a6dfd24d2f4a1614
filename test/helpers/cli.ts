/**
 * Running the built binary as a user would: its own temporary HOME with .aws/, a clean
 * environment pointed at the emulator, and the result (exit code, stdout, stderr) collected.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { ROOT } from './shared.js';
import { findTool } from './tools.js';

export const BIN = join(ROOT, 'dist', 'aws-mfa.cjs');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);

export interface Home {
  dir: string;
  aws: string;
  credentials: string;
  config: string;
  env: Record<string, string>;
  read(file?: string): string;
  write(text: string, file?: string): void;
}

/** A fresh HOME with an empty .aws/ folder, removed after the test file. */
export function makeHome(extraEnv: Record<string, string> = {}): Home {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-home-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const aws = join(dir, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  const credentials = join(aws, 'credentials');
  const config = join(aws, 'config');
  const env: Record<string, string> = {
    PATH: ALT_BIN ? pathWithoutNode() : (process.env.PATH ?? '/usr/bin:/bin'),
    HOME: dir,
    USER: 'tester',
    LANG: 'C.UTF-8',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    ...extraEnv,
  };
  return {
    dir,
    aws,
    credentials,
    config,
    env,
    read: (file = credentials) => readFileSync(file, 'utf8'),
    write: (text, file = credentials) => writeFileSync(file, text, { mode: 0o600 }),
  };
}

/**
 * With AWS_MFA_BIN, the tests' PATH with every folder that holds a `node` replaced by a copy of it
 * made of links to everything else: the single executable must work where Node.js is not installed.
 */
let noNodePath: string | undefined;
function pathWithoutNode(): string {
  if (noNodePath !== undefined) return noNodePath;
  const root = mkdtempSync(join(tmpdir(), 'aws-mfa-no-node-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  noNodePath = (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .map((d, i) => {
      if (!d || !existsSync(join(d, 'node'))) return d;
      const copy = join(root, String(i));
      mkdirSync(copy);
      for (const f of readdirSync(d)) if (f !== 'node') symlinkSync(join(d, f), join(copy, f));
      return copy;
    })
    .join(':');
  return noNodePath;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  /** Run in a new session with no controlling terminal (as the AWS CLI's credential_process may). */
  detached?: boolean;
}

export type Running = Promise<RunResult> & { pid: () => number | undefined; kill: (signal: NodeJS.Signals) => boolean };

/**
 * The built aws-mfa binary, run by node as the bin script would be; or, with AWS_MFA_BIN set, that
 * executable (a single executable of `npm run package`, e.g. AWS_MFA_BIN=dist/bin/aws-mfa-linux-x64).
 */
export const ALT_BIN = process.env.AWS_MFA_BIN ? resolve(ROOT, process.env.AWS_MFA_BIN) : undefined;
/** The command line that starts aws-mfa: [node, bundle], or [AWS_MFA_BIN]. */
export const CLI_COMMAND: readonly string[] = ALT_BIN ? [ALT_BIN] : [process.execPath, BIN];
export function runCli(args: string[], opts: RunOptions): Running {
  return runProcess(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), ...args], opts);
}

export function runProcess(cmd: string, args: string[], opts: RunOptions): Running {
  const child = spawn(cmd, args, {
    env: opts.env,
    cwd: opts.cwd,
    detached: opts.detached ?? false,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {});
  child.stdin.end(opts.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const p = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  }) as Running;
  p.pid = () => child.pid;
  p.kill = (signal: NodeJS.Signals) => child.kill(signal);
  return p;
}

/** The real AWS CLI (from the image's pyenv), run with the given environment. */
export function runAwsCli(args: string[], opts: RunOptions): Running {
  return runProcess(findTool('aws'), args, opts);
}
