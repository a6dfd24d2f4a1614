/** `aws-mfa whoami [--profile P] [--json]`: GetCallerIdentity with the session, and how it was obtained. */
import { EXIT } from '../errors.js';
import { inEnglish, t } from '../messages/index.js';
import { explainFailure } from '../core/aws-errors.js';
import { humanTime, isoSeconds } from '../core/time.js';
import { terminalLine } from '../core/sanitize.js';
import { isAwsFailure } from '../aws/index.js';
import { loadProfile } from '../service/profile-loader.js';
import { getSession } from '../service/get-session.js';
import { callContext } from '../service/call-context.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';

export const whoami = command({
  spec: {
    name: 'whoami',
    summary: 'cmd.whoami',
    usage: '[--profile NAME] [--json] [options]',
    options: { ...SESSION_OPTIONS, json: { type: 'boolean', help: 'opt.json' } },
    examples: ['aws-mfa whoami --profile work', 'aws-mfa whoami -s work-long-term -d work --json'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
    const loaded = await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true });
    const { profile: p } = loaded;
    const { session, refreshed } = await getSession(loaded, ctx, 'terminal-only');
    const aws = await ctx.aws();
    let who;
    try {
      who = await aws.getCallerIdentity(callContext(p, ctx, session, p.region.value));
    } catch (e) {
      throw isAwsFailure(e)
        ? explainFailure(e, { longTerm: p.names.shortTerm, region: p.region.value, now: ctx.now() })
        : e;
    }
    const assumed = /:assumed-role\//.test(who.arn);
    const source = p.configRole?.source;
    const roleHow = source ? () => t('whoami.roleSigned', { source }) : undefined;
    const info = {
      profile: p.names.shortTerm,
      account: who.account,
      arn: who.arn,
      userId: who.userId,
      // sessions aws-mfa (or broamski's aws-mfa) wrote always came from an MFA call
      // a role profile: its AssumeRole carried MFA when the source's MFA session (or plain keys' MFA session) signed it
      mfa: loaded.role
        ? loaded.role.mfa
        : refreshed || p.sessionStore === 'keychain' || loaded.stored !== undefined
          ? true
          : null,
      obtainedWith: roleHow ? inEnglish(roleHow) : assumed ? 'AssumeRole with MFA' : 'GetSessionToken with MFA',
      device: p.device?.value ?? null,
      expiration: isoSeconds(session.expiration),
    };
    if (v.json) ctx.stdout(JSON.stringify(info, null, 2) + '\n');
    else {
      // one line per field (aws/sts.ts checked the ARN, account and user id): no value can add a line
      const line = terminalLine;
      const device = info.device ? t('whoami.device', { device: line(info.device) }) : '';
      const how = roleHow?.() ?? (assumed ? t('whoami.viaAssumeRole') : t('whoami.viaSessionToken'));
      const mfa = info.mfa ? t('whoami.mfaYes', { how, device }) : t('whoami.mfaUnknown');
      const fields = {
        profile: line(info.profile),
        account: line(info.account),
        arn: line(info.arn),
        userId: line(info.userId),
        mfa,
        // the local time with its zone, as status and the session messages show it (--json keeps ISO UTC)
        expiration: humanTime(session.expiration),
      };
      ctx.stdout(`${t('whoami.text', fields)}\n`);
    }
    return EXIT.OK;
  },
});

export const commands = [whoami];
