/**
 * What the STS and IAM chunks share: client settings, the call wrapper, and turning SDK errors
 * into AwsFailure data. Every function of the chunks takes and returns our own types.
 */
import { AwsFailure, type CallContext } from './types.js';
import type { Session } from '../core/credentials.js';
import { requestHandler as boundedHandler } from './net.js';
import { callDeadline, type BoundedHttpHandler } from './bounded.js';
import { sessionAnswerProblem } from '../core/sts-answer.js';
import { badAwsField, type AwsValueKind } from '../core/aws-values.js';
import { t } from '../messages/index.js';
import { proxyFor, redactUrl } from '../core/network.js';

/** One set of agents per call context (so keep-alive connections are reused across its calls). */
function requestHandler(ctx: CallContext, service: string): BoundedHttpHandler {
  let h = handlers.get(ctx);
  if (!h) {
    try {
      h = boundedHandler(ctx.net, ctx.debug);
    } catch (e) {
      throw toFailure(e, service, ctx); // an unreadable CA bundle, say: a setup failure in words
    }
    handlers.set(ctx, h);
  }
  return h;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

const STS_OPERATIONS = new Set(['GetSessionToken', 'AssumeRole', 'GetCallerIdentity']);

/**
 * The endpoint a call could not reach: the one configured for its service, else the address the socket
 * tried (not through a proxy: that address is the proxy's, and the message already says to check it).
 */
function endpointInUse(e: unknown, operation: string, ctx?: CallContext): string | undefined {
  const configured = ctx?.settings[STS_OPERATIONS.has(operation) ? 'STS' : 'IAM'].endpoint;
  if (configured && operation !== 'getSigninToken') return configured;
  if (ctx?.net.httpProxy || ctx?.net.httpsProxy) return undefined;
  const err = e as { address?: string; port?: number; cause?: { address?: string; port?: number } };
  const { address, port } = err.address ? err : (err.cause ?? {});
  return address ? (port ? `${address.includes(':') ? `[${address}]` : address}:${port}` : address) : undefined;
}

/**
 * The proxy a call went through (redacted), or undefined when it went direct: a connection that fails
 * then is the proxy's (the proxy itself connects to AWS, and answers a failure there with a status).
 */
function proxyInUse(operation: string, ctx?: CallContext): string | undefined {
  if (!ctx || !(ctx.net.httpProxy || ctx.net.httpsProxy)) return undefined;
  const service = STS_OPERATIONS.has(operation) ? 'STS' : 'IAM';
  const signin = operation === 'getSigninToken';
  const configured = signin ? undefined : ctx.settings[service].endpoint;
  const host = signin
    ? 'signin.aws.amazon.com'
    : service === 'STS'
      ? `sts.${ctx.region}.amazonaws.com`
      : 'iam.amazonaws.com';
  try {
    const proxy = proxyFor(new URL(configured ?? `https://${host}`), ctx.net);
    return proxy && redactUrl(proxy);
  } catch {
    return undefined; // an endpoint that is no URL was refused before any call
  }
}

export function toFailure(e: unknown, operation: string, ctx?: CallContext): AwsFailure {
  const err = e as {
    name?: string;
    code?: string;
    message?: string;
    hostname?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
    cause?: { code?: string };
  };
  const status = err.$metadata?.httpStatusCode;
  // an aborted call (its deadline passed) carries the reason as its cause
  const sysCode = err.code ?? err.cause?.code;
  const message = (err.message ?? String(e)).trim();
  const fail = (kind: AwsFailure['kind'], code: string, extra: Partial<AwsFailure> = {}) =>
    new AwsFailure({ kind, code, message, status, operation, ...extra });
  if (err.name === 'NetSetupError') return fail('setup', 'CaBundle');
  if (sysCode === 'ERR_RESPONSE_TOO_LARGE') return fail('oversize', 'ResponseTooLarge');
  if (sysCode && TLS_CODES.has(sysCode)) return fail('tls', sysCode);
  if (sysCode && DNS_CODES.has(sysCode)) return fail('dns', sysCode, { host: err.hostname });
  // the SDK's handler names a dropped connection (ECONNRESET, EPIPE) a TimeoutError too: the code tells
  if (sysCode && NETWORK_CODES.has(sysCode)) {
    const proxy = proxyInUse(operation, ctx);
    return fail('network', sysCode, proxy ? { proxy } : { host: endpointInUse(e, operation, ctx) });
  }
  if (err.name === 'TimeoutError' || sysCode === 'ETIMEDOUT') {
    return fail('timeout', 'Timeout', {
      message: /without establishing a connection/i.test(message) ? 'connect' : 'read',
    });
  }
  const viaProxy = Boolean(ctx?.net.httpProxy || ctx?.net.httpsProxy);
  // a proxy's refusal arrives as the answer to the request (https-proxy-agent replays it)
  // (STS and IAM answer 403, never 401, so a 401 through a proxy is the proxy's: tinyproxy's, say)
  if (status === 407 || (status === 401 && viaProxy)) return fail('proxy', `Proxy${status}`);
  if (status === undefined && !err.$response) return fail('network', sysCode ?? err.name ?? 'Error');
  // the SDK names modelled errors by their shape (EntityAlreadyExistsException); the AWS error
  // code is the same without the suffix, which is what the rest of aws-mfa speaks
  const code = (err.name ?? err.code ?? 'Error').replace(/(.)Exception$/, '$1');
  const headers = err.$response?.headers ?? {};
  return fail('service', code, { serverDate: headers['date'] ?? headers['Date'] });
}

const handlers = new WeakMap<CallContext, BoundedHttpHandler>();

/**
 * Client settings. Every setting the SDK would look up in the shared files is given here (as
 * resolved by the caller), so the SDK never parses those files itself. `spendsCode`: the call
 * carries an MFA code, which AWS spends once it sees it, so it is made once and the caller
 * decides about retries; other calls get the SDK's retry mode and attempts.
 */
export function clientConfig(ctx: CallContext, service: 'STS' | 'IAM', spendsCode = false) {
  const s = ctx.settings[service];
  const logger = ctx.debug
    ? {
        debug: () => {},
        info: () => {},
        warn: (...a: unknown[]) => ctx.debug!(`sdk warning: ${a.join(' ')}`),
        error: () => {},
        trace: () => {},
      }
    : undefined;
  const value =
    <T>(v: T) =>
    () =>
      Promise.resolve(v);
  ctx.debug?.(
    `${service} endpoint: ${s.endpoint ?? `the SDK's default for ${ctx.region}`}` +
      `${s.useFipsEndpoint ? ' (FIPS)' : ''}${s.useDualstackEndpoint ? ' (dual-stack)' : ''}`,
  );
  return {
    region: ctx.region,
    credentials: ctx.credentials,
    maxAttempts: spendsCode ? 1 : ctx.net.maxAttempts,
    retryMode: ctx.net.retryMode,
    requestHandler: requestHandler(ctx, service),
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

/**
 * Make one call (the SDK's retries included) within a deadline: the connect timeout plus the read
 * timeout. `fn` passes the signal on to the client.
 */
export async function send<T>(
  operation: string,
  ctx: CallContext,
  fn: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  ctx.debug?.(`calling ${operation} in ${ctx.region}`);
  const deadline = callDeadline(ctx.net.connectTimeoutMs + ctx.net.readTimeoutMs);
  try {
    return await fn(deadline.signal);
  } catch (e) {
    throw toFailure(e, operation, ctx);
  } finally {
    deadline.clear();
  }
}

/**
 * The session in an STS answer, checked before anyone writes or prints it (core/sts-answer.ts):
 * missing parts, implausible values and an expiration in the past are AWS errors (exit 4).
 */
export function sessionFrom(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  op: string,
  assumedRoleArn?: string,
): Session {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsFailure({
      kind: 'service',
      code: 'IncompleteResponse',
      message: `${op} answered without complete credentials`,
      operation: op,
    });
  }
  const s = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
  const problem = sessionAnswerProblem({ ...s, assumedRoleArn }, op, new Date());
  if (problem) throw new AwsFailure({ kind: 'invalid', code: 'InvalidAnswer', message: problem, operation: op });
  return s;
}

/**
 * The answer's values, checked (core/aws-values.ts) before anyone shows or stores them: a value that
 * is not what AWS sends is an `invalid` failure naming the field, never showing the value.
 */
export function checkAnswer(operation: string, fields: ReadonlyArray<readonly [string, AwsValueKind, unknown]>): void {
  const bad = badAwsField(fields);
  if (!bad) return;
  const message = t('aws.badValue', { operation, field: bad.field, expected: t(`aws.expect.${bad.kind}`) });
  throw new AwsFailure({ kind: 'invalid', code: 'InvalidAnswer', message, operation });
}
