/**
 * What an MFA serial number is, by STS's rule for `SerialNumber` (GetSessionToken, AssumeRole):
 * a virtual device's ARN, a hardware TOTP token's serial number (9-256 characters of
 * `[\w+=/:,.@-]`, e.g. GAHT12345678), or a FIDO security key's `u2f` ARN, which STS cannot take a
 * code from. One pure rule for what the user types (--device, aws_mfa_device) and what IAM lists.
 */
export type MfaSerialKind = 'virtual' | 'hardware' | 'u2f' | 'invalid';

const MFA_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:mfa\/[\w+=,.@/-]+$/;
const U2F_ARN = /^arn:[\w-]+:iam::\d{12}:u2f\//;
/** STS's pattern and length limits for SerialNumber. */
const STS_SERIAL = /^[\w+=/:,.@-]{9,256}$/;

export function mfaSerialKind(serial: string): MfaSerialKind {
  if (U2F_ARN.test(serial)) return 'u2f';
  if (MFA_ARN.test(serial)) return 'virtual';
  // anything else that starts like an ARN is a mistyped ARN, not a hardware serial number
  if (serial.startsWith('arn:')) return 'invalid';
  return STS_SERIAL.test(serial) ? 'hardware' : 'invalid';
}

/** A device STS can take a code from: a virtual device's ARN or a hardware token's serial number. */
export function usableWithSts(serial: string): boolean {
  const kind = mfaSerialKind(serial);
  return kind === 'virtual' || kind === 'hardware';
}
