/**
 * The Linux single executable as users start it and as it meets a hostile machine (issue 22): by
 * bare name from PATH, as ./aws-mfa, through a symbolic link; its keyring add-on unpacked from
 * inside it into a private folder and used against a real Secret Service (gnome-keyring); modules
 * planted in node_modules folders beside and above it, in ~/.node_modules and NODE_PATH (and above
 * a copy of the npm bundle) never loaded; a damaged executable or a tampered unpacked add-on
 * refused in one line with exit 3, never a stack trace.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { useMoto } from '../helpers/hooks.js';
import { useKeyring } from '../helpers/keyring.js';
import { makeHome, runProcess, type Home, type RunResult } from '../helpers/cli.js';
import { onboard, type OnboardedUser } from '../helpers/onboard.js';
import { packaged } from '../helpers/packaged.js';
import { ROOT } from '../helpers/shared.js';
import { PINS, pinnedFile } from '../../scripts/node-dist.mjs';

const emu = useMoto();
const kr = useKeyring();
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

const root = mkdtempSync(join(tmpdir(), 'aws-mfa-start-'));
after(() => rmSync(root, { recursive: true, force: true }));
let built: string;
before(async () => {
  built = await packaged('linux-x64');
}, { timeout: 600_000 });

const ok = (r: RunResult) => assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
/** One line on stderr, no stack trace, the exit code given. */
function refused(r: RunResult, code: number, what: RegExp) {
  assert.equal(r.code, code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, 'no stack trace');
  assert.match(r.stderr, what);
}

let n = 0;
/** The binary copied as `aws-mfa` into a fresh folder (under a parent of its own), and a HOME whose PATH is that folder alone. */
function install(extraEnv: Record<string, string> = {}): { bin: string; parent: string; exe: string; home: Home } {
  const parent = join(root, `p${++n}`);
  const bin = join(parent, 'bin');
  mkdirSync(bin, { recursive: true });
  const exe = join(bin, 'aws-mfa');
  copyFileSync(built, exe);
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...extraEnv });
  home.env.PATH = bin;
  return { bin, parent, exe, home };
}

/** A profile with a valid session (got through the absolute path), ready for a cached check. */
async function withSession(exe: string, home: Home): Promise<OnboardedUser> {
  const u = await onboard(emu.moto.endpoint, home, 'work');
  ok(await runProcess(exe, ['--profile', 'work', '--token', '123456'], { env: home.env }));
  await emu.moto.resetRecording();
  return u;
}

/** `command --version` prints the version, and `command --profile work` answers from the cached session, calling no AWS API. */
async function versionAndCached(command: string, home: Home, cwd: string, before: string) {
  const v = await runProcess(command, ['--version'], { env: home.env, cwd });
  ok(v);
  assert.equal(v.stdout, `${VERSION}\n`);
  const r = await runProcess(command, ['--profile', 'work'], { env: home.env, cwd });
  ok(r);
  assert.match(r.stderr, /still valid/);
  assert.deepEqual(await emu.moto.actions(), []);
  assert.equal(home.read(), before);
}

test('copied as aws-mfa into a folder on PATH: `aws-mfa --version` and a cached `aws-mfa --profile work` by bare name', async () => {
  const { exe, home } = install();
  await withSession(exe, home);
  await versionAndCached('aws-mfa', home, home.dir, home.read());
});

test('./aws-mfa --version from its own folder, and a cached check as ./aws-mfa', async () => {
  const { bin, exe, home } = install();
  await withSession(exe, home);
  await versionAndCached('./aws-mfa', home, bin, home.read());
});

test('through a symbolic link on PATH, by name and by the link\'s path', async () => {
  const { parent, exe, home } = install();
  const links = join(parent, 'links');
  mkdirSync(links);
  symlinkSync(exe, join(links, 'aws-mfa'));
  home.env.PATH = links;
  await withSession(exe, home);
  await versionAndCached('aws-mfa', home, home.dir, home.read());
  await versionAndCached(join(links, 'aws-mfa'), home, links, home.read());
});

