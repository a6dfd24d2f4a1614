/** `aws-mfa clear [--profile P]`: remove the short-term section (only it), so the next run asks for a code. */
import { EXIT, configError } from '../errors.js';
import { removeFromProfile, readProfiles } from '../io/store.js';
import { resolveNames } from '../core/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import { filePaths, type Context } from '../context.js';

export const options = SESSION_OPTIONS;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level']);
  const flags = sessionFlags(v);
  const names = resolveNames(flags, ctx.env);
  const path = filePaths(ctx).credentials;
  const short = readProfiles(path, 'credentials', [names.shortTerm]).profiles.get(names.shortTerm);
  if (!short) {
    ctx.log.info(`[${names.shortTerm}] is not in ${path}; nothing to clear`);
    return EXIT.OK;
  }
  if (!short.get('aws_session_token') && !flags.force) {
    throw configError(`[${names.shortTerm}] holds keys without a session token (long-term keys?); aws-mfa clears only sessions it wrote (pass --force to remove it anyway)`);
  }
  await removeFromProfile(path, names.shortTerm, 'credentials');
  ctx.log.info(`Removed [${names.shortTerm}] from ${path}; the next "aws-mfa --profile ${names.profile}" asks for a code`);
  return EXIT.OK;
}
