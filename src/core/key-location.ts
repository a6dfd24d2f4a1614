/**
 * Where a profile's long-term key lives, pure: in the credentials file, or in the OS keychain
 * (the section then carries `aws_mfa_keychain = true`, the id of its own keychain entry in
 * `aws_mfa_keychain_id`, and no key), and how old a key is.
 */

/** The marker a long-term section carries when its key lives in the OS keychain. */
export const KEYCHAIN_MARKER = 'aws_mfa_keychain';
/**
 * The id of the section's keychain entries (`long-term@ID`, `session@ID:SHORT`): random, made when
 * the key moves in, kept in the section, so the entry follows the section wherever the file goes
 * (renamed, synced, reached through a symlink or another path) and two files never share one.
 */
export const KEYCHAIN_ID = 'aws_mfa_keychain_id';
export const KEY_ID = 'aws_access_key_id';
export const SECRET_KEY = 'aws_secret_access_key';

export function markerSet(props: ReadonlyMap<string, string>): boolean {
  return /^\s*true\s*$/i.test(props.get(KEYCHAIN_MARKER) ?? '');
}

/** What an id aws-mfa makes looks like (newKeychainId in io/keychain.ts: 24 hex digits). */
export const KEYCHAIN_ID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * The section's keychain id: undefined when it has none (a key moved in by aws-mfa before ids, kept
 * under the old shared name), 'invalid' when the value is not one aws-mfa makes.
 */
export function keychainIdOf(props: ReadonlyMap<string, string>): string | 'invalid' | undefined {
  const v = props.get(KEYCHAIN_ID)?.trim();
  if (v === undefined || v === '') return undefined;
  return KEYCHAIN_ID_PATTERN.test(v) ? v : 'invalid';
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

/**
 * Whose a keychain entry is, as the section of the file `here` (a real path) sees it: `own` when
 * the entry records this file (or its recorded owner is this very file reached another way);
 * `adopt` when it records none (made before owners were recorded), or its owner is gone or no
 * longer names the entry (the file was moved or renamed, and the entry follows it); `copy` when its
 * owner is another file that still names it (a copy, or a forged id): that section must not use it.
 * `owner`: the recorded owner as it is now (undefined when the file is gone).
 */
export type EntryOwnership = 'own' | 'adopt' | 'copy';
export function entryOwnership(
  recorded: string | undefined,
  here: string,
  owner: { sameFile: boolean; namesEntry: boolean } | undefined,
): EntryOwnership {
  if (recorded === undefined) return 'adopt';
  if (recorded === here || owner?.sameFile) return 'own';
  if (!owner || !owner.namesEntry) return 'adopt';
  return 'copy';
}

/** Whether any section of a file (its sections' plain properties) names the entry `id`. */
export function fileNamesEntry(sections: Iterable<ReadonlyMap<string, string>>, id: string): boolean {
  for (const props of sections) if (keychainIdOf(props) === id) return true;
  return false;
}
