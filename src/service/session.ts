/**
 * Getting a valid session: the one code path every command uses (the drop-in session command,
 * export, exec, credential-process, whoami, console). `prepare` reads the files and checks the
 * input without any network; `refresh` asks for a code, calls STS and writes the short-term
 * section; `ensureSession` reuses a valid cached session or refreshes.
 */
import { configError, usageError, CliError, EXIT } from '../errors.js';
import { readProfiles, type ProfilesRead } from '../io/store.js';
import {
  resolveNames,
  parseSeconds,
  checkDevice,
  checkRole,
  checkDuration,
  checkCode,
  defaultSessionName,
  freshness,
  parseExpiration,
  partitionOf,
  DEFAULT_REGION,
  type Freshness,
  type SessionFlags,
  type Names,
} from '../core/session.js';
import { explainFailure, isThrottle, type FailureContext } from '../core/aws-errors.js';
import { sdkSettings } from '../core/sdk-settings.js';
import { isAwsFailure, type AwsApi, type CallContext, type SessionCredentials } from '../aws/index.js';
import { filePaths, type Context } from '../context.js';
import { controllingTerminalAsk } from '../io/terminal.js';
import type { FilePaths } from '../core/paths.js';
import { netSettings, type NetSettings } from '../core/network.js';
import { keyLocation } from '../core/key-location.js'; // keychain:
import { longTermKeyPair } from './long-term-keys.js'; // keychain:
import { sessionStoreFor, type SessionStore } from './session-store.js'; // keychain:

export interface Prepared {
  names: Names;
  paths: FilePaths;
  longTerm: Map<string, string>;
  /** The config-file settings of the profile (and of its long-term name), merged. */
  config: Map<string, string>;
  role?: string;
  duration: number;
  minTtl: number;
  short?: Map<string, string>;
  fresh: Freshness;
  /** The region configured anywhere (flag, environment, profile), if any. */
  configuredRegion?: string;
  /** Proxy, CA bundle, timeouts and retries for the AWS calls. */
  net: NetSettings;
  /** keychain: where the session is kept (the file's short-term section, or the keychain). */
  store: SessionStore;
}

function sourceOf(flag: string | undefined, env: string | undefined, flagName: string, envName: string, fallback: string): string {
  return flag !== undefined ? flagName : env !== undefined ? envName : fallback;
}

export interface PrepareHooks {
  /** Called when the credentials file does not exist; may create it (setup) and return true. */
  onMissingFile?: (names: Names, paths: FilePaths) => Promise<boolean>;
  /** keychain: `auto` keeps the session in the keychain when the long-term key is there (default: the file). */
  sessions?: 'file' | 'auto';
}

/**
 * Read the long-term section (required, with both keys) and the profile's config settings, with
 * the warnings about what the AWS CLI reads differently. No network.
 */
export async function loadLongTerm(names: Names, paths: FilePaths, ctx: Context, hooks: PrepareHooks = {}) {
  const readCreds = () => readProfiles(paths.credentials, 'credentials', [names.longTerm, names.shortTerm]);
  let creds: ProfilesRead = readCreds();
  if (!creds.exists) {
    if (hooks.onMissingFile && (await hooks.onMissingFile(names, paths))) creds = readCreds();
    else throw configError(`no credentials file at ${paths.credentials}; run "aws-mfa --setup" to create it (or set AWS_SHARED_CREDENTIALS_FILE)`);
  }
  const configFile = readProfiles(paths.config, 'config', [names.longTerm, names.profile]);
  for (const w of [...creds.warnings, ...configFile.warnings]) ctx.log.warnOnce(w);
  const longTerm = creds.profiles.get(names.longTerm);
  if (!longTerm) {
    throw configError(`[${names.longTerm}] is missing from ${paths.credentials}; add your long-term access key with "aws-mfa --setup --profile ${names.profile}"`);
  }
  // keychain: a key pair in the OS keychain is read only when a call needs it (longTermKeyPair)
  for (const k of keyLocation(longTerm) === 'keychain' ? [] : ['aws_access_key_id', 'aws_secret_access_key']) {
    if (!longTerm.get(k)) throw configError(`[${names.longTerm}] in ${paths.credentials} has no ${k}; add it (aws-mfa --setup --profile ${names.profile})`);
  }
  const config = new Map([...(configFile.profiles.get(names.longTerm) ?? []), ...(configFile.profiles.get(names.profile) ?? [])]);
  return { creds, longTerm, config };
}

