/**
 * `aws-mfa [options]`: the drop-in session command. MFA code in, temporary credentials out, into
 * the short-term section of the credentials file. An adapter: the decisions live in
 * core/session.ts, files in io/store.ts, AWS behind aws/.
 */
import { configError, usageError, CliError, EXIT } from '../errors.js';
import { readProfiles, updateIni } from '../io/store.js';
import { writeProfile } from '../core/profile-data.js';
import {
  resolveNames,
  parseSeconds,
  checkDevice,
  checkRole,
  checkDuration,
  checkCode,
  defaultSessionName,
  freshness,
  formatDuration,
  formatExpiration,
  shortTermEntries,
  partitionOf,
  DEFAULT_REGION,
  type SessionFlags,
  type Names,
} from '../core/session.js';
import { explainFailure, isThrottle } from '../core/aws-errors.js';
import { sdkSettings } from '../core/sdk-settings.js';
import { isAwsFailure, type AwsApi, type CallContext, type SessionCredentials } from '../aws/index.js';
import { filePaths, type Context } from './context.js';

export interface SessionOptions extends SessionFlags {
  setup?: boolean;
}

function sourceOf(flag: string | undefined, env: string | undefined, flagName: string, envName: string, fallback: string): string {
  return flag !== undefined ? flagName : env !== undefined ? envName : fallback;
}

interface Resolved {
  names: Names;
  keys: { accessKeyId: string; secretAccessKey: string };
  role?: string;
  duration: number;
  region: string;
  device?: { arn: string; source: string };
  longTerm: Map<string, string>;
  config: Map<string, string>;
}

async function askYesNo(ctx: Context, q: string): Promise<boolean> {
  const a = await ctx.term.ask(`${q} [y/N] `);
  return /^y(es)?$/i.test((a ?? '').trim());
}

