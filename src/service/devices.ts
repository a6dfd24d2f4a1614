/**
 * The virtual MFA device lifecycle over IAM: who the user is, creating and enabling a device with
 * two codes (retrying on a terminal), and cleaning up a device this run created if enabling does
 * not happen. Commands `device` and `init` use it.
 */
import { configError, usageError, CliError, EXIT, isCliError } from '../errors.js';
import { explainFailure, type FailureContext } from '../core/aws-errors.js';
import { otpauthUri, userNameFromArn } from '../core/mfa-device.js';
import { checkCode, checkCodePair, codeRefusal } from '../core/checks.js';
import { mfaSerialKind } from '../core/mfa-serial.js';
import { t, sentences } from '../messages/index.js';
import { isAwsFailure, type AwsApi, type CallContext } from '../aws/index.js';
import { lazyChunk } from '../start/chunk.js';
import type { Context } from '../context.js';
import type { SessionFlags, ResolvedProfile } from '../core/profile.js';
import { suggest } from '../core/names.js';
import { removeFromProfile } from '../io/store.js';
import { fileExists } from '../io/qr-target.js';
import { terminalLine } from '../core/sanitize.js';
import { isAwsValue } from '../core/aws-values.js';
import { lstatSync, unlinkSync } from 'node:fs';
import { loadProfile, type LoadedProfile } from './profile-loader.js';
import { callContext } from './call-context.js';
import { longTermKey } from './long-term-key.js';
import { userSession } from './keys.js';

/** The QR code chunk: only the device commands draw one. */
const loadQr = lazyChunk<typeof import('../io/qr.js')>('qr.cjs', () => import('../io/qr.js'));

export interface IamAccess {
  aws: AwsApi;
  callCtx: CallContext;
  userName: string;
  account: string;
  fail: FailureContext;
  /** AWS failures in words; anything else as it is. */
  explain: (e: unknown) => unknown;
}

/**
 * Resolve the IAM user (given, or the caller of `callCtx`: the long-term key) once; every IAM call
 * then names it explicitly, and is made with `callsWith` (an MFA session, say) when given.
 */
export async function iamAccess(
  ctx: Context,
  callCtx: CallContext,
  longTermName: string,
  user?: string,
  callsWith?: CallContext,
  devicesCommand?: string,
): Promise<IamAccess> {
  const aws = await ctx.aws();
  const fail: FailureContext = {
    longTerm: longTermName,
    region: callCtx.region,
    now: ctx.now(),
    ...(devicesCommand ? { devicesCommand } : {}),
  };
  const explain = (e: unknown) => (isAwsFailure(e) ? explainFailure(e, { ...fail, now: ctx.now() }) : e);
  let who;
  try {
    who = await aws.getCallerIdentity(callCtx);
  } catch (e) {
    throw explain(e);
  }
  const userName = user ?? userNameFromArn(who.arn.replace(':sts:', ':iam:'));
  if (!userName) {
    throw configError(t('device.keyNotAUser', { section: longTermName, arn: who.arn }));
  }
  return { aws, callCtx: callsWith ?? callCtx, userName, account: who.account, fail, explain };
}

export interface CodePairOptions {
  code1?: string;
  code2?: string;
}

/** Two consecutive codes: from the flags, else asked on the terminal (again after a mistake). */
async function askPair(ctx: Context): Promise<[string, string]> {
  // the first code is checked before the second is asked for; once it is good, a mistake in the
  // second (the same code again, as the message says) asks for the second alone
  let first: string | undefined;
  let refused: string | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      if (first === undefined) {
        const a = await ctx.term.ask(t('device.askFirst'), { refused });
        refused = undefined; // said once, before the question it is about
        if (a === undefined) throw new CliError(t('device.aborted'), EXIT.INTERRUPTED);
        first = checkCode(a);
      }
      const b = await ctx.term.ask(t('device.askSecond'), { refused });
      if (b === undefined) throw new CliError(t('device.aborted'), EXIT.INTERRUPTED);
      return checkCodePair(first, b);
    } catch (e) {
      const why = codeRefusal(e);
      if (!why) throw e;
      if (attempt >= 3) {
        const last = usageError(sentences(why.problem, t('device.codesLastTry')));
        ctx.term.errorOnScreen?.(last.message);
        throw last;
      }
      refused = sentences(why.problem, why.again(3 - attempt));
      ctx.log.warn(refused); // a try left is no failure
    }
  }
}

/**
 * --code1 and --code2, checked before anything is created or sent: both or neither, each six digits,
 * not the same code twice. True when they were given.
 */
const CODE_FLAGS = ['--code1', '--code2'] as const;

