/**
 * Onboarding, the flow behind `aws-mfa init`: the key checked with GetCallerIdentity before
 * anything is written; [NAME-long-term] written (kept without asking when it already holds that
 * key, replaced only when asked); the region recorded for the session profile; a device picked or
 * created; the first session obtained. Safe to run again after a failure: each failure names the
 * step to run next.
 */
import { EXIT, CliError, usageError, isCliError, configError } from '../errors.js';
import { t, sentences } from '../messages/index.js';
import type { Context } from '../context.js';
import { filePaths } from '../context.js';
import { readProfiles, writeProfileTo, updateIni } from '../io/store.js';
import { renameProfile, profileFilter } from '../ini/write-profile.js';
import { storedSessionFromSection } from '../core/credentials.js';
import { checkWritable, overwriteArgs } from '../io/qr-target.js';
import { resolveNames, suggest, profileArgs, type Names } from '../core/names.js';
import { isRoleConfig } from '../core/role.js';
import type { SessionFlags } from '../core/profile.js';
import { checkDevice, checkAccessKeyId, checkSecret, checkRegion, DEFAULT_REGION } from '../core/checks.js';
import { checkDeviceName, checkPath } from '../core/mfa-device.js';
import { usableWithSts } from '../core/mfa-serial.js';
import { sdkSettings } from '../core/sdk-settings.js';
import { netSettings } from '../core/network.js';
import { formatDuration, humanTime } from '../core/time.js';
import { terminalLine } from '../core/sanitize.js';
import { loadProfile } from './profile-loader.js';
import { getSession } from './get-session.js';
import { iamAccess, createAndEnable, checkCodeFlags } from './devices.js';
import { checkEndpointUrls } from './call-context.js';

export interface OnboardOptions {
  flags: SessionFlags;
  accessKeyId?: string;
  secretFromStdin?: boolean;
  deviceName?: string;
  path?: string;
  qrPng?: string;
  overwrite?: boolean;
  showSecret?: boolean;
  code1?: string;
  code2?: string;
  replaceKey?: boolean;
  /** The other options the user gave, as they can be pasted (for the fix that repeats the command). */
  otherArgs?: string;
}

async function ask(ctx: Context, question: string, what: string, hidden = false): Promise<string> {
  if (!ctx.term.interactive) throw usageError(t('init.needsAnswer', { what }));
  const a = (await ctx.term.ask(question, { hidden }))?.trim();
  if (a === undefined) throw new CliError(t('init.aborted'), EXIT.INTERRUPTED);
  return a;
}

