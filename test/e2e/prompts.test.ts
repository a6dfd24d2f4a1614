/**
 * Interactive use in a real terminal (tmux): the code prompt, a mistyped code, --setup with a
 * hidden secret, and the offer to create a missing credentials file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, CLI_COMMAND } from '../helpers/cli.js';
import { createUser, onboard } from '../helpers/onboard.js';
import { startPty } from '../helpers/tmux.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();

test('the code prompt names the device and duration; a mistyped code is asked again', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const u = await onboard(emu.moto.endpoint, home, 'tty');
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, '--profile', 'tty', '--duration', '3600'], home.env);
  await pty.waitFor(new RegExp(`Enter AWS MFA code for device \\[${u.deviceArn.replace(/[/.]/g, '\\$&')}\\] \\(renewing for 3600 seconds\\):`));
  pty.type('12345');
  pty.enter();
  await pty.waitFor(/exactly 6 digits[\s\S]*Enter AWS MFA code/);
  assert.deepEqual(await emu.moto.actions(), [], 'a malformed code never reaches AWS');
  pty.type('975310');
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  const [sent] = await emu.moto.requests('GetSessionToken');
  assert.deepEqual([sent?.params.SerialNumber, sent?.params.TokenCode, sent?.params.DurationSeconds], [u.deviceArn, '975310', '3600'], 'the typed code, for the device and duration the prompt named');
  assert.ok(IniDocument.parse(home.read()).get('tty', 'aws_session_token'));
});

test('credential-process at a terminal: Ctrl-C or Ctrl-D cancels the code prompt at once (exit 130), nothing sent or written, and the next run is not kept waiting', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'cancel');
  await emu.moto.resetRecording();
  const before = home.read();
  // the refresh lock is held while the prompt waits: its signal listeners must not swallow the Ctrl-C
  for (const cancel of ['ctrlC', 'ctrlD'] as const) {
    const pty = startPty([...CLI_COMMAND, 'credential-process', '--profile', 'cancel'], home.env);
    await pty.waitFor(/Enter AWS MFA code for device .*: $/m);
    assert.doesNotMatch(pty.screen(), /waiting/, `${cancel}: the lock of the run before was released`);
    pty[cancel]();
    assert.equal(await pty.exitCode(), 130, pty.screen());
    assert.match(pty.screen(), /^aws-mfa: error: cancelled: no MFA code was entered, and none was sent to AWS$/m, pty.screen());
  }
  assert.deepEqual(await emu.moto.actions(), [], 'nothing reached AWS');
  assert.equal(home.read(), before);
});

/** The line that says why a typed code was refused (5 digits), with the tries left. */
const REFUSED = /^aws-mfa: warning: .*exactly 6 digits.*\(2 left\)/m;

for (const command of ['session', 'credential-process'] as const) {
  test(`stderr redirected to a file (2>log, ${command}): the code prompt and why a code was refused are on the screen, and the log gets no escape sequence and no code`, async () => {
    const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
    const u = await onboard(emu.moto.endpoint, home, 'logged');
    await emu.moto.resetRecording();
    const log = join(home.dir, 'log.txt');
    const args = command === 'session' ? ['--profile', 'logged'] : ['credential-process', '--profile', 'logged'];
    const quoted = [...CLI_COMMAND, ...args].map((a) => `'${a}'`).join(' ');
    // credential-process: stdout is the caller's (a file here), the prompt on the controlling terminal
    const out = command === 'session' ? '' : ` >${join(home.dir, 'out.json')}`;
    const pty = startPty(['sh', '-c', `${quoted} 2>${log}${out}`], home.env);
    await pty.waitFor(/Enter AWS MFA code for device .*: $/m);
    pty.type('12345');
    pty.enter();
    await pty.waitFor(/exactly 6 digits[\s\S]*Enter AWS MFA code[^\n]*: $/m);
    assert.match(pty.screen(), REFUSED, pty.screen());
    assert.equal(pty.screen().split('\n').filter((l) => REFUSED.test(l)).length, 1, pty.screen());
    pty.type('975310');
    pty.enter();
    assert.equal(await pty.exitCode(), 0, pty.screen());
    const [sent] = await emu.moto.requests('GetSessionToken');
    assert.deepEqual([sent?.params.SerialNumber, sent?.params.TokenCode], [u.deviceArn, '975310']);
    const logged = readFileSync(log, 'utf8');
    assert.doesNotMatch(logged, /\x1b|975310|12345|Enter AWS MFA code/, JSON.stringify(logged));
    assert.match(logged, REFUSED, 'the log records the refusal too');
    if (command === 'session') assert.match(logged, /Success/, 'the log still gets the messages');
  });

  test(`stderr redirected to a file (2>log, ${command}): after the last wrong code, and after Ctrl-D, how it ended is on the screen too`, async () => {
    const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
    await onboard(emu.moto.endpoint, home, 'ended');
    await emu.moto.resetRecording();
    const args = command === 'session' ? ['--profile', 'ended'] : ['credential-process', '--profile', 'ended'];
    const quoted = [...CLI_COMMAND, ...args].map((a) => `'${a}'`).join(' ');
    const out = command === 'session' ? '' : ` >${join(home.dir, 'out.json')}`;
    const LAST = /^aws-mfa: error: the MFA code must be exactly 6 digits \(got 3 characters\)\. That was the last of 3 tries/m;
    const CANCELLED = /^aws-mfa: error: cancelled: no MFA code was entered, and none was sent to AWS$/m;
    for (const [end, shown, code] of [['last try', LAST, 2], ['Ctrl-D', CANCELLED, 130]] as const) {
      const log = join(home.dir, `${code}.txt`);
      const pty = startPty(['sh', '-c', `${quoted} 2>${log}${out}`], home.env);
      if (end === 'last try') {
        for (const typed of ['1', '22', '333']) {
          await pty.waitFor(/Enter AWS MFA code for device [^\n]*: $/m);
          pty.type(typed);
          pty.enter();
        }
      } else {
        await pty.waitFor(/Enter AWS MFA code for device [^\n]*: $/m);
        pty.ctrlD();
      }
      assert.equal(await pty.exitCode(), code, pty.screen());
      assert.match(pty.screen(), shown, `${end}: on the screen\n${pty.screen()}`);
      assert.match(readFileSync(log, 'utf8'), shown, `${end}: in the log`);
    }
    assert.deepEqual(await emu.moto.actions(), [], 'nothing was sent');
  });
}

