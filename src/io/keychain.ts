/** The OS keychain (placeholder until the keychain work lands). */
import type { AccessKey } from '../core/credentials.js';
import { configError } from '../errors.js';

export function readLongTermKey(section: string): AccessKey {
  throw configError(`[${section}] keeps its key in the OS keychain, which this build cannot read`);
}
