/**
 * Where a profile's long-term key lives, pure: in the credentials file, or in the OS keychain
 * (the section then carries `aws_mfa_keychain = true` and no key), and how old a key is.
 */

/** The marker key in the long-term section when its key pair is in the keychain. */
export const KEYCHAIN_MARKER = 'aws_mfa_keychain';
export const KEY_ID = 'aws_access_key_id';
export const SECRET_KEY = 'aws_secret_access_key';

/** The marker's value counts as set for the spellings botocore reads as true. */
export function markerSet(props: ReadonlyMap<string, string>): boolean {
  return /^\s*(true|yes|on|1)\s*$/i.test(props.get(KEYCHAIN_MARKER) ?? '');
}

export function hasFileKeys(props: ReadonlyMap<string, string>): boolean {
  return Boolean(props.get(KEY_ID) && props.get(SECRET_KEY));
}

/**
 * `keychain` when the marker is set and the file holds no key pair. A pair in the file wins over a
 * stale marker (it is what the AWS CLI and a tool writing the file, such as `init --force`, see).
 */
export function keyLocation(props: ReadonlyMap<string, string>): 'file' | 'keychain' {
  return markerSet(props) && !hasFileKeys(props) ? 'keychain' : 'file';
}

/** AWS recommends rotating access keys every 90 days. */
export const ROTATE_AFTER_DAYS = 90;

export function ageInDays(created: Date, now: Date): number {
  return Math.floor((now.getTime() - created.getTime()) / 86_400_000);
}
