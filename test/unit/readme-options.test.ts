/**
 * The README's option tables are kept in step with the commands' declarations: every option a
 * command declares is documented, and the session command's table lists exactly its options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/shared.js';
import { root } from '../../src/commands/root.js';
import { COMMANDS } from '../../src/commands/registry.js';
import type { CommandSpec, OptionTable } from '../../src/commands/spec.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

async function specs(): Promise<CommandSpec[]> {
  const out: CommandSpec[] = [root.spec];
  for (const load of Object.values(COMMANDS)) for (const c of (await load()).commands) out.push(c.spec);
  return out;
}

test('every declared option of every command is documented in README.md', async () => {
  const missing: string[] = [];
  for (const s of await specs()) {
    for (const [name, o] of Object.entries(s.options)) {
      if (o.hidden) continue;
      if (!readme.includes(`--${name}`)) missing.push(`${s.name || 'aws-mfa'} --${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("the README's session options table lists exactly the session command's options", () => {
  const table = readme.slice(readme.indexOf('### Options'), readme.indexOf('### Environment variables'));
  const documented = new Set([...table.matchAll(/^\| `(-\w, )?--([\w-]+)/gm)].map((m) => m[2]!));
  const declared = new Set(Object.entries(root.spec.options as OptionTable).filter(([, o]) => !o.hidden).map(([n]) => n));
  assert.deepEqual([...documented].sort(), [...declared].sort());
});

test('the commands the README says use a session declare every session option (rotate --token included)', async () => {
  const { SESSION_OPTIONS } = await import('../../src/commands/options.js');
  const sentence = /\(session commands: ([^)]*)\)/.exec(readme.replace(/\n/g, ' '));
  assert.ok(sentence, 'README.md names the session commands');
  const named = [...sentence[1]!.matchAll(/`([\w -]+)`/g)].map((m) => m[1]!);
  assert.ok(named.includes('rotate'), named.join(', '));
  const byName = new Map((await specs()).map((s) => [s.name, s]));
  for (const name of named) {
    const spec = byName.get(name);
    assert.ok(spec, `README names a command that does not exist: ${name}`);
    const missing = Object.keys(SESSION_OPTIONS).filter((o) => !(o in spec.options));
    assert.deepEqual(missing, [], `${name} lacks session options`);
  }
});
