/**
 * The chunks are declared once (src/start/chunk-names.ts CHUNKS), for the build and the loaders: each
 * lazy load (lazyChunk, and commands/registry.ts's chunk) names the file the build makes of the
 * very module its import() names; every chunk declared is loaded somewhere (a lazy load, or the
 * entry's load() in src/boot.ts); and the build makes exactly those (dist/, which npm test builds
 * first), with the entry and the SDK's shared core.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { CHUNKS } from '../../src/start/chunk-names.js';
import { SRC, sourceFiles } from '../helpers/shared.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sources = sourceFiles;

interface Load {
  at: string;
  file: string;
  /** The module (under src/) the load's import() names; none for the entry's own loads. */
  module?: string;
}

/** Every chunk load in `text` of src/`name`: lazyChunk('F', () => import('M')), chunk(...) alike, load('F'). */
function loadsIn(name: string, text: string): Load[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const loads: Load[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && ts.isStringLiteral(n.arguments[0] ?? n)) {
      const callee = n.expression.text;
      const file = (n.arguments[0] as ts.StringLiteral).text;
      const at = `${name}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const lazy = n.arguments[1];
      if ((callee === 'lazyChunk' || callee === 'chunk') && lazy && ts.isArrowFunction(lazy)) {
        const body = lazy.body;
        const dynamic = ts.isCallExpression(body) && body.expression.kind === ts.SyntaxKind.ImportKeyword;
        const spec = dynamic && ts.isStringLiteral(body.arguments[0]!) ? body.arguments[0].text : '?';
        const module = relative(SRC, resolve(dirname(join(SRC, name)), spec.replace(/\.js$/, '.ts')));
        loads.push({ at, file, module });
      } else if (callee === 'load' && name === 'boot.ts') loads.push({ at, file });
    }
    // the entry's full loader: `${__dirname}/${'loader.cjs' satisfies ChunkFile}`
    if (ts.isSatisfiesExpression(n) && ts.isStringLiteral(n.expression) && n.type.getText() === 'ChunkFile') {
      loads.push({ at: name, file: n.expression.text });
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return loads;
}

const loads = sources().flatMap((f) => loadsIn(relative(SRC, f), readFileSync(f, 'utf8')));
const table = new Map(Object.entries(CHUNKS));
const declared = new Set<string>(table.values());

test('each lazy load names the chunk the build makes of the module it imports', () => {
  const lazy = loads.filter((l) => l.module !== undefined);
  assert.ok(lazy.length >= 20, `found the lazy loads (${lazy.length})`);
  const wrong = lazy.filter((l) => table.get(l.module!) !== l.file).map((l) => `${l.at}: ${l.file} for ${l.module}`);
  assert.deepEqual(wrong, [], `declare each in src/start/chunk-names.ts as the module's file`);
});

test('every chunk declared is loaded somewhere', () => {
  const loaded = new Set(loads.map((l) => l.file));
  const unloaded = [...declared].filter((f) => !loaded.has(f));
  assert.deepEqual(unloaded, [], 'a chunk nothing loads is not built: take it out of CHUNKS');
  assert.deepEqual([...loaded].filter((f) => !declared.has(f)), [], 'a chunk loaded but not declared');
});

const noDist = !existsSync(join(ROOT, 'dist')) && 'no dist/';
test('the build makes exactly the chunks declared (with the entry and the SDK core)', { skip: noDist }, () => {
  const built = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.cjs'));
  assert.deepEqual(built.sort(), [...declared, 'aws-mfa.cjs', 'aws-core.cjs'].sort());
});
