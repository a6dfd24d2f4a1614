import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared beside the project root, as CI lays it out. */
export const SHARED = process.env.AWS_MFA_SHARED_DIR ?? resolve(ROOT, '..', 'shared');
export const CONFORMANCE = join(SHARED, 'conformance');
if (!existsSync(CONFORMANCE)) throw new Error(`conformance data not found at ${CONFORMANCE} (set AWS_MFA_SHARED_DIR)`);
