/**
 * Getting a new session from STS: the device (configured, or the IAM user's only one), a code,
 * GetSessionToken or AssumeRole with retries that never spend a code twice. Loaded only when a
 * session is due (its own chunk), so the cached path never parses it.
 */
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { Session } from '../core/credentials.js';
import type { ResolvedProfile, Sourced } from '../core/profile.js';
import { explainFailure, isThrottle, type FailureContext } from '../core/aws-errors.js';
import { isAwsFailure, type AwsApi, type CallContext } from '../aws/index.js';
import { callContext } from './call-context.js';
import { longTermKey } from './long-term-key.js';
import type { CodeSource } from '../io/code-source.js';
import { usableWithSts } from '../core/mfa-serial.js';
import { suggest } from '../core/names.js';

/** A new session, and the device it was obtained with when that is kept with it (not in the user's files). */
export async function refresh(
  p: ResolvedProfile,
  ctx: Context,
  code: CodeSource,
): Promise<{ session: Session; lookedUp?: string }> {
  const { names, role, duration } = p;
  const callCtx = callContext(p, ctx, await longTermKey(p, ctx), p.region.value);
  const failCtx: FailureContext = {
    longTerm: names.longTerm,
    device: p.device?.value,
    role: role?.value,
    duration: duration.value,
    region: p.region.value,
    now: ctx.now(),
  };
  const aws = await ctx.aws();
  const device = p.device ?? (await findOnlyDevice(aws, callCtx, p, failCtx, ctx));
  failCtx.device = device.value;
  const tokenCode = await code(device.value);

  ctx.log.info(
    role
      ? t('session.assuming', {
          role: role.value,
          section: names.shortTerm,
          seconds: duration.value,
          source: duration.source,
        })
      : t('session.fetching', { section: names.shortTerm, seconds: duration.value, source: duration.source }),
  );
  const session = await withRetry(ctx, failCtx, async () => {
    try {
      return role
        ? await aws.assumeRole(callCtx, {
            roleArn: role.value,
            roleSessionName: p.sessionName.value,
            serialNumber: device.value,
            tokenCode,
            durationSeconds: duration.value,
            externalId: p.externalId,
          })
        : await aws.getSessionToken(callCtx, {
            serialNumber: device.value,
            tokenCode,
            durationSeconds: duration.value,
          });
    } catch (e) {
      if (isAwsFailure(e) && retryableWithCode(e)) throw e; // retried by withRetry
      if (isAwsFailure(e)) throw explainFailure(e, { ...failCtx, now: ctx.now() });
      throw e;
    }
  });
  // the device kept with the session: looked up, or given (--device, MFA_DEVICE), not one from the files
  return { session, ...(p.device && !p.deviceWithSession ? {} : { lookedUp: device.value }) };
}

/**
 * Whether a call that carried an MFA code may be made again with the same code: AWS throttled it
 * or failed (5xx) before judging it, the connection was refused (the code never left), or the
 * connection dropped before an answer. In the last case AWS may have spent the code; a retry then
 * fails with "invalid code", and the message asks for the next code, which is the right advice.
 */
export function retryableWithCode(e: { kind: string; code: string; status?: number }): boolean {
  if (e.kind === 'service') return isThrottle(e as never) || (e.status ?? 0) >= 500;
  return (
    e.kind === 'network' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET'].includes(e.code)
  );
}

export async function withRetry<T>(ctx: Context, failCtx: FailureContext, fn: () => Promise<T>): Promise<T> {
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

/**
 * No device configured anywhere: use the IAM user's only MFA device, as go-aws-mfa does. It is
 * recorded with the session (`aws_mfa_device` in the short-term section, never in the user's
 * long-term section), so the next refresh needs no lookup and `status` shows it.
 */
async function findOnlyDevice(
  aws: AwsApi,
  callCtx: CallContext,
  p: ResolvedProfile,
  failCtx: FailureContext,
  ctx: Context,
): Promise<Sourced<string>> {
  const section = p.names.longTerm;
  let devices;
  let user = '';
  try {
    const who = await aws.getCallerIdentity(callCtx);
    user = who.arn.split('/').pop() ?? '';
    if (!/:user\//.test(who.arn)) throw configError(t('device.notAUser', { section, arn: who.arn }));
    devices = await aws.listMfaDevices(callCtx, user);
  } catch (e) {
    throw isAwsFailure(e) ? explainFailure(e, { ...failCtx, now: ctx.now() }) : e;
  }
  const totp = devices.filter((d) => usableWithSts(d.serialNumber));
  if (totp.length === 0) {
    const command = suggest(p.names, p.flags, 'device create');
    throw configError(t('device.noneAtAll', { section, user, command }));
  }
  if (totp.length > 1)
    throw configError(
      t('device.several', { user, count: totp.length, devices: totp.map((d) => d.serialNumber).join(', '), section }),
    );
  const arn = totp[0]!.serialNumber;
  ctx.log.info(t('device.foundOnly', { arn, user, section: p.names.shortTerm }));
  return { value: arn, source: t('source.lookup', { user }) };
}
