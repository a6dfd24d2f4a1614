/**
 * Export quoting, golden and for real: sh (dash), bash and fish read the values back exactly, a
 * dotenv file sourced by sh with `set -a` and read by python-dotenv gives the same values and runs
 * nothing, and every format refuses (or, for JSON, escapes) what it cannot carry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportText, detectFormat, unsetCommand, credentialProcessJson, sessionEnv, EXPORT_FORMATS, type ExportFormat } from '../../src/core/formats.js';
import { setCommand } from '../../src/core/set-command.js';
import { containerCredentialsJson, ENDPOINT_SHADOWING_VARS } from '../../src/core/container-credentials.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-formats-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const marker = join(dir, 'ran');

/** Printable, but every shell's special characters, PowerShell's typographic quotes and a command substitution that would leave a mark. */
const NASTY = `a'b"c$d\`e\\f!g%h *?;&|<>(){}[]#~= ‘’‚‛ é😀 $(touch ${marker}) \`touch ${marker}\` end\\`;
const vars: Array<[string, string]> = [['X_TEST', NASTY], ['Y_TEST', 'plain/+=Value']];
/** Printable characters, the special ones over-represented. */
const printable = fc.string({ unit: fc.oneof(fc.constantFrom(...`'"$\`\\!%*?;&|<>(){}[]#~= ‘’‚‛é😀-_/+.:@,`), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }).filter((c) => c >= ' ' && c !== '\x7f')), maxLength: 30 });

const readBack = (shell: string, script: string) => spawnSync(shell, ['-c', script], { encoding: 'utf8' });

test('sh quoting: golden, and dash and bash read every printable value back exactly, running nothing', () => {
  assert.equal(exportText([['K', "it's"]], 'sh'), `export K='it'\\''s'\n`);
  for (const shell of ['sh', 'bash']) {
    const r = readBack(shell, `${exportText(vars, 'sh')}printf '%s|%s' "$X_TEST" "$Y_TEST"`);
    assert.equal(r.stdout, `${NASTY}|plain/+=Value`, shell);
  }
  fc.assert(
    fc.property(printable, (v) => readBack('sh', `${exportText([['V', v]], 'sh')}printf '%s' "$V"`).stdout === v),
    { numRuns: 60 },
  );
  assert.ok(!existsSync(marker), 'no command substitution ran');
});

test('fish quoting: golden, and fish reads every printable value back exactly', (t) => {
  assert.equal(exportText([['K', `it's \\ here`]], 'fish'), `set -gx K 'it\\'s \\\\ here';\n`);
  if (!has('fish')) return t.skip('fish is not installed here');
  const r = readBack('fish', `${exportText(vars, 'fish')} printf '%s' "$X_TEST"`);
  assert.equal(r.stdout, NASTY);
  fc.assert(
    fc.property(printable, (v) => readBack('fish', `${exportText([['V', v]], 'fish')} printf '%s' "$V"`).stdout === v),
    { numRuns: 30 },
  );
  assert.ok(!existsSync(marker), 'no command substitution ran');
});

test("PowerShell quoting: ' and the typographic quotes U+2018-U+201B are doubled; pwsh reads it back when installed", (t) => {
  assert.equal(exportText([['K', "it's $x"]], 'powershell'), `$Env:K = 'it''s $x'\n`);
  assert.equal(exportText([['K', 'a‘b’c‚d‛e']], 'powershell'), `$Env:K = 'a‘‘b’’c‚‚d‛‛e'\n`);
  // the one that ended the string before: a value that closes it with U+2019 and runs a command
  assert.equal(exportText([['K', '’; Remove-Item x; ’']], 'powershell'), `$Env:K = '’’; Remove-Item x; ’’'\n`);
  if (!has('pwsh')) return t.skip('pwsh is not installed here (Debian does not package it)');
  const r = spawnSync('pwsh', ['-NoProfile', '-Command', `${exportText(vars, 'powershell')}; [Console]::Write($Env:X_TEST)`], { encoding: 'utf8' });
  assert.equal(r.stdout, NASTY);
});

test('cmd: set "NAME=value" with CRLF; characters cmd cannot carry are refused', () => {
  assert.equal(exportText([['K', 'abc/+=']], 'cmd'), 'set "K=abc/+="\r\n');
  assert.throws(() => exportText([['K', 'a%PATH%b']], 'cmd'), /holds "%", which cmd\.exe cannot set safely; use --format powershell/);
  assert.throws(() => exportText([['K', 'a"b']], 'cmd'), /cannot set safely/);
  assert.throws(() => exportText([['K', 'a^b']], 'cmd'), /cannot set safely/);
});

