/**
 * `aws-mfa setup-credential-process --profile P [--name N]`: write `[profile N]` in ~/.aws/config
 * with `credential_process = <this aws-mfa> credential-process --profile P` (absolute paths: the
 * AWS CLI expands neither `~` nor variables there), losslessly, as every write.
 */
import { EXIT, usageError } from '../errors.js';
import { writeProfileTo } from '../io/store.js';
import { isIdentifier } from '../ini/profiles.js';
import { prepare } from '../service/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import type { Context } from '../context.js';
import type { Platform } from '../core/paths.js';

export const options = { ...SESSION_OPTIONS, name: { type: 'string' } } as const;

/**
 * One word for the credential_process command line. botocore splits it like a POSIX shell, but on
 * Windows like the C runtime: backslashes are literal there, so a path is only quoted (a Windows
 * path cannot hold a double quote).
 */
const word = (s: string, platform: Platform) =>
  platform === 'windows' ? (/^[\w@%+=:,./\\-]+$/.test(s) ? s : `"${s}"`) : /^[\w@%+=:,./-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, '\\$1')}"`;

/** The command line; `script` is empty for a single executable, which is its own script. */
export function credentialProcessCommand(node: string, script: string, profile: string, extra: string[] = [], platform: Platform = 'linux'): string {
  return [node, ...(script ? [script] : []), 'credential-process', '--profile', profile, ...extra].map((w) => word(w, platform)).join(' ');
}

export async function run(argv: string[], ctx: Context, script: string): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level']);
  const flags = sessionFlags(v);
  const p = await prepare(flags, ctx);
  const name = v.name ?? `${p.names.profile}-auto`;
  if (!isIdentifier(name)) throw usageError(`--name "${name}" is not a valid profile name (letters, digits and _-/.%@:+)`);
  if (name === p.names.shortTerm || name === p.names.longTerm) {
    throw usageError(`--name ${name} is the profile aws-mfa writes sessions to; the AWS CLI would read that section's keys instead of running the command, so choose another name`);
  }
  const extra: string[] = [];
  if (flags.longTermSuffix) extra.push('--long-term-suffix', flags.longTermSuffix);
  if (flags.shortTermSuffix) extra.push('--short-term-suffix', flags.shortTermSuffix);
  if (flags.assumeRole) extra.push('--assume-role', flags.assumeRole);
  const command = credentialProcessCommand(process.execPath, script, p.names.profile, extra, ctx.platform);
  const entries: Array<[string, string]> = [['credential_process', command]];
  if (p.configuredRegion) entries.push(['region', p.configuredRegion]);
  await writeProfileTo(p.paths.config, name, 'config', entries);
  ctx.log.info(`Wrote [profile ${name}] to ${p.paths.config}:`);
  ctx.stdout(`[profile ${name}]\n${entries.map(([k, val]) => `${k} = ${val}`).join('\n')}\n`);
  ctx.log.info(`The AWS CLI and SDKs now get MFA sessions with --profile ${name} (or AWS_PROFILE=${name}); a code is asked on your terminal when one is due.`);
  return EXIT.OK;
}
