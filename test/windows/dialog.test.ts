/**
 * The Windows dialog for the MFA code (issue 26), run for real: Wine draws it on a private Xvfb
 * display and xdotool answers it as a person would (finds the window by its title, types, presses
 * Enter or Escape). credential-process runs as an IDE starts it: no console, stdin an empty pipe,
 * stdout and stderr captured; AWS_MFA_PROMPT=windows chooses the dialog. Both ways a Windows user
 * has aws-mfa: the .exe (koffi's add-on unpacked from its asset into %LOCALAPPDATA%) and the npm
 * install under the official node.exe (the add-on from @koromix/koffi-win32-x64 in the install's
 * node_modules, laid out here as npm lays it). moto records the TokenCode that was typed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto, type Moto } from '../helpers/moto.js';
import { createUser } from '../helpers/onboard.js';
import { type RunResult } from '../helpers/cli.js';
import { startWine, type Wine } from '../helpers/wine.js';
import { needTool } from '../helpers/need-tool.js';
import { packaged, windowsNode } from '../helpers/packaged.js';
import { answerWindow, startXvfb, type Display } from '../helpers/xvfb.js';
import { ROOT } from '../helpers/shared.js';
import { PINS, pinnedFile } from '../../scripts/node-dist.mjs';

const wineTool = needTool('wine', 'apt-get install wine64 wine');
const xvfbTool = needTool('Xvfb', 'xvfb');
const xdotoolTool = needTool('xdotool', 'xdotool');
const skip = wineTool.skip ?? xvfbTool.skip ?? xdotoolTool.skip;

let moto: Moto;
let wine: Wine;
let display: Display;
let work: string;
let addons: string; // %LOCALAPPDATA%\aws-mfa\cache\addons

/** The .exe and the npm install (dist/ and koffi's platform package in its node_modules) inside the prefix. */
const programs = { exe: 'C:\\tools\\aws-mfa.exe', bundle: 'C:\\npm\\node_modules\\aws-mfa-cli\\dist\\aws-mfa.cjs', node: '' };

before(
  async () => {
    if (skip) return;
    let exe: string;
    [exe, moto, wine, display] = await Promise.all([packaged('win-x64'), startMoto(), startWine(), startXvfb(xvfbTool.path!)]);
    const driveC = join(wine.prefix, 'drive_c');
    mkdirSync(join(driveC, 'tools'));
    copyFileSync(exe, join(driveC, 'tools', 'aws-mfa.exe'));
    const install = join(driveC, 'npm', 'node_modules', 'aws-mfa-cli');
    mkdirSync(join(install, 'dist'), { recursive: true });
    for (const f of readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.cjs'))) copyFileSync(join(ROOT, 'dist', f), join(install, 'dist', f));
    copyFileSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    const koffi = join(install, 'node_modules', '@koromix', 'koffi-win32-x64', 'win32_x64');
    mkdirSync(koffi, { recursive: true });
    copyFileSync(pinnedFile(PINS.targets['win-x64']!.addons['koffi.node']!), join(koffi, 'koffi.node'));
    programs.node = wine.win(windowsNode());
    addons = join(wine.profileDir, 'AppData', 'Local', 'aws-mfa', 'cache', 'addons');
    work = join(driveC, 'work');
    mkdirSync(work);
  },
  { timeout: 600_000 },
);
after(async () => {
  await wine?.stop();
  await display?.stop();
  await moto?.stop();
});

const flavours = [
  { name: 'the .exe', run: (args: string[], env: Record<string, string>) => wine.run(programs.exe, args, { env, timeoutMs: 180_000 }) },
  {
    name: 'the npm install under node.exe',
    run: (args: string[], env: Record<string, string>) => wine.run(programs.node, [programs.bundle, ...args], { env, timeoutMs: 180_000 }),
  },
] as const;
type Flavour = (typeof flavours)[number];

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
const said = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

let n = 0;
/** A profile with a long-term key and a device in files of its own; the environment that points at them. */
async function profile(name: string) {
  const dir = join(work, `p${++n}`);
  mkdirSync(dir);
  const u = await createUser(moto.endpoint);
  writeFileSync(join(dir, 'credentials'), crlf([`[${name}-long-term]`, `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`, `aws_mfa_device = ${u.deviceArn}`]));
  const env = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: `${wine.win(dir)}\\credentials`,
    AWS_CONFIG_FILE: `${wine.win(dir)}\\config`,
    AWS_MFA_PROMPT: 'windows',
    AWS_MFA_LANG: 'en',
    DISPLAY: display.name,
  };
  return { u, env };
}

