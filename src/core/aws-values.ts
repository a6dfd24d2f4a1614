/**
 * What a value that comes from AWS must look like before it is shown or stored: device serials,
 * the Base32 seed of a new virtual device, the caller's ARN, account and user id, IAM user names.
 * The answer comes from whatever answered at the endpoint (a proxy, a wrong AWS_ENDPOINT_URL, a
 * hostile server): a serial with an escape sequence would reach the terminal and aws_mfa_device,
 * an ARN with a line feed would forge lines of `whoami`. Every pattern here admits printable ASCII
 * only, so a value that passes is one line with no control or direction character. Pure.
 */

/**
 * An MFA serial as STS's SerialNumber takes it (9-256 characters of [\w+=/:,.@-]): a virtual or
 * U2F device ARN, or a hardware token's serial (GAHT12345678). The same rule judges what the user
 * types (--device, aws_mfa_device: core/mfa-serial.ts) and what IAM answers.
 */
export const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;
/** A virtual MFA device's ARN (what CreateVirtualMFADevice answers): partition, account, mfa/path/name. */
export const VIRTUAL_DEVICE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:mfa\/[\w+=,.@/-]{1,226}$/;
/** The Base32 seed of a virtual device (RFC 4648 alphabet; AWS gives 64 characters). */
export const BASE32_SEED = /^[A-Z2-7]{16,128}={0,6}$/;
/** The caller's ARN (GetCallerIdentity): an IAM or STS ARN of printable ASCII, at most 2048 characters (arnType). */
export const CALLER_ARN = /^arn:aws[a-z-]{0,16}:(?:iam|sts)::\d{12}:[\x21-\x7e]{1,2000}$/;
export const ACCOUNT_ID = /^\d{12}$/;
/** UserId: AIDA..., AROA...:session-name, or an account id (the root user, federated users). */
export const USER_ID = /^[\w+=,.@:-]{1,256}$/;
/** An IAM user name (userNameType). */
export const USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** An access key id (accessKeyIdType): the ids ListAccessKeys answers go into commands rotate suggests. */
export const ACCESS_KEY_ID = /^\w{16,128}$/;

export type AwsValueKind =
  | 'serial'
  | 'virtualDevice'
  | 'seed'
  | 'callerArn'
  | 'account'
  | 'userId'
  | 'userName'
  | 'accessKeyId';

const PATTERNS: Record<AwsValueKind, RegExp> = {
  serial: MFA_SERIAL,
  virtualDevice: VIRTUAL_DEVICE_ARN,
  seed: BASE32_SEED,
  callerArn: CALLER_ARN,
  account: ACCOUNT_ID,
  userId: USER_ID,
  userName: USER_NAME,
  accessKeyId: ACCESS_KEY_ID,
};

/** Whether `value` is a `kind` as AWS sends it. */
export function isAwsValue(kind: AwsValueKind, value: unknown): value is string {
  return typeof value === 'string' && PATTERNS[kind].test(value);
}

/**
 * The first of `fields` (name in the answer, kind, value) that is not what AWS sends, or undefined.
 * The caller names the field, never its value (a seed is a secret; a hostile value is not shown).
 */
export function badAwsField(
  fields: ReadonlyArray<readonly [string, AwsValueKind, unknown]>,
): { field: string; kind: AwsValueKind } | undefined {
  const bad = fields.find(([, kind, value]) => !isAwsValue(kind, value));
  return bad && { field: bad[0], kind: bad[1] };
}
