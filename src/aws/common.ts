/**
 * What the STS and IAM chunks share: client settings, the call wrapper, and turning SDK errors
 * into AwsFailure data. Every function of the chunks takes and returns our own types.
 */
import { AwsFailure, type CallContext, type SessionCredentials } from './types.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'TimeoutError', 'RequestTimeout', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function toFailure(e: unknown, operation: string): AwsFailure {
  const err = e as {
    name?: string; code?: string; message?: string; Code?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
  };
  const status = err.$metadata?.httpStatusCode;
  // the SDK names modelled errors by their shape (EntityAlreadyExistsException); the AWS error
  // code is the same without the suffix, which is what the rest of aws-mfa speaks
  const code = err.code && NETWORK_CODES.has(err.code) ? err.code : (err.name ?? err.code ?? 'Error').replace(/(.)Exception$/, '$1');
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
export function clientConfig(ctx: CallContext, service: 'STS' | 'IAM') {
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

export async function send<T>(operation: string, ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  ctx.debug?.(`calling ${operation} in ${ctx.region}`);
  try {
    return await fn();
  } catch (e) {
    throw toFailure(e, operation);
  }
}

export function sessionFrom(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined, op: string): SessionCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsFailure({ kind: 'service', code: 'IncompleteResponse', message: `${op} answered without complete credentials`, operation: op });
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