/** One answer to one window: what is typed (if anything) and the key pressed. */
type Answer = { text?: string; key: string };

/**
 * credential-process with no console, its windows answered in turn (each found by `title`).
 * The titles the windows had, and the run's result.
 */
async function answered(f: Flavour, name: string, env: Record<string, string>, answers: Answer[], title = 'aws-mfa') {
  const run = f.run(['credential-process', '--profile', name], env);
  const exited = run.then((r) => {
    throw new Error(`it exited before every window was answered:\n${said(r)}`);
  });
  const titles: string[] = [];
  for (const a of answers) {
    const { name, gone } = await Promise.race([answerWindow(xdotoolTool.path!, display.name, title, a.text, a.key), exited]);
    titles.push(name);
    await gone;
  }
  return { titles, r: await run };
}

for (const f of flavours) {
  test(`credential-process with no console: the code typed into the dialog is the TokenCode sent, the title names the profile; the cached run after shows nothing and loads no add-on (${f.name})`, { skip }, async () => {
    const { u, env } = await profile('dlg');
    await moto.resetRecording();
    const { titles, r } = await answered(f, 'dlg', env, [{ text: '123456', key: 'Return' }]);
    assert.equal(r.code, 0, said(r));
    assert.deepEqual(titles, ['aws-mfa: MFA code for [dlg]']);
    const sent = await moto.requests('GetSessionToken');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.accessKeyId, u.accessKeyId);
    assert.equal(sent[0]!.params.SerialNumber, u.deviceArn);
    assert.equal(sent[0]!.params.TokenCode, '123456');
    const out = JSON.parse(r.stdout) as { Version: number; AccessKeyId: string; SessionToken: string };
    assert.equal(out.Version, 1);
    assert.ok(out.SessionToken && out.AccessKeyId !== u.accessKeyId, 'a session, not the long-term key');
    // the .exe unpacked koffi's add-on where it unpacks the keyring's; the cached run after does not touch it
    const unpacked = () => readdirSync(addons, { withFileTypes: true }).filter((e) => /^koffi-[0-9a-f]{64}\.node$/.test(e.name));
    if (f === flavours[0]) {
      assert.equal(unpacked().length, 1, 'koffi-SHA256.node in %LOCALAPPDATA%\\aws-mfa\\cache\\addons');
      rmSync(join(addons, unpacked()[0]!.name));
    }
    await moto.resetRecording();
    const cached = await f.run(['credential-process', '--profile', 'dlg'], env);
    assert.equal(cached.code, 0, said(cached));
    assert.equal(JSON.parse(cached.stdout).SessionToken, out.SessionToken);
    assert.deepEqual(await moto.actions(), []);
    if (f === flavours[0]) assert.equal(unpacked().length, 0, 'the cached path loads no dialog add-on');
  });

  test(`Cancel (Escape): exit 130, one line, nothing sent to AWS (${f.name})`, { skip }, async () => {
    const { env } = await profile('cancel');
    await moto.resetRecording();
    const { r } = await answered(f, 'cancel', env, [{ key: 'Escape' }]);
    assert.equal(r.code, 130, said(r));
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /the MFA code dialog was cancelled; nothing was sent to AWS/);
    assert.equal(r.stdout, '');
    assert.deepEqual(await moto.actions(), []);
  });
}

