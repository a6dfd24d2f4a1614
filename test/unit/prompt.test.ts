/**
 * Pins the prompt drivers' rules (issue 26): the default driver (the terminal when there is one,
 * else the desktop's dialog: Linux's display with zenity first, then kdialog; macOS's osascript;
 * Windows' interactive session; else none), the order of the places a driver is chosen
 * (--prompt, AWS_MFA_PROMPT, mfa_prompt), when a failure goes to an error dialog, what a dialog's
 * exit means, and the command lines built for each program (osascript's cannot run here: its
 * script is checked as text). Pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPromptDriver, chosenPrompt, defaultPrompt, desktopDialog, PROMPT_DRIVERS, type DesktopFacts } from '../../src/core/prompt-choice.js';
import { EXIT, isCliError } from '../../src/errors.js';
import { t } from '../../src/messages/index.js';
import { dialogAnswer, type ProgramResult } from '../../src/io/prompt/run.js';
import { zenityArgs, entryText } from '../../src/io/prompt/zenity.js';
import { kdialogArgs } from '../../src/io/prompt/kdialog.js';
import { osascriptArgs, userCancelled } from '../../src/io/prompt/osascript.js';
import { ykmanArgs } from '../../src/io/prompt/ykman.js';
import { errorDialogDriver } from '../../src/io/prompt/error-dialog.js';

const linux = (env: Record<string, string>, programs: string[] = ['zenity', 'kdialog']): DesktopFacts => ({
  platform: 'linux',
  env,
  onPath: (p) => programs.includes(p),
});

test('the desktop dialog: Linux needs DISPLAY or WAYLAND_DISPLAY and zenity (first) or kdialog on PATH', () => {
  assert.equal(desktopDialog(linux({})), undefined, 'no display: no dialog');
  assert.equal(desktopDialog(linux({ DISPLAY: ':0' })), 'zenity', 'zenity first');
  assert.equal(desktopDialog(linux({ WAYLAND_DISPLAY: 'wayland-0' })), 'zenity', 'Wayland counts');
  assert.equal(desktopDialog(linux({ DISPLAY: ':0' }, ['kdialog'])), 'kdialog', 'kdialog when zenity is missing');
  assert.equal(desktopDialog(linux({ DISPLAY: ':0' }, [])), undefined, 'a display but no dialog program');
  assert.equal(desktopDialog({ ...linux({ DISPLAY: ':0' }), platform: 'freebsd' }), 'zenity', 'the BSDs as Linux');
});

test('the desktop dialog: macOS osascript; Windows in an interactive session (SESSIONNAME) only', () => {
  assert.equal(desktopDialog({ platform: 'darwin', env: {}, onPath: () => false }), 'osascript');
  assert.equal(desktopDialog({ platform: 'win32', env: { SESSIONNAME: 'Console' }, onPath: () => false }), 'windows');
  assert.equal(desktopDialog({ platform: 'win32', env: { SESSIONNAME: 'RDP-Tcp#3' }, onPath: () => false }), 'windows');
  assert.equal(desktopDialog({ platform: 'win32', env: {}, onPath: () => false }), undefined, 'a service: no dialog');
});

test('the default driver: the terminal when there is one (the desktop is not even looked at), else the desktop dialog, else none', () => {
  assert.equal(defaultPrompt(true, () => assert.fail('not asked')), 'terminal');
  assert.equal(defaultPrompt(false, () => 'kdialog'), 'kdialog');
  assert.equal(defaultPrompt(false, () => undefined), undefined);
});

test('driver names: the six, any case; another is refused naming where it came from (exit 2, or 3 from a file)', () => {
  assert.deepEqual([...PROMPT_DRIVERS], ['terminal', 'zenity', 'kdialog', 'osascript', 'windows', 'ykman']);
  assert.equal(checkPromptDriver(' Zenity ', '--prompt'), 'zenity');
  assert.throws(() => checkPromptDriver('pinentry', '--prompt'), (e) => isCliError(e) && e.exitCode === EXIT.USAGE &&
    e.message === 'unknown prompt driver "pinentry" (--prompt); use one of: terminal, zenity, kdialog, osascript, windows, ykman');
  assert.throws(() => checkPromptDriver('x', 'mfa_prompt'), (e) => isCliError(e) && e.exitCode === EXIT.USAGE);
  assert.throws(() => checkPromptDriver('x', 'mfa_prompt', true), (e) => isCliError(e) && e.exitCode === EXIT.CONFIG);
});

const promptOf = (flag: string | undefined, env: Record<string, string>, config: Array<[string, string]>) =>
  chosenPrompt(flag, env, new Map(config), '/h/.aws/config');

test('where the driver is chosen: --prompt, then AWS_MFA_PROMPT, then mfa_prompt in the profile; else none (the default)', () => {
  const inConfig = t('source.configKey', { key: 'mfa_prompt', file: '/h/.aws/config' });
  assert.equal(promptOf('kdialog', { AWS_MFA_PROMPT: 'zenity' }, [['mfa_prompt', 'ykman']]), 'kdialog');
  assert.equal(promptOf(undefined, { AWS_MFA_PROMPT: 'zenity' }, [['mfa_prompt', 'ykman']]), 'zenity');
  assert.equal(promptOf(undefined, { AWS_MFA_PROMPT: '' }, [['mfa_prompt', 'ykman']]), 'ykman');
  assert.equal(promptOf(undefined, {}, []), undefined);
  assert.throws(() => promptOf('gui', {}, []), (e) => isCliError(e) && e.exitCode === EXIT.USAGE && e.message.includes('(--prompt)'));
  assert.throws(() => promptOf(undefined, { AWS_MFA_PROMPT: 'gui' }, []), (e) => isCliError(e) && e.exitCode === EXIT.USAGE && e.message.includes('(AWS_MFA_PROMPT)'));
  assert.throws(() => promptOf(undefined, {}, [['mfa_prompt', 'gui']]), (e) => isCliError(e) && e.exitCode === EXIT.CONFIG && e.message.includes(inConfig));
});

test('a failure goes to an error dialog only with no terminal: the dialog named, else the desktop\'s; never for --prompt terminal', () => {
  const desktop = () => 'zenity' as const;
  assert.equal(errorDialogDriver([], {}, true, desktop), undefined, 'a terminal: stderr is seen');
  assert.equal(errorDialogDriver([], {}, false, desktop), 'zenity');
  assert.equal(errorDialogDriver(['--prompt', 'kdialog'], {}, false, desktop), 'kdialog');
  assert.equal(errorDialogDriver(['--prompt=kdialog'], {}, false, desktop), 'kdialog');
  assert.equal(errorDialogDriver([], { AWS_MFA_PROMPT: 'kdialog' }, false, desktop), 'kdialog');
  assert.equal(errorDialogDriver(['--prompt', 'terminal'], {}, false, desktop), undefined);
  assert.equal(errorDialogDriver(['--prompt', 'ykman'], {}, false, desktop), 'zenity', 'ykman shows no window: the desktop\'s');
  assert.equal(errorDialogDriver(['--prompt', 'bogus'], {}, false, desktop), undefined, 'the failure may be that name');
  assert.equal(errorDialogDriver([], {}, false, () => undefined), undefined, 'no desktop');
});

const result = (r: Partial<ProgramResult>): ProgramResult => ({ status: 0, signal: null, stdout: '', stderr: '', ...r });
const failsWith = (f: () => unknown, message: RegExp) =>
  assert.throws(f, (e) => isCliError(e) && e.exitCode === EXIT.CONFIG && (e as { dialogFailed?: boolean }).dialogFailed === true && message.test(e.message));

test("a dialog's exit: the first line it printed; exit 1 a cancel; a display it cannot open, a signal or another exit a failure (exit 3)", () => {
  assert.equal(dialogAnswer('zenity', result({ stdout: '123456\n' }), {}), '123456');
  assert.equal(dialogAnswer('zenity', result({ status: 1 }), {}), undefined);
  assert.equal(dialogAnswer('zenity', result({ status: 1, stderr: 'Gtk-Message: GtkDialog mapped without a transient parent\n' }), {}), undefined);
  failsWith(() => dialogAnswer('zenity', result({ status: 1, stderr: '(zenity:1): Gtk-WARNING **: cannot open display: :5' }), { DISPLAY: ':5' }), /cannot open the display ":5"/);
  failsWith(() => dialogAnswer('kdialog', result({ status: null, signal: 'SIGABRT', stderr: 'qt.qpa.xcb: could not connect to display :5' }), { DISPLAY: ':5' }), /cannot open the display/);
  failsWith(() => dialogAnswer('kdialog', result({ status: null, signal: 'SIGSEGV' }), {}), /the kdialog dialog failed \(SIGSEGV\)/);
  failsWith(() => dialogAnswer('zenity', result({ status: 255 }), {}), /failed \(exit 255\)/);
});

const req = { title: 'aws-mfa: MFA code for [work]', text: 'Enter the MFA code of device arn:aws:iam::1:mfa/taro_phone.' };

test('zenity: an entry dialog whose text is shown literally (GLib escapes and GTK mnemonics doubled); errors without markup', () => {
  assert.equal(entryText('a_b\\n'), 'a__b\\\\n');
  assert.deepEqual(zenityArgs.ask(req), ['--entry', '--title', req.title, '--text', entryText(req.text), '--width', '480']);
  assert.deepEqual(zenityArgs.error(req).slice(0, 4), ['--error', '--no-markup', '--title', req.title]);
});

test('kdialog: an input box and an error box, the title and the text as arguments', () => {
  assert.deepEqual(kdialogArgs.ask(req), ['--title', req.title, '--inputbox', req.text]);
  assert.deepEqual(kdialogArgs.error(req), ['--title', req.title, '--error', req.text]);
});

test('osascript (untested on a Mac): the script takes the title and text as arguments, never in its text; -128 is a cancel', () => {
  const quote = { title: 'a "b" \\ c', text: 'say "x" & return' };
  const args = osascriptArgs.ask(quote);
  assert.deepEqual(args, [
    '-e', 'on run argv',
    '-e', 'text returned of (display dialog (item 2 of argv) default answer "" with title (item 1 of argv))',
    '-e', 'end run',
    quote.title, quote.text,
  ]);
  assert.match(osascriptArgs.error(quote)[3]!, /^display dialog \(item 2 of argv\) with title \(item 1 of argv\) buttons \{"OK"\} default button 1 with icon stop$/);
  assert.equal(userCancelled(result({ status: 1, stderr: '0:120: execution error: User canceled. (-128)' })), true);
  assert.equal(userCancelled(result({ status: 1, stderr: '0:10: syntax error' })), false);
});

test('ykman: the account named after the device (or YKMAN_OATH_CREDENTIAL_NAME), YKMAN_OATH_DEVICE_SERIAL picks the YubiKey', () => {
  const device = 'arn:aws:iam::1:mfa/taro';
  assert.deepEqual(ykmanArgs(device, {}), ['oath', 'accounts', 'code', '--single', '--', device]);
  assert.deepEqual(ykmanArgs(device, { YKMAN_OATH_CREDENTIAL_NAME: 'aws:work', YKMAN_OATH_DEVICE_SERIAL: '99' }), ['--device', '99', 'oath', 'accounts', 'code', '--single', '--', 'aws:work']);
});

test('a dialog program is found only in absolute PATH folders and started by that path: one planted in the current folder never runs', async () => {
  const { mkdtempSync, writeFileSync, existsSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { whichProgram, runProgram } = await import('../../src/io/prompt/run.js');
  const { useLoaderEnv } = await import('../../src/start/chunk-hit.js');
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-which-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const marker = join(dir, 'PLANTED-RAN');
  writeFileSync(join(dir, 'zenity'), `#!/bin/sh\ntouch ${marker}\necho 123456\n`, { mode: 0o755 });
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    // an empty entry and a relative one both mean the current folder to a shell: neither is looked in
    for (const PATH of [`:${bin}`, `.:${bin}`, `${bin}::`]) {
      assert.equal(whichProgram('zenity', { PATH }), undefined, PATH);
      useLoaderEnv({ PATH });
      await assert.rejects(runProgram('zenity', 'zenity', ['--entry']), /zenity is not installed or not on PATH/);
      assert.equal(existsSync(marker), false, `${PATH}: the planted zenity did not run`);
    }
    writeFileSync(join(bin, 'zenity'), '#!/bin/sh\necho 654321\n', { mode: 0o755 });
    assert.equal(whichProgram('zenity', { PATH: `:${bin}` }), join(bin, 'zenity'));
    useLoaderEnv({ PATH: `:${bin}` });
    assert.equal((await runProgram('zenity', 'zenity', [])).stdout, '654321\n');
    assert.equal(existsSync(marker), false);
  } finally {
    process.chdir(cwd);
    useLoaderEnv({});
  }
});