/** A module that writes `marker` if it is ever required, as @napi-rs/keyring and its Linux x64 add-on package, in `nodeModules`. */
function plant(nodeModules: string, marker: string): void {
  for (const name of ['keyring', 'keyring-linux-x64-gnu']) {
    const dir = join(nodeModules, '@napi-rs', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `@napi-rs/${name}`, version: '2.1.2', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), `require('fs').appendFileSync(${JSON.stringify(marker)}, __filename + '\\n');\nmodule.exports = {};\n`);
  }
}

const ADDON_SPEC = PINS.targets['linux-x64']!.addons['keyring.node']!;
const addonDigest = () => createHash('sha256').update(readFileSync(pinnedFile(ADDON_SPEC))).digest('hex');

test('keys move through the binary against gnome-keyring: a session with the key from the keychain, then the key moved back; nothing planted in node_modules is loaded', { skip: kr.skip }, async () => {
  const { bin, parent, home } = install({ DBUS_SESSION_BUS_ADDRESS: kr.keyring.address });
  const marker = join(root, `marker-${n}`);
  plant(join(bin, 'node_modules'), marker); // beside the binary
  plant(join(parent, 'node_modules'), marker); // above it
  plant(join(home.dir, '.node_modules'), marker);
  plant(join(home.dir, '.node_libraries'), marker);
  plant(join(root, `nodepath-${n}`), marker);
  home.env.NODE_PATH = join(root, `nodepath-${n}`);
  const u = await onboard(emu.moto.endpoint, home, 'work');
  const original = home.read();

  const moved = await runProcess('aws-mfa', ['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env, cwd: bin });
  ok(moved);
  assert.doesNotMatch(home.read(), /aws_secret_access_key/);
  // the entry is named by the id the section keeps (issue 23: entries belong to their section)
  const id = /^aws_mfa_keychain_id = (\w+)$/m.exec(home.read())?.[1];
  assert.ok(id, home.read());
  const account = `long-term@${id}`;
  const entry = kr.keyring.secretTool(['lookup', 'service', 'aws-mfa', 'username', account]);
  assert.equal(entry.status, 0);
  assert.equal(JSON.parse(entry.stdout).AccessKeyId, u.accessKeyId);

  // unpacked into the private folder under its digest: the user's own, 0700 and 0600
  const addons = join(home.dir, '.cache', 'aws-mfa', 'addons');
  assert.deepEqual(readdirSync(addons), [`keyring-${addonDigest()}.node`]);
  assert.equal(statSync(addons).mode & 0o777, 0o700);
  assert.equal(statSync(join(addons, `keyring-${addonDigest()}.node`)).mode & 0o777, 0o600);

  await emu.moto.resetRecording();
  ok(await runProcess('aws-mfa', ['--profile', 'work', '--token', '123456'], { env: home.env, cwd: bin }));
  const sent = (await emu.moto.requests()).filter((x) => x.action === 'GetSessionToken');
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.accessKeyId, u.accessKeyId, 'GetSessionToken was signed with the key from the keychain');

  const back = await runProcess('aws-mfa', ['keys', 'move', '--profile', 'work', '--to', 'file'], { env: home.env, cwd: bin });
  ok(back);
  assert.match(home.read(), new RegExp(`aws_access_key_id = ${u.accessKeyId}`));
  assert.ok(home.read().includes(original.split('\n').find((l) => l.startsWith('aws_secret_access_key'))!));
  assert.notEqual(kr.keyring.secretTool(['lookup', 'service', 'aws-mfa', 'username', account]).status, 0);
  assert.equal(existsSync(marker), false, `a planted module was loaded: ${existsSync(marker) ? readFileSync(marker, 'utf8') : ''}`);
});

test('the npm bundle never loads the add-on from a node_modules above it, ~/.node_modules or NODE_PATH: it says the package is missing', { skip: kr.skip }, async () => {
  const app = join(root, `app-${++n}`, 'lib', 'aws-mfa');
  mkdirSync(join(app, 'dist'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'dist'))) if (f.endsWith('.cjs')) copyFileSync(join(ROOT, 'dist', f), join(app, 'dist', f));
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  const marker = join(root, `marker-${n}`);
  plant(join(root, `app-${n}`, 'node_modules'), marker);
  plant(join(root, `app-${n}`, 'lib', 'node_modules'), marker);
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, DBUS_SESSION_BUS_ADDRESS: kr.keyring.address, NODE_PATH: join(root, `app-${n}`, 'node_modules') });
  plant(join(home.dir, '.node_modules'), marker);
  await onboard(emu.moto.endpoint, home, 'work');
  const text = home.read();
  const r = await runProcess(process.execPath, [join(app, 'dist', 'aws-mfa.cjs'), 'keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: { ...home.env, NAPI_RS_NATIVE_LIBRARY_PATH: join(root, `app-${n}`, 'node_modules', '@napi-rs', 'keyring', 'index.js') } });
  refused(r, 3, /@napi-rs\/keyring-linux-x64-gnu \(the keyring add-on\) is not in .*npm install -g aws-mfa-cli/);
  assert.equal(home.read(), text, 'no file changed');
  assert.equal(existsSync(marker), false, `a planted module was loaded: ${existsSync(marker) ? readFileSync(marker, 'utf8') : ''}`);
});

