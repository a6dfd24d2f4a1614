/** Virtual MFA device onboarding, pure: the otpauth URI, code-pair checks, names from ARNs. */
import { usageError } from '../errors.js';
import { checkCode } from './session.js';

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

/** Two consecutive codes: each 6 digits, and not the same code twice. */
export function checkCodePair(code1: string, code2: string): [string, string] {
  const a = checkCode(code1);
  const b = checkCode(code2);
  if (a === b) throw usageError('the two codes are the same; wait for the app to show the next code (about 30 seconds) and type that one as the second');
  return [a, b];
}

/** The IAM user name in a user or MFA ARN (`arn:aws:iam::123:user/path/name` → name). */
export function userNameFromArn(arn: string): string | undefined {
  const m = /^arn:[\w-]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

export function accountFromArn(arn: string): string | undefined {
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

const DEVICE_NAME = /^[\w+=,.@-]{1,226}$/;
export function checkDeviceName(name: string): void {
  if (!DEVICE_NAME.test(name)) throw usageError(`--name "${name}" is not a valid MFA device name: 1 to 226 letters, digits and +=,.@_-`);
}

export function checkPath(path: string): void {
  if (!/^\/([\x21-\x7e]*\/)?$/.test(path) || path.length > 512) throw usageError(`--path "${path}" must start and end with "/" (for example /engineering/)`);
}
