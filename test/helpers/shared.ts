/** Where the repository's own test data lives; nothing outside the repository is needed. */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The SDK teams' conformance suites, copied byte for byte with their licence and README. */
export const CONFORMANCE = join(ROOT, 'test', 'conformance');

/** The project's sources. */
export const SRC = join(ROOT, 'src');
/** Every TypeScript source under `dir` (src/ by default), declaration files (.d.ts) left out. */
export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : [],
  );
}
