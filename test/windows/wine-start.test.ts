/**
 * The Windows executable as the seed guides' users start it (issue 22): copied to C:\tools and run
 * by name from cmd after `set PATH=C:\tools;%PATH%`, each line of a .cmd file being what the user
 * types at the prompt: `aws-mfa --version`, `aws-mfa --profile cloudX` (credentials with
 * [cloudX-long-term] and aws_mfa_device, guide 000) and `aws-mfa -s X -d X_mfa` (keys in [X] as
 * `aws configure --profile X` leaves them, guide 004) against moto_server; and its keyring add-on
 * under Wine's Credential Manager. Wine runs cmd only: it has no PowerShell and no Git Bash.
 * Skipped with the install command where Wine is missing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto, type Moto } from '../helpers/moto.js';
import { createUser } from '../helpers/onboard.js';
import { type RunResult } from '../helpers/cli.js';
import { startWine, type Wine } from '../helpers/wine.js';
import { needTool } from '../helpers/need-tool.js';
import { packaged } from '../helpers/packaged.js';
import { ROOT } from '../helpers/shared.js';
import { IniDocument } from '../../src/ini/document.js';

const { skip } = needTool('wine', 'apt-get install wine64 wine');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

let moto: Moto;
let wine: Wine;
let scripts: string; // C:\work: the .cmd files typed lines are kept in

before(
  async () => {
    if (skip) return;
    let exe: string;
    [exe, moto, wine] = await Promise.all([packaged('win-x64'), startMoto(), startWine()]);
    const tools = join(wine.prefix, 'drive_c', 'tools');
    mkdirSync(tools);
    copyFileSync(exe, join(tools, 'aws-mfa.exe'));
    scripts = join(wine.prefix, 'drive_c', 'work');
    mkdirSync(scripts);
    mkdirSync(join(wine.profileDir, '.aws'), { recursive: true });
  },
  { timeout: 600_000 },
);
after(async () => {
  await wine?.stop();
  await moto?.stop();
});

const ok = (r: RunResult) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
const credentials = () => join(wine.profileDir, '.aws', 'credentials');

let n = 0;
/** `lines` typed at a cmd prompt (a .cmd file run by `cmd /c`) after `set PATH=C:\tools;%PATH%`, in a folder that is not C:\tools. */
function typed(lines: string[], input?: string): Promise<RunResult> {
  const file = join(scripts, `typed${++n}.cmd`);
  writeFileSync(file, crlf(['@echo off', 'set PATH=C:\\tools;%PATH%', 'cd /d %USERPROFILE%', ...lines, 'exit /b %ERRORLEVEL%']));
  return wine.run('cmd', ['/c', `C:\\work\\typed${n}.cmd`], { env: { AWS_ENDPOINT_URL: moto.endpoint, AWS_EC2_METADATA_DISABLED: 'true' }, input, timeoutMs: 120_000 });
}

test('copied to C:\\tools: `aws-mfa --version` by name from cmd prints the version', { skip }, async () => {
  const r = await typed(['aws-mfa --version']);
  ok(r);
  assert.equal(r.stdout.replace(/\r\n/g, '\n'), `${VERSION}\n`);
  assert.deepEqual(readdirSync(join(wine.prefix, 'drive_c', 'tools')), ['aws-mfa.exe'], 'nothing written beside it');
});

test('whoami with a session due and no desktop for the Windows dialog: one line, exit 3 (a prompt that cannot work here), never exit 1', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  const text = crlf(['[nodlg-long-term]', `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`, `aws_mfa_device = ${u.deviceArn}`]);
  writeFileSync(credentials(), text);
  await moto.resetRecording();
  const r = await typed(['aws-mfa whoami --profile nodlg']);
  assert.equal(r.code, 3, `exit ${r.code}\nstderr: ${r.stderr}`);
  assert.equal(r.stderr.trimEnd().split(/\r?\n/).length, 1, r.stderr);
  assert.match(r.stderr, /the windows dialog failed \(DialogBoxIndirectParamW returned -?\d+\)\. Choose another prompt/);
  assert.deepEqual(await moto.actions(), [], 'nothing was asked of AWS');
  assert.equal(readFileSync(credentials(), 'utf8'), text);
});

