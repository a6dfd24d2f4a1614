/** `aws-mfa whoami [--profile P] [--json]`: GetCallerIdentity with the session, and how it was obtained. */
import { human } from '../core/sanitize.js';
import { EXIT } from '../errors.js';
import { ensureSession, callContext } from '../service/session.js';
import { explainFailure } from '../core/aws-errors.js';
import { isAwsFailure } from '../aws/index.js';
import { DEFAULT_REGION } from '../core/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import type { Context } from '../context.js';

export const options = { ...SESSION_OPTIONS, json: { type: 'boolean' } } as const;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
  const flags = sessionFlags(v);
  const { p, session, refreshed } = await ensureSession(flags, ctx, 'terminal-only');
  const region = p.configuredRegion ?? DEFAULT_REGION.aws!;
  const aws = await ctx.aws();
  let who;
  try {
    who = await aws.getCallerIdentity(callContext(p, ctx, session, region));
  } catch (e) {
    if (isAwsFailure(e)) throw explainFailure(e, { longTerm: p.names.shortTerm, region, now: ctx.now() });
    throw e;
  }
  const assumed = /:assumed-role\//.test(who.arn);
  const device = p.short?.get('aws_mfa_device') ?? p.longTerm.get('aws_mfa_device') ?? p.longTerm.get('mfa_serial') ?? p.config.get('mfa_serial');
  const info = {
    profile: p.names.shortTerm,
    account: who.account,
    arn: who.arn,
    userId: who.userId,
    // sessions aws-mfa (or broamski's aws-mfa) wrote always came from an MFA call; others are unknown
    mfa: refreshed || p.short?.has('assumed_role') ? true : null,
    obtainedWith: assumed ? 'AssumeRole with MFA' : 'GetSessionToken with MFA',
    device: device ?? null,
    expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (v.json) ctx.stdout(JSON.stringify(info, null, 2) + '\n');
  else {
    ctx.stdout(
      human`Profile:  ${info.profile}\nAccount:  ${info.account}\nARN:      ${info.arn}\nUserId:   ${info.userId}\n` +
        human`MFA:      ${info.mfa ? `yes (${info.obtainedWith}${device ? `, device ${device}` : ''})` : 'unknown (this session was not written by aws-mfa)'}\nExpires:  ${info.expiration}\n`,
    );
  }
  return EXIT.OK;
}
