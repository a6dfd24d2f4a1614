/**
 * `aws-mfa console [--profile P] [--print]`: a federated AWS Management Console sign-in URL for a
 * role session, opened in the browser ($BROWSER, else the system's opener) unless --print.
 */
import { EXIT, CliError, configError } from '../errors.js';
import { t } from '../messages/index.js';
import { isAwsFailure } from '../aws/index.js';
import { explainFailure } from '../core/aws-errors.js';
import { federationHosts, signinTokenUrl, loginUrl } from '../core/console.js';
import { partitionOf } from '../core/checks.js';
import { loadProfile } from '../service/profile-loader.js';
import { getSession } from '../service/get-session.js';
import { callContext } from '../service/call-context.js';
import { openInBrowser } from '../io/browser.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';

export const consoleCommand = command({
  spec: {
    name: 'console',
    summary: 'cmd.console',
    usage: '--profile NAME --assume-role ARN [--print] [options]',
    options: {
      ...SESSION_OPTIONS,
      print: { type: 'boolean', help: 'opt.print' },
      'console-destination': { type: 'string', value: 'URL', help: 'opt.consoleDestination' },
    },
    examples: [
      'aws-mfa console --profile work --assume-role arn:aws:iam::123456789012:role/admin',
      'aws-mfa console --profile work --print',
    ],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
    const loaded = await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true });
    const { profile: p } = loaded;
    const { session } = await getSession(loaded, ctx, 'terminal-only');
    // a reused session is always for the role asked now (or for none): the decision checks that
    if (!p.role) throw configError(t('console.needsRole', { section: p.names.shortTerm }));
    const hosts = federationHosts(partitionOf(p.role.value), ctx.env.AWS_MFA_FEDERATION_URL);
    const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
    const duration = Math.min(43200, Math.max(900, left));
    ctx.log.debug(`federation endpoint: ${hosts.signin}`);
    const aws = await ctx.aws();
    const region = p.region.value;
    const r = await aws
      .federationGet(callContext(p, ctx, session, region), signinTokenUrl(hosts.signin, session, duration))
      .catch((e) => {
        throw isAwsFailure(e) ? explainFailure(e, { longTerm: p.names.shortTerm, region, now: ctx.now() }) : e;
      });
    if (r.status !== 200) throw new CliError(t('console.refused', { status: r.status }), EXIT.AWS);
    let token: string | undefined;
    try {
      token = (JSON.parse(r.body) as { SigninToken?: string }).SigninToken;
    } catch {
      throw new CliError(t('console.notAToken'), EXIT.AWS);
    }
    if (!token) throw new CliError(t('console.noToken'), EXIT.AWS);
    const url = loginUrl(hosts.signin, token, v['console-destination'] ?? hosts.console);
    if (v.print) {
      ctx.stdout(`${url}\n`);
      return EXIT.OK;
    }
    await openInBrowser(url, ctx.env, ctx.platform === 'windows' ? 'win32' : 'linux');
    ctx.log.info(t('console.opened', { section: p.names.shortTerm }));
    return EXIT.OK;
  },
});

export const commands = [consoleCommand];
