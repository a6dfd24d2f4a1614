/**
 * `aws-mfa init --profile P`: the whole onboarding in one command, and safe to run again after a
 * failure. The key (the secret hidden) is checked with GetCallerIdentity before anything is
 * written; [P-long-term] is written (kept without asking when it already holds that key); the
 * region is recorded for the session profile; a device is picked or created; the first session
 * is obtained. Every answer can be given by a flag instead, for scripts.
 */
import { EXIT, CliError, usageError, isCliError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import { filePaths } from '../context.js';
import { readProfiles, writeProfileTo } from '../io/store.js';
import { checkWritable } from '../io/qr-target.js';
import { resolveNames, suggest } from '../core/names.js';
import { checkDevice, checkAccessKeyId, checkSecret, checkRegion, DEFAULT_REGION } from '../core/checks.js';
import { checkDeviceName, checkPath } from '../core/mfa-device.js';
import { sdkSettings } from '../core/sdk-settings.js';
import { netSettings } from '../core/network.js';
import { formatDuration, humanTime } from '../core/time.js';
import { loadProfile } from '../service/profile-loader.js';
import { getSession } from '../service/get-session.js';
import { iamAccess, createAndEnable } from '../service/devices.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';

async function ask(ctx: Context, question: string, what: string, hidden = false): Promise<string> {
  if (!ctx.term.interactive) throw usageError(t('init.needsAnswer', { what }));
  const a = (await ctx.term.ask(question, { hidden }))?.trim();
  if (a === undefined) throw new CliError(t('init.aborted'), EXIT.INTERRUPTED);
  return a;
}

export const init = command({
  spec: {
    name: 'init',
    summary: 'cmd.init',
    usage: '--profile NAME [options]',
    options: {
      ...SESSION_OPTIONS,
      'access-key-id': { type: 'string', value: 'ID', help: 'opt.accessKeyId' },
      'secret-access-key-stdin': { type: 'boolean', help: 'opt.secretStdin' },
      'device-name': { type: 'string', value: 'NAME', defaultText: 'default.iamUserName', help: 'opt.deviceName' },
      path: { type: 'string', value: 'PATH', default: '/', help: 'opt.devicePath' },
      'qr-png': { type: 'string', value: 'FILE', help: 'opt.qrPng' },
      'show-secret': { type: 'boolean', help: 'opt.showSecret' },
      code1: { type: 'string', value: 'CODE', help: 'opt.code1' },
      code2: { type: 'string', value: 'CODE', help: 'opt.code2' },
      'replace-key': { type: 'boolean', help: 'opt.replaceKey' },
    },
    examples: ['aws-mfa init --profile work', 'printf "%s\\n" "$SECRET" | aws-mfa init --profile work --access-key-id AKIA... --secret-access-key-stdin --region ap-northeast-1'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const flags = sessionFlags(v);
    const names = resolveNames(flags, ctx.env);
    const paths = filePaths(ctx);
    if (v.path) checkPath(v.path);
    if (v['device-name']) checkDeviceName(v['device-name']);
    if (flags.device) checkDevice(flags.device, '--device');
    if (v['qr-png']) checkWritable(v['qr-png']);
    if (flags.region) checkRegion(flags.region, '--region');

    // 1. the key, checked before anything is written
    const keyId = v['access-key-id'] ?? (await ask(ctx, t('init.askKeyId'), '--access-key-id'));
    checkAccessKeyId(keyId);
    const existing = readProfiles(paths.credentials, 'credentials', [names.longTerm]).profiles.get(names.longTerm);
    const sameKey = existing?.get('aws_access_key_id') === keyId && Boolean(existing?.get('aws_secret_access_key'));
    let secret: string;
    if (sameKey && !v['secret-access-key-stdin']) secret = existing!.get('aws_secret_access_key')!;
    else if (v['secret-access-key-stdin']) {
      secret = ctx.term.readStdinLine()?.trim() ?? '';
      if (!secret) throw usageError(t('init.noStdinSecret'));
    } else secret = await ask(ctx, t('init.askSecret'), '--secret-access-key-stdin', true);
    checkSecret(secret);
    // --force never replaces long-term keys: that takes --replace-key, or a yes on the terminal
    if (existing?.get('aws_access_key_id') && !sameKey && !v['replace-key']) {
      if (!ctx.term.interactive) throw usageError(t('init.otherKeyExists', { section: names.longTerm, file: paths.credentials, command: suggest(names, flags, 'init --replace-key') }));
      const a = await ctx.term.ask(`${t('init.replaceQuestion', { section: names.longTerm, file: paths.credentials })} ${t('prompt.yesNo')} `);
      if (!/^(y(es)?|はい)$/i.test((a ?? '').trim())) throw new CliError(t('init.unchanged', { section: names.longTerm }), EXIT.INTERRUPTED);
    }
    const region = flags.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || (ctx.term.interactive ? (await ask(ctx, t('init.askRegion'), '--region')) || undefined : undefined);
    if (region) checkRegion(region, flags.region ? '--region' : t('source.answer'));
    const config = new Map<string, string>();
    const callCtx = {
      region: region ?? DEFAULT_REGION.aws,
      credentials: { accessKeyId: keyId, secretAccessKey: secret },
      net: netSettings(ctx.env, config, flags),
      settings: { STS: sdkSettings(ctx.env, config, 'STS'), IAM: sdkSettings(ctx.env, config, 'IAM') },
      ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
    };
    const iam = await iamAccess(ctx, callCtx, names.longTerm);
    ctx.log.info(t('init.keyBelongs', { user: iam.userName, account: iam.account }));

    // 2. the long-term section, and the region where the AWS CLI reads it for the session profile
    if (sameKey) ctx.log.info(t('init.keyKept', { section: names.longTerm }));
    else {
      // keychain: keys written to the file replace a key kept in the keychain (the marker goes)
      await writeProfileTo(paths.credentials, names.longTerm, 'credentials', [['aws_access_key_id', keyId], ['aws_secret_access_key', secret]], ['aws_mfa_keychain']);
      ctx.log.info(t('init.wroteLongTerm', { section: names.longTerm, file: paths.credentials }));
    }
    if (region) await writeProfileTo(paths.config, names.shortTerm, 'config', [['region', region]]);
    const next = (step: string) => suggest(names, flags, step);

    // 3. the device: given, the user's only one, one of several, or a new one
    let device = flags.device;
    try {
      if (!device) {
        const devices = (await iam.aws.listMfaDevices(iam.callCtx, iam.userName).catch((e) => Promise.reject(iam.explain(e)))).filter((d) => /:mfa\//.test(d.serialNumber));
        if (devices.length === 1) device = devices[0]!.serialNumber;
        else if (devices.length > 1) {
          if (!ctx.term.interactive) throw usageError(t('init.severalDevices', { user: iam.userName, count: devices.length, devices: devices.map((d) => d.serialNumber).join(', ') }));
          ctx.stderr(devices.map((d, i) => `  ${i + 1}. ${d.serialNumber}\n`).join(''));
          const a = Number((await ctx.term.ask(t('init.whichDevice', { profile: names.profile, count: devices.length }))) ?? '');
          if (!(a >= 1 && a <= devices.length)) throw new CliError(t('init.noDeviceChosen'), EXIT.INTERRUPTED);
          device = devices[a - 1]!.serialNumber;
        } else {
          ctx.log.info(t('init.creatingDevice', { user: iam.userName }));
          device = await createAndEnable(ctx, iam, { name: v['device-name'] ?? iam.userName, path: v.path, qrPng: v['qr-png'], showSecret: v['show-secret'], code1: v.code1, code2: v.code2 });
          ctx.log.info(t('init.deviceEnabled', { device }));
        }
      }
      await writeProfileTo(paths.credentials, names.longTerm, 'credentials', [['aws_mfa_device', device!]]);
    } catch (e) {
      throw isCliError(e) ? new CliError(`${e.message} ${t('init.nextDevice', { command: next('init') })}`, e.exitCode) : e;
    }

    // 4. the first session
    if (!flags.token && ctx.term.interactive && !v.code1) ctx.log.info(t('init.waitForCode'));
    try {
      const loaded = await loadProfile({ ...flags, force: true }, ctx);
      const { session } = await getSession(loaded, ctx, ctx.term.interactive ? 'session' : 'terminal-only');
      const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
      ctx.log.info(t('init.done', { section: names.shortTerm, left: formatDuration(left), until: humanTime(session.expiration) }));
    } catch (e) {
      throw isCliError(e) ? new CliError(`${e.message} ${t('init.nextSession', { command: next('') })}`, e.exitCode) : e;
    }
    return EXIT.OK;
  },
});

export const commands = [init];