test('dotenv: plain values bare, others single-quoted; sh with set -a and python-dotenv read the same, and nothing runs', (t) => {
  assert.equal(exportText([['K', 'abc/+=']], 'dotenv'), 'K=abc/+=\n');
  assert.equal(exportText([['K', 'a b"$c`d`']], 'dotenv'), "K='a b\"$c`d`'\n");
  assert.throws(() => exportText([['K', "it's"]], 'dotenv'), /holds "'", which dotenv readers and sh read differently; use --format sh or json/);
  assert.throws(() => exportText([['K', 'a\\b']], 'dotenv'), /holds "\\"/);
  const values: Array<[string, string]> = [
    ['A', `x\`touch ${marker}\`y`],
    ['B', `$(touch ${marker}) $HOME "q" ; # not a comment`],
    ['C', 'ASIA+/=abc'],
    ['D', '‘’ é 😀 *?[x] ~ {a,b} & | < >'],
  ];
  const file = join(dir, 'creds.env');
  writeFileSync(file, exportText(values, 'dotenv'));
  const sh = readBack('sh', `set -a; . '${file}'; set +a; printf '%s\\0' "$A" "$B" "$C" "$D"`);
  assert.equal(sh.status, 0, sh.stderr);
  assert.deepEqual(sh.stdout.split('\0').slice(0, -1), values.map(([, v]) => v), 'sh reads the values literally');
  assert.ok(!existsSync(marker), 'no backtick or $( ) ran');
  const py = spawnSync('python3', ['-c', 'import json,sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1])))', file], { encoding: 'utf8' });
  if (py.status !== 0 && /No module named/.test(py.stderr)) return t.skip('python-dotenv is not installed');
  assert.deepEqual(JSON.parse(py.stdout), Object.fromEntries(values), 'python-dotenv reads the same values');
});

test('control characters are refused by every shell format and escaped by JSON', () => {
  for (const c of ['\n', '\r', '\t', '\x1b', '\x00', '\x07', '\x7f', '\x85', '\x9b']) {
    const v = `abc${c}def`;
    for (const format of EXPORT_FORMATS.filter((f) => f !== 'json') as ExportFormat[]) {
      assert.throws(() => exportText([['AWS_SESSION_TOKEN', v]], format), /the value of AWS_SESSION_TOKEN holds a control character \(U\+00[0-9A-F]{2}\)/, `${format} ${JSON.stringify(c)}`);
    }
    const json = exportText([['K', v]], 'json');
    assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(json.replace(/\n/g, '')), 'JSON escapes C0, DEL and C1 controls');
    assert.equal(JSON.parse(json).K, v, 'and reads back exactly');
  }
});

