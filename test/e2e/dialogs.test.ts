/**
 * Where no terminal is (issue 26): credential-process run detached (no controlling terminal,
 * stdin not a terminal) with a display asks for the code in a dialog, zenity or kdialog drawn on a
 * private Xvfb and answered with xdotool; the AWS CLI gets the session; moto records the code
 * typed. Cancel, a wrong code, a failure shown in an error dialog, a display that cannot be
 * opened, a missing dialog program, and the ykman driver (a fake ykman: no YubiKey here). Callers
 * that ask at once for a due session (four credential-process runs; two AWS CLI calls through
 * `exec --ecs-server`) see one dialog and cause one GetSessionToken (the refresh lock).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, runAwsCli, CLI_COMMAND, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { findTool, needTool } from '../helpers/tools.js';
import {
  useXvfb, answerDialog, dialogShowing, findWindows, typeInto, windowCommandLine, windowPid, windowsTitled, XVFB_SKIP,
} from '../helpers/xvfb.js';
import { startPty } from '../helpers/tmux.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const display = useXvfb();
const ZENITY_SKIP = XVFB_SKIP || needTool('zenity', 'zenity');
const KDIALOG_SKIP = XVFB_SKIP || needTool('kdialog', 'kdialog');
let user: OnboardedUser;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
});

/** A folder for PATH holding only links to the named programs (so a dialog program can be left out). */
function pathWith(programs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-path-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(programs)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function homeWith(profile: string, extra: Record<string, string> = {}): Home {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_DEFAULT_REGION: 'us-east-1', DISPLAY: display.name, ...extra });
  writeLongTerm(home, profile, user);
  return home;
}

const title = (profile: string) => `aws-mfa: MFA code for [${profile}]`;
const awsPath = `${process.env.PATH}:${process.env.HOME}/.pyenv/shims`;

test('credential-process with no terminal asks in a zenity dialog; the AWS CLI gets the session', { skip: ZENITY_SKIP }, async () => {
  const home = homeWith('zen');
  const command = [...CLI_COMMAND, 'credential-process', '--profile', 'zen'].map((w) => `"${w}"`).join(' ');
  writeFileSync(home.config, `[profile zen-auto]\nregion = us-east-1\ncredential_process = ${command}\n`);
  await emu.moto.resetRecording();
  const aws = runAwsCli(['sts', 'get-caller-identity', '--profile', 'zen-auto'], { env: { ...home.env, PATH: awsPath }, detached: true });
  const [window] = await findWindows(display, title('zen'));
  const argv = windowCommandLine(display, window!);
  // started by the path found in PATH's absolute folders, never by name (io/prompt/run.ts whichProgram)
  assert.equal(argv[0], findTool('zenity'));
  assert.ok(argv.some((a) => a.includes(user.deviceArn)), `the dialog names the device: ${argv.join(' ')}`);
  await answerDialog(display, title('zen'), '246810');
  const r = await aws;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken', 'GetCallerIdentity']);
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.deepEqual([sts?.params.SerialNumber, sts?.params.TokenCode], [user.deviceArn, '246810'], 'the code typed into the dialog');
  assert.equal((await emu.moto.requests('GetCallerIdentity'))[0]?.accessKeyId, IniDocument.parse(home.read()).get('zen', 'aws_access_key_id'));
});

test('with a terminal, the terminal asks (the default), even with a desktop and zenity there', { skip: ZENITY_SKIP }, async () => {
  const home = homeWith('tty');
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, 'credential-process', '--profile', 'tty'], home.env);
  await pty.waitFor(/Enter AWS MFA code for device \[.*\] \(renewing for 43200 seconds\):/);
  await assert.rejects(findWindows(display, title('tty'), 1000), /no window titled/, 'no dialog');
  pty.type('314159');
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.equal(sts?.params.TokenCode, '314159');
});

test('a malformed code is asked again with the reason first; then the right one is sent', { skip: ZENITY_SKIP }, async () => {
  const home = homeWith('again');
  await emu.moto.resetRecording();
  const cp = runCli(['credential-process', '--profile', 'again'], { env: home.env, detached: true });
  await answerDialog(display, title('again'), '12ab');
  const argv = await dialogShowing(display, title('again'), (a) => a.includes('Try again'));
  assert.match(argv, /letters are not digits[\s\S]*Try again \(2 left\)[\s\S]*Enter the MFA code of device/, argv);
  assert.ok(!argv.includes('12ab'), 'what was typed is never in a program argument');
  assert.deepEqual(await emu.moto.actions(), [], 'a malformed code never reaches AWS');
  await answerDialog(display, title('again'), '975310');
  const r = await cp;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Try again \(2 left\)/);
  assert.equal(JSON.parse(r.stdout).Version, 1);
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.equal(sts?.params.TokenCode, '975310');
});

