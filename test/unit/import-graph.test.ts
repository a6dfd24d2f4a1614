/**
 * The structure drawn from the sources' imports (static, dynamic and re-exports; `import type`
 * is erased and does not count): it has no cycle, and no file below commands/ (service/, io/,
 * core/, ...) imports a command. The entries (cli.ts, boot.ts, fast.ts) may.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from '../helpers/shared.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const files = sourceFiles;

/** file (relative to src/) -> the files of src/ it imports at run time. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files()) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    const found = [
      ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'/gm),
      ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
    ];
    for (const [, spec] of found) targets.add(relative(SRC, resolve(dirname(file), spec!.replace(/\.js$/, '.ts'))));
    graph.set(relative(SRC, file), [...targets].filter((t) => t.endsWith('.ts')));
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

test('the import graph is drawn from the sources (so the checks below see real edges)', () => {
  const graph = importGraph();
  assert.ok(graph.get('cli.ts')?.includes('commands/registry.ts'), 'a static import');
  assert.ok(graph.get('commands/registry.ts')?.includes('commands/help.ts'), 'a dynamic import');
  assert.ok(findCycle(new Map([['a', ['b']], ['b', ['a']]])), 'a cycle is found');
});

test('no import cycle in src/', () => {
  const cycle = findCycle(importGraph());
  assert.equal(cycle, undefined, `a cycle: ${cycle?.join(' -> ')}`);
});

test('no file below commands/ imports a command', () => {
  const entries = new Set(['cli.ts', 'boot.ts', 'start/fast.ts']);
  const offenders = [...importGraph()]
    .filter(([file]) => !file.startsWith('commands/') && !entries.has(file))
    .flatMap(([file, targets]) => targets.filter((t) => t.startsWith('commands/')).map((t) => `${file} -> ${t}`));
  assert.deepEqual(offenders, []);
});
