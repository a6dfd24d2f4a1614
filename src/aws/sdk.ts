/**
 * The only module that imports `@aws-sdk/*`. Bundled as its own chunk (dist/aws.cjs) and loaded
 * only on paths that call AWS. Every function takes and returns our own types, and every failure
 * leaves as an AwsFailure carrying plain data.
 *
 * The SDK honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM by itself.
 */
import { STSClient, GetSessionTokenCommand, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { AwsFailure, type CallContext, type CallerIdentity, type MfaDeviceInfo, type SessionCredentials } from './types.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'TimeoutError', 'RequestTimeout', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function toFailure(e: unknown, operation: string): AwsFailure {
  const err = e as {
    name?: string; code?: string; message?: string; Code?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
  };
  const status = err.$metadata?.httpStatusCode;
  const code = err.code && NETWORK_CODES.has(err.code) ? err.code : err.name ?? err.code ?? 'Error';
  const network = NETWORK_CODES.has(code) || (status === undefined && !err.$response);
  const headers = err.$response?.headers ?? {};
  const serverDate = headers['date'] ?? headers['Date'];
  return new AwsFailure({
    kind: network ? 'network' : 'service',
    code,
    message: (err.message ?? String(e)).trim(),
    status,
    serverDate,
    operation,
  });
}

/**
 * One attempt only: an MFA code that reached AWS is spent, so the caller decides about retries.
 * Every setting the SDK would look up in the shared files is given here (as resolved by the
 * caller), so the SDK never parses those files itself.
 */
function clientConfig(ctx: CallContext, service: 'STS' | 'IAM') {
  const s = ctx.settings[service];
  const logger = ctx.debug
    ? { debug: () => {}, info: () => {}, warn: (...a: unknown[]) => ctx.debug!(`sdk warning: ${a.join(' ')}`), error: () => {}, trace: () => {} }
    : undefined;
  const value = <T>(v: T) => () => Promise.resolve(v);
  ctx.debug?.(`${service} endpoint: ${s.endpoint ?? `the SDK's default for ${ctx.region}`}${s.useFipsEndpoint ? ' (FIPS)' : ''}${s.useDualstackEndpoint ? ' (dual-stack)' : ''}`);
  return {
    region: ctx.region,
    credentials: ctx.credentials,
    maxAttempts: 1,
    retryMode: 'standard',
    ...(s.endpoint ? { endpoint: s.endpoint } : { ignoreConfiguredEndpointUrls: true }),
    useFipsEndpoint: s.useFipsEndpoint,
    useDualstackEndpoint: s.useDualstackEndpoint,
    defaultsMode: s.defaultsMode as 'legacy',
    userAgentAppId: value(s.appId),
    authSchemePreference: value([] as string[]),
    sigv4aSigningRegionSet: value(undefined as string[] | undefined),
    disableClockSkewCorrection: value(false),
    ...(logger ? { logger } : {}),
  };
}

async function send<T>(operation: string, ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  ctx.debug?.(`calling ${operation} in ${ctx.region}`);
  try {
    return await fn();
  } catch (e) {
    throw toFailure(e, operation);
  }
}

function sessionFrom(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined, op: string): SessionCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsFailure({ kind: 'service', code: 'IncompleteResponse', message: `${op} answered without complete credentials`, operation: op });
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

export async function getSessionToken(
  ctx: CallContext,
  p: { serialNumber: string; tokenCode: string; durationSeconds: number },
): Promise<SessionCredentials> {
  const client = new STSClient(clientConfig(ctx, 'STS'));
  const out = await send('GetSessionToken', ctx, () =>
    client.send(new GetSessionTokenCommand({ SerialNumber: p.serialNumber, TokenCode: p.tokenCode, DurationSeconds: p.durationSeconds })),
  );
  return sessionFrom(out.Credentials, 'GetSessionToken');
}

export async function assumeRole(
  ctx: CallContext,
  p: { roleArn: string; roleSessionName: string; serialNumber: string; tokenCode: string; durationSeconds: number; externalId?: string },
): Promise<SessionCredentials & { assumedRoleArn?: string }> {
  const client = new STSClient(clientConfig(ctx, 'STS'));
  const out = await send('AssumeRole', ctx, () =>
    client.send(
      new AssumeRoleCommand({
        RoleArn: p.roleArn,
        RoleSessionName: p.roleSessionName,
        SerialNumber: p.serialNumber,
        TokenCode: p.tokenCode,
        DurationSeconds: p.durationSeconds,
        ...(p.externalId ? { ExternalId: p.externalId } : {}),
      }),
    ),
  );
  return { ...sessionFrom(out.Credentials, 'AssumeRole'), assumedRoleArn: out.AssumedRoleUser?.Arn };
}

export async function getCallerIdentity(ctx: CallContext): Promise<CallerIdentity> {
  const client = new STSClient(clientConfig(ctx, 'STS'));
  const out = await send('GetCallerIdentity', ctx, () => client.send(new GetCallerIdentityCommand({})));
  return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
}

export async function listMfaDevices(ctx: CallContext, userName: string): Promise<MfaDeviceInfo[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out = await send('ListMFADevices', ctx, () => client.send(new ListMFADevicesCommand({ UserName: userName })));
  return (out.MFADevices ?? []).map((d) => ({ serialNumber: d.SerialNumber ?? '', enableDate: d.EnableDate }));
}
