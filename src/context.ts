/**
 * Everything a command needs from the outside world, read once in cli.ts and passed in, so that
 * commands and services are plain functions over data (and tests can run them with another world).
 */
import type { AwsApi } from './aws/index.js';
import type { Logger, Terminal } from './io/terminal.js';
import type { CodeMode, CodeSource } from './io/code-source.js';
import type { ResolvedProfile } from './core/profile.js';
import type { StoredSession } from './core/credentials.js';
import type { FileStamp } from './io/store.js';
import type { SessionDecision } from './core/decision.js';
import type { CommandDef } from './commands/spec.js';
import type { Language } from './messages/lang.js';
import { resolvePaths, type FilePaths, type Platform } from './core/paths.js';
import type { Invocation } from './core/names.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What the entry's fast path (start/fast.ts) read and decided before it left a plain check to the full
 * program (a session to refresh): the command goes on from here instead of reading and deciding
 * again, so a refresh reads the credentials file once, plus the locked re-read before the write.
 */
export interface EarlyRead {
  command: 'session' | 'credential-process';
  /** The profile as loaded (service/profile-loader.ts), with the file's short-term section. */
  profile: ResolvedProfile;
  stored: StoredSession | undefined;
  /** The identity of the credentials file as read (service/session-store.ts re-reads only if it changed). */
  stamp?: FileStamp;
  /** What loading warned about (not yet shown: the fast path writes nothing when it gives up). */
  warnings: readonly string[];
  decision: SessionDecision;
}

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
  /**
   * Every subcommand and how to load it (commands/registry.ts), handed in by the entry: help and
   * completion list them without importing the table that loads them (no import cycle).
   */
  commands: Readonly<Record<string, () => Promise<{ commands: CommandDef[] }>>>;
  /** A plain check the entry's fast path read and decided but did not answer. */
  early?: EarlyRead;
  /** The command as typed (set by cli.ts's main): a hint offers it again with the name the user meant. */
  invocation?: Invocation;
}

export function filePaths(ctx: Pick<Context, 'env' | 'platform' | 'homedir'>): FilePaths {
  return resolvePaths(ctx.env, ctx.platform, ctx.homedir);
}
