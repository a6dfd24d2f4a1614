/**
 * `aws-mfa device create|enable|list|remove`: the virtual MFA device lifecycle from the terminal.
 * An adapter over service/devices.ts; every file change is one lossless locked write.
 */
import { human } from '../core/sanitize.js';
import { EXIT, CliError, usageError, configError } from '../errors.js';
import { writeProfileTo, removeFromProfile } from '../io/store.js';
import { checkDevice, freshness, parseExpiration } from '../core/session.js';
import { checkDeviceName, checkPath } from '../core/mfa-device.js';
import { isAwsFailure } from '../aws/index.js';
import { explainFailure } from '../core/aws-errors.js';
import { longTermContext } from '../service/session.js';
import { iamAccess, createAndEnable, enableWithCodes } from '../service/devices.js';
import { COMMON_OPTIONS, parse, logLevelOf } from './options.js';
import type { Context } from '../context.js';

const PROFILE_OPTIONS = {
  ...COMMON_OPTIONS,
  profile: { type: 'string' },
  'long-term-suffix': { type: 'string' },
  'long-suffix': { type: 'string' },
  region: { type: 'string' },
  user: { type: 'string' },
  'connect-timeout': { type: 'string' },
  'read-timeout': { type: 'string' },
} as const;

export const options = {
  ...PROFILE_OPTIONS,
  name: { type: 'string' },
  path: { type: 'string' },
  'qr-png': { type: 'string' },
  'show-secret': { type: 'boolean' },
  code1: { type: 'string' },
  code2: { type: 'string' },
  serial: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
} as const;

const USAGE = 'usage: aws-mfa device create|enable|list|remove [options]; see aws-mfa device --help';

export async function run(argv: string[], ctx: Context): Promise<number> {
  const sub = argv[0];
  const { values: v } = parse(argv.slice(1), options);
  ctx.log.level = logLevelOf(v['log-level']);
  const flags = { profile: v.profile, longTermSuffix: v['long-term-suffix'] ?? v['long-suffix'], region: v.region, connectTimeout: v['connect-timeout'], readTimeout: v['read-timeout'] };
  switch (sub) {
    case 'create':
      return await create(v, flags, ctx);
    case 'enable':
      return await enable(v, flags, ctx);
    case 'list':
      return await list(v, flags, ctx);
    case 'remove':
      return await remove(v, flags, ctx);
    default:
      throw usageError(sub === undefined ? USAGE : `unknown device command "${sub}"; ${USAGE}`);
  }
}

type Values = ReturnType<typeof parse<typeof options>>['values'];
type Flags = { profile?: string; longTermSuffix?: string; region?: string; connectTimeout?: string; readTimeout?: string };

async function create(v: Values, flags: Flags, ctx: Context): Promise<number> {
  if (v.path) checkPath(v.path);
  const lt = await longTermContext(flags, ctx);
  const iam = await iamAccess(ctx, lt.callCtx(), lt.names.longTerm, v.user);
  const name = v.name ?? iam.userName;
  checkDeviceName(name);
  const serial = await createAndEnable(ctx, iam, { name, path: v.path, qrPng: v['qr-png'], showSecret: v['show-secret'], code1: v.code1, code2: v.code2 });
  await writeProfileTo(lt.paths.credentials, lt.names.longTerm, 'credentials', [['aws_mfa_device', serial]]);
  ctx.log.info(`Enabled ${serial} for IAM user ${iam.userName} and wrote aws_mfa_device to [${lt.names.longTerm}]. Now run: aws-mfa --profile ${lt.names.profile}`);
  return EXIT.OK;
}

async function enable(v: Values, flags: Flags, ctx: Context): Promise<number> {
  if (!v.serial) throw usageError('device enable needs --serial ARN (aws-mfa device list shows unassigned devices)');
  checkDevice(v.serial, '--serial');
  const lt = await longTermContext(flags, ctx);
  const iam = await iamAccess(ctx, lt.callCtx(), lt.names.longTerm, v.user);
  await enableWithCodes(ctx, iam, v.serial, { code1: v.code1, code2: v.code2 });
  await writeProfileTo(lt.paths.credentials, lt.names.longTerm, 'credentials', [['aws_mfa_device', v.serial!]]);
  ctx.log.info(`Enabled ${v.serial} for IAM user ${iam.userName} and wrote aws_mfa_device to [${lt.names.longTerm}]`);
  return EXIT.OK;
}

