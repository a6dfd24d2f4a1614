/**
 * Everything a command needs from the outside world, read once in cli.ts and passed in, so that
 * commands and services are plain functions over data (and tests can run them with another world).
 */
import type { AwsApi } from './aws/index.js';
import type { Logger, Terminal } from './io/terminal.js';
import type { CodeMode, CodeSource } from './io/code-source.js';
import type { ResolvedProfile } from './core/profile.js';
import type { Language } from './messages/lang.js';
import { resolvePaths, type FilePaths, type Platform } from './core/paths.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Context {
  env: Env;
  platform: Platform;
  homedir: () => string;
  now: () => Date;
  log: Logger;
  term: Terminal;
  /** The language messages are in. */
  lang: Language;
  /** The OS user name (default role session name). */
  user: () => string;
  aws: () => Promise<AwsApi>;
  /**
   * Where a profile's MFA codes come from (the flag, mfa_process, a person): built by the entry
   * (io/code-source.ts), so the session services prompt nothing and start no process themselves.
   */
  codes: (profile: ResolvedProfile, mode: CodeMode) => CodeSource;
  stdout: (s: string) => void;
  /** For what only a person reads (a QR code): the terminal's stderr. */
  stderr: (s: string) => void;
  /** Whether stderr is a colour terminal (for the QR code's explicit colours). */
  colourTerminal: boolean;
  /** The real path of the running aws-mfa script, and of the program that runs it (node, or the binary). */
  script: string;
  execPath: string;
  /** Whether this is a standalone binary (the script is inside execPath). */
  standalone: boolean;
}

export function filePaths(ctx: Pick<Context, 'env' | 'platform' | 'homedir'>): FilePaths {
  return resolvePaths(ctx.env, ctx.platform, ctx.homedir);
}