test('an unpacked add-on changed afterwards is refused in one line (exit 3) naming the command that removes it; removed, it is unpacked again', async () => {
  const { exe, home } = install({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
  await onboard(emu.moto.endpoint, home, 'work');
  const text = home.read();
  const move = () => runProcess(exe, ['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env });
  // the first run unpacks it (then finds no Secret Service: that refusal names the bus)
  refused(await move(), 3, /DBUS_SESSION_BUS_ADDRESS|session bus/);
  const file = join(home.dir, '.cache', 'aws-mfa', 'addons', `keyring-${addonDigest()}.node`);
  assert.ok(existsSync(file));
  appendFileSync(file, 'x');
  const r = await move();
  refused(r, 3, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not the keyring add-on .*rm -f "`));
  assert.equal(home.read(), text);
  rmSync(file);
  refused(await move(), 3, /DBUS_SESSION_BUS_ADDRESS|session bus/);
  assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), addonDigest());
});

/** A copy of the binary with the first occurrence of `part` overwritten by as many `filler` bytes. */
function damagedCopy(part: Buffer, filler: number): { exe: string; home: Home } {
  const inst = install({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
  const bytes = readFileSync(inst.exe);
  const at = bytes.indexOf(part);
  assert.ok(at > 0, 'the part is inside the executable');
  bytes.fill(filler, at, at + part.length);
  writeFileSync(inst.exe, bytes);
  return inst;
}

test('a binary whose add-on asset was changed refuses the keychain in one line (exit 3): it is damaged', async () => {
  const addon = readFileSync(pinnedFile(ADDON_SPEC));
  const { exe, home } = damagedCopy(addon.subarray(4096, 8192), 0x41);
  await onboard(emu.moto.endpoint, home, 'work');
  const text = home.read();
  const r = await runProcess(exe, ['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env });
  refused(r, 3, /aws-mfa is damaged \(keyring\.node: sha256 [0-9a-f]{64}, built with [0-9a-f]{64}\)/);
  assert.equal(home.read(), text);
  assert.equal(existsSync(join(home.dir, '.cache', 'aws-mfa', 'addons')), false, 'nothing unpacked');
});

test('a binary whose program chunk was damaged says so in one line (exit 3), in English and Japanese, never a stack trace', async () => {
  const main = readFileSync(join(ROOT, 'dist', 'main.cjs'));
  const { exe, home } = damagedCopy(main.subarray(0, 200), 0x7b);
  refused(await runProcess(exe, ['--version'], { env: home.env }), 3, /^aws-mfa: error: .*aws-mfa is damaged \(main\.cjs: .*\); replace it with a fresh copy/);
  refused(await runProcess(exe, ['--version'], { env: { ...home.env, LANG: 'ja_JP.UTF-8' } }), 3, /^aws-mfa: エラー: .*aws-mfa が壊れています（main\.cjs: /);
});