export async function onboard(o: OnboardOptions, ctx: Context): Promise<void> {
  const { flags } = o;
  const names = resolveNames(flags, ctx.env);
  const paths = filePaths(ctx);
  checkCodeFlags(o);
  if (o.path) checkPath(o.path);
  if (o.deviceName) checkDeviceName(o.deviceName);
  if (flags.device) checkDevice(flags.device, '--device', profileArgs(names, flags));
  const again = o.qrPng && ['init', o.otherArgs, overwriteArgs(o.qrPng)].filter(Boolean).join(' ');
  const qrPngFix = again && suggest(names, flags, again);
  if (o.qrPng) checkWritable(o.qrPng, o.overwrite, qrPngFix, [paths.credentials, paths.config]);
  if (flags.region) checkRegion(flags.region, '--region');

  // a role profile of ~/.aws/config has no keys of its own: its source's are set up (the new user's
  // init of a role broke it: keys in [prod-long-term], and role_arn ignored from then on)
  const own = readProfiles(paths.config, 'config', [names.profile], ctx.env).profiles.get(names.profile);
  if (names.form === 'suffix' && !o.accessKeyId && isRoleConfig(own) && own?.get('role_arn')) {
    const source = own.get('source_profile');
    const command = source ? suggest(resolveNames({ profile: source }, ctx.env), { profile: source }, 'init') : '';
    throw configError(
      t('init.roleProfile', { profile: names.profile, file: paths.config, source: source ?? '?', command }),
    );
  }

  // 1. the key, checked before anything is written; long-term keys that `aws configure --profile X`
  // put in [X] are the key to use (and are moved to [X-long-term] once checked)
  const read = readProfiles(paths.credentials, 'credentials', [names.longTerm, names.profile], ctx.env).profiles;
  const misplaced = misplacedKeys(names, read, o.accessKeyId);
  const keyId =
    o.accessKeyId ?? misplaced?.get('aws_access_key_id') ?? (await ask(ctx, t('init.askKeyId'), '--access-key-id'));
  checkAccessKeyId(keyId);
  const existing = misplaced ?? read.get(names.longTerm);
  const sameKey = existing?.get('aws_access_key_id') === keyId && Boolean(existing?.get('aws_secret_access_key'));
  let secret: string;
  if (sameKey && !o.secretFromStdin) secret = existing!.get('aws_secret_access_key')!;
  else if (o.secretFromStdin) {
    secret = ctx.term.readStdinLine()?.trim() ?? '';
    if (!secret) throw usageError(t('init.noStdinSecret'));
  } else secret = await ask(ctx, t('init.askSecret'), '--secret-access-key-stdin', true);
  checkSecret(secret);
  // --force never replaces long-term keys: that takes --replace-key, or a yes on the terminal
  if (existing?.get('aws_access_key_id') && !sameKey && !o.replaceKey) {
    if (!ctx.term.interactive)
      throw usageError(
        t('init.otherKeyExists', {
          section: names.longTerm,
          file: paths.credentials,
          command: suggest(names, flags, 'init --replace-key'),
        }),
      );
    const a = await ctx.term.ask(
      `${t('init.replaceQuestion', { section: names.longTerm, file: paths.credentials })} ${t('prompt.yesNo')} `,
    );
    if (!/^(y(es)?|はい)$/i.test((a ?? '').trim()))
      throw new CliError(t('init.unchanged', { section: names.longTerm }), EXIT.INTERRUPTED);
  }
  // the region the session profile has already (aws configure wrote it): offered, and Enter keeps it
  const configured = readProfiles(paths.config, 'config', [names.shortTerm], ctx.env)
    .profiles.get(names.shortTerm)
    ?.get('region')
    ?.trim();
  const answered =
    flags.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION
      ? undefined
      : ctx.term.interactive
        ? (await ask(
            ctx,
            configured ? t('init.askRegionKept', { region: configured }) : t('init.askRegion'),
            '--region',
          )) || undefined
        : undefined;
  const region = flags.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || answered || configured;
  const keptRegion = region !== undefined && region === configured;
  if (region && !keptRegion) checkRegion(region, flags.region ? '--region' : t('source.answer'));
  const config = new Map<string, string>();
  const callCtx = {
    region: region ?? DEFAULT_REGION.aws,
    credentials: { accessKeyId: keyId, secretAccessKey: secret },
    net: netSettings(ctx.env, config, flags),
    settings: { STS: sdkSettings(ctx.env, config, 'STS'), IAM: sdkSettings(ctx.env, config, 'IAM') },
    ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
  };
  checkEndpointUrls(callCtx.settings, ctx.env, paths.config);
  const iam = await iamAccess(ctx, callCtx, names.longTerm, undefined, undefined, suggest(names, flags, 'device list'));
  ctx.log.info(t('init.keyBelongs', { user: iam.userName, account: iam.account }));

  // 2. the long-term section, and the region where the AWS CLI reads it for the session profile
  if (misplaced && sameKey && secret === misplaced.get('aws_secret_access_key')) {
    await moveToLongTerm(paths.credentials, names.profile, names.longTerm, suggest(names, flags, 'init'));
    ctx.log.info(t('init.movedKeys', { profile: names.profile, section: names.longTerm, file: paths.credentials }));
  } else if (sameKey) ctx.log.info(t('init.keyKept', { section: names.longTerm }));
  else {
    // keychain: keys written to the file replace a key kept in the keychain (the marker goes)
    await writeProfileTo(
      paths.credentials,
      names.longTerm,
      'credentials',
      [
        ['aws_access_key_id', keyId],
        ['aws_secret_access_key', secret],
      ],
      ['aws_mfa_keychain', 'aws_mfa_keychain_id'],
    );
    ctx.log.info(t('init.wroteLongTerm', { section: names.longTerm, file: paths.credentials }));
  }
  if (keptRegion) ctx.log.info(t('init.regionKept', { region, section: names.shortTerm, file: paths.config }));
  else if (region) {
    await writeProfileTo(paths.config, names.shortTerm, 'config', [['region', region]]);
    ctx.log.info(
      t('region.written', {
        region,
        source: flags.region
          ? '--region'
          : ctx.env.AWS_REGION
            ? 'AWS_REGION'
            : ctx.env.AWS_DEFAULT_REGION
              ? 'AWS_DEFAULT_REGION'
              : t('source.answer'),
        section: names.shortTerm,
        file: paths.config,
      }),
    );
  }
  const next = (step: string) => suggest(names, flags, step);

  // 3. the device: given, the user's only one, one of several, or a new one
  let device = flags.device;
  try {
    if (!device) {
      const devices = (
        await iam.aws.listMfaDevices(iam.callCtx, iam.userName).catch((e) => Promise.reject(iam.explain(e)))
      ).filter((d) => usableWithSts(d.serialNumber));
      if (devices.length === 1) {
        device = devices[0]!.serialNumber;
        ctx.log.info(t('init.deviceFound', { device, user: iam.userName }));
      } else if (devices.length > 1) {
        if (!ctx.term.interactive)
          throw usageError(
            t('init.severalDevices', {
              user: iam.userName,
              count: devices.length,
              devices: devices.map((d) => d.serialNumber).join(', '),
            }),
          );
        ctx.stderr(devices.map((d, i) => `  ${i + 1}. ${terminalLine(d.serialNumber)}\n`).join(''));
        const a = Number(
          (await ctx.term.ask(t('init.whichDevice', { profile: names.profile, count: devices.length }))) ?? '',
        );
        if (!(a >= 1 && a <= devices.length)) throw new CliError(t('init.noDeviceChosen'), EXIT.INTERRUPTED);
        device = devices[a - 1]!.serialNumber;
      } else {
        ctx.log.info(t('init.creatingDevice', { user: iam.userName }));
        device = await createAndEnable(ctx, iam, {
          name: o.deviceName ?? iam.userName,
          path: o.path,
          qrPng: o.qrPng,
          overwrite: o.overwrite,
          qrPngFix,
          showSecret: o.showSecret,
          code1: o.code1,
          code2: o.code2,
        });
        ctx.log.info(t('init.deviceEnabled', { device }));
      }
    }
    await writeProfileTo(paths.credentials, names.longTerm, 'credentials', [['aws_mfa_device', device!]]);
  } catch (e) {
    throw isCliError(e)
      ? new CliError(sentences(e.message, t('init.nextDevice', { command: next('init') })), e.exitCode)
      : e;
  }

  // 4. the first session
  if (!flags.token && ctx.term.interactive && !o.code1) ctx.log.info(t('init.waitForCode'));
  try {
    const loaded = await loadProfile({ ...flags, force: true }, ctx);
    const { session } = await getSession(loaded, ctx, ctx.term.interactive ? 'session' : 'terminal-only');
    const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
    ctx.log.info(
      t('init.done', { section: names.shortTerm, left: formatDuration(left), until: humanTime(session.expiration) }),
    );
  } catch (e) {
    throw isCliError(e)
      ? new CliError(sentences(e.message, t('init.nextSession', { command: next('') })), e.exitCode)
      : e;
  }
}