async function list(v: Values, flags: Flags, ctx: Context): Promise<number> {
  const lt = await longTermContext(flags, ctx);
  const iam = await iamAccess(ctx, lt.callCtx(), lt.names.longTerm, v.user);
  let devices;
  let unassigned;
  try {
    devices = await iam.aws.listMfaDevices(iam.callCtx, iam.userName);
    unassigned = await iam.aws.listVirtualMfaDevices(iam.callCtx, 'Unassigned');
  } catch (e) {
    throw iam.explain(e);
  }
  const used = lt.longTerm.get('aws_mfa_device') ?? lt.longTerm.get('mfa_serial') ?? lt.config.get('mfa_serial');
  const out = {
    user: iam.userName,
    profile: lt.names.longTerm,
    devices: devices.map((d) => ({ serialNumber: d.serialNumber, enabled: d.enableDate?.toISOString() ?? null, usedByProfile: d.serialNumber === used })),
    unassigned: unassigned.map((d) => ({ serialNumber: d.serialNumber })),
  };
  if (v.json) {
    ctx.stdout(JSON.stringify(out, null, 2) + '\n');
    return EXIT.OK;
  }
  ctx.stdout(human`MFA devices of IAM user ${iam.userName}:\n`);
  if (out.devices.length === 0) ctx.stdout('  (none; create one with: aws-mfa device create)\n');
  for (const d of out.devices) ctx.stdout(human`  ${d.serialNumber}  enabled ${d.enabled ?? '?'}${d.usedByProfile ? `  <- used by [${lt.names.longTerm}]` : ''}\n`);
  if (out.unassigned.length > 0) {
    ctx.stdout('Unassigned virtual MFA devices in the account (remove leftovers with: aws-mfa device remove --serial ARN):\n');
    for (const d of out.unassigned) ctx.stdout(human`  ${d.serialNumber}\n`);
  }
  if (used && !out.devices.some((d) => d.usedByProfile)) ctx.log.warn(`[${lt.names.longTerm}] uses ${used}, which is not among ${iam.userName}'s devices`);
  return EXIT.OK;
}

async function remove(v: Values, flags: Flags, ctx: Context): Promise<number> {
  const lt = await longTermContext(flags, ctx);
  const serial = v.serial ?? lt.longTerm.get('aws_mfa_device');
  if (!serial) throw usageError(`no device to remove: pass --serial ARN ([${lt.names.longTerm}] has no aws_mfa_device)`);
  if (!/^arn:[\w-]+:iam::\d{12}:(mfa|u2f)\//.test(serial)) throw configError(`${serial} is not an MFA device ARN; it must look like arn:aws:iam::123456789012:mfa/NAME`);
  if (!v.yes) {
    if (!ctx.term.interactive) throw usageError('removing a device needs a confirmation: run in a terminal, or pass --yes');
    const a = await ctx.term.ask(`Deactivate and delete MFA device ${serial}? Sign-ins that require MFA will not work with it any more. [y/N] `);
    if (!/^y(es)?$/i.test((a ?? '').trim())) throw new CliError(`nothing removed; ${serial} is unchanged`, EXIT.INTERRUPTED);
  }
  // Deactivating usually needs MFA under a "force MFA" policy: use the MFA session while it is valid.
  const short = lt.short;
  const fresh = short ? freshness(short, short.get('assumed_role_arn') || undefined, ctx.now(), 60) : undefined;
  const useSession = fresh && !fresh.due && !short!.get('assumed_role_arn');
  const creds = useSession
    ? { accessKeyId: short!.get('aws_access_key_id')!, secretAccessKey: short!.get('aws_secret_access_key')!, sessionToken: short!.get('aws_session_token')! }
    : undefined;
  ctx.log.debug(useSession ? `using the MFA session in [${lt.names.shortTerm}] (until ${parseExpiration(short!.get('expiration'))?.toISOString()})` : 'using the long-term key');
  const iam = await iamAccess(ctx, lt.callCtx(), lt.names.longTerm, v.user, creds ? lt.callCtx(creds) : undefined);
  const assigned = (await iam.aws.listMfaDevices(iam.callCtx, iam.userName).catch((e) => Promise.reject(iam.explain(e)))).some((d) => d.serialNumber === serial);
  try {
    if (assigned) await iam.aws.deactivateMfaDevice(iam.callCtx, { userName: iam.userName, serialNumber: serial });
    if (/:mfa\//.test(serial)) await iam.aws.deleteVirtualMfaDevice(iam.callCtx, serial);
  } catch (e) {
    if (isAwsFailure(e) && /AccessDenied/.test(e.code) && !useSession) {
      throw new CliError(`AWS denied ${e.operation} with the long-term key (policies usually require MFA for it); run "aws-mfa --profile ${lt.names.profile}" first so aws-mfa can use your MFA session, then try again`, EXIT.AWS);
    }
    throw isAwsFailure(e) ? explainFailure(e, { ...iam.fail, device: serial, now: ctx.now() }) : e;
  }
  const pointed = lt.longTerm.get('aws_mfa_device') === serial;
  if (pointed) {
    await removeFromProfile(lt.paths.credentials, lt.names.longTerm, 'credentials', 'aws_mfa_device');
  }
  ctx.log.info(`Removed ${serial}${assigned ? ` from IAM user ${iam.userName}` : ''}${pointed ? ` and aws_mfa_device from [${lt.names.longTerm}]` : ''}`);
  return EXIT.OK;
}
