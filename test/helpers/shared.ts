/** Where the repository's own test data lives; nothing outside the repository is needed. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The SDK teams' conformance suites, copied byte for byte with their licence and README. */
export const CONFORMANCE = join(ROOT, 'test', 'conformance');
