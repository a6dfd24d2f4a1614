/** Export quoting, golden and for real in the shells that are installed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { exportText, detectFormat, credentialProcessJson, sessionEnv } from '../../src/core/formats.js';
import { needTool, lookupTool } from '../helpers/tools.js';

const NASTY = `a'b"c$d\`e\\f!g%h *?;&|<>(){}[]#~=\t end`;
const vars: Array<[string, string]> = [['X_TEST', NASTY], ['Y_TEST', 'plain/+=Value']];

const noFish = needTool('fish', 'fish');

test('sh quoting: golden, and dash and bash read the values back exactly', () => {
  assert.equal(exportText([['K', "it's"]], 'sh'), `export K='it'\\''s'\n`);
  for (const shell of ['sh', 'bash']) {
    const r = spawnSync(shell, ['-c', `${exportText(vars, 'sh')}printf '%s|%s' "$X_TEST" "$Y_TEST"`], { encoding: 'utf8' });
    assert.equal(r.stdout, `${NASTY}|plain/+=Value`, shell);
  }
});

test('fish quoting: golden', () => {
  assert.equal(exportText([['K', `it's \\ here`]], 'fish'), `set -gx K 'it\\'s \\\\ here';\n`);
});

test('fish reads the quoted values back exactly', { skip: noFish }, () => {
  const r = spawnSync('fish', ['-c', `${exportText(vars, 'fish')} printf '%s' "$X_TEST"`], { encoding: 'utf8' });
  assert.equal(r.stdout, NASTY);
});

test('PowerShell quoting: golden, and pwsh reads it back when installed', (t) => {
  assert.equal(exportText([['K', "it's $x"]], 'powershell'), `$Env:K = 'it''s $x'\n`);
  // pwsh is no Debian package (Microsoft ships it), so it is optional even in CI
  if (!lookupTool('pwsh')) return t.skip('pwsh is not installed (optional: Microsoft packages it, Debian does not)');
  const r = spawnSync('pwsh', ['-NoProfile', '-Command', `${exportText(vars, 'powershell')}; [Console]::Write($Env:X_TEST)`], { encoding: 'utf8' });
  assert.equal(r.stdout, NASTY);
});

test('cmd: set "NAME=value" with CRLF; characters cmd cannot carry are refused', () => {
  assert.equal(exportText([['K', 'abc/+=']], 'cmd'), 'set "K=abc/+="\r\n');
  assert.throws(() => exportText([['K', 'a%PATH%b']], 'cmd'), /cmd\.exe cannot set safely; use --format powershell/);
  assert.throws(() => exportText([['K', 'a"b']], 'cmd'), /cannot set safely/);
});

test('dotenv and json', () => {
  assert.equal(exportText([['K', 'abc/+=']], 'dotenv'), 'K=abc/+=\n');
  assert.equal(exportText([['K', 'a b"$c']], 'dotenv'), 'K="a b\\"\\$c"\n');
  assert.deepEqual(JSON.parse(exportText(vars, 'json')), Object.fromEntries(vars));
});

test('the default format comes from the environment', () => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ SHELL: '/bin/bash' }, 'linux', 'sh'],
    [{ SHELL: '/usr/bin/zsh' }, 'darwin', 'sh'],
    [{ SHELL: '/usr/local/bin/fish' }, 'linux', 'fish'],
    [{ SHELL: '/usr/bin/pwsh' }, 'linux', 'powershell'],
    [{}, 'linux', 'sh'],
    [{ PSModulePath: 'C:\\x', PROMPT: '$P$G' }, 'win32', 'cmd'],
    [{ PSModulePath: 'C:\\x' }, 'win32', 'powershell'],
    [{ SHELL: '/usr/bin/bash', PSModulePath: 'C:\\x' }, 'win32', 'sh'],
  ];
  for (const [env, platform, want] of cases) assert.equal(detectFormat(env, platform), want, JSON.stringify(env));
});

test('credential_process JSON and the environment map', () => {
  const s = { accessKeyId: 'ASIA1', secretAccessKey: 'sec', sessionToken: 'tok', expiration: new Date('2030-01-02T03:04:05.678Z') };
  assert.deepEqual(JSON.parse(credentialProcessJson(s)), { Version: 1, AccessKeyId: 'ASIA1', SecretAccessKey: 'sec', SessionToken: 'tok', Expiration: '2030-01-02T03:04:05Z' });
  const env = Object.fromEntries(sessionEnv(s, 'eu-west-1'));
  assert.equal(env.AWS_SECURITY_TOKEN, 'tok', 'kept in step with AWS_SESSION_TOKEN');
  assert.equal(env.AWS_REGION, 'eu-west-1');
  assert.equal(Object.fromEntries(sessionEnv(s)).AWS_REGION, undefined);
});
