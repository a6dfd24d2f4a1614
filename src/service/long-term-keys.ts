/**
 * The long-term key pair of a profile, from wherever it lives: the credentials file or the OS
 * keychain (see core/key-location.ts). Every command that needs the long-term key gets it here.
 */
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import { KEY_ID, SECRET_KEY, hasFileKeys, keyLocation, markerSet } from '../core/key-location.js';
import type { Logger } from '../io/terminal.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface LongTermKeys {
  accessKeyId: string;
  secretAccessKey: string;
  where: 'file' | 'keychain';
}

export interface KeyLookup {
  env: Env;
  log: Logger;
  /** The credentials file (for messages). */
  file: string;
  /** The profile name (for the fixes the messages suggest). */
  profile: string;
}

/**
 * The key pair of long-term section `section` whose properties are `props`. Throws a
 * configuration error (exit 3) saying what is missing and how to fix it; a keychain that cannot
 * be used is named precisely (io/keychain.ts).
 */
export async function longTermKeyPair(props: ReadonlyMap<string, string>, section: string, o: KeyLookup): Promise<LongTermKeys> {
  if (keyLocation(props) === 'file') {
    if (markerSet(props) && hasFileKeys(props)) o.log.warnOnce(t('keys.staleMarker', { section, file: o.file, profile: o.profile }));
    for (const k of [KEY_ID, SECRET_KEY]) {
      if (!props.get(k)) throw configError(t('keys.missingInFile', { section, file: o.file, key: k, profile: o.profile }));
    }
    return { accessKeyId: props.get(KEY_ID)!, secretAccessKey: props.get(SECRET_KEY)!, where: 'file' };
  }
  const kc = await import('../io/keychain.js');
  let pair;
  try {
    pair = await kc.readLongTerm(section);
  } catch (e) {
    throw kc.keychainError(e, o.env, t('keychain.what.readKey', { section }));
  }
  if (!pair) throw configError(t('keys.missingInKeychain', { section, store: kc.storeName(), file: o.file }));
  return { ...pair, where: 'keychain' };
}
