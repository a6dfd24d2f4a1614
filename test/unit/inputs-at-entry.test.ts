/**
 * Inputs at the entry (issue 24): the command line and the environment are read by the entries
 * alone (src/boot.ts, the command; src/cli.ts, the full program it loads) and handed down, through
 * the Context or as arguments. Any other file of src/ that reads `process.env` or `process.argv`
 * fails here. Read from the syntax tree, so a mention in a comment or in the text of a child's
 * script (io/browser.ts) is not a read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceFiles } from '../helpers/shared.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
/** The entries, and the Context's definition, which may name them. */
const INPUT_READERS = ['boot.ts', 'cli.ts', 'context.ts'];
const INPUTS = new Set(['env', 'argv']);

const sources = sourceFiles;

/** Each `process.env` / `process.argv` read in `text` (also `process['env']`, `const { env } = process`): its line. */
function inputReads(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const reads: string[] = [];
  const lineOf = (n: ts.Node) => file.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const at = (n: ts.Node, what: string) => reads.push(`${name}:${lineOf(n)}: ${what}`);
  const isProcess = (n: ts.Node) => ts.isIdentifier(n) && n.text === 'process';
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && isProcess(n.expression) && INPUTS.has(n.name.text)) at(n, n.getText());
    if (ts.isElementAccessExpression(n) && isProcess(n.expression)) {
      const key = n.argumentExpression;
      if (!ts.isStringLiteralLike(key) || INPUTS.has(key.text)) at(n, n.getText());
    }
    if (ts.isVariableDeclaration(n) && n.initializer && isProcess(n.initializer) && ts.isObjectBindingPattern(n.name)) {
      const names = n.name.elements.map((e) => (e.propertyName ?? e.name).getText());
      if (names.some((x) => INPUTS.has(x))) at(n, n.getText());
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return reads;
}

test('no file but the entries reads process.env or process.argv', () => {
  const reads = sources()
    .map((f) => relative(SRC, f))
    .filter((f) => !INPUT_READERS.includes(f))
    .flatMap((f) => inputReads(f, readFileSync(join(SRC, f), 'utf8')));
  assert.deepEqual(reads, [], 'pass these in from the entry (the Context, or an argument)');
});

test('the scan finds every way of reading them, and nothing in comments or strings', () => {
  const found = inputReads(
    'x.ts',
    [
      'const a = process.env.HOME;',
      "const b = process['argv'];",
      'const { env: e } = process;',
      'f(process.argv.slice(2));',
      '// process.env in a comment',
      "const s = 'process.argv[1]';",
      'const p = process.platform;',
    ].join('\n'),
  );
  const want = ['x.ts:1: process.env', "x.ts:2: process['argv']", 'x.ts:3: { env: e } = process'];
  want.push('x.ts:4: process.argv');
  assert.deepEqual(found, want);
});