export function checkCodeFlags(opts: CodePairOptions): boolean {
  const fromFlags = opts.code1 !== undefined || opts.code2 !== undefined;
  if (fromFlags && (opts.code1 === undefined || opts.code2 === undefined)) throw usageError(t('device.codesTogether'));
  if (fromFlags) checkCodePair(opts.code1!, opts.code2!, CODE_FLAGS);
  return fromFlags;
}

/**
 * EnableMFADevice with two consecutive codes. On a terminal a rejected pair is asked for again
 * (up to three times); with --code1/--code2 the first answer is final.
 */
export async function enableWithCodes(
  ctx: Context,
  iam: IamAccess,
  serial: string,
  opts: CodePairOptions,
): Promise<void> {
  const fromFlags = checkCodeFlags(opts);
  // without a terminal and without flags, the two codes are the next two lines of standard input
  // (a script reads the seed that was just printed, and answers)
  const fromStdin = !fromFlags && !ctx.term.interactive;
  const stdinPair = (): [string, string] => {
    const a = ctx.term.readStdinLine();
    const b = a === undefined ? undefined : ctx.term.readStdinLine();
    if (a === undefined || b === undefined) throw usageError(t('device.codesNeeded'));
    return checkCodePair(a, b);
  };
  for (let attempt = 1; ; attempt++) {
    const [c1, c2] = fromFlags
      ? checkCodePair(opts.code1!, opts.code2!, CODE_FLAGS)
      : fromStdin
        ? stdinPair()
        : await askPair(ctx);
    try {
      await iam.aws.enableMfaDevice(iam.callCtx, {
        userName: iam.userName,
        serialNumber: serial,
        code1: c1,
        code2: c2,
      });
      break;
    } catch (e) {
      const err = isAwsFailure(e) ? explainFailure(e, { ...iam.fail, device: serial, now: ctx.now() }) : e;
      if (fromFlags || fromStdin || attempt >= 3 || !isAwsFailure(e) || e.code !== 'InvalidAuthenticationCode')
        throw err;
      // AWS's refusal says what to type; then the tries left, as a warning (a try left is no failure)
      ctx.log.warn(sentences((err as Error).message, t('code.triesLeft', { left: 3 - attempt })));
    }
  }
  let devices;
  try {
    devices = await iam.aws.listMfaDevices(iam.callCtx, iam.userName);
  } catch (e) {
    throw iam.explain(e);
  }
  if (!devices.some((d) => d.serialNumber === serial)) {
    throw new CliError(t('device.notListed', { serial, user: iam.userName }), EXIT.AWS);
  }
}

export interface CreateOptions extends CodePairOptions {
  name: string;
  path?: string;
  qrPng?: string;
  /** Replace an existing --qr-png file (else it is refused, and the new one created exclusively). */
  overwrite?: boolean;
  /** The command that writes it with --overwrite, named when the file is there. */
  qrPngFix?: string;
  showSecret?: boolean;
}

/**
 * Create a virtual device, show it (QR in the terminal, optionally a PNG, or the seed), enable it
 * with two codes. If anything after creation fails or is aborted, the unassigned device is
 * deleted again and the message says so. Returns the device ARN.
 */
export async function createAndEnable(ctx: Context, iam: IamAccess, o: CreateOptions): Promise<string> {
  let created: { serialNumber: string; seed: string };
  try {
    created = await iam.aws.createVirtualMfaDevice(iam.callCtx, { name: o.name, path: o.path });
  } catch (e) {
    if (isAwsFailure(e) && e.code === 'EntityAlreadyExists') {
      const orphan = await findUnassigned(iam, o.name, o.path);
      if (orphan) {
        throw new CliError(t('device.orphan', { name: o.name, serial: orphan }), EXIT.AWS);
      }
    }
    throw iam.explain(e);
  }
  const serial = created.serialNumber;
  /** The PNG this run wrote (its identity, so only that file is removed again). */
  let pngWritten: { dev: number; ino: number } | undefined;
  try {
    // a seed that is not Base32 is refused, never shown (it is the device's secret); the device goes again
    if (!isAwsValue('seed', created.seed)) {
      const expected = t('aws.expect.seed');
      throw new CliError(
        t('aws.badValue', { operation: 'CreateVirtualMFADevice', field: 'Base32StringSeed', expected }),
        EXIT.AWS,
      );
    }
    const uri = otpauthUri(o.name, iam.userName, created.seed);
    const qr = await loadQr();
    if (o.qrPng) {
      try {
        await qr.writeQrPng(o.qrPng, uri, o.overwrite);
        pngWritten = lstatSync(o.qrPng, { throwIfNoEntry: false });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw fileExists(o.qrPng, o.qrPngFix ?? '--overwrite');
        throw configError(t('files.cannotWrite', { file: o.qrPng, code: code ?? 'error' }));
      }
      ctx.log.info(t('device.qrWritten', { file: o.qrPng }));
    }
    if (o.showSecret) {
      // Base32 alone (aws/iam.ts refused any other seed)
      ctx.stdout(`${t('device.secretForManualEntry')}\n${terminalLine(created.seed)}\n`);
    } else {
      const qrCode = await qr.qrText(uri, ctx.colourTerminal);
      ctx.stderr(`${t('device.scanQr', { serial: terminalLine(serial) })}\n${qrCode}\n`);
    }
    created.seed = '';
    await enableWithCodes(ctx, iam, serial, o);
    return serial;
  } catch (e) {
    // nothing may be left behind: the device this run created goes again
    let deleted = false;
    try {
      await iam.aws.deleteVirtualMfaDevice(iam.callCtx, serial);
      deleted = true;
    } catch {
      /* said below */
    }
    // the PNG holds the seed of a device that is gone: it goes too (only the very file this run wrote)
    if (deleted && pngWritten && o.qrPng) removeOwnFile(o.qrPng, pngWritten);
    // the message goes on after it: its own full stop goes (not "。。")
    const m = (e as Error).message.replace(/[.。]$/, '');
    const code = isCliError(e) ? e.exitCode : EXIT.FAILURE;
    throw new CliError(
      deleted ? t('device.cleanedUp', { message: m, serial }) : t('device.cleanupFailed', { message: m, serial }),
      code,
    );
  }
}