test('--setup asks for the keys (the secret hidden) and writes [NAME-long-term]; then the session works', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  home.write('# keep me\n');
  const u = await createUser(emu.moto.endpoint);
  const pty = startPty([...CLI_COMMAND, '--setup'], home.env);
  await pty.answer([
    [/Profile name to set up \[default\]:/, 'team'],
    [/aws_access_key_id:/, u.accessKeyId],
    [/aws_secret_access_key:/, u.secretAccessKey],
  ]);
  await pty.waitFor(/aws_mfa_device/);
  assert.ok(!pty.screen().includes(u.secretAccessKey), 'the secret is not echoed');
  pty.type(u.deviceArn);
  pty.enter();
  await pty.waitFor(/region \(for example ap-northeast-1, optional\):/);
  pty.type('eu-central-1');
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  // the region lands where the AWS CLI reads it for the session profile
  assert.equal(IniDocument.parse(readFileSync(home.config, 'utf8')).get('profile team', 'region'), 'eu-central-1');
  assert.ok(!pty.screen().includes(u.secretAccessKey), 'the secret is never shown');
  const text = home.read();
  assert.ok(text.startsWith('# keep me\n'));
  const doc = IniDocument.parse(text);
  assert.equal(doc.get('team-long-term', 'aws_access_key_id'), u.accessKeyId);
  assert.equal(doc.get('team-long-term', 'aws_secret_access_key'), u.secretAccessKey);
  assert.equal(doc.get('team-long-term', 'aws_mfa_device'), u.deviceArn);
});

test('no credentials file on a terminal: aws-mfa offers to create it, sets it up 0600, and gets the session', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const u = await createUser(emu.moto.endpoint);
  assert.ok(!existsSync(home.credentials));
  await emu.moto.resetRecording();
  const pty = startPty([...CLI_COMMAND, '--profile', 'new'], home.env);
  await pty.answer([
    [/Could not locate credentials file at .*create it and set up \[new-long-term\] now\? \[y\/N\]/, 'y'],
    [/aws_access_key_id:/, u.accessKeyId],
    [/aws_secret_access_key:/, u.secretAccessKey],
    [/aws_mfa_device/, u.deviceArn],
    [/region \(for example ap-northeast-1, optional\):/, ''],
    [/Enter AWS MFA code/, '424242'],
  ]);
  assert.equal(await pty.exitCode(), 0, pty.screen());
  const sent = await emu.moto.requests('GetSessionToken');
  assert.deepEqual(sent.map((r) => [r.accessKeyId, r.params.SerialNumber, r.params.TokenCode]), [[u.accessKeyId, u.deviceArn, '424242']], 'the keys, device and code typed');
  assert.equal(statSync(home.credentials).mode & 0o777, 0o600);
  assert.ok(IniDocument.parse(home.read()).get('new', 'aws_session_token'));
});

test('declining to create the file leaves nothing behind', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const pty = startPty([...CLI_COMMAND, '--profile', 'new'], home.env);
  await pty.waitFor(/\[y\/N\]/);
  pty.type('n');
  pty.enter();
  assert.equal(await pty.exitCode(), 3, pty.screen());
  assert.match(pty.screen(), /no credentials file at/);
  assert.ok(!existsSync(home.credentials));
});