test('the npm install takes the add-on from its own node_modules only: one planted above it is not loaded (exit 3, one line naming the package)', { skip }, async () => {
  // an install without koffi's package, below a node_modules folder it is not in, and a planted one above the install
  const root = join(wine.prefix, 'drive_c', 'bare');
  mkdirSync(join(root, 'node_modules', 'aws-mfa-cli', 'dist'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.cjs'))) copyFileSync(join(ROOT, 'dist', f), join(root, 'node_modules', 'aws-mfa-cli', 'dist', f));
  const planted = join(wine.prefix, 'drive_c', 'node_modules', '@koromix', 'koffi-win32-x64', 'win32_x64');
  mkdirSync(planted, { recursive: true });
  copyFileSync(pinnedFile(PINS.targets['win-x64']!.addons['koffi.node']!), join(planted, 'koffi.node'));
  const { env } = await profile('bare');
  await moto.resetRecording();
  const r = await wine.run(programs.node, ['C:\\bare\\node_modules\\aws-mfa-cli\\dist\\aws-mfa.cjs', 'credential-process', '--profile', 'bare'], { env, timeoutMs: 120_000 });
  assert.equal(r.code, 3, said(r));
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /@koromix\/koffi-win32-x64 \(the dialog add-on\) is not in C:\\bare\\node_modules\\aws-mfa-cli; reinstall/);
  assert.equal(r.stdout, '');
  assert.deepEqual(await moto.actions(), []);
});

test('a malformed code: the dialog asks again (the reason on stderr too), and the next code is the one sent', { skip }, async () => {
  const { env } = await profile('again');
  await moto.resetRecording();
  const { titles, r } = await answered(flavours[0], 'again', env, [
    { text: '12ab', key: 'Return' },
    { text: '654321', key: 'Return' },
  ]);
  assert.equal(r.code, 0, said(r));
  assert.deepEqual(titles, Array(2).fill('aws-mfa: MFA code for [again]'));
  assert.match(r.stderr, /Try again \(2 left\)/);
  assert.deepEqual((await moto.requests('GetSessionToken')).map((x) => x.params.TokenCode), ['654321']);
});

test('three malformed codes: the refusal is shown in a message box too, then exit 2 and nothing sent', { skip }, async () => {
  const { env } = await profile('refused');
  await moto.resetRecording();
  const { titles, r } = await answered(flavours[0], 'refused', env, [
    { text: 'x', key: 'Return' },
    { text: '1', key: 'Return' },
    { text: '', key: 'Return' },
    { key: 'Return' }, // the message box's OK
  ]);
  assert.equal(r.code, 2, said(r));
  assert.deepEqual(titles, [...Array(3).fill('aws-mfa: MFA code for [refused]'), 'aws-mfa: error for [refused]']);
  assert.match(r.stderr, /That was the last of 3 tries; nothing was sent to AWS/);
  assert.deepEqual(await moto.actions(), []);
});

test('in Japanese (AWS_MFA_LANG=ja): the code typed is sent; a cancel says so in Japanese', { skip }, async () => {
  const { env } = await profile('nihongo');
  const ja = { ...env, AWS_MFA_LANG: 'ja' };
  await moto.resetRecording();
  const { titles, r } = await answered(flavours[0], 'nihongo', ja, [{ text: '246810', key: 'Return' }]);
  assert.equal(r.code, 0, said(r));
  assert.deepEqual(titles, ['aws-mfa: [nihongo] の MFA コード']);
  assert.deepEqual((await moto.requests('GetSessionToken')).map((x) => x.params.TokenCode), ['246810']);
  const other = await profile('nihongo2');
  const cancelled = await answered(flavours[1], 'nihongo2', { ...other.env, AWS_MFA_LANG: 'ja' }, [{ key: 'Escape' }]);
  assert.equal(cancelled.r.code, 130, said(cancelled.r));
  assert.match(cancelled.r.stderr, /ダイアログがキャンセルされました/);
});
