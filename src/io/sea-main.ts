/**
 * What only a single executable's main script does (src/boot.ts built as dist/sea/main.cjs): say
 * that this process is one (start/chunk-hit.ts inSea), so chunks come from its assets however it was
 * started, and make any failure that escapes the program one line on stderr with a documented exit
 * code, never a stack trace: a chunk missing from the executable or damaged exits 3 (the setup),
 * an error that carries its exit code exits with it, anything else 1. Its messages are en-sea.ts
 * and ja-sea.ts: the catalog itself is inside a chunk, which may be the part that is broken.
 */
import { markSea } from '../start/chunk-hit.js';
import { EXIT } from '../errors.js';
import { chooseLanguage } from '../messages/lang.js';
import { enCore } from '../messages/en-core.js';
import { enSea } from '../messages/en-sea.js';
import { jaCore } from '../messages/ja-core.js';
import { jaSea } from '../messages/ja-sea.js';

const fill = (text: string, params: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
// no control character reaches the terminal, and the line stays one line
// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();

/** The line and exit code for an error that escaped everything (exported for test/unit). */
export function lastResort(e: unknown, ja: boolean): { line: string; code: number } {
  const m = ja ? jaSea : enSea;
  const err = e as { message?: unknown; code?: unknown; exitCode?: unknown } | undefined;
  // its first line, as cli.ts prints a CliError: a stack never follows
  const message = oneLine((typeof err?.message === 'string' ? err.message : String(e)).split('\n')[0]!);
  const label = (ja ? jaCore : enCore)['log.error'];
  if (err?.code === 'AWS_MFA_SEA_DAMAGED')
    return {
      line: `aws-mfa: ${label}: ${fill(m['sea.damaged'], { exe: process.execPath, detail: message })}`,
      code: EXIT.CONFIG,
    };
  if (typeof err?.exitCode === 'number') return { line: `aws-mfa: ${label}: ${message}`, code: err.exitCode };
  return { line: `aws-mfa: ${label}: ${fill(m['sea.failed'], { message })}`, code: EXIT.FAILURE };
}

/** `argv` (the arguments after the script) and `env`: the entry's (src/boot.ts). */
export function startSea(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  markSea();
  let failed = false;
  const fail = (e: unknown) => {
    if (failed) return;
    failed = true;
    const locale = () => Intl.DateTimeFormat().resolvedOptions().locale;
    const ja = chooseLanguage(argv, env, process.platform === 'win32', locale) === 'ja';
    const { line, code } = lastResort(e, ja);
    process.exitCode = code;
    // a console on Windows is written asynchronously: exit once the line is out
    process.stderr.write(`${line}\n`, () => process.exit(code));
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