export async function sessionCommand(opts: SessionOptions, ctx: Context): Promise<number> {
  const { env, log } = ctx;
  const names = resolveNames(opts, env);
  const paths = filePaths(ctx);
  const minTtl = opts.minTtl !== undefined ? parseSeconds(opts.minTtl, '--min-ttl') : 300;
  const durationText = opts.duration ?? env.MFA_STS_DURATION;
  const durationSource = sourceOf(opts.duration, env.MFA_STS_DURATION, '--duration', 'MFA_STS_DURATION', 'default');
  const duration0 = durationText !== undefined && durationText !== '' ? parseSeconds(durationText, durationSource) : undefined;

  const readCreds = () => readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm]);
  let creds = readCreds();
  if (opts.setup) return await setup(ctx, opts, names, paths.credentials);
  if (!creds.exists) {
    if (ctx.term.interactive && (await askYesNo(ctx, `Could not locate credentials file at ${paths.credentials}; create it and set up [${names.longTerm}] now?`))) {
      await setup(ctx, opts, names, paths.credentials);
      creds = readCreds();
    } else {
      throw configError(`no credentials file at ${paths.credentials}; run "aws-mfa --setup" to create it (or set AWS_SHARED_CREDENTIALS_FILE)`);
    }
  }
  const configFile = readProfiles(paths.config, 'config', [names.longTerm, names.profile]);
  for (const w of [...creds.warnings, ...configFile.warnings]) log.warnOnce(w);
  if (env.AWS_ACCESS_KEY_ID) {
    log.warnOnce('AWS_ACCESS_KEY_ID is set in the environment; the AWS CLI will use it instead of the profile aws-mfa writes (unset it)');
  }

  const longTerm = creds.profiles.get(names.longTerm);
  if (!longTerm) {
    throw configError(`[${names.longTerm}] is missing from ${paths.credentials}; add your long-term access key with "aws-mfa --setup --profile ${names.profile}"`);
  }
  for (const k of ['aws_access_key_id', 'aws_secret_access_key']) {
    if (!longTerm.get(k)) throw configError(`[${names.longTerm}] in ${paths.credentials} has no ${k}; add it (aws-mfa --setup --profile ${names.profile})`);
  }
  const config = new Map([...(configFile.profiles.get(names.longTerm) ?? []), ...(configFile.profiles.get(names.profile) ?? [])]);

  const roleFlag = opts.assumeRole;
  const role = roleFlag ?? env.MFA_ASSUME_ROLE ?? longTerm.get('assume_role') ?? undefined;
  if (role) checkRole(role, sourceOf(roleFlag, env.MFA_ASSUME_ROLE, '--assume-role', 'MFA_ASSUME_ROLE', `assume_role in [${names.longTerm}]`));
  const duration = duration0 ?? (role ? 3600 : 43200);
  checkDuration(duration, Boolean(role), durationSource);
  if (opts.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(opts.externalId)) {
    throw usageError('--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/-');
  }

  const short = creds.profiles.get(names.shortTerm);
  const fresh = freshness(short, role, ctx.now(), minTtl);
  if (fresh.due && fresh.holdsLongTermKeys && !opts.force) {
    throw configError(`[${names.shortTerm}] holds long-term keys (no session token) and aws-mfa will not overwrite them; move them to [${names.longTerm}] or pass --force`);
  }
  if (!fresh.due && !opts.force) {
    log.info(`Your credentials are still valid for ${fresh.secondsLeft} seconds (${formatDuration(fresh.secondsLeft)}); they will expire at ${formatExpiration(fresh.expiration)} UTC. Use --profile ${names.shortTerm}; --force renews now.`);
    return EXIT.OK;
  }
  log.debug(opts.force ? 'renewing because --force was given' : `renewing: ${fresh.due ? fresh.reason : ''}`);

  const deviceFlag = opts.device ?? env.MFA_DEVICE;
  let device: Resolved['device'];
  if (deviceFlag) device = { arn: deviceFlag, source: opts.device !== undefined ? '--device' : 'MFA_DEVICE' };
  else if (longTerm.get('aws_mfa_device')) device = { arn: longTerm.get('aws_mfa_device')!, source: `aws_mfa_device in [${names.longTerm}]` };
  else if (longTerm.get('mfa_serial')) device = { arn: longTerm.get('mfa_serial')!, source: `mfa_serial in [${names.longTerm}]` };
  else if (config.get('mfa_serial')) device = { arn: config.get('mfa_serial')!, source: `mfa_serial in ${paths.config}` };
  if (device) checkDevice(device.arn, device.source);

  const region =
    opts.region ||
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    config.get('region') ||
    longTerm.get('region') ||
    DEFAULT_REGION[partitionOf(device?.arn ?? role)]!;
  const keys = { accessKeyId: longTerm.get('aws_access_key_id')!, secretAccessKey: longTerm.get('aws_secret_access_key')! };
  const callCtx: CallContext = {
    region,
    credentials: keys,
    settings: { STS: sdkSettings(env, config, 'STS'), IAM: sdkSettings(env, config, 'IAM') },
    ...(log.enabled('DEBUG') ? { debug: (l: string) => log.debug(l) } : {}),
  };
  const failCtx = { longTerm: names.longTerm, device: device?.arn, role, duration, region, now: ctx.now() };

  const aws = await ctx.aws();
  if (!device) device = await findOnlyDevice(aws, callCtx, names, failCtx, ctx);
  failCtx.device = device.arn;

  const code = await readCode(opts, ctx, device.arn, duration);
  const sessionName = opts.roleSessionName ?? defaultSessionName(ctx.user());
  if (role && !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw usageError(`--role-session-name must be 2 to 64 characters of letters, digits and +=,.@-`);
  }

  log.info(role ? `Assuming role ${role} for [${names.shortTerm}] for ${duration} seconds` : `Fetching a session for [${names.shortTerm}] for ${duration} seconds`);
  const session: SessionCredentials = await withThrottleRetry(ctx, async () => {
    try {
      return role
        ? await aws.assumeRole(callCtx, { roleArn: role, roleSessionName: sessionName, serialNumber: device!.arn, tokenCode: code, durationSeconds: duration, externalId: opts.externalId })
        : await aws.getSessionToken(callCtx, { serialNumber: device!.arn, tokenCode: code, durationSeconds: duration });
    } catch (e) {
      if (isAwsFailure(e) && (isThrottle(e) || e.code === 'ECONNREFUSED')) throw e; // retried: the code never reached AWS
      if (isAwsFailure(e)) throw explainFailure(e, { ...failCtx, now: ctx.now() });
      throw e;
    }
  }, failCtx);

  const entries = shortTermEntries(session, role);
  await updateIni(paths.credentials, (doc) => writeProfile(doc, names.shortTerm, 'credentials', entries, role ? [] : ['assumed_role_arn']));
  const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
  log.info(`Success! Your credentials will expire in ${left} seconds (${formatDuration(left)}) at ${formatExpiration(session.expiration)} UTC. Use them with --profile ${names.shortTerm}.`);
  return EXIT.OK;
}

