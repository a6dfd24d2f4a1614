/**
 * Where the design promises that no secret is left in a file: every file under a folder (HOME),
 * read as bytes, searched for each secret. Names the file a secret was found in.
 */
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** Fails naming the file and the secret's label when any of `secrets` is in any file under `dir`. */
export function assertNoSecretIn(dir: string, secrets: Record<string, string>): void {
  const files = filesUnder(dir);
  assert.ok(files.length > 0, `no files under ${dir}: the scan would prove nothing`);
  for (const f of files) {
    const text = readFileSync(f).toString('latin1');
    for (const [label, secret] of Object.entries(secrets)) {
      assert.ok(secret.length >= 8, `${label} is too short to search for`);
      assert.ok(!text.includes(secret), `${label} was found in ${f}`);
    }
  }
}