test('a guessed format prints only values every shell reads alike; others need --format', () => {
  const real = sessionEnv({ accessKeyId: 'ASIAXAMPLE0000000000', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+/=', expiration: new Date('2030-01-02T03:04:05Z') }, 'eu-west-1');
  for (const format of ['sh', 'fish', 'powershell', 'cmd'] as const) assert.doesNotThrow(() => exportText(real, format, true), format);
  assert.throws(() => exportText([['AWS_REGION', "eu'west"]], 'sh', true), /the value of AWS_REGION holds "'", which shells quote differently, and no --format was given; name the shell that reads the lines: --format sh, fish/);
  assert.throws(() => exportText([['K', 'a\\b']], 'fish', true), /holds "\\"/);
  assert.doesNotThrow(() => exportText([['K', "it's"]], 'sh'), 'asked for, sh carries it');
});

test('sh lines of portable values mean the same to fish (a wrong guess changes nothing)', (t) => {
  if (!has('fish')) return t.skip('fish is not installed here');
  const v = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVz+/=.:@,-';
  const r = readBack('fish', `${exportText([['V', v]], 'sh', true)}printf '%s' "$V"`);
  assert.equal(r.stdout, v, r.stderr);
});

test('the default format: the parent shell where known (fish, pwsh), never $SHELL; else sh (cmd/PowerShell on Windows)', () => {
  const cases: Array<[Record<string, string>, string, string | undefined, string]> = [
    [{ SHELL: '/usr/local/bin/fish' }, 'linux', 'bash', 'sh'], // fish login shell, bash runs eval
    [{ SHELL: '/usr/local/bin/fish' }, 'darwin', undefined, 'sh'],
    [{ SHELL: '/usr/bin/pwsh' }, 'linux', 'zsh', 'sh'],
    [{ SHELL: '/bin/bash' }, 'linux', 'fish', 'fish'],
    [{ SHELL: '/bin/bash' }, 'linux', 'pwsh', 'powershell'],
    [{}, 'linux', 'node', 'sh'],
    [{}, 'linux', undefined, 'sh'],
    [{ PSModulePath: 'C:\\x', PROMPT: '$P$G' }, 'win32', undefined, 'cmd'],
    [{ PSModulePath: 'C:\\x' }, 'win32', undefined, 'powershell'],
    [{ SHELL: '/usr/bin/bash', PSModulePath: 'C:\\x' }, 'win32', undefined, 'sh'],
  ];
  for (const [env, platform, parent, want] of cases) assert.equal(detectFormat(env, platform, parent), want, `${JSON.stringify(env)} ${platform} ${parent}`);
});

test('credential_process JSON and the environment map', () => {
  const s = { accessKeyId: 'ASIA1', secretAccessKey: 'sec', sessionToken: 'tok', expiration: new Date('2030-01-02T03:04:05.678Z') };
  assert.deepEqual(JSON.parse(credentialProcessJson(s)), { Version: 1, AccessKeyId: 'ASIA1', SecretAccessKey: 'sec', SessionToken: 'tok', Expiration: '2030-01-02T03:04:05Z' });
  const env = Object.fromEntries(sessionEnv(s, 'eu-west-1'));
  assert.equal(env.AWS_SECURITY_TOKEN, 'tok', 'kept in step with AWS_SESSION_TOKEN');
  assert.equal(env.AWS_REGION, 'eu-west-1');
  assert.equal(Object.fromEntries(sessionEnv(s)).AWS_REGION, undefined);
});

test("the container endpoint's JSON is the ECS protocol's (Token, no Version); its child loses every key variable", () => {
  const expiration = new Date('2030-01-02T03:04:05.678Z');
  const s = { accessKeyId: 'ASIA1', secretAccessKey: 'sec', sessionToken: 'tok', expiration };
  const want = '{"AccessKeyId":"ASIA1","SecretAccessKey":"sec","Token":"tok","Expiration":"2030-01-02T03:04:05Z"}';
  assert.equal(containerCredentialsJson(s), want);
  const removed = [
    'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  ];
  for (const v of removed) assert.ok(ENDPOINT_SHADOWING_VARS.includes(v), v);
});

test('the command that clears key variables is the one for the shell export would write for', () => {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
  const forShell = (env: Record<string, string>, platform: string, parent?: string) => unsetCommand(detectFormat(env, platform, parent), names);
  assert.equal(forShell({ PROMPT: '$P$G' }, 'windows'), 'set "AWS_ACCESS_KEY_ID=" & set "AWS_SECRET_ACCESS_KEY="');
  assert.equal(forShell({ PSModulePath: 'C:\\x' }, 'windows'), 'Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY');
  assert.equal(forShell({}, 'linux', 'fish'), 'set -e AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY');
  assert.equal(forShell({}, 'linux', 'bash'), 'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY');
  assert.equal(unsetCommand('cmd', ['AWS_ACCESS_KEY_ID']), 'set "AWS_ACCESS_KEY_ID="');
});

test('the command that sets a variable, for each shell; a value with a quote or a space is quoted so', () => {
  assert.equal(setCommand('cmd', 'AWS_PROFILE', 'cloudX'), 'set "AWS_PROFILE=cloudX"');
  assert.equal(setCommand('powershell', 'AWS_PROFILE', 'cloudX'), "$env:AWS_PROFILE = 'cloudX'");
  assert.equal(setCommand('powershell', 'AWS_PROFILE', "it's"), "$env:AWS_PROFILE = 'it''s'");
  assert.equal(setCommand('fish', 'AWS_PROFILE', 'cloudX'), 'set -gx AWS_PROFILE cloudX');
  assert.equal(setCommand('sh', 'AWS_PROFILE', 'cloudX'), 'export AWS_PROFILE=cloudX');
  assert.equal(setCommand('sh', 'AWS_PROFILE', "a b'c"), "export AWS_PROFILE='a b'\\''c'");
  // what bash makes of it is the value itself
  const r = spawnSync('bash', ['-c', `${setCommand('sh', 'V', "a b'c$x")}; printf %s "$V"`], { encoding: 'utf8' });
  assert.equal(r.stdout, "a b'c$x");
});