test('guide 000: `aws-mfa --profile cloudX` by name with [cloudX-long-term] and aws_mfa_device, the code typed on stdin, then a cached check', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  writeFileSync(credentials(), crlf(['[cloudX]', '', '[cloudX-long-term]', `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`, `aws_mfa_device = ${u.deviceArn}`]));
  await moto.resetRecording();
  ok(await typed(['aws-mfa --profile cloudX'], '123456\r\n'));
  const sent = await moto.requests('GetSessionToken');
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.accessKeyId, u.accessKeyId);
  assert.equal(sent[0]!.params.TokenCode, '123456');
  const text = readFileSync(credentials(), 'utf8');
  assert.ok(IniDocument.parse(text).get('cloudX', 'aws_session_token'));
  await moto.resetRecording();
  const cached = await typed(['aws-mfa --profile cloudX']);
  ok(cached);
  assert.deepEqual(await moto.actions(), []);
  assert.equal(readFileSync(credentials(), 'utf8'), text);
});

test('guide 004: `aws-mfa -s example -d example_mfa --token 123456` by name, the keys in [example] as aws configure left them', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  writeFileSync(credentials(), crlf(['[example]', `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`]));
  await moto.resetRecording();
  ok(await typed(['aws-mfa -s example -d example_mfa --token 123456']));
  const sent = await moto.requests('GetSessionToken');
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.accessKeyId, u.accessKeyId);
  assert.equal(sent[0]!.params.SerialNumber, u.deviceArn);
  const doc = IniDocument.parse(readFileSync(credentials(), 'utf8'));
  assert.ok(doc.get('example_mfa', 'aws_session_token'));
  assert.equal(doc.get('example', 'aws_secret_access_key'), u.secretAccessKey);
});

test('keys move under Wine: the add-on is unpacked into %LOCALAPPDATA%\\aws-mfa\\cache\\addons; where Wine cannot load it (Wine 8 has no bcryptprimitives.dll), one line, exit 3, the file unchanged', { skip }, async () => {
  const u = await createUser(moto.endpoint);
  const text = crlf(['[kc-long-term]', `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`, `aws_mfa_device = ${u.deviceArn}`]);
  writeFileSync(credentials(), text);
  const r = await typed(['aws-mfa keys move --profile kc --to keychain']);
  const addons = join(wine.profileDir, 'AppData', 'Local', 'aws-mfa', 'cache', 'addons');
  assert.equal(readdirSync(addons).filter((f) => /^keyring-[0-9a-f]{64}\.node$/.test(f)).length, 1, `unpacked: ${r.stderr}`);
  const wineDlls = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows';
  if (existsSync(wineDlls) && !existsSync(join(wineDlls, 'bcryptprimitives.dll'))) {
    // the add-on imports ProcessPrng from bcryptprimitives.dll (Rust's standard library), which Windows 10 has and Wine 8 lacks
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /a DLL it needs is missing \(bcryptprimitives\.dll/);
    assert.equal(readFileSync(credentials(), 'utf8'), text);
    return;
  }
  // a Wine that loads it: the Credential Manager (advapi32 CredWriteW/CredReadW) holds the key, a session is got with it, and it moves back
  ok(r);
  await moto.resetRecording();
  ok(await typed(['aws-mfa --profile kc --token 123456']));
  assert.deepEqual((await moto.requests('GetSessionToken')).map((x) => x.accessKeyId), [u.accessKeyId]);
  ok(await typed(['aws-mfa keys move --profile kc --to file']));
  assert.match(readFileSync(credentials(), 'utf8'), new RegExp(`aws_access_key_id = ${u.accessKeyId}`));
});