/** Read the files and check every input; no network. Throws the documented errors. */
export async function prepare(opts: SessionFlags, ctx: Context, hooks: PrepareHooks = {}): Promise<Prepared> {
  const { env } = ctx;
  const names = resolveNames(opts, env);
  const paths = filePaths(ctx);
  const minTtl = opts.minTtl !== undefined ? parseSeconds(opts.minTtl, '--min-ttl') : 300;
  for (const [flag, v] of [['--connect-timeout', opts.connectTimeout], ['--read-timeout', opts.readTimeout]] as const) {
    if (v !== undefined && !(Number(v) > 0)) throw usageError(`${flag} must be a positive number of seconds, not "${v}"`);
  }
  const durationText = opts.duration ?? env.MFA_STS_DURATION;
  const durationSource = sourceOf(opts.duration, env.MFA_STS_DURATION, '--duration', 'MFA_STS_DURATION', 'default');
  const duration0 = durationText !== undefined && durationText !== '' ? parseSeconds(durationText, durationSource) : undefined;

  const { creds, longTerm, config } = await loadLongTerm(names, paths, ctx, hooks);
  const role = opts.assumeRole ?? env.MFA_ASSUME_ROLE ?? longTerm.get('assume_role') ?? undefined;
  if (role) checkRole(role, sourceOf(opts.assumeRole, env.MFA_ASSUME_ROLE, '--assume-role', 'MFA_ASSUME_ROLE', `assume_role in [${names.longTerm}]`));
  const duration = duration0 ?? (role ? 3600 : 43200);
  checkDuration(duration, Boolean(role), durationSource);
  if (opts.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(opts.externalId)) {
    throw usageError('--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/-');
  }
  // keychain: the session from its store (the file's short-term section, or the keychain)
  const store = sessionStoreFor(longTerm, names, paths, creds.profiles.get(names.shortTerm), env, hooks.sessions);
  const short = await store.read();
  const fresh = freshness(short, role, ctx.now(), minTtl);
  if (fresh.due && fresh.holdsLongTermKeys && !opts.force) {
    throw configError(`[${names.shortTerm}] holds long-term keys (no session token) and aws-mfa will not overwrite them; move them to [${names.longTerm}] or pass --force`);
  }
  const configuredRegion = opts.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || config.get('region') || longTerm.get('region') || undefined;
  const net = netSettings(env, config, opts);
  return { names, paths, longTerm, config, role, duration, minTtl, short, fresh, configuredRegion, net, store };
}

/** The long-term key's context for IAM and STS calls that need no session (the device commands). */
export async function longTermContext(opts: SessionFlags, ctx: Context) {
  const names = resolveNames(opts, ctx.env);
  const paths = filePaths(ctx);
  const { creds, longTerm, config } = await loadLongTerm(names, paths, ctx);
  const region = opts.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || config.get('region') || longTerm.get('region') || DEFAULT_REGION.aws!;
  const { where, ...keys } = await longTermKeyPair(longTerm, names.longTerm, { env: ctx.env, log: ctx.log, file: paths.credentials, profile: names.profile }); // keychain:
  const short = creds.profiles.get(names.shortTerm);
  const net = netSettings(ctx.env, config, opts);
  return { names, paths, longTerm, config, region, short, net, keys, where, callCtx: (credentials: CallContext['credentials'] = keys) => callContext({ config, net }, ctx, credentials, region) };
}

/** Where an MFA code comes from; the prompt text names the device and the duration. */
export type CodeSource = (device: string, duration: number) => Promise<string>;

/** The credentials in a fresh short-term section. */
export function cachedSession(p: Prepared): SessionCredentials | undefined {
  if (p.fresh.due || !p.short) return undefined;
  return {
    accessKeyId: p.short.get('aws_access_key_id')!,
    secretAccessKey: p.short.get('aws_secret_access_key')!,
    sessionToken: p.short.get('aws_session_token')!,
    expiration: parseExpiration(p.short.get('expiration'))!,
  };
}

