/**
 * Whether a command line is a plain check, the commonest run by far: `aws-mfa [--profile NAME]`,
 * or `aws-mfa credential-process --profile NAME` (which the AWS CLI runs before every command).
 * Only these go to the entry's fast path (src/start/fast.ts); any other flag goes to the full program.
 */
import type { SessionFlags } from '../core/profile.js';

export interface PlainCheck {
  command: 'session' | 'credential-process';
  flags: SessionFlags;
}

export function plainCheck(argv: readonly string[]): PlainCheck | undefined {
  const cp = argv[0] === 'credential-process';
  const args = cp ? argv.slice(1) : argv;
  if (args.length === 0) return cp ? undefined : { command: 'session', flags: {} };
  const [a, b] = args;
  const name =
    args.length === 2 && a === '--profile'
      ? b
      : args.length === 1 && a!.startsWith('--profile=')
        ? a!.slice(10)
        : undefined;
  return name && !name.startsWith('-')
    ? { command: cp ? 'credential-process' : 'session', flags: { profile: name } }
    : undefined;
}
