/**
 * `aws-mfa console [--profile P] [--print]`: a federated AWS Management Console sign-in URL for
 * the session, opened in the browser ($BROWSER, else the system's opener) unless --print.
 */
import { EXIT, CliError, configError } from '../errors.js';
import { isAwsFailure } from '../aws/index.js';
import { explainFailure } from '../core/aws-errors.js';
import { federationHosts, signinTokenUrl, loginUrl } from '../core/console.js';
import { partitionOf } from '../core/session.js';
import { openInBrowser } from '../io/browser.js';
import { ensureSession, callContext } from '../service/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import type { Context } from '../context.js';

export const options = { ...SESSION_OPTIONS, print: { type: 'boolean' }, destination: { type: 'string' } } as const;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
  const flags = sessionFlags(v);
  const { p, session } = await ensureSession(flags, ctx, 'terminal-only');
  // a reused session is always for the role asked now (or for none): freshness() checks that
  const role = p.role;
  if (!role) {
    throw configError(
      `AWS signs in to the console only with role sessions (AssumeRole) or GetFederationToken credentials, and [${p.names.shortTerm}] is a GetSessionToken session; use --assume-role ARN with a role you may assume`,
    );
  }
  const hosts = federationHosts(partitionOf(role), ctx.env.AWS_MFA_FEDERATION_URL);
  const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
  const duration = Math.min(43200, Math.max(900, left));
  ctx.log.debug(`federation endpoint: ${hosts.signin}`);
  let token: string | undefined;
  const aws = await ctx.aws();
  const r = await aws.federationGet(callContext(p, ctx, session, p.configuredRegion ?? 'us-east-1'), signinTokenUrl(hosts.signin, session, duration)).catch((e) => {
    throw isAwsFailure(e) ? explainFailure(e, { longTerm: p.names.shortTerm, region: p.configuredRegion ?? 'us-east-1', now: ctx.now() }) : e;
  });
  if (r.status !== 200) throw new CliError(`the federation endpoint refused the session (HTTP ${r.status}); AWS allows console sign-in only for role sessions that were not reached by role chaining`, EXIT.AWS);
  try {
    token = (JSON.parse(r.body) as { SigninToken?: string }).SigninToken;
  } catch {
    throw new CliError('the federation endpoint answered something that is not a sign-in token', EXIT.AWS);
  }
  if (!token) throw new CliError('the federation endpoint answered without a sign-in token', EXIT.AWS);
  const url = loginUrl(hosts.signin, token, v.destination ?? hosts.console);
  if (v.print) {
    ctx.stdout(`${url}\n`);
    return EXIT.OK;
  }
  await openInBrowser(url, ctx.env);
  ctx.log.info(`Opened the AWS console for [${p.names.shortTerm}] in your browser (the link is valid for 15 minutes).`);
  return EXIT.OK;
}