export function callContext(p: Pick<Prepared, 'config' | 'net'>, ctx: Context, credentials: CallContext['credentials'], region: string): CallContext {
  return {
    region,
    credentials,
    net: p.net,
    settings: { STS: sdkSettings(ctx.env, p.config, 'STS'), IAM: sdkSettings(ctx.env, p.config, 'IAM') },
    ...(ctx.log.enabled('DEBUG') ? { debug: (l: string) => ctx.log.debug(l) } : {}),
  };
}

/** Ask for a code, call STS (GetSessionToken or AssumeRole), write the short-term section. */
export async function refresh(p: Prepared, opts: SessionFlags, ctx: Context, code: CodeSource): Promise<SessionCredentials> {
  const { env, log } = ctx;
  const { names, longTerm, config, role, duration } = p;
  const deviceFlag = opts.device ?? env.MFA_DEVICE;
  let device: { arn: string; source: string } | undefined;
  if (deviceFlag) device = { arn: deviceFlag, source: opts.device !== undefined ? '--device' : 'MFA_DEVICE' };
  else if (longTerm.get('aws_mfa_device')) device = { arn: longTerm.get('aws_mfa_device')!, source: `aws_mfa_device in [${names.longTerm}]` };
  else if (longTerm.get('mfa_serial')) device = { arn: longTerm.get('mfa_serial')!, source: `mfa_serial in [${names.longTerm}]` };
  else if (config.get('mfa_serial')) device = { arn: config.get('mfa_serial')!, source: `mfa_serial in ${p.paths.config}` };
  if (device) checkDevice(device.arn, device.source);
  const sessionName = opts.roleSessionName ?? defaultSessionName(ctx.user());
  if (role && !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw usageError(`--role-session-name must be 2 to 64 characters of letters, digits and +=,.@-`);
  }

  const region = p.configuredRegion ?? DEFAULT_REGION[partitionOf(device?.arn ?? role)]!;
  const lt = await longTermKeyPair(longTerm, names.longTerm, { env, log, file: p.paths.credentials, profile: names.profile }); // keychain:
  const callCtx = callContext(p, ctx, { accessKeyId: lt.accessKeyId, secretAccessKey: lt.secretAccessKey }, region);
  const failCtx: FailureContext = { longTerm: names.longTerm, device: device?.arn, role, duration, region, now: ctx.now() };
  const aws = await ctx.aws();
  if (!device) device = await findOnlyDevice(aws, callCtx, names, failCtx, ctx);
  failCtx.device = device.arn;
  const tokenCode = await code(device.arn, duration);

  log.info(role ? `Assuming role ${role} for [${names.shortTerm}] for ${duration} seconds` : `Fetching a session for [${names.shortTerm}] for ${duration} seconds`);
  const session = await withThrottleRetry(ctx, failCtx, async () => {
    try {
      return role
        ? await aws.assumeRole(callCtx, { roleArn: role, roleSessionName: sessionName, serialNumber: device!.arn, tokenCode, durationSeconds: duration, externalId: opts.externalId })
        : await aws.getSessionToken(callCtx, { serialNumber: device!.arn, tokenCode, durationSeconds: duration });
    } catch (e) {
      if (isAwsFailure(e) && retryableWithCode(e)) throw e; // retried (see retryableWithCode)
      if (isAwsFailure(e)) throw explainFailure(e, { ...failCtx, now: ctx.now() });
      throw e;
    }
  });
  await p.store.write(session, role); // keychain: the file's short-term section, or the keychain
  return session;
}

/** A valid session: the cached one, or a new one (its code asked for as `mode` says). */
export async function ensureSession(opts: SessionFlags, ctx: Context, mode: CodeMode): Promise<{ p: Prepared; session: SessionCredentials; refreshed: boolean }> {
  const p = await prepare(opts, ctx, { sessions: 'auto' }); // keychain: sessions out of files when the key is in the keychain
  const cached = opts.force ? undefined : cachedSession(p);
  if (cached) return { p, session: cached, refreshed: false };
  ctx.log.debug(opts.force ? 'renewing because --force was given' : `renewing: ${p.fresh.due ? p.fresh.reason : ''}`);
  return { p, session: await refresh(p, opts, ctx, codeSource(opts, ctx, mode, p.names.profile, () => p.config)), refreshed: true };
}

