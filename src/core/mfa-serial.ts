/**
 * What an MFA serial number is, by STS's rule for `SerialNumber` (GetSessionToken, AssumeRole):
 * a virtual device's ARN, a hardware TOTP token's serial number (9-256 characters of
 * `[\w+=/:,.@-]`, e.g. GAHT12345678), or a FIDO security key's `u2f` ARN, which STS cannot take a
 * code from. One pure rule for what the user types (--device, aws_mfa_device) and what IAM lists.
 */
import { MFA_SERIAL, VIRTUAL_DEVICE_ARN } from './aws-values.js';

export type MfaSerialKind = 'virtual' | 'hardware' | 'u2f' | 'invalid';

const U2F_ARN = /^arn:[\w-]+:iam::\d{12}:u2f\//;

export function mfaSerialKind(serial: string): MfaSerialKind {
  if (U2F_ARN.test(serial)) return 'u2f';
  if (VIRTUAL_DEVICE_ARN.test(serial) && MFA_SERIAL.test(serial)) return 'virtual';
  // anything else that starts like an ARN is a mistyped ARN, not a hardware serial number
  if (serial.startsWith('arn:')) return 'invalid';
  return MFA_SERIAL.test(serial) ? 'hardware' : 'invalid';
}

/** A device STS can take a code from: a virtual device's ARN or a hardware token's serial number. */
export function usableWithSts(serial: string): boolean {
  const kind = mfaSerialKind(serial);
  return kind === 'virtual' || kind === 'hardware';
}
