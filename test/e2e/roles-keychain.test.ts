/**
 * Role profiles (issue 25) at the keychain level: with the source's long-term key in the OS
 * keychain, the role session is kept there too (never in a file), reused from there, and `clear`
 * removes it. A real Secret Service (gnome-keyring on a private D-Bus) and a real moto_server.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { useKeyring } from '../helpers/keyring.js';
import { makeHome, runCli } from '../helpers/cli.js';
import { createUser, createRole, writeLongTerm } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const kr = useKeyring();
before(async () => {
  await emu.ready;
});

test('the source key in the keychain: the role session is kept there, reused, and cleared there', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, DBUS_SESSION_BUS_ADDRESS: kr.keyring.address });
  const user = await createUser(emu.moto.endpoint);
  writeLongTerm(home, 'work', user);
  const arn = await createRole(emu.moto.endpoint, 'KeychainAdmin');
  writeFileSync(home.config, `[profile prod]\nrole_arn = ${arn}\nsource_profile = work\nregion = us-east-1\n`);
  const move = await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: home.env });
  assert.equal(move.code, 0, move.stderr);
  const id = /^aws_mfa_keychain_id = ([0-9a-f]{24})$/m.exec(home.read())![1]!;

  const r = await runCli(['--profile', 'prod', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /kept in the Secret Service/);
  const entry = kr.keyring.secretTool(['lookup', 'service', 'aws-mfa', 'username', `session@${id}:prod`]);
  assert.equal(entry.status, 0, 'the role session is in the keychain');
  assert.match(entry.stdout, new RegExp(arn.replace(/[/]/g, '\\/')));
  assert.ok(!existsSync(join(home.dir, '.cache', 'aws-mfa', 'sessions')), 'no file of it');
  assert.equal(IniDocument.parse(home.read()).entries('prod').size, 0, 'no [prod] in the credentials file');

  await emu.moto.resetRecording();
  const cp = await runCli(['credential-process', '--profile', 'prod'], { env: home.env });
  assert.equal(cp.code, 0, cp.stderr);
  assert.deepEqual(await emu.moto.actions(), [], 'reused from the keychain');

  const cl = await runCli(['clear', '--profile', 'prod'], { env: home.env });
  assert.equal(cl.code, 0, cl.stderr);
  assert.notEqual(kr.keyring.secretTool(['lookup', 'service', 'aws-mfa', 'username', `session@${id}:prod`]).status, 0);
});
