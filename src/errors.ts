/**
 * Typed failures. Each carries the exit code the CLI documents and a one-line message that says
 * what is wrong and how to fix it; `cli.ts` is the only place that prints them and exits.
 */
export const EXIT = {
  OK: 0,
  /** An unexpected failure (a bug, or an error the tool does not know). */
  FAILURE: 1,
  /** Bad command line: unknown flag, malformed value, out-of-range number. */
  USAGE: 2,
  /** A problem in the user's files or setup: missing file, profile, keys or device; unparsable file. */
  CONFIG: 3,
  /** AWS refused: wrong MFA code, invalid or expired key, access denied, role limits. */
  AWS: 4,
  /** The network failed: endpoint unreachable, timeout, throttled after retries. */
  NETWORK: 5,
  /** Another aws-mfa kept getting the same session longer than the wait (sysexits' EX_TEMPFAIL: try again later). */
  BUSY: 75,
  /** exec: the command was found but cannot be run. */
  NOT_EXECUTABLE: 126,
  /** exec: the command was not found. */
  NOT_FOUND: 127,
  /** Interrupted by the user (Ctrl-C) or no answer at a prompt. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (m: string) => new CliError(m, EXIT.USAGE);
export const configError = (m: string) => new CliError(m, EXIT.CONFIG);

/** Duck-typed so that an error thrown from a lazily loaded chunk is recognised too. */
export function isCliError(e: unknown): e is CliError {
  return e instanceof Error && typeof (e as { exitCode?: unknown }).exitCode === 'number';
}
