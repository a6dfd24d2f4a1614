/**
 * `aws-mfa init --profile P`: the whole onboarding in one command. Keys (the secret hidden) are
 * checked with GetCallerIdentity before anything is written; then [P-long-term] is written, a
 * virtual MFA device created and enabled if the user has none (or the existing one picked), and
 * the first session obtained. Every answer can be given by a flag instead, for scripts.
 */
import { EXIT, CliError, usageError } from '../errors.js';
import { readProfiles, writeProfileTo } from '../io/store.js';
import { resolveNames, checkDevice, formatDuration, formatExpiration, DEFAULT_REGION } from '../core/session.js';
import { checkDeviceName, checkPath } from '../core/mfa-device.js';
import { sdkSettings } from '../core/sdk-settings.js';
import { netSettings } from '../core/network.js';
import { ensureSession } from '../service/session.js';
import { iamAccess, createAndEnable } from '../service/devices.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import { filePaths, type Context } from '../context.js';

export const options = {
  ...SESSION_OPTIONS,
  'access-key-id': { type: 'string' },
  'secret-access-key-stdin': { type: 'boolean' },
  'device-name': { type: 'string' },
  path: { type: 'string' },
  'qr-png': { type: 'string' },
  'show-secret': { type: 'boolean' },
  code1: { type: 'string' },
  code2: { type: 'string' },
} as const;

async function askOrFail(ctx: Context, question: string, what: string, hidden = false): Promise<string> {
  if (!ctx.term.interactive) throw usageError(`${what} is needed: run in a terminal, or pass it by flag (see aws-mfa init --help)`);
  const a = (await ctx.term.ask(question, { hidden }))?.trim();
  if (a === undefined) throw new CliError('init aborted; nothing was written', EXIT.INTERRUPTED);
  return a;
}

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level']);
  const flags = sessionFlags(v);
  const names = resolveNames(flags, ctx.env);
  const paths = filePaths(ctx);
  if (v.path) checkPath(v.path);
  if (v['device-name']) checkDeviceName(v['device-name']);
  if (flags.device) checkDevice(flags.device, '--device');

  const existing = readProfiles(paths.credentials, 'credentials', [names.longTerm]).profiles.get(names.longTerm);
  if (existing && !flags.force) {
    if (!ctx.term.interactive) throw usageError(`[${names.longTerm}] already exists in ${paths.credentials}; pass --force to replace its keys`);
    const a = await ctx.term.ask(`[${names.longTerm}] already exists in ${paths.credentials}; replace its keys? [y/N] `);
    if (!/^y(es)?$/i.test((a ?? '').trim())) throw new CliError(`init aborted; [${names.longTerm}] is unchanged`, EXIT.INTERRUPTED);
  }

  // 1. the keys, checked before anything is written
  const keyId = v['access-key-id'] ?? (await askOrFail(ctx, 'AWS access key id (AKIA...): ', 'the access key id (--access-key-id)'));
  if (!/^[A-Z0-9]{16,128}$/.test(keyId)) throw usageError('the access key id must be 16 to 128 capital letters and digits (like AKIA...); copy it from the IAM console');
  let secret: string;
  if (v['secret-access-key-stdin']) {
    const line = ctx.term.readStdinLine();
    if (!line?.trim()) throw usageError('--secret-access-key-stdin: standard input gave no line');
    secret = line.trim();
  } else secret = await askOrFail(ctx, 'AWS secret access key (not shown): ', 'the secret access key (--secret-access-key-stdin)', true);
  if (!secret || /\s/.test(secret)) throw usageError('the secret access key must not be empty or contain spaces; copy it from the IAM console');
  const region = flags.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || DEFAULT_REGION.aws!;
  const config = new Map<string, string>();
  const callCtx = {
    region,
    credentials: { accessKeyId: keyId, secretAccessKey: secret },
    net: netSettings(ctx.env, config, flags),
    settings: { STS: sdkSettings(ctx.env, config, 'STS'), IAM: sdkSettings(ctx.env, config, 'IAM') },
    ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
  };
  const iam = await iamAccess(ctx, callCtx, names.longTerm);
  ctx.log.info(`The key belongs to IAM user ${iam.userName} in account ${iam.account}.`);

  // 2. the long-term section
  await writeProfileTo(paths.credentials, names.longTerm, 'credentials', [['aws_access_key_id', keyId], ['aws_secret_access_key', secret]]);
  ctx.log.info(`Wrote [${names.longTerm}] to ${paths.credentials}.`);

  // 3. the device: given, the user's only one, one of several, or a new one
  let device = flags.device;
  if (!device) {
    let devices;
    try {
      devices = (await iam.aws.listMfaDevices(iam.callCtx, iam.userName)).filter((d) => /:mfa\//.test(d.serialNumber));
    } catch (e) {
      throw iam.explain(e);
    }
    if (devices.length === 1) device = devices[0]!.serialNumber;
    else if (devices.length > 1) {
      if (!ctx.term.interactive) throw usageError(`IAM user ${iam.userName} has ${devices.length} MFA devices; choose one with --device (${devices.map((d) => d.serialNumber).join(', ')})`);
      ctx.stderr(devices.map((d, i) => `  ${i + 1}. ${d.serialNumber}\n`).join(''));
      const a = Number((await ctx.term.ask(`Which device should [${names.profile}] use? [1-${devices.length}] `)) ?? '');
      if (!(a >= 1 && a <= devices.length)) throw new CliError('init stopped: no device chosen; run it again or pass --device', EXIT.INTERRUPTED);
      device = devices[a - 1]!.serialNumber;
    } else {
      ctx.log.info(`IAM user ${iam.userName} has no MFA device yet; creating a virtual one.`);
      device = await createAndEnable(ctx, iam, {
        name: v['device-name'] ?? iam.userName,
        path: v.path,
        qrPng: v['qr-png'],
        showSecret: v['show-secret'],
        code1: v.code1,
        code2: v.code2,
      });
      ctx.log.info(`Enabled ${device}.`);
    }
  }
  await writeProfileTo(paths.credentials, names.longTerm, 'credentials', [['aws_mfa_device', device!]]);

  // 4. the first session
  if (!flags.token && ctx.term.interactive && !v.code1) ctx.log.info('Now the first session: wait for a new code in your app.');
  const { session } = await ensureSession({ ...flags, force: true }, ctx, ctx.term.interactive ? 'session' : 'terminal-only');
  const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
  ctx.log.info(`Done. [${names.shortTerm}] holds an MFA session for ${formatDuration(left)} (until ${formatExpiration(session.expiration)} UTC): aws --profile ${names.shortTerm} ...`);
  return EXIT.OK;
}