test('cancel: exit 130 with one line, no file changed, nothing sent', { skip: ZENITY_SKIP }, async () => {
  const home = homeWith('cancel');
  const before = home.read();
  await emu.moto.resetRecording();
  const cp = runCli(['credential-process', '--profile', 'cancel'], { env: home.env, detached: true });
  await answerDialog(display, title('cancel'), '', 'Escape');
  const r = await cp;
  assert.equal(r.code, 130, r.stderr);
  assert.equal(r.stderr, 'aws-mfa: error: the MFA code dialog was cancelled; nothing was sent to AWS\n');
  assert.equal(r.stdout, '');
  assert.equal(home.read(), before);
  assert.deepEqual(await emu.moto.actions(), []);
});

test('kdialog, chosen by AWS_MFA_PROMPT, asks in Japanese; the code typed is sent', { skip: KDIALOG_SKIP }, async () => {
  const home = homeWith('kde', { AWS_MFA_PROMPT: 'kdialog', AWS_MFA_LANG: 'ja' });
  await emu.moto.resetRecording();
  const cp = runCli(['credential-process', '--profile', 'kde'], { env: home.env, detached: true });
  const jaTitle = 'aws-mfa: [kde] の MFA コード';
  const [window] = await findWindows(display, jaTitle);
  const argv = windowCommandLine(display, window!);
  assert.match(argv.join(' '), /kdialog[\s\S]*--inputbox MFA デバイス .* のコードを入力してください/);
  await answerDialog(display, jaTitle, '135246');
  const r = await cp;
  assert.equal(r.code, 0, r.stderr);
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.equal(sts?.params.TokenCode, '135246');
});

test('a failure that needs the user (no long-term key) is also shown in an error dialog', { skip: ZENITY_SKIP }, async () => {
  const home = homeWith('other');
  const r = await runCli(['credential-process', '--profile', 'nokey'], { env: home.env, detached: true });
  assert.equal(r.code, 3, r.stderr);
  const line = r.stderr.trim().replace(/^aws-mfa: error: /, '');
  const [window] = await findWindows(display, 'aws-mfa: error for [nokey]');
  const argv = windowCommandLine(display, window!);
  assert.deepEqual(argv.slice(0, 2), [findTool('zenity'), '--error']);
  assert.equal(argv[argv.indexOf('--text') + 1], line, 'the line stderr has');
  await answerDialog(display, 'aws-mfa: error for [nokey]', '');
});

test('a display that cannot be opened: one line, exit 3, no file changed', { skip: ZENITY_SKIP }, async () => {
  const home = homeWith('nodisplay', { DISPLAY: ':9999' });
  const before = home.read();
  const r = await runCli(['credential-process', '--profile', 'nodisplay', '--prompt', 'zenity'], { env: home.env, detached: true });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^aws-mfa: error: the zenity dialog cannot open the display ":9999"\. Choose another prompt with --prompt or AWS_MFA_PROMPT \(terminal, zenity, kdialog, osascript, windows, ykman\), or pass --token CODE\.\n$/);
  // no display at all (an SSH session): said so, not 'cannot open the display ""'
  const unset = await runCli(['credential-process', '--profile', 'nodisplay', '--prompt', 'zenity'], { env: { ...home.env, DISPLAY: '' }, detached: true });
  assert.equal(unset.code, 3, unset.stderr);
  assert.match(unset.stderr, /^aws-mfa: error: the zenity dialog needs a desktop, and neither DISPLAY nor WAYLAND_DISPLAY is set \(an SSH session or a console without one\)\. Choose another prompt/);
  assert.equal(home.read(), before);
});

test('a dialog program not installed, or crashing: one line, exit 3, no file changed', async () => {
  const home = homeWith('missing', { PATH: pathWith({ kdialog: '#!/bin/sh\nkill -SEGV $$\n' }) });
  const before = home.read();
  const missing = await runCli(['credential-process', '--profile', 'missing', '--prompt', 'zenity'], { env: home.env, detached: true });
  assert.equal(missing.code, 3, missing.stderr);
  assert.match(missing.stderr, /^aws-mfa: error: zenity is not installed or not on PATH, so the zenity prompt cannot ask\. Choose another prompt with --prompt or AWS_MFA_PROMPT/);
  assert.equal(missing.stderr.split('\n').length, 2, 'one line');
  const crash = await runCli(['credential-process', '--profile', 'missing', '--prompt', 'kdialog'], { env: home.env, detached: true });
  assert.equal(crash.code, 3, crash.stderr);
  assert.match(crash.stderr, /^aws-mfa: error: the kdialog dialog failed \(SIGSEGV\)\. Choose another prompt/);
  // ykman missing: said before any "touch your YubiKey" (nothing would wait for the touch)
  const yk = await runCli(['credential-process', '--profile', 'missing', '--prompt', 'ykman'], { env: home.env, detached: true });
  assert.equal(yk.code, 3, yk.stderr);
  assert.match(yk.stderr, /^aws-mfa: error: ykman is not installed or not on PATH, so the ykman prompt cannot ask\. Choose another prompt/);
  assert.equal(yk.stderr.split('\n').length, 2, `one line, no touch request: ${yk.stderr}`);
  assert.equal(home.read(), before);
});

