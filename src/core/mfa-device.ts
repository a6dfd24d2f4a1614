/** Virtual MFA device onboarding, pure: the otpauth URI, code-pair checks, names from ARNs. */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';

/**
 * The URI an authenticator app reads from the QR code, as AWS's own QR code carries it: the label
 * `Amazon Web Services:DEVICE@ACCOUNT` (ACCOUNT: the IAM user name, else the account id) and the
 * issuer `Amazon Web Services`, with the Base32 seed as the secret (TOTP, 6 digits, 30 s).
 */
export function otpauthUri(deviceName: string, accountName: string, seed: string): string {
  const issuer = 'Amazon Web Services';
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(`${deviceName}@${accountName}`)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(seed)}&issuer=${encodeURIComponent(issuer)}`;
}

/** The IAM user name in a user or MFA ARN (`arn:aws:iam::123:user/path/name` → name), if it is one IAM allows. */
export function userNameFromArn(arn: string): string | undefined {
  const m = /^arn:[\w-]+:iam::\d{12}:user\/(?:.*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
  return m?.[1];
}

export function accountFromArn(arn: string): string | undefined {
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

const DEVICE_NAME = /^[\w+=,.@-]{1,226}$/;
export function checkDeviceName(name: string): void {
  if (!DEVICE_NAME.test(name)) throw usageError(t('check.deviceName', { name }));
}

export function checkPath(path: string): void {
  if (!/^\/([\x21-\x7e]*\/)?$/.test(path) || path.length > 512) throw usageError(t('check.devicePath', { path }));
}