/**
 * Whether a call that carried an MFA code may be made again with the same code: AWS throttled it
 * or failed (5xx) before judging it, the connection was refused (the code never left), or the
 * connection dropped before an answer. In the last case AWS may have spent the code; a retry then
 * fails with "invalid code", and the message asks for the next code, which is the right advice.
 */
function retryableWithCode(e: { kind: string; code: string; status?: number }): boolean {
  if (e.kind === 'service') return isThrottle(e as never) || (e.status ?? 0) >= 500;
  return e.kind === 'network' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET'].includes(e.code);
}

async function withThrottleRetry<T>(ctx: Context, failCtx: FailureContext, fn: () => Promise<T>): Promise<T> {
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
async function findOnlyDevice(aws: AwsApi, callCtx: CallContext, names: Names, failCtx: FailureContext, ctx: Context): Promise<{ arn: string; source: string }> {
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
    throw isAwsFailure(e) ? explainFailure(e, { ...failCtx, now: ctx.now() }) : e;
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

// ---- where codes come from ------------------------------------------------------------------

const promptText = (device: string, duration: number) => `Enter AWS MFA code for device [${device}] (renewing for ${duration} seconds): `;

/** Ask up to three times on the terminal; a malformed code never reaches AWS. */
async function askCode(ask: (q: string) => Promise<string | undefined>, ctx: Context, device: string, duration: number): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const answer = await ask(promptText(device, duration));
    if (answer === undefined) throw new CliError('no MFA code entered', EXIT.INTERRUPTED);
    try {
      return checkCode(answer);
    } catch (e) {
      if (attempt >= 3) throw e;
      ctx.log.error((e as Error).message);
    }
  }
}

/** Run the profile's `mfa_process` (aws-vault's key): its standard output is the code. */
async function runMfaProcess(command: string, ctx: Context): Promise<string> {
  const { spawnSync } = await import('node:child_process');
  ctx.log.debug(`running mfa_process: ${command}`);
  const r = spawnSync(command, { shell: true, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 });
  if (r.error || r.status !== 0) {
    throw configError(`mfa_process "${command}" failed (${r.error ? r.error.message : `exit ${r.status}`}); fix the command in ~/.aws/config`);
  }
  try {
    return checkCode(r.stdout);
  } catch {
    throw configError(`mfa_process "${command}" did not print a 6-digit code; fix the command in ~/.aws/config`);
  }
}

export type CodeMode = 'session' | 'terminal-only';

/**
 * The code's precedence: --token, then the profile's mfa_process, then a prompt. In `session`
 * mode (the drop-in command) the prompt uses stdin when it is a terminal and otherwise reads one
 * line of stdin; in `terminal-only` mode (credential-process, export, exec) it uses the
 * controlling terminal, never stdin or stdout, and fails when there is none.
 */
export function codeSource(opts: SessionFlags, ctx: Context, mode: CodeMode, profile: string, config: () => ReadonlyMap<string, string>): CodeSource {
  return async (device, duration) => {
    if (opts.token !== undefined) return checkCode(opts.token);
    const mfaProcess = config().get('mfa_process');
    if (mfaProcess) return await runMfaProcess(mfaProcess, ctx);
    if (mode === 'session') {
      if (ctx.term.interactive) return await askCode((q) => ctx.term.ask(q), ctx, device, duration);
      const line = ctx.term.readStdinLine();
      if (line === undefined) throw usageError('no MFA code: standard input is not a terminal and gave no line; pass --token CODE or pipe the code in');
      return checkCode(line);
    }
    const ttyAsk = async (q: string) => controllingTerminalAsk(q);
    const probe = await ttyAsk(promptText(device, duration));
    if (probe === undefined) {
      throw new CliError(
        `a new MFA session is needed for [${profile}] but there is no terminal to ask for the code; run "aws-mfa --profile ${profile}" in a terminal first, or set mfa_process in ~/.aws/config`,
        EXIT.CONFIG,
      );
    }
    try {
      return checkCode(probe);
    } catch (e) {
      ctx.log.error((e as Error).message);
      return await askCode(ttyAsk, ctx, device, duration);
    }
  };
}
