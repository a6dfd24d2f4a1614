/**
 * Where a profile's long-term key lives, pure: in the credentials file, or in the OS keychain
 * (the section then carries `aws_mfa_keychain = true` and no key), and how old a key is.
 */

/** The marker a long-term section carries when its key lives in the OS keychain. */
export const KEYCHAIN_MARKER = 'aws_mfa_keychain';
export const KEY_ID = 'aws_access_key_id';
export const SECRET_KEY = 'aws_secret_access_key';

export function markerSet(props: ReadonlyMap<string, string>): boolean {
  return /^\s*true\s*$/i.test(props.get(KEYCHAIN_MARKER) ?? '');
}

export function hasFileKeys(props: ReadonlyMap<string, string>): boolean {
  return Boolean(props.get(KEY_ID) && props.get(SECRET_KEY));
}

/**
 * `keychain` when the marker is set and the file holds no key pair. A pair in the file wins over a
 * stale marker: it is what the AWS CLI and whatever last wrote the file (`init --force`) mean.
 */
export function keyLocation(props: ReadonlyMap<string, string>): 'file' | 'keychain' {
  return markerSet(props) && !hasFileKeys(props) ? 'keychain' : 'file';
}

/** AWS recommends rotating access keys every 90 days. */
export const ROTATE_AFTER_DAYS = 90;

export function ageInDays(created: Date, now: Date): number {
  return Math.floor((now.getTime() - created.getTime()) / 86_400_000);
}
