/**
 * Pasting a command aws-mfa suggests into bash, as is: `aws-mfa` on PATH is the built bundle (or
 * AWS_MFA_BIN), `aws` is the real AWS CLI from the image's pyenv. A suggestion that only works after
 * the user edits it fails here.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { CLI_COMMAND, runProcess, type RunOptions, type Running } from './cli.js';
import { findTool } from './tools.js';

let binDir: string | undefined;
/** The folder holding `aws-mfa`; `after` called inside a test removes it after that test, so it is made again when gone. */
function aliasDir(): string {
  if (binDir && existsSync(binDir)) return binDir;
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-paste-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(join(dir, 'aws-mfa'), `#!/bin/sh\nexec ${CLI_COMMAND.map(quote).join(' ')} "$@"\n`, { mode: 0o755 });
  binDir = dir;
  return dir;
}

/** The first line of `text` that starts with `aws-mfa ` or `aws ` after `marker`, up to `until`. */
export function suggestedCommand(text: string, marker: RegExp, until: RegExp = /[,;]|\n|$/): string {
  const m = marker.exec(text);
  if (!m) throw new Error(`no ${marker} in: ${text}`);
  const rest = text.slice(m.index + m[0].length);
  const end = until.exec(rest);
  return rest.slice(0, end ? end.index : undefined).trim();
}

/** `line` run by bash -c, with aws-mfa and aws on PATH. */
export function pasteInBash(line: string, opts: RunOptions): Running {
  const path = [aliasDir(), dirname(findTool('aws')), opts.env.PATH ?? '/usr/bin:/bin'].join(':');
  return runProcess('/bin/bash', ['-c', line], { ...opts, env: { ...opts.env, PATH: path } });
}