test('ykman: the YubiKey OATH account named after the device gives the code; "touch your YubiKey" is shown', async () => {
  const argsFile = join(mkdtempSync(join(tmpdir(), 'aws-mfa-ykman-')), 'args');
  const fake = `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\necho 864209\n`;
  const home = homeWith('yk', { PATH: pathWith({ ykman: fake }), YKMAN_OATH_DEVICE_SERIAL: '1234567' });
  writeFileSync(home.config, '[profile yk]\nmfa_prompt = ykman\n');
  await emu.moto.resetRecording();
  const r = await runCli(['credential-process', '--profile', 'yk'], { env: { ...home.env, DISPLAY: '' }, detached: true });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(argsFile, 'utf8').split('\n').filter(Boolean), ['--device', '1234567', 'oath', 'accounts', 'code', '--single', '--', user.deviceArn]);
  assert.match(r.stderr, new RegExp(`Touch your YubiKey to give the MFA code for ${user.deviceArn.replace(/[/.]/g, '\\$&')}\\.`));
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.equal(sts?.params.TokenCode, '864209');
  rmSync(dirname(argsFile), { recursive: true, force: true });
});

test('ykman with no terminal and a desktop: "touch your YubiKey" is in a window while ykman waits, closed after', { skip: ZENITY_SKIP }, async () => {
  // the fake YubiKey answers only once the notice is on the screen (it looks, with xdotool, as a person would)
  const fake = `#!/bin/sh\nfor i in $(seq 1 100); do\n  if xdotool search --name '^aws-mfa: MFA code for \\[ykd\\]' >/dev/null; then echo 112233; exit 0; fi\n  sleep 0.2\ndone\nexit 1\n`;
  const home = homeWith('ykd', { PATH: `${pathWith({ ykman: fake })}:${process.env.PATH}` });
  await emu.moto.resetRecording();
  const r = await runCli(['credential-process', '--profile', 'ykd', '--prompt', 'ykman'], { env: home.env, detached: true });
  assert.equal(r.code, 0, r.stderr);
  const [sts] = await emu.moto.requests('GetSessionToken');
  assert.equal(sts?.params.TokenCode, '112233');
  await assert.rejects(findWindows(display, title('ykd'), 1500), /no window titled/, 'the notice is closed once ykman answered');
});

test('ykman failing (no YubiKey): one line naming the account, exit 3, nothing sent', async () => {
  const home = homeWith('ykno', { PATH: pathWith({ ykman: '#!/bin/sh\necho "ERROR: No YubiKey detected!" >&2\nexit 1\n' }) });
  await emu.moto.resetRecording();
  const r = await runCli(['credential-process', '--profile', 'ykno', '--prompt', 'ykman'], { env: { ...home.env, DISPLAY: '' }, detached: true });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^aws-mfa: error: ykman gave no code for the OATH account "arn:aws:iam::\d+:mfa\/[\w-]+" \(exit 1: ERROR: No YubiKey detected!\); plug in the YubiKey/m);
  assert.deepEqual(await emu.moto.actions(), []);
});

