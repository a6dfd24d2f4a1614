/**
 * The Linux single executables of `npm run package`, run where no Node.js is installed (an empty
 * PATH): linux-x64 natively, linux-arm64 under Debian's qemu-user-static. The whole end-to-end
 * suite runs against a binary with AWS_MFA_BIN=dist/bin/aws-mfa-linux-x64 (test/helpers/cli.ts);
 * this file is the smoke run that npm test always does.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runProcess, type Home, type RunResult } from '../helpers/cli.js';
import { onboard } from '../helpers/onboard.js';
import { packaged } from '../helpers/packaged.js';
import { missing, needTool } from '../helpers/need-tool.js';
import { ROOT } from '../helpers/shared.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
// the loader and libraries a linux-arm64 program needs, from Debian's cross packages
const ARM64_LIBS = '/usr/aarch64-linux-gnu';
const qemu = needTool('qemu-aarch64-static', 'apt-get install qemu-user-static libstdc++6-arm64-cross');
const arm64Skip =
  qemu.skip ??
  (existsSync(join(ARM64_LIBS, 'lib', 'ld-linux-aarch64.so.1')) ? undefined : missing(`the arm64 C libraries are not in ${ARM64_LIBS}; install them with: apt-get install libstdc++6-arm64-cross`).skip);

let x64: string;
let arm64: string;
// a copy alone in a folder: the chunks must come from inside the executable
const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-standalone-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  x64 = join(dir, 'aws-mfa');
  copyFileSync(await packaged('linux-x64'), x64);
  if (!arm64Skip) arm64 = await packaged('linux-arm64');
}, { timeout: 600_000 });

/** A HOME whose PATH holds nothing: no node, no tools. */
function homeWithoutNode(): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const empty = join(home.dir, 'empty-bin');
  mkdirSync(empty);
  home.env.PATH = empty;
  return home;
}
const ok = (r: RunResult) => assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);

test('linux-x64: --version, a first session, a cached check, with no node on PATH and no chunk files beside it', async () => {
  const home = homeWithoutNode();
  assert.deepEqual(readdirSync(join(x64, '..')), ['aws-mfa']);
  const v = await runProcess(x64, ['--version'], { env: home.env });
  ok(v);
  assert.equal(v.stdout, `${VERSION}\n`);
  await onboard(emu.moto.endpoint, home, 'sa');
  await emu.moto.resetRecording();
  ok(await runProcess(x64, ['--profile', 'sa', '--token', '123456'], { env: home.env }));
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  const text = home.read();
  assert.ok(IniDocument.parse(text).get('sa', 'aws_session_token'));
  await emu.moto.resetRecording();
  const cached = await runProcess(x64, ['--profile', 'sa'], { env: home.env });
  ok(cached);
  assert.deepEqual(await emu.moto.actions(), []);
  assert.equal(home.read(), text);
});

test('linux-x64: setup-credential-process names the executable once, and the line runs', async () => {
  const home = homeWithoutNode();
  await onboard(emu.moto.endpoint, home, 'cp');
  ok(await runProcess(x64, ['--profile', 'cp', '--token', '123456'], { env: home.env }));
  ok(await runProcess(x64, ['setup-credential-process', '--profile', 'cp'], { env: home.env }));
  const line = IniDocument.parse(home.read(home.config)).get('profile cp-auto', 'credential_process');
  assert.equal(line, `${x64} credential-process --profile cp`);
  const [program, ...args] = line.split(' ');
  const r = await runProcess(program!, args, { env: home.env });
  ok(r);
  assert.equal(JSON.parse(r.stdout).SessionToken, IniDocument.parse(home.read()).get('cp', 'aws_session_token'));
});

test('linux-arm64 under qemu-user-static: --version and a cached check', { skip: arm64Skip }, async () => {
  const home = homeWithoutNode();
  const run = (args: string[]) => runProcess(qemu.path!, [arm64, ...args], { env: { ...home.env, QEMU_LD_PREFIX: ARM64_LIBS }, timeoutMs: 120_000 });
  const v = await run(['--version']);
  ok(v);
  assert.equal(v.stdout, `${VERSION}\n`);
  await onboard(emu.moto.endpoint, home, 'arm');
  ok(await runProcess(x64, ['--profile', 'arm', '--token', '123456'], { env: home.env }));
  const text = home.read();
  await emu.moto.resetRecording();
  const cached = await run(['--profile', 'arm']);
  ok(cached);
  assert.match(cached.stderr, /still valid|expire/i);
  assert.deepEqual(await emu.moto.actions(), []);
  assert.equal(home.read(), text);
});