async function withThrottleRetry<T>(ctx: Context, fn: () => Promise<T>, failCtx: Parameters<typeof explainFailure>[1]): Promise<T> {
  const base = Number(ctx.env.AWS_MFA_RETRY_BASE_MS ?? 250);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isAwsFailure(e)) throw e;
      if (attempt >= 4) throw explainFailure(e, { ...failCtx, now: ctx.now() });
      const wait = base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      ctx.log.debug(`${e.operation}: ${e.code}; retrying in ${Math.round(wait)} ms (attempt ${attempt + 1} of 4)`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** No device configured anywhere: use the user's only MFA device, as go-aws-mfa does. */
async function findOnlyDevice(aws: AwsApi, callCtx: CallContext, names: Names, failCtx: Parameters<typeof explainFailure>[1], ctx: Context): Promise<{ arn: string; source: string }> {
  const explain = (e: unknown) => (isAwsFailure(e) ? explainFailure(e, { ...failCtx, now: ctx.now() }) : e);
  let devices;
  let user = '';
  try {
    const who = await aws.getCallerIdentity(callCtx);
    user = who.arn.split('/').pop() ?? '';
    if (!/:user\//.test(who.arn)) {
      throw configError(`no MFA device is configured for [${names.longTerm}] and its key is not an IAM user's (${who.arn}); pass --device ARN`);
    }
    devices = await aws.listMfaDevices(callCtx, user);
  } catch (e) {
    throw explain(e);
  }
  const totp = devices.filter((d) => /:mfa\//.test(d.serialNumber));
  if (totp.length === 0) {
    throw configError(`no MFA device is configured for [${names.longTerm}] and IAM user ${user} has none; create one with "aws-mfa device create" or pass --device ARN`);
  }
  if (totp.length > 1) {
    throw configError(`IAM user ${user} has ${totp.length} MFA devices (${totp.map((d) => d.serialNumber).join(', ')}); choose one with --device or aws_mfa_device in [${names.longTerm}]`);
  }
  const arn = totp[0]!.serialNumber;
  ctx.log.info(`Using MFA device ${arn}, the only one of IAM user ${user}; add "aws_mfa_device = ${arn}" to [${names.longTerm}] to skip this lookup`);
  return { arn, source: 'ListMFADevices' };
}

async function readCode(opts: SessionOptions, ctx: Context, device: string, duration: number): Promise<string> {
  if (opts.token !== undefined) return checkCode(opts.token);
  if (ctx.term.interactive) {
    for (let attempt = 1; ; attempt++) {
      const answer = await ctx.term.ask(`Enter AWS MFA code for device [${device}] (renewing for ${duration} seconds): `);
      if (answer === undefined) throw new CliError('no MFA code entered', EXIT.INTERRUPTED);
      try {
        return checkCode(answer);
      } catch (e) {
        if (attempt >= 3) throw e;
        ctx.log.error((e as Error).message);
      }
    }
  }
  const line = ctx.term.readStdinLine();
  if (line === undefined) throw usageError('no MFA code: standard input is not a terminal and gave no line; pass --token CODE or pipe the code in');
  return checkCode(line);
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
  await updateIni(credentialsPath, (doc) => writeProfile(doc, n.longTerm, 'credentials', entries));
  ctx.log.info(`Wrote [${n.longTerm}] to ${credentialsPath}. Now run: aws-mfa --profile ${n.profile}`);
  return EXIT.OK;
}
