/**
 * AWS answers in words a person can act on. Pure: failure data in, CliError out.
 */
import { CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import { terminalLine } from './sanitize.js';

/** A failure at the AWS boundary, as plain data (thrown as an Error carrying these fields). */
export interface AwsFailureInfo {
  /**
   * service: AWS answered with an error; invalid: the answer holds credentials that cannot be
   * (core/sts-answer.ts); oversize: the answer grew past the size limit; the others: the request
   * did not get an AWS answer.
   */
  kind: 'service' | 'invalid' | 'network' | 'dns' | 'tls' | 'timeout' | 'proxy' | 'setup' | 'oversize';
  /** Service error code (AccessDenied, ...) or a network error code (ECONNREFUSED, ...). */
  code: string;
  message: string;
  status?: number;
  /** The server's Date header, when the answer had one (for clock skew). */
  serverDate?: string;
  operation: string;
  /** dns: the name that did not resolve; network: the endpoint it could not reach, when known. */
  host?: string;
  /** network: the proxy the connection was to (its user and password hidden), when the call went through one. */
  proxy?: string;
}

export interface FailureContext {
  /** Section that holds the long-term key, e.g. `work-long-term`. */
  longTerm: string;
  /** The command that lists the user's MFA devices, with the profile options (`aws-mfa device list --profile w`). */
  devicesCommand?: string;
  device?: string;
  role?: string;
  duration?: number;
  region: string;
  now: Date;
}

const SKEW_CODES = new Set([
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'InvalidSignature',
  'AuthFailure',
]);
/** Codes as aws-mfa speaks them: the AWS error code, without the SDK's `Exception` suffix. */
export const THROTTLE_CODES = new Set([
  'Throttling',
  'Throttled',
  'RequestLimitExceeded',
  'TooManyRequests',
  'RequestThrottled',
  'SlowDown',
]);

export function isThrottle(f: AwsFailureInfo): boolean {
  return THROTTLE_CODES.has(f.code) || f.status === 429;
}

function skewText(serverDate: string | undefined, now: Date): string {
  const server = serverDate ? Date.parse(serverDate) : NaN;
  if (Number.isNaN(server)) return t('aws.skewUnknown');
  const diff = Math.round((now.getTime() - server) / 1000);
  const mins = Math.floor(Math.abs(diff) / 60);
  const secs = Math.abs(diff) % 60;
  const amount = mins > 0 ? t('aws.minSec', { mins, secs }) : t('aws.sec', { secs });
  return t(diff >= 0 ? 'aws.skewAhead' : 'aws.skewBehind', {
    amount,
    server: new Date(server).toISOString().replace('.000Z', 'Z'),
  });
}

export function explainFailure(f: AwsFailureInfo, c: FailureContext): CliError {
  // the server's text, one line: it may hold line breaks and escape sequences
  const msg = terminalLine(f.message);
  const aws = (m: string) => new CliError(m, EXIT.AWS);
  const net = (m: string) => new CliError(m, EXIT.NETWORK);
  switch (f.kind) {
    case 'setup':
      return new CliError(msg, EXIT.CONFIG);
    case 'tls':
      return net(t('aws.tls', { operation: f.operation, code: f.code }));
    case 'dns':
      return net(t('aws.dns', { host: f.host ?? t('aws.theEndpoint'), code: f.code }));
    case 'timeout':
      return net(
        msg === 'connect'
          ? t('aws.connectTimeout', { operation: f.operation })
          : t('aws.readTimeout', { operation: f.operation }),
      );
    case 'proxy':
      return net(t('aws.proxy', { status: f.status ?? '' }));
    case 'network':
      return net(
        f.proxy
          ? t('aws.networkProxy', { operation: f.operation, code: f.code, proxy: terminalLine(f.proxy) })
          : f.host
            ? t('aws.networkAt', { operation: f.operation, code: f.code, endpoint: terminalLine(f.host) })
            : t('aws.network', { operation: f.operation, code: f.code }),
      );
    case 'oversize':
      return net(t('aws.answerTooLarge', { operation: f.operation }));
    case 'invalid':
      return aws(msg);
  }
  if (isThrottle(f)) return new CliError(t('aws.throttled', { operation: f.operation, code: f.code }), EXIT.NETWORK);
  if (
    SKEW_CODES.has(f.code) ||
    (f.code === 'SignatureDoesNotMatch' && /expired|earlier than|in the future/i.test(msg))
  ) {
    return aws(t('aws.skew', { detail: skewText(f.serverDate, c.now) }));
  }
  if (/invalid MFA one time pass code/i.test(msg)) {
    return aws(t('aws.wrongCode', { device: c.device ?? t('aws.theDevice') }));
  }
  if (/unable to validate MFA code|MultiFactorAuthentication failed/i.test(msg)) {
    return aws(t('aws.wrongDevice', { device: c.device ?? t('aws.theMfaDevice'), section: c.longTerm }));
  }
  if (/Cannot call GetSessionToken with session credentials/i.test(msg)) {
    return aws(t('aws.sessionAsLongTerm', { section: c.longTerm }));
  }
  if (/MaxSessionDuration/i.test(msg)) {
    return aws(t('aws.maxSessionDuration', { role: c.role ?? '', duration: c.duration ?? '' }));
  }
  if (/role chaining/i.test(msg)) {
    return aws(t('aws.roleChaining'));
  }
  switch (f.code) {
    case 'InvalidAuthenticationCode':
      return aws(t('aws.invalidCodes', { device: c.device ?? t('aws.theDevice') }));
    case 'EntityAlreadyExists':
      return aws(t('aws.alreadyExists', { operation: f.operation, message: msg.replace(/\.$/, '') }));
    case 'EntityTemporarilyUnmodifiable':
      return aws(t('aws.unmodifiable', { message: msg }));
    case 'LimitExceeded':
      return aws(t('aws.limitExceeded', { operation: f.operation, message: msg.replace(/\.$/, '') }));
    case 'NoSuchEntity': {
      // a device that is not there, or (no device in the call: ListMFADevices) a user that is not
      const command = c.devicesCommand ?? 'aws-mfa device list';
      const message = msg.replace(/\.$/, '');
      return aws(
        c.device
          ? t('aws.noSuchEntity', { operation: f.operation, message, device: c.device, command })
          : t('aws.noSuchUser', { operation: f.operation, message, section: c.longTerm, command }),
      );
    }
    case 'DeleteConflict':
      return aws(t('aws.deleteConflict', { operation: f.operation }));
    case 'InvalidClientTokenId':
    case 'UnrecognizedClient':
      return aws(t('aws.invalidKey', { section: c.longTerm }));
    case 'SignatureDoesNotMatch':
      return aws(t('aws.wrongSecret', { section: c.longTerm }));
    case 'ExpiredToken':
      return aws(t('aws.expiredToken', { section: c.longTerm }));
    case 'RegionDisabled':
      return aws(t('aws.regionDisabled', { region: c.region }));
    case 'AccessDenied':
      return aws(
        f.operation === 'AssumeRole' && c.role
          ? t('aws.accessDeniedRole', { operation: f.operation, role: c.role, message: msg })
          : t('aws.accessDenied', { operation: f.operation, message: msg }),
      );
    case 'ValidationError':
      return aws(t('aws.validation', { operation: f.operation, message: msg }));
    default:
      return aws(t('aws.other', { operation: f.operation, code: f.code, message: msg }));
  }
}