/**
 * Long-term keys in the session section [X] (where `aws configure --profile X` writes them) while
 * there is no [X-long-term]: the keys init moves, unless another key was given by flag.
 */
function misplacedKeys(names: Names, read: Map<string, Map<string, string>>, givenKeyId: string | undefined) {
  if (names.form !== 'suffix' || names.longTerm === names.profile || read.has(names.longTerm)) return undefined;
  const section = read.get(names.profile);
  if (!section || !storedSessionFromSection(section).holdsLongTermKeys) return undefined;
  return givenKeyId === undefined || givenKeyId === section.get('aws_access_key_id') ? section : undefined;
}

/** [X] renamed to [X-long-term]: its header lines only, every other byte of the file kept. */
function moveToLongTerm(path: string, profile: string, longTerm: string, again: string) {
  const inProfile = profileFilter(profile, 'credentials');
  const inLongTerm = profileFilter(longTerm, 'credentials');
  return updateIni(
    path,
    (doc) => {
      // under the lock: still as read (another process may have written a session or the section since)
      if (doc.spans().some((s) => inLongTerm(s.name)))
        throw configError(t('init.moveRaced', { section: longTerm, file: path, command: again }));
      const names = new Set(
        doc
          .spans()
          .filter((s) => inProfile(s.name))
          .map((s) => s.name),
      );
      const keys = new Map([...names].flatMap((n) => [...doc.entries(n)]));
      if (!storedSessionFromSection(keys).holdsLongTermKeys)
        throw configError(t('init.moveRaced', { section: longTerm, file: path, command: again }));
      renameProfile(doc, profile, longTerm, 'credentials');
    },
    (h) => inProfile(h) || inLongTerm(h),
    'credentials',
  );
}