function removeOwnFile(file: string, written: { dev: number; ino: number }): void {
  const now = lstatSync(file, { throwIfNoEntry: false });
  if (now?.dev !== written.dev || now.ino !== written.ino) return;
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

async function findUnassigned(iam: IamAccess, name: string, path = '/'): Promise<string | undefined> {
  try {
    const list = await iam.aws.listVirtualMfaDevices(iam.callCtx, 'Unassigned');
    const suffix = `:mfa${path}${name}`;
    return list.find((d) => d.serialNumber.endsWith(suffix))?.serialNumber;
  } catch {
    return undefined;
  }
}

/**
 * IAM access for the device commands: the long-term key resolves the user; with `withSession`,
 * calls are made with the user's valid MFA session (kept in the keychain or the file), because
 * policies that force MFA deny changes without it.
 */
export async function deviceAccess(
  flags: SessionFlags,
  user: string | undefined,
  ctx: Context,
  withSession = false,
): Promise<{ iam: IamAccess; loaded: LoadedProfile; usedSession: boolean }> {
  const loaded = await loadProfile(flags, ctx, { sessionsFollowKeys: withSession });
  const p = loaded.profile;
  const key = await longTermKey(p, ctx);
  const session = withSession ? await userSession(loaded, ctx) : undefined;
  ctx.log.debug(session ? `using the MFA session in [${p.names.shortTerm}]` : 'using the long-term key');
  const iam = await iamAccess(
    ctx,
    callContext(p, ctx, key, p.region.value),
    p.names.longTerm,
    user,
    session ? callContext(p, ctx, session, p.region.value) : undefined,
    suggest(p.names, p.flags, 'device list'),
  );
  return { iam, loaded, usedSession: Boolean(session) };
}

/** DeactivateMFADevice (when assigned), DeleteVirtualMFADevice, and aws_mfa_device unset when it pointed there. */
export async function removeDevice(
  iam: IamAccess,
  p: ResolvedProfile,
  serial: string,
  usedSession: boolean,
  ctx: Context,
): Promise<{ pointed: boolean }> {
  const assigned = (
    await iam.aws.listMfaDevices(iam.callCtx, iam.userName).catch((e) => Promise.reject(iam.explain(e)))
  ).some((d) => d.serialNumber === serial);
  try {
    if (assigned) await iam.aws.deactivateMfaDevice(iam.callCtx, { userName: iam.userName, serialNumber: serial });
    if (mfaSerialKind(serial) === 'virtual') await iam.aws.deleteVirtualMfaDevice(iam.callCtx, serial);
  } catch (e) {
    if (isAwsFailure(e) && /AccessDenied/.test(e.code) && !usedSession) {
      throw new CliError(
        t('device.removeNeedsSession', { operation: e.operation, command: suggest(p.names, p.flags) }),
        EXIT.AWS,
      );
    }
    throw isAwsFailure(e) ? explainFailure(e, { ...iam.fail, device: serial, now: ctx.now() }) : e;
  }
  const pointed = p.device?.value === serial && /aws_mfa_device/.test(p.device.source);
  if (pointed) await removeFromProfile(p.paths.credentials, p.names.longTerm, 'credentials', 'aws_mfa_device');
  return { pointed };
}
