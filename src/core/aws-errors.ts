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
  if (Number.isNaN(server)) return 'your computer clock differs from AWS by more than 5 minutes';
  const diff = Math.round((now.getTime() - server) / 1000);
  const mins = Math.floor(Math.abs(diff) / 60);
  const secs = Math.abs(diff) % 60;
  const amount = mins > 0 ? `${mins} min ${secs} s` : `${secs} s`;
  return `your computer clock is ${amount} ${diff >= 0 ? 'ahead of' : 'behind'} AWS (server time ${new Date(server).toISOString().replace('.000Z', 'Z')})`;
}

export function explainFailure(f: AwsFailureInfo, c: FailureContext): CliError {
  const msg = f.message;
  const aws = (m: string) => new CliError(m, EXIT.AWS);
  const net = (m: string) => new CliError(m, EXIT.NETWORK);
  switch (f.kind) {
    case 'setup':
      return net(msg);
    case 'tls':
      return net(`TLS to AWS failed for ${f.operation} (${f.code}); if your network inspects TLS with its own CA, set AWS_CA_BUNDLE (or ca_bundle in the ~/.aws/config profile) to that CA's PEM file`);
    case 'dns':
      return net(`cannot resolve ${f.host ?? 'the AWS endpoint'} (${f.code}); check the network and DNS, or set HTTPS_PROXY if you must go through a proxy`);
    case 'timeout':
      return net(
        msg === 'connect'
          ? `could not connect to AWS for ${f.operation} within the connect timeout; check the network and proxy, or raise --connect-timeout (cli_connect_timeout)`
          : `AWS did not answer ${f.operation} within the read timeout; check the network and proxy, or raise --read-timeout (cli_read_timeout)`,
      );
    case 'proxy':
      return net(`the proxy rejected the proxy credentials (HTTP ${f.status}); check the user name and password in HTTPS_PROXY / HTTP_PROXY (http://USER:PASSWORD@HOST:PORT, special characters percent-encoded)`);
    case 'network':
      return net(`cannot reach AWS for ${f.operation} (${f.code}); check your network, proxy and --region`);
    case 'oversize':
      return net(t('aws.answerTooLarge', { operation: f.operation }));
    case 'invalid':
      return aws(msg);
  }
  if (isThrottle(f)) return new CliError(`AWS throttled ${f.operation} (${f.code}) even after retries; wait a minute and try again`, EXIT.NETWORK);
  if (SKEW_CODES.has(f.code) || (f.code === 'SignatureDoesNotMatch' && /expired|earlier than|in the future/i.test(msg))) {
    return aws(`AWS rejected the request's time: ${skewText(f.serverDate, c.now)}; set the clock right (turn on automatic time) and try again`);
  }
  if (/invalid MFA one time pass code/i.test(msg)) {
    return aws(`AWS rejected the MFA code for ${c.device ?? 'the device'} (wrong, or already used); wait for the next code and try again`);
  }
  if (/unable to validate MFA code|MultiFactorAuthentication failed/i.test(msg)) {
    return aws(`AWS cannot validate codes from ${c.device ?? 'the MFA device'} for this user; check that it is the MFA device ARN assigned to the user of [${c.longTerm}] (aws_mfa_device)`);
  }
  if (/Cannot call GetSessionToken with session credentials/i.test(msg)) {
    return aws(`[${c.longTerm}] holds temporary session credentials; put the IAM user's long-term access key there (aws-mfa --setup)`);
  }
  if (/MaxSessionDuration/i.test(msg)) {
    return aws(`the role ${c.role ?? ''} allows shorter sessions than --duration ${c.duration ?? ''}; pass a smaller --duration (at most the role's maximum session duration, 3600 by default)`);
  }
  if (/role chaining/i.test(msg)) {
    return aws(`roles reached by role chaining are limited to 1 hour; pass --duration 3600 or less`);
  }
  switch (f.code) {
    case 'InvalidAuthenticationCode':
      return aws(`AWS did not accept the two codes for ${c.device ?? 'the device'}: type two consecutive codes as the app shows them, the second after the first changes`);
    case 'EntityAlreadyExists':
      return aws(`${f.operation}: ${msg.replace(/\.$/, '')}; choose another --name, or remove the old device (aws-mfa device list shows unassigned ones)`);
    case 'EntityTemporarilyUnmodifiable':
      return aws(`AWS is still changing this user (${msg}); try again in a minute`);
    case 'LimitExceeded':
      return aws(`${f.operation}: ${msg.replace(/\.$/, '')}; a user can have at most 8 MFA devices, remove one first (aws-mfa device remove)`);
    case 'NoSuchEntity':
      return aws(`${f.operation}: ${msg.replace(/\.$/, '')}; check the device ARN (aws-mfa device list)`);
    case 'DeleteConflict':
      return aws(`${f.operation}: the device is still assigned to a user; deactivate it first (aws-mfa device remove does both)`);
    case 'InvalidClientTokenId':
    case 'UnrecognizedClient':
      return aws(`AWS does not recognise the access key in [${c.longTerm}] (deleted, deactivated, or for another partition); put a valid key there (aws-mfa --setup)`);
    case 'SignatureDoesNotMatch':
      return aws(`the secret access key in [${c.longTerm}] does not match its access key id; fix aws_secret_access_key there`);
    case 'ExpiredToken':
      return aws(`the credentials in [${c.longTerm}] are temporary and have expired; put the IAM user's long-term access key there`);
    case 'RegionDisabled':
      return aws(`STS is not activated in region ${c.region} for this account; pass --region with an enabled region`);
    case 'AccessDenied':
      return aws(`AWS denied ${f.operation}${c.role && f.operation === 'AssumeRole' ? ` of ${c.role}` : ''}: ${msg}; check the policies (and the role's trust policy) allow it with MFA`);
    case 'ValidationError':
      return aws(`AWS refused ${f.operation}: ${msg}`);
    default:
      return aws(`${f.operation} failed: ${f.code}: ${msg}`);
  }
}
