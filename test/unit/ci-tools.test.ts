/**
 * CI runs `.ci/run` on a fresh machine: every tool a test looks up (findTool, needTool, lookupTool
 * in test/) must come from a Debian package in its PACKAGES list, or from the machine image, whose
 * tools `.ci/run` checks by name (moto_server, aws, python3). A test that starts needing a new tool
 * without its line in `.ci/run` fails here, not on the CI machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/shared.js';

const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');

/** The first word of each line of `PACKAGES=( ... )`. */
function ciPackages(): Set<string> {
  const block = /^PACKAGES=\(\n([\s\S]*?)^\)/m.exec(ciRun);
  assert.ok(block, '.ci/run has a PACKAGES=( ... ) list');
  return new Set(block[1]!.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
}

/** The tools `.ci/run` requires of the machine image: `for tool in A B; do`. */
function imageTools(): Set<string> {
  const loop = /^for tool in ([\w\s-]+); do/m.exec(ciRun);
  assert.ok(loop, '.ci/run checks the image tools by name');
  return new Set(loop[1]!.trim().split(/\s+/));
}

/** Tools whose Debian package has another name, for lookups that do not name it (findTool). */
const PACKAGE_OF: Record<string, string> = { wineserver: 'wine64' };

interface Lookup {
  file: string;
  tool: string;
  /** The Debian packages named by the call (needTool's second argument), if any. */
  packages: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** `apt-get install -y a b` or a bare package name: the package names. */
const packagesIn = (install: string) => install.replace(/^.*\binstall\b/, '').split(/\s+/).filter((w) => w && !w.startsWith('-'));

/** Every findTool/needTool/lookupTool call in test/, with literal names or a [tool, package] table in the same file. */
function toolLookups(files: string[]): { lookups: Lookup[]; unreadable: string[] } {
  const lookups: Lookup[] = [];
  const unreadable: string[] = [];
  for (const path of files) {
    const file = relative(ROOT, path);
    // the helpers define the functions; tools.test.ts looks up made-up tools on purpose
    if (/test\/helpers\/(tools|need-tool)\.ts$|test\/unit\/(tools|ci-tools)\.test\.ts$/.test(file)) continue;
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/\b(findTool|needTool|lookupTool)\(([^)]*)\)/g)) {
      const args = m[2]!;
      const literal = /^\s*'([^']+)'\s*(?:,\s*'([^']+)')?/.exec(args);
      if (literal) {
        lookups.push({ file, tool: literal[1]!, packages: literal[2] ? packagesIn(literal[2]) : [] });
        continue;
      }
      const table = [...text.matchAll(/\[\s*'([\w.+-]+)',\s*'([\w.+-]+)'\s*\]/g)];
      if (table.length === 0) unreadable.push(`${file}: ${m[0]}`);
      for (const [, tool, pkg] of table) lookups.push({ file, tool: tool!, packages: [pkg!] });
    }
  }
  return { lookups, unreadable };
}

/** The lookups whose tool neither the image check nor a package in PACKAGES provides. */
function notInstalled(lookups: Lookup[], packages: Set<string>, image: Set<string>): string[] {
  const missing = lookups
    .filter((l) => !image.has(l.tool))
    .filter((l) => !(l.packages.length > 0 ? l.packages : [PACKAGE_OF[l.tool] ?? l.tool]).every((p) => packages.has(p)))
    .map((l) => `${l.file}: ${l.tool} (${l.packages.join(' ') || PACKAGE_OF[l.tool] || l.tool})`);
  return [...new Set(missing)];
}

test('every tool a test looks up is installed by .ci/run (its Debian package) or checked there as part of the image', () => {
  const image = imageTools();
  assert.ok(image.has('moto_server') && image.has('aws'), '.ci/run checks moto_server and aws');
  const { lookups, unreadable } = toolLookups(tsFiles(join(ROOT, 'test')));
  assert.deepEqual(unreadable, [], 'lookups whose tool cannot be read: name it literally, or in a [tool, package] table');
  assert.ok(lookups.some((l) => l.tool === 'moto_server') && lookups.some((l) => l.tool === 'secret-tool'), 'the scan finds the lookups');
  assert.deepEqual(notInstalled(lookups, ciPackages(), image), [], 'add these packages to PACKAGES in .ci/run (or the tool to its image check)');
});

test('a lookup of a tool .ci/run does not install is caught: zbarimg, a new package, a tool dropped from the image check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-ci-tools-'));
  try {
    const file = join(dir, 'x.test.ts');
    writeFileSync(file, "findTool('zbarimg'); needTool('tinyproxy', 'tinyproxy'); needTool('x', 'apt-get install -y qemu-user-static new-pkg'); findTool('aws');\n");
    const { lookups } = toolLookups([file]);
    assert.deepEqual(lookups.map((l) => l.tool), ['zbarimg', 'tinyproxy', 'x', 'aws']);
    const missing = notInstalled(lookups, ciPackages(), new Set(['moto_server']));
    assert.deepEqual(missing.map((m) => m.replace(/^.*: /, '')), ['zbarimg (zbarimg)', 'x (qemu-user-static new-pkg)', 'aws (aws)']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