/** A HOME whose [profile] holds a session, had with --token; the recording reset after it. */
async function sessionHome(profile: string, extra: Record<string, string> = {}): Promise<Home> {
  const home = homeWith(profile, extra);
  const first = await runCli(['--profile', profile, '--token', '123456'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
  await emu.moto.resetRecording();
  return home;
}

/** Time passes: the session in `credentials` ended long ago. */
const EXPIRE = `sed -i 's/^expiration = .*/expiration = 2001-01-01 00:00:00/'`;

/**
 * Every dialog titled `title` shown until `done` settles, each answered with `code` as a person
 * would (so a caller that asks on its own is never left waiting): the distinct dialogs seen, as
 * WINDOW@PID (a window id alone could be reused by the X server once its program is gone).
 */
async function answerEveryDialog(title: string, code: string, done: Promise<unknown>, key = 'Return'): Promise<string[]> {
  const seen = new Set<string>();
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    for (const window of windowsTitled(display, title)) {
      const pid = windowPid(display, window);
      if (pid === undefined || seen.has(`${window}@${pid}`)) continue;
      seen.add(`${window}@${pid}`);
      await typeInto(display, window, code, key).catch(() => {}); // gone meanwhile: it was still seen
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return [...seen];
}

test('four credential-process runs at once for a due session: one dialog, one GetSessionToken, one session',
  { skip: ZENITY_SKIP }, async () => {
    const home = await sessionHome('four');
    execSync(`${EXPIRE} "${home.credentials}"`);
    const runs = [1, 2, 3, 4].map(() =>
      runCli(['credential-process', '--profile', 'four'], { env: home.env, detached: true, timeoutMs: 90_000 }));
    const all = Promise.all(runs);
    const dialogs = await answerEveryDialog(title('four'), '192837', all);
    const results = await all;
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal(dialogs.length, 1, `one dialog for the four callers: ${dialogs.join(' ')}`);
    const waited = results.filter((r) => /another aws-mfa is getting the session for \[four\]/.test(r.stderr));
    assert.ok(waited.length >= 1, 'the callers asked at once: some waited for the one that asked');
    const printed = results.map((r) => JSON.parse(r.stdout) as { AccessKeyId: string; Expiration: string });
    assert.equal(new Set(printed.map((p) => p.Expiration)).size, 1, 'the same session printed four times');
    assert.equal(new Set(printed.map((p) => p.AccessKeyId)).size, 1);
    assert.ok(Date.parse(printed[0]!.Expiration) > Date.now());
    const stored = IniDocument.parse(home.read()).get('four', 'aws_access_key_id');
    assert.equal(printed[0]!.AccessKeyId, stored, 'the stored one');
    const sts = await emu.moto.requests('GetSessionToken');
    assert.deepEqual(sts.map((r) => [r.params.SerialNumber, r.params.TokenCode]), [[user.deviceArn, '192837']]);
  });

test('four runs at once, the one dialog cancelled: all four end (exit 130), none asks again, nothing sent',
  { skip: ZENITY_SKIP }, async () => {
    const home = await sessionHome('fourcancel');
    execSync(`${EXPIRE} "${home.credentials}"`);
    const before = home.read();
    await emu.moto.resetRecording();
    const runs = [1, 2, 3, 4].map(() =>
      runCli(['credential-process', '--profile', 'fourcancel'], { env: home.env, detached: true, timeoutMs: 90_000 }));
    const all = Promise.all(runs);
    const dialogs = await answerEveryDialog(title('fourcancel'), '', all, 'Escape');
    const results = await all;
    assert.equal(dialogs.length, 1, `one cancel for the four callers: ${dialogs.join(' ')}`);
    for (const r of results) assert.equal(r.code, 130, r.stderr);
    const told = results.filter((r) => /the MFA code prompt of the aws-mfa this one waited for \(\[fourcancel\]\) was cancelled/.test(r.stderr));
    assert.ok(told.length >= 1, 'the ones that waited say why they stop');
    assert.deepEqual(await emu.moto.actions(), []);
    assert.equal(home.read(), before);
  });

test('exec --ecs-server: two AWS CLI calls at once in the child when the session is due: one dialog, '
  + 'one GetSessionToken', { skip: ZENITY_SKIP }, async () => {
  // the session is had at the start (valid then: no dialog); then, in the child, time passes and
  // two AWS CLI calls ask the endpoint at once
  const home = await sessionHome('ecs', { PATH: awsPath });
  const call = 'aws sts get-caller-identity --output text --query Arn';
  const child = [
    `${EXPIRE} "${home.credentials}"`,
    `${call} & first=$!`,
    `${call} & second=$!`,
    'wait $first && wait $second',
  ].join('\n');
  const exec = runCli(['exec', '--ecs-server', '--profile', 'ecs', '--', 'sh', '-c', child],
    { env: home.env, detached: true, timeoutMs: 90_000 });
  const dialogs = await answerEveryDialog(title('ecs'), '564738', exec);
  const r = await exec;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(dialogs.length, 1, `one dialog for the two calls: ${dialogs.join(' ')}`);
  assert.equal(r.stdout.trim().split('\n').length, 2, r.stdout);
  const sts = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(sts.map((q) => [q.params.SerialNumber, q.params.TokenCode]), [[user.deviceArn, '564738']]);
  const session = IniDocument.parse(home.read()).get('ecs', 'aws_access_key_id');
  const calls = await emu.moto.requests('GetCallerIdentity');
  assert.deepEqual(calls.map((c) => c.accessKeyId), [session, session], 'both signed with the renewed session');
});
