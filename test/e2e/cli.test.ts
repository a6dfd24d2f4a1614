/**
 * The bundle as a user first meets it: --version, --help, per-command help; and the things the
 * user never should meet: the SDK's own notices. BOM and duplicate-section files are kept and
 * warned about; the SDK's file-location variables are honoured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { ALT_BIN, makeHome, runCli } from '../helpers/cli.js';
import { createUser, onboard } from '../helpers/onboard.js';
import { ROOT } from '../helpers/shared.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();

test("help export gives the READMEs' cmd line (the one that does not echo the secret), as its cmd example", async () => {
  const home = makeHome({});
  const help = await runCli(['help', 'export'], { env: home.env });
  assert.equal(help.code, 0, help.stderr);
  for (const readme of ['README.md', 'README.ja.md']) {
    const line = readFileSync(join(ROOT, readme), 'utf8').split('\n').find((l) => l.startsWith('aws-mfa export --profile work --format cmd > '));
    assert.ok(line && help.stdout.includes(`  ${line}\n`), `${readme}'s line in:\n${help.stdout}`);
  }
});

test('--version prints the package version; --help lists the flags, the commands and the exit codes', async () => {
  const env = makeHome().env;
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const v = await runCli(['--version'], { env });
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `${version}\n`);
  const h = await runCli(['--help'], { env });
  assert.equal(h.code, 0);
  for (const flag of ['--profile', '--device', '--duration', '--assume-role', '--long-term-suffix', '--short-term-suffix', '--token', '--setup', '--min-ttl', '--region', '--external-id', '-s, --source SOURCE', '-d, --destination DESTINATION', '--lang']) {
    assert.ok(h.stdout.includes(flag), `help names ${flag}`);
  }
  for (const c of ['export', 'exec', 'credential-process', 'setup-credential-process', 'status', 'whoami', 'console', 'clear', 'completion', 'device create', 'init']) assert.ok(h.stdout.includes(c), `help names ${c}`);
  assert.match(
    h.stdout,
    new RegExp(
      'Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, 3 files or setup, 4\\s+AWS refused, ' +
        '5 network, 75\\s+another aws-mfa busy, 126/127 exec, 130 interrupted',
    ),
  );
  const d = await runCli(['device', '--help'], { env });
  assert.equal(d.code, 0);
  assert.match(d.stdout, /Usage: aws-mfa device create\|enable\|list\|remove/);
  for (const sub of ['create', 'enable', 'list', 'remove']) assert.match(d.stdout, new RegExp(`device ${sub} `));
  const c = await runCli(['device', 'create', '--help'], { env });
  assert.match(c.stdout, /--qr-png FILE/);
});

test("the AWS SDK's Node-version notice never reaches the user, except with --log-level DEBUG", async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'quiet');
  const r = await runCli(['--profile', 'quiet', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning|Warning:/);
  const major = Number(process.versions.node.split('.')[0]);
  const d = await runCli(['--profile', 'quiet', '--force', '--token', '123456', '--log-level', 'DEBUG'], { env: home.env });
  assert.equal(d.code, 0);
  // (the Node of a single executable, AWS_MFA_BIN, is not this one: it has no notice to give)
  if (major < 22 && !ALT_BIN) assert.match(d.stderr, /NodeVersionSupportWarning/, 'DEBUG lets the SDK speak');
});

test('a BOM and a duplicate section are kept byte for byte and warned about, with the line; after a write with a BOM there is no "Success"', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  const u = await createUser(emu.moto.endpoint);
  const text = `\uFEFF[bom-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\naws_mfa_device = ${u.deviceArn}\n[other]\nx = 1\n[other]\ny = 2\n`;
  home.write(text);
  const r = await runCli(['--profile', 'bom', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /credentials:1: the file starts with a UTF-8 byte order mark, which the AWS CLI cannot read; save it without BOM \(in Notepad: Save as, Encoding "UTF-8"\)\n/);
  // one warning about the BOM, with the fix; then what it means for the session written, and no "Success"
  assert.equal(r.stderr.match(/BOM/g)?.length, 2, r.stderr);
  assert.equal(r.stderr.split('\n').filter((l) => /warning:.*BOM/.test(l)).length, 1, r.stderr);
  assert.match(r.stderr, /^aws-mfa: Wrote the session to \[bom\], but the AWS CLI cannot use it until \S+ is saved without BOM \(see the warning above\)$/m);
  assert.doesNotMatch(r.stderr, /Success!/);
  const after = home.read();
  assert.ok(after.startsWith(text), 'the BOM and everything else kept');
  assert.ok(IniDocument.parse(after).get('bom', 'aws_session_token'));
  // the duplicate [other] is not among the profiles this run reads, so it is not this run's business;
  // status reads every profile
  const dup = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  dup.write(`[d-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\naws_mfa_device = ${u.deviceArn}\n[d]\nx = 1\n[d]\ny = 2\n`);
  const r2 = await runCli(['--profile', 'd', '--token', '123456', '--force'], { env: dup.env });
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stderr, /credentials:7: section \[d\] appears again \(first at line 5\); the AWS CLI refuses duplicate sections, merge them/);
});

test('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, with ~ expanded, as the SDKs read them', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_SHARED_CREDENTIALS_FILE: '~/elsewhere/creds', AWS_CONFIG_FILE: '~/elsewhere/conf' });
  mkdirSync(join(home.dir, 'elsewhere'), { mode: 0o700 });
  const u = await createUser(emu.moto.endpoint);
  const creds = join(home.dir, 'elsewhere', 'creds');
  home.write(`[far-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`, creds);
  home.write(`[profile far]\nmfa_serial = ${u.deviceArn}\n`, join(home.dir, 'elsewhere', 'conf'));
  const r = await runCli(['--profile', 'far', '--token', '123456'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(IniDocument.parse(readFileSync(creds, 'utf8')).get('far', 'aws_session_token'));
  assert.ok(!existsSync(home.credentials), 'the default path is not touched');
});
