/**
 * `aws-mfa [options]`: the drop-in session command. MFA code in, temporary credentials out, into
 * the short-term section of the credentials file. An adapter over service/session.ts.
 */
import { usageError, CliError, EXIT } from '../errors.js';
import { readProfiles, writeProfileTo } from '../io/store.js';
import { resolveNames, checkDevice, formatDuration, formatExpiration, type SessionFlags, type Names } from '../core/session.js';
import { prepare, refresh, codeSource } from '../service/session.js';
import { filePaths, type Context } from '../context.js';

export interface SessionOptions extends SessionFlags {
  setup?: boolean;
}

async function askYesNo(ctx: Context, q: string): Promise<boolean> {
  const a = await ctx.term.ask(`${q} [y/N] `);
  return /^y(es)?$/i.test((a ?? '').trim());
}

export async function sessionCommand(opts: SessionOptions, ctx: Context): Promise<number> {
  const { log } = ctx;
  if (opts.setup) return await setup(ctx, opts, resolveNames(opts, ctx.env), filePaths(ctx).credentials);
  const p = await prepare(opts, ctx, {
    onMissingFile: async (names, paths) => {
      if (!ctx.term.interactive) return false;
      if (!(await askYesNo(ctx, `Could not locate credentials file at ${paths.credentials}; create it and set up [${names.longTerm}] now?`))) return false;
      await setup(ctx, opts, names, paths.credentials);
      return true;
    },
  });
  if (ctx.env.AWS_ACCESS_KEY_ID) {
    log.warnOnce('AWS_ACCESS_KEY_ID is set in the environment; the AWS CLI will use it instead of the profile aws-mfa writes (unset it)');
  }
  const { names, fresh } = p;
  if (!fresh.due && !opts.force) {
    log.info(`Your credentials are still valid for ${fresh.secondsLeft} seconds (${formatDuration(fresh.secondsLeft)}); they will expire at ${formatExpiration(fresh.expiration)} UTC. Use --profile ${names.shortTerm}; --force renews now.`);
    return EXIT.OK;
  }
  log.debug(opts.force ? 'renewing because --force was given' : `renewing: ${fresh.due ? fresh.reason : ''}`);
  const session = await refresh(p, opts, ctx, codeSource(opts, ctx, 'session', names.profile, () => p.config));
  const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
  log.info(`Success! Your credentials will expire in ${left} seconds (${formatDuration(left)}) at ${formatExpiration(session.expiration)} UTC. Use them with --profile ${names.shortTerm}.`);
  return EXIT.OK;
}

/** `--setup`: create (or, when confirmed, replace) the long-term section interactively. */
async function setup(ctx: Context, opts: SessionOptions, names: Names, credentialsPath: string): Promise<number> {
  if (!ctx.term.interactive) throw usageError('--setup asks its questions on a terminal; run it in one (or write the [NAME-long-term] section yourself)');
  const answer = (await ctx.term.ask(`Profile name to set up [${names.profile}]: `))?.trim();
  if (answer === undefined) throw new CliError('setup aborted', EXIT.INTERRUPTED);
  const n = answer ? resolveNames({ ...opts, profile: answer }, ctx.env) : names;
  const existing = readProfiles(credentialsPath, 'credentials', [n.longTerm]).profiles.has(n.longTerm);
  if (existing && !(await askYesNo(ctx, `[${n.longTerm}] already exists in ${credentialsPath}; replace its keys?`))) {
    throw new CliError(`setup aborted; [${n.longTerm}] is unchanged`, EXIT.INTERRUPTED);
  }
  const keyId = (await ctx.term.ask('aws_access_key_id: '))?.trim();
  if (!keyId || !/^[A-Z0-9]{16,128}$/.test(keyId)) throw usageError('aws_access_key_id must be 16 to 128 capital letters and digits (like AKIA...); copy it from the IAM console');
  const secret = (await ctx.term.ask('aws_secret_access_key: ', { hidden: true }))?.trim();
  if (!secret || /\s/.test(secret)) throw usageError('aws_secret_access_key must not be empty or contain spaces; copy it from the IAM console');
  const device = (await ctx.term.ask('aws_mfa_device (MFA device ARN, optional): '))?.trim();
  if (device) checkDevice(device, 'your answer');
  const entries: Array<[string, string]> = [
    ['aws_access_key_id', keyId],
    ['aws_secret_access_key', secret],
    ...(device ? ([['aws_mfa_device', device]] as Array<[string, string]>) : []),
  ];
  await writeProfileTo(credentialsPath, n.longTerm, 'credentials', entries);
  ctx.log.info(`Wrote [${n.longTerm}] to ${credentialsPath}. Now run: aws-mfa --profile ${n.profile}`);
  return EXIT.OK;
}
