/**
 * A first-time user's worst experiences (issue 11, items 11-21), end to end on the built binary
 * against moto: swapped -s/-d never destroys long-term keys, a QR path is checked before AWS is
 * touched, suggested commands work when pasted, codes as apps show them, reasons at INFO, init run
 * again, the region the AWS CLI needs, where values came from, help and completion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, runAwsCli, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm } from '../helpers/onboard.js';
import { pasteInBash, suggestedCommand } from '../helpers/paste.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const homeFor = (extra: Record<string, string> = {}): Home => makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...extra });
const session = (home: Home, name: string) => IniDocument.parse(home.read()).entries(name);
const ROLE = 'arn:aws:iam::123456789012:role/admin';

function sessionSection(name: string, extra = '') {
  const exp = new Date(Date.now() + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return `[${name}]\nassumed_role = False\naws_access_key_id = ASIAOLDSESSION000000\naws_secret_access_key = oldsecret\naws_session_token = oldtoken\naws_security_token = oldtoken\nexpiration = ${exp}\n${extra}`;
}

test('-s and -d swapped: the source holds a session, so the run is refused and names the swap; nothing changes', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'w', u);
  writeFileSync(home.credentials, home.read() + '\n' + sessionSection('w'));
  const before = home.read();
  await emu.moto.resetRecording();
  const r = await runCli(['-s', 'w', '-d', 'w-long-term', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /\[w\] holds a session, not long-term keys; did you swap -s and -d\? .*perhaps: aws-mfa -s w-long-term -d w\)\n/);
  assert.equal(home.read(), before);
  assert.deepEqual(await emu.moto.actions(), []);
});

test('the long-term secret survives every combination of swapped names, --force and clear; no message suggests --force', async () => {
  const u = await createUser(emu.moto.endpoint);
  const combos: string[][] = [
    ['-s', 'w', '-d', 'w-long-term', '--token', '123456'],
    ['-s', 'w', '-d', 'w-long-term', '--token', '123456', '--force'],
    ['-s=w', '-d=w-long-term', '--token', '123456', '--force'],
    ['--profile', 'w-long-term', '--long-term-suffix', 'none', '--token', '123456', '--force'],
    ['--profile', 'w-long-term', '--long-term-suffix', 'other', '--token', '123456', '--force'],
    ['--profile', 'w', '--short-term-suffix', 'long-term', '--long-term-suffix', 'other', '--token', '123456', '--force'],
    ['clear', '-s', 'w', '-d', 'w-long-term'],
    ['clear', '--profile', 'w', '--short-term-suffix', 'long-term', '--long-term-suffix', 'x'],
    ['export', '-s', 'w', '-d', 'w-long-term', '--token', '123456', '--force'],
    ['credential-process', '-s', 'w', '-d', 'w-long-term', '--token', '123456', '--force'],
  ];
  for (const args of combos) {
    const home = homeFor();
    writeLongTerm(home, 'w', u);
    writeLongTerm(home, 'w', u, { suffix: 'other' });
    writeLongTerm(home, 'w-long-term', u, { suffix: 'other' });
    writeFileSync(home.credentials, home.read() + '\n' + sessionSection('w'));
    const r = await runCli(args, { env: home.env });
    assert.ok(home.read().includes(`aws_secret_access_key = ${u.secretAccessKey}`), `${args.join(' ')}: the secret is still there\n${r.stderr}`);
    assert.equal(session(home, 'w-long-term').get('aws_access_key_id'), u.accessKeyId, args.join(' '));
    assert.doesNotMatch(r.stderr, /--force/, `${args.join(' ')} suggests nothing with --force`);
    assert.notEqual(r.code, 0, `${args.join(' ')} is refused`);
  }
});

test('init with another key in [NAME-long-term]: not replaced by --force, only by --replace-key', async () => {
  const old = await createUser(emu.moto.endpoint);
  const neu = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'w', old);
  const args = ['init', '--profile', 'w', '--access-key-id', neu.accessKeyId, '--secret-access-key-stdin', '--token', '123456', '--region', 'ap-northeast-1'];
  const r1 = await runCli([...args, '--force'], { env: home.env, input: `${neu.secretAccessKey}\n` });
  assert.equal(r1.code, 2, r1.stderr);
  assert.match(r1.stderr, /already holds another access key; to replace it with this one, run: aws-mfa init --replace-key --profile w\n/);
  assert.equal(session(home, 'w-long-term').get('aws_secret_access_key'), old.secretAccessKey);
  const r2 = await runCli([...args, '--replace-key'], { env: home.env, input: `${neu.secretAccessKey}\n` });
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(session(home, 'w-long-term').get('aws_access_key_id'), neu.accessKeyId);
});

test('init run again with the same key keeps it without asking, and the region lands where the AWS CLI reads it', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  const args = ['init', '--profile', 'w', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--token', '123456', '--region', 'ap-northeast-1'];
  const r1 = await runCli(args, { env: home.env, input: `${u.secretAccessKey}\n` });
  assert.equal(r1.code, 0, r1.stderr);
  const r2 = await runCli(args, { env: home.env, input: `${u.secretAccessKey}\n` });
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /\[w-long-term\] already holds this key; kept it/);
  assert.equal(IniDocument.parse(readFileSync(home.config, 'utf8')).get('profile w', 'region'), 'ap-northeast-1');
  const cli = await runAwsCli(['configure', 'get', 'region', '--profile', 'w'], { env: home.env });
  assert.equal(cli.stdout.trim(), 'ap-northeast-1', 'the AWS CLI reads the region for the session profile');
});

test('the session command writes the long-term profile\'s region for the session profile, or warns when there is none', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'r', u);
  writeFileSync(home.config, '[profile r-long-term]\nregion = eu-west-1\n');
  const r = await runCli(['--profile', 'r', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Wrote region = eu-west-1 to \[profile r\] in \S+config \(copied from \[profile r-long-term\]\) for the AWS CLI\n/);
  assert.equal(IniDocument.parse(readFileSync(home.config, 'utf8')).get('profile r', 'region'), 'eu-west-1');
  assert.equal((await emu.moto.requests('GetSessionToken')).length > 0, true);
  const bare = homeFor();
  writeLongTerm(bare, 'n', u);
  const r2 = await runCli(['--profile', 'n', '--token', '123456'], { env: bare.env });
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /The AWS CLI has no region for --profile n; set one with: aws configure set region us-east-1 --profile n/);
});

test('device create --qr-png into a missing folder: exit 3 before anything is created in AWS', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = homeFor();
  writeLongTerm(home, 'q', u);
  const before = home.read();
  await emu.moto.resetRecording();
  const png = join(home.dir, 'no', 'such', 'folder', 'qr.png');
  const r = await runCli(['device', 'create', '--profile', 'q', '--qr-png', png, '--code1', '123456', '--code2', '654321'], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot write .*qr\.png: the folder .*folder does not exist; create it \(mkdir -p .*folder\)/);
  assert.deepEqual(await emu.moto.actions(), [], 'no device was created');
  assert.equal(home.read(), before);
});

test('suggested commands carry the flags the user gave, and "did you mean" finds the usual mistakes', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'work', u);
  const run = async (args: string[]) => (await runCli([...args, '--token', '123456'], { env: home.env })).stderr;
  assert.match(await run(['--profile', 'work-long-term']), /work-long-term is the long-term section itself; give the profile name: aws-mfa --profile work\n/);
  assert.match(await run(['--profile', 'wrok']), /did you mean \[work-long-term\]\? Then run: aws-mfa --profile work\n/);
  assert.match(await run(['-s', 'wrk-long-term', '-d', 'work']), /\[wrk-long-term\] is missing .*did you mean \[work-long-term\]\? Then run: aws-mfa -s work-long-term -d work\n/);
  assert.match(await run(['--profile', 'fresh']), /set up the profile with: aws-mfa init --profile fresh\n/);
  // [profile x] in the credentials file; keys only in ~/.aws/config
  writeFileSync(home.credentials, home.read() + `\n[profile pp-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = x\n`);
  assert.match(await run(['--profile', 'pp']), /the credentials file has \[profile pp-long-term\].*rename it to \[pp-long-term\]/);
  writeFileSync(home.config, `[profile cfg-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = x\n`);
  assert.match(await run(['--profile', 'cfg']), /its keys are in .*config.*move them to \[cfg-long-term\]/);
});

test('a misspelt profile for export, exec, whoami, a -s/-d destination: the command offered is the one typed with the name meant, and does that when pasted', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'work', u);
  writeLongTerm(home, 'example', u, { suffix: 'none' });
  const first = await runCli(['--profile', 'work', '--token', '123456'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
  const kept = await runCli(['-s', 'example', '-d', 'example_mfa', '--token', '123456'], { env: home.env });
  assert.equal(kept.code, 0, kept.stderr);
  const offered = async (args: string[]) => {
    const r = await runCli(args, { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    return suggestedCommand(r.stderr, /Then run: /);
  };
  const cases: Array<[string[], string, RegExp]> = [
    [['export', '--profile', 'wrok', '--format', 'dotenv'], 'aws-mfa export --profile work --format dotenv', /^AWS_SESSION_TOKEN=/m],
    [['exec', '--profile', 'wrok', '--', 'sh', '-c', 'echo "key=$AWS_ACCESS_KEY_ID"'], 'aws-mfa exec --profile work -- sh -c "echo \\"key=\\$AWS_ACCESS_KEY_ID\\""', /^key=[A-Z0-9]{16,}$/m],
    [['whoami', '--profile=wrok', '--token', '123456'], 'aws-mfa whoami --profile work', /arn:aws:/],
    // exec without --: the program's own -d is the program's, kept as typed after --
    [['exec', '--profile', 'wrok', 'sh', '-c', 'echo "d=$1"', 'sh', '-d'], 'aws-mfa exec --profile work -- sh -c "echo \\"d=\\$1\\"" sh -d', /^d=-d$/m],
    [['export', '--profile', 'exmaple_mfa', '--format', 'dotenv'], 'aws-mfa export -s example -d example_mfa --format dotenv', /^AWS_SESSION_TOKEN=/m],
    // export read by a shell (here its stdout is a pipe): the recipe again, which sets the variables, printing nothing
    [['export', '--profile', 'wrok'], 'eval "$(aws-mfa export --profile work)"', /^token=\S{16,}\n$/],
    // a misspelt -d for status: its row would offer a renewal that writes a new, misspelt section
    [['status', '-s', 'example', '-d', 'exmaple_mfa'], 'aws-mfa status -s example -d example_mfa', /^example_mfa +\d+h \d+m left/m],
    // a misspelt -s for status: its row would offer a renewal that fails the same way
    [['status', '-s', 'exmaple', '-d', 'example_mfa'], 'aws-mfa status -s example -d example_mfa', /^example_mfa +\d+h \d+m left/m],
  ];
  for (const [typed, command, does] of cases) {
    const line = await offered(typed);
    assert.equal(line, command, typed.join(' '));
    const pasted = await pasteInBash(line.startsWith('eval ') ? `${line} && echo "token=$AWS_SESSION_TOKEN"` : line, { env: home.env });
    assert.equal(pasted.code, 0, `${line}: ${pasted.stderr}`);
    assert.match(pasted.stdout, does, `${line} did what ${typed[0]} does`);
  }
  // a misspelt AWS_PROFILE: the variable named, and the command that sets it right in the user's shell;
  // pasted, the same command then works (a --profile offer fixed one run and left the variable wrong)
  const variable = await runCli(['export', '--format', 'dotenv'], { env: { ...home.env, AWS_PROFILE: 'wrok' } });
  assert.equal(variable.code, 3, variable.stderr);
  assert.match(variable.stderr, /; AWS_PROFILE is wrok: did you mean \[work-long-term\]\? Then set it with: export AWS_PROFILE=work\n/);
  const setIt = suggestedCommand(variable.stderr, /Then set it with: /);
  const fixed = await pasteInBash(`${setIt} && aws-mfa export --format dotenv`, { env: { ...home.env, AWS_PROFILE: 'wrok' } });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stdout, /^AWS_SESSION_TOKEN=/m);
  // keys where aws configure left them, asked for by an export a shell reads: its -s/-d way out is that recipe
  const keysThere = await runCli(['export', '--profile', 'example'], { env: home.env });
  assert.match(keysThere.stderr, / or eval "\$\(aws-mfa export -s example -d example_mfa\)" to keep them in \[example\]\n/);
  // keys where aws configure left them ([example]): a typo of it is that name, not init under the typo
  const keysLeft = await runCli(['--profile', 'exmaple'], { env: home.env });
  assert.equal(keysLeft.code, 3, keysLeft.stderr);
  assert.equal(suggestedCommand(keysLeft.stderr, /Then run: /), 'aws-mfa --profile example');
  // clear: a name that is nowhere is a typo (exit 3, nothing removed), not "nothing to clear"
  const before = home.read();
  assert.equal(await offered(['clear', '--profile', 'wrok']), 'aws-mfa clear --profile work');
  assert.equal(home.read(), before);
});

test('no profile named while other profiles hold keys (the guides\' cloudX): they are named, and the offer, pasted, does what was typed', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'cloudX', u);
  writeLongTerm(home, 'cloudY', u);
  assert.equal((await runCli(['--profile', 'cloudX', '--token', '123456'], { env: home.env })).code, 0);
  const before = home.read();
  const r = await runCli(['export', '--format', 'dotenv'], { env: home.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /\[default-long-term\] is missing from .*; no profile was named, so aws-mfa looked for "default"; long-term keys are in \[cloudX-long-term\], \[cloudY-long-term\]\. Name the one you mean with --profile, as in: /);
  const line = suggestedCommand(r.stderr, /as in: /);
  assert.equal(line, 'aws-mfa export --profile cloudX --format dotenv');
  assert.equal(home.read(), before);
  const pasted = await pasteInBash(line, { env: home.env });
  assert.equal(pasted.code, 0, pasted.stderr);
  assert.match(pasted.stdout, /^AWS_SESSION_TOKEN=/m);
  // with several to choose from, a program is never offered to run (nor a session cleared) in one the user did not name
  const exec = await runCli(['exec', '--', 'sh', '-c', 'echo ran'], { env: home.env });
  assert.equal(exec.code, 3, exec.stderr);
  assert.equal(suggestedCommand(exec.stderr, /as in: /), 'aws-mfa --profile cloudX');
  const clear = await runCli(['clear'], { env: home.env });
  assert.equal(suggestedCommand(clear.stderr, /as in: /), 'aws-mfa --profile cloudX');
  assert.equal(home.read(), before);
  // go-aws-mfa's pair ([example] and [example_mfa]) only: its -s/-d
  const pair = homeFor();
  writeLongTerm(pair, 'example', u, { suffix: 'none' });
  assert.equal((await runCli(['-s', 'example', '-d', 'example_mfa', '--token', '123456'], { env: pair.env })).code, 0);
  const r2 = await runCli([], { env: pair.env });
  assert.equal(r2.code, 3, r2.stderr);
  assert.equal(suggestedCommand(r2.stderr, /Name the profile: /), 'aws-mfa -s example -d example_mfa');
  // nothing anywhere: init, as before
  // keys where `aws configure --profile cloudZ` left them: that profile, whose own hint offers init and -s/-d
  const left = homeFor();
  writeLongTerm(left, 'cloudZ', u, { suffix: 'none' });
  const r3 = await runCli([], { env: left.env });
  assert.equal(suggestedCommand(r3.stderr, /Name the profile: /), 'aws-mfa --profile cloudZ');
  const r4 = await pasteInBash('aws-mfa --profile cloudZ', { env: left.env });
  assert.match(r4.stderr, /\[cloudZ\] holds long-term keys .*run aws-mfa init --profile cloudZ to move/);
  // only the guides' empty [cloudX] (and a long-term section whose keychain marker is not true): init, as before
  const empty = homeFor();
  writeFileSync(empty.credentials, '[cloudX]\n\n[k-long-term]\naws_mfa_keychain = false\n');
  const fresh = await runCli([], { env: empty.env });
  assert.match(fresh.stderr, /set up the profile with: aws-mfa init\n/);
});

test('codes as apps show them (123 456, 123-456) are sent as six digits; letters are named as letters', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'c', u);
  for (const [typed, i] of [['123 456', 0], ['654-321', 1]] as const) {
    await emu.moto.resetRecording();
    const r = await runCli(['--profile', 'c', '--token', typed, '--force'], { env: home.env });
    assert.equal(r.code, 0, r.stderr);
    const [req] = await emu.moto.requests('GetSessionToken');
    assert.equal(req?.params.TokenCode, typed.replace(/\D/g, ''), `sent for ${typed} (${i})`);
  }
  const bad = await runCli(['--profile', 'c', '--token', 'abcdef', '--force'], { env: home.env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /got 6 characters, and letters are not digits/);
});

test('why a session is replaced is said at INFO; times are local with UTC beside them; the source of the duration is named', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor({ TZ: 'Asia/Tokyo', MFA_STS_DURATION: '1800' });
  writeLongTerm(home, 'i', u);
  writeFileSync(home.credentials, home.read() + '\n' + sessionSection('i', `assumed_role_arn = ${ROLE}\n`).replace('assumed_role = False', 'assumed_role = True'));
  await emu.moto.resetRecording();
  const r = await runCli(['--profile', 'i', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`aws-mfa: The session in \\[i\\] is for role ${ROLE.replace(/\//g, '\\/')}; getting a plain session\\n`));
  assert.match(r.stderr, /for 1800 seconds \(from MFA_STS_DURATION\)/);
  assert.match(r.stderr, /at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+09:00 \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/);
  const [req] = await emu.moto.requests('GetSessionToken');
  assert.equal(req?.params.DurationSeconds, '1800');
});

test('a device found automatically is recorded, so status shows it', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'auto', u, { device: false });
  const r = await runCli(['--profile', 'auto', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /the only one of IAM user \S+ \(it will be recorded with the session in \[auto\]; add aws_mfa_device/);
  const s = await runCli(['status', '--json'], { env: home.env });
  const rows = JSON.parse(s.stdout) as Array<{ profile: string; device: string }>;
  assert.equal(rows.find((x) => x.profile === 'auto')?.device, u.deviceArn);
  assert.equal(session(home, 'auto-long-term').get('aws_mfa_device'), undefined, 'the long-term section is not touched');
  // the next refresh uses the recorded device without a lookup
  await emu.moto.resetRecording();
  const r2 = await runCli(['--profile', 'auto', '--token', '123456', '--force'], { env: home.env });
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  assert.equal((await emu.moto.requests('GetSessionToken'))[0]?.params.SerialNumber, u.deviceArn);
});

test('help for every command describes its options; completion answers --help and offers commands, profiles and formats', async () => {
  const home = homeFor();
  const u = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'comp', u);
  const create = await runCli(['device', 'create', '--help'], { env: home.env });
  assert.equal(create.code, 0);
  assert.match(create.stdout, /^Usage: aws-mfa device create /);
  assert.match(create.stdout, /--qr-png FILE\n\s+also write the QR code/);
  assert.doesNotMatch(create.stdout, /device list/);
  const viaHelp = await runCli(['help', 'device', 'create'], { env: home.env });
  assert.equal(viaHelp.stdout, create.stdout);
  const compHelp = await runCli(['completion', '--help'], { env: home.env });
  assert.equal(compHelp.code, 0);
  assert.match(compHelp.stdout, /Usage: aws-mfa completion bash\|zsh\|fish\|powershell/);
  const bash = await runCli(['completion', 'bash'], { env: home.env });
  assert.match(bash.stdout, /--format\) COMPREPLY=\( \$\(compgen -W "sh fish powershell cmd json dotenv"/);
  assert.match(bash.stdout, /compgen -W "export exec credential-process/);
  const profiles = await runCli(['completion', '--profiles'], { env: home.env });
  assert.deepEqual(profiles.stdout.split('\n').filter(Boolean), ['comp']);
  // the bash script really completes, in bash
  const out = await runCli(['completion', 'bash'], { env: home.env });
  const script = `${out.stdout}\nCOMP_WORDS=(aws-mfa export --format p); COMP_CWORD=3; _aws_mfa; echo "\${COMPREPLY[@]}"`;
  const { spawnSync } = await import('node:child_process');
  const b = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: home.env });
  assert.equal(b.stdout.trim(), 'powershell');
});

test('init that fails at the first session names the step to run next, and keeps what is done', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  const r = await runCli(['init', '--profile', 'nx', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--token', 'abcdef', '--region', 'eu-west-1'], { env: home.env, input: `${u.secretAccessKey}\n` });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /letters are not digits.*The device is set up; to get the session, run: aws-mfa --profile nx\n/);
  assert.equal(session(home, 'nx-long-term').get('aws_mfa_device'), u.deviceArn, 'the key and the device are kept');
  const again = await runCli(['--profile', 'nx', '--token', '123456'], { env: home.env });
  assert.equal(again.code, 0, again.stderr);
});

test('-s/-d work for export, exec, whoami, status, clear and credential-process alike', async () => {
  const u = await createUser(emu.moto.endpoint);
  const home = homeFor();
  writeLongTerm(home, 'src', u, { suffix: 'none' });
  const sd = ['-s', 'src', '-d', 'dst'];
  await emu.moto.resetRecording();
  const cp = await runCli(['credential-process', ...sd, '--token', '123456'], { env: home.env });
  assert.equal(cp.code, 0, cp.stderr);
  assert.deepEqual((await emu.moto.requests('GetSessionToken')).map((q) => q.accessKeyId), [u.accessKeyId], 'signed with the key of [src]');
  const key = JSON.parse(cp.stdout).AccessKeyId as string;
  assert.equal(session(home, 'dst').get('aws_access_key_id'), key, 'the session went to [dst]');
  const ex = await runCli(['export', ...sd, '--format', 'json'], { env: home.env });
  assert.equal(JSON.parse(ex.stdout).AWS_ACCESS_KEY_ID, key);
  const exec = await runCli(['exec', ...sd, 'sh', '-c', 'echo "$AWS_ACCESS_KEY_ID"'], { env: home.env });
  assert.equal(exec.stdout.trim(), key, exec.stderr);
  const who = await runCli(['whoami', ...sd, '--json'], { env: home.env });
  assert.equal(JSON.parse(who.stdout).profile, 'dst', who.stderr);
  const st = await runCli(['status', ...sd, '--json'], { env: home.env });
  assert.deepEqual((JSON.parse(st.stdout) as Array<{ profile: string; longTerm: string; state: string }>).map((x) => [x.profile, x.longTerm, x.state]), [['dst', 'src', 'valid']]);
  const cl = await runCli(['clear', ...sd], { env: home.env });
  assert.equal(cl.code, 0, cl.stderr);
  assert.equal(session(home, 'dst').size, 0, '[dst] is gone');
  assert.equal(session(home, 'src').get('aws_secret_access_key'), u.secretAccessKey, '[src] is untouched');
});

test('usage mistakes name the fix with the flags given: exec without a command, --lang other than en or ja, help with options', async () => {
  const home = homeFor();
  const exec = await runCli(['exec', '--profile', 'work'], { env: home.env });
  assert.equal(exec.code, 2);
  assert.match(exec.stderr, /exec needs a command: aws-mfa exec --profile work COMMAND \[ARGS\.\.\.\]\n/);
  const lang = await runCli(['--lang', 'fr', '--version'], { env: home.env });
  assert.equal(lang.code, 2);
  assert.match(lang.stderr, /--lang must be en or ja, not "fr"/);
  const help = await runCli(['help', 'status', '--json'], { env: home.env });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: aws-mfa status /);
});
