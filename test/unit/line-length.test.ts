/**
 * Lines of at most 120 characters in src/ (issue 24): prettier keeps the code there
 * (`npm run format`, .prettierrc.json), and what it cannot break (a message, a comment, a
 * script's text) is split by hand. Counted in characters, so a Japanese line is held to it too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/shared.js';
import { sourceFiles } from '../helpers/shared.js';

const MAX = 120;
const SRC = join(ROOT, 'src');


test(`every line in src/ is at most ${MAX} characters`, () => {
  const long = sourceFiles(SRC).flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((line, i) => ([...line].length > MAX ? [`${relative(ROOT, f)}:${i + 1}: ${[...line].length}`] : [])),
  );
  assert.deepEqual(long, []);
});
