/**
 * AWS answers in words a person can act on. Pure: failure data in, CliError out.
 */
import { CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import type { AwsFailureInfo } from '../aws/types.js';

export interface FailureContext {
  /** Section that holds the long-term key, e.g. `work-long-term`. */
  longTerm: string;
  device?: string;
  role?: string;
  duration?: number;
  region: string;
  now: Date;
}

const SKEW_CODES = new Set(['RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'InvalidSignature', 'AuthFailure']);
/** Codes as aws-mfa speaks them: the AWS error code, without the SDK's `Exception` suffix. */
export const THROTTLE_CODES = new Set(['Throttling', 'Throttled', 'RequestLimitExceeded', 'TooManyRequests', 'RequestThrottled', 'SlowDown']);

export function isThrottle(f: AwsFailureInfo): boolean {
  return THROTTLE_CODES.has(f.code) || f.status === 429;
}

function skewText(serverDate: string | undefined, now: Date): string {
  const server = serverDate ? Date.parse(serverDate) : NaN;
  if (Number.isNaN(server)) return t('aws.clockUnknown');
  const diff = Math.round((now.getTime() - server) / 1000);
  const mins = Math.floor(Math.abs(diff) / 60);
  const secs = Math.abs(diff) % 60;
  const amount = mins > 0 ? t('aws.minSec', { m: mins, s: secs }) : t('aws.sec', { s: secs });
  return t(diff >= 0 ? 'aws.clockAhead' : 'aws.clockBehind', { amount, server: new Date(server).toISOString().replace('.000Z', 'Z') });
}

export function explainFailure(f: AwsFailureInfo, c: FailureContext): CliError {
  const msg = f.message;
  const aws = (m: string) => new CliError(m, EXIT.AWS);
  const net = (m: string) => new CliError(m, EXIT.NETWORK);
  switch (f.kind) {
    case 'setup':
      return net(msg);
    case 'tls':
      return net(t('net.tls', { operation: f.operation, code: f.code }));
    case 'dns':
      return net(t('net.dns', { host: f.host ?? t('net.theEndpoint'), code: f.code }));
    case 'timeout':
      return net(t(msg === 'connect' ? 'net.connectTimeout' : 'net.readTimeout', { operation: f.operation }));
    case 'proxy':
      return net(t('net.proxyAuth', { status: f.status ?? '' }));
    case 'network':
      return net(t('net.unreachable', { operation: f.operation, code: f.code }));
  }
  if (isThrottle(f)) return new CliError(t('aws.throttled', { operation: f.operation, code: f.code }), EXIT.NETWORK);
  if (SKEW_CODES.has(f.code) || (f.code === 'SignatureDoesNotMatch' && /expired|earlier than|in the future/i.test(msg))) {
    return aws(t('aws.clock', { clock: skewText(f.serverDate, c.now) }));
  }
  if (/invalid MFA one time pass code/i.test(msg)) {
    return aws(t('aws.wrongCode', { device: c.device ?? t('aws.theDevice') }));
  }
  if (/unable to validate MFA code|MultiFactorAuthentication failed/i.test(msg)) {
    return aws(t('aws.badDevice', { device: c.device ?? t('aws.theMfaDevice'), section: c.longTerm }));
  }
  if (/Cannot call GetSessionToken with session credentials/i.test(msg)) {
    return aws(t('aws.sessionKeys', { section: c.longTerm }));
  }
  if (/MaxSessionDuration/i.test(msg)) {
    return aws(t('aws.roleMaxDuration', { role: c.role ?? '', duration: c.duration ?? '' }));
  }
  if (/role chaining/i.test(msg)) {
    return aws(t('aws.roleChaining'));
  }
  switch (f.code) {
    case 'InvalidAuthenticationCode':
      return aws(t('aws.twoCodes', { device: c.device ?? t('aws.theDevice') }));
    case 'EntityAlreadyExists':
      return aws(t('aws.entityExists', { operation: f.operation, message: msg.replace(/\.$/, '') }));
    case 'EntityTemporarilyUnmodifiable':
      return aws(t('aws.busy', { message: msg }));
    case 'LimitExceeded':
      return aws(t('aws.limit', { operation: f.operation, message: msg.replace(/\.$/, '') }));
    case 'NoSuchEntity':
      return aws(t('aws.noSuchEntity', { operation: f.operation, message: msg.replace(/\.$/, '') }));
    case 'DeleteConflict':
      return aws(t('aws.deleteConflict', { operation: f.operation }));
    case 'InvalidClientTokenId':
    case 'UnrecognizedClient':
      return aws(t('aws.unknownKey', { section: c.longTerm }));
    case 'SignatureDoesNotMatch':
      return aws(t('aws.badSecret', { section: c.longTerm }));
    case 'ExpiredToken':
      return aws(t('aws.expiredKeys', { section: c.longTerm }));
    case 'RegionDisabled':
      return aws(t('aws.regionDisabled', { region: c.region }));
    case 'AccessDenied':
      return aws(t(c.role && f.operation === 'AssumeRole' ? 'aws.deniedRole' : 'aws.denied', { operation: f.operation, role: c.role ?? '', message: msg }));
    case 'ValidationError':
      return aws(t('aws.refused', { operation: f.operation, message: msg }));
    default:
      return aws(t('aws.other', { operation: f.operation, code: f.code, message: msg }));
  }
}
