/**
 * `aws-mfa rotate` end to end: the built binary against moto_server (what was sent, with which
 * credentials, read from moto's recorder), the keychain case against a real Secret Service, and
 * each failure made real: STS that never accepts the new key, a file that cannot be written, IAM
 * that refuses to delete the old key. After each, the user has one working key and the message
 * says which key is where.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { IAMClient, ListAccessKeysCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { useMoto } from '../helpers/hooks.js';
import { useKeyring } from '../helpers/keyring.js';
import { makeHome, runCli, runProcess, BIN, type Home } from '../helpers/cli.js';
import { createUser, type OnboardedUser } from '../helpers/onboard.js';
import { startFaultRelay, stopAfter } from '../helpers/net.js';
import { assertNoSecretIn } from '../helpers/secrets-scan.js';
import { needTool, lookupTool } from '../helpers/tools.js';
import { pasteInBash, suggestedCommand } from '../helpers/paste.js';

const emu = useMoto();
const kr = useKeyring();
before(async () => {
  await emu.ready;
});

const ADMIN_KEY = 'AKIAADMINADMINADMIN0';
const admin = () => new IAMClient({ region: 'us-east-1', endpoint: emu.moto.endpoint, credentials: { accessKeyId: ADMIN_KEY, secretAccessKey: 'x' } });

async function keysOf(user: string): Promise<Array<[string, string]>> {
  const out = await admin().send(new ListAccessKeysCommand({ UserName: user }));
  return (out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!] as [string, string]).sort();
}

const text = (u: OnboardedUser) =>
  ['# rotated by aws-mfa', '[work-long-term]', `aws_access_key_id = ${u.accessKeyId}`, '; keep this comment', `aws_secret_access_key = ${u.secretAccessKey}`, `aws_mfa_device = ${u.deviceArn}`, '', '[other]', 'region = eu-west-1', ''].join('\n');

function home(u: OnboardedUser, env: Record<string, string> = {}): Home {
  const h = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...env });
  h.write(text(u));
  return h;
}

const keyIn = (h: Home) => /\[work-long-term\]\naws_access_key_id = (\w+)\n; keep this comment\naws_secret_access_key = (\S+)\n/.exec(h.read());

test('rotate (key in the file, MFA session valid): new key made with the session for the named user, stored in place, old key deleted', async () => {
  const u = await createUser(emu.moto.endpoint);
  const h = home(u);
  const s = await runCli(['--profile', 'work', '--token', '123456'], { env: h.env });
  assert.equal(s.code, 0, s.stderr);
  const sessionKeyId = /\[work\][^[]*aws_access_key_id = (\w+)/.exec(h.read())![1]!;
  assert.notEqual(sessionKeyId, u.accessKeyId);
  await emu.moto.resetRecording();
  const r = await runCli(['rotate', '--profile', 'work'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  const [, newId, newSecret] = keyIn(h)!;
  assert.notEqual(newId, u.accessKeyId);
  const expected = text(u).replace(u.accessKeyId, newId!).replace(u.secretAccessKey, newSecret!);
  assert.equal(h.read().slice(0, expected.length), expected, 'only the two values changed (the session section follows)');
  assert.deepEqual(await keysOf(u.userName), [[newId, 'Active']]);
  assert.match(r.stderr, new RegExp(`Done\\. The new key ${newId} is in \\[work-long-term\\] in \\S+; the old key ${u.accessKeyId} of IAM user ${u.userName} is deleted`));
  const sent = (await emu.moto.requests()).filter((x) => x.accessKeyId !== ADMIN_KEY); // not this test's own look
  const iam = sent.filter((x) => ['ListAccessKeys', 'CreateAccessKey', 'DeleteAccessKey'].includes(x.action));
  assert.deepEqual(iam.map((x) => [x.action, x.accessKeyId, x.params.UserName]), [
    ['ListAccessKeys', sessionKeyId, u.userName],
    ['CreateAccessKey', sessionKeyId, u.userName],
    ['DeleteAccessKey', sessionKeyId, u.userName],
  ]);
  assert.equal(iam[2]!.params.AccessKeyId, u.accessKeyId);
  assert.ok(sent.some((x) => x.action === 'GetCallerIdentity' && x.accessKeyId === newId), 'the new key was tried before it was stored');
  assertNoSecretIn(h.dir, { 'the old secret': u.secretAccessKey });
  assert.ok(!r.stderr.includes(newSecret!));

  // the stored key is the one aws-mfa uses next
  await emu.moto.resetRecording();
  const again = await runCli(['--profile', 'work', '--token', '123456', '--force'], { env: h.env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await emu.moto.requests()).find((x) => x.action === 'GetSessionToken')?.accessKeyId, newId);
});

test('rotate --keep-old with the key in the keychain: the keychain gets the new key, the file is untouched, the old key is deactivated', { skip: kr.skip }, async () => {
  const u = await createUser(emu.moto.endpoint);
  const h = home(u, { DBUS_SESSION_BUS_ADDRESS: kr.keyring.address });
  assert.equal((await runCli(['keys', 'move', '--profile', 'work', '--to', 'keychain'], { env: h.env })).code, 0);
  const before = h.read();
  await emu.moto.resetRecording();
  const r = await runCli(['rotate', '--profile', 'work', '--keep-old'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(h.read(), before);
  const entry = /^aws_mfa_keychain_id = (\w+)\r?$/m.exec(before)![1];
  const stored = JSON.parse(kr.keyring.secretTool(['lookup', 'service', 'aws-mfa', 'username', `long-term@${entry}`]).stdout) as Record<string, string>;
  const newId = stored.AccessKeyId!;
  assert.notEqual(newId, u.accessKeyId);
  assert.deepEqual(await keysOf(u.userName), [[u.accessKeyId, 'Inactive'], [newId, 'Active']].sort());
  // no MFA session: the old key is deactivated with the new one
  const upd = (await emu.moto.requests()).find((x) => x.action === 'UpdateAccessKey')!;
  assert.deepEqual([upd.accessKeyId, upd.params.UserName, upd.params.AccessKeyId, upd.params.Status], [newId, u.userName, u.accessKeyId, 'Inactive']);
  assert.match(r.stderr, /is deactivated, not deleted: once nothing needs it, delete it with aws-mfa exec --profile work -- aws iam delete-access-key/);
  assertNoSecretIn(h.dir, { 'the old secret': u.secretAccessKey, 'the new secret': stored.SecretAccessKey! });
});

test('rotate refuses up front when the user already has two keys, and says which one to delete with a command that works when pasted', async () => {
  const u = await createUser(emu.moto.endpoint);
  const second = (await admin().send(new CreateAccessKeyCommand({ UserName: u.userName }))).AccessKey!.AccessKeyId!;
  const h = home(u);
  h.write('[profile work]\nregion = us-east-1\n', h.config); // the AWS CLI wants one, even for IAM
  assert.equal((await runCli(['--profile', 'work', '--token', '123456'], { env: h.env })).code, 0);
  const before = h.read();
  await emu.moto.resetRecording();
  const r = await runCli(['rotate', '--profile', 'work'], { env: h.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, new RegExp(`IAM user ${u.userName} already has two access keys, the most IAM allows: ${u.accessKeyId} \\(the one in \\[work-long-term\\]\\) and ${second} \\(Active, created \\d{4}-\\d\\d-\\d\\d\\); if nothing uses ${second}, delete it: aws-mfa exec --profile work -- aws iam delete-access-key --user-name ${u.userName} --access-key-id ${second}, then run aws-mfa rotate --profile work again`));
  assert.ok(!(await emu.moto.requests()).some((x) => x.action === 'CreateAccessKey'));
  assert.equal(h.read(), before);

  // pasted as is (bash, the real AWS CLI): the MFA session deletes the second key, and rotate then works
  await emu.moto.resetRecording();
  const del = await pasteInBash(suggestedCommand(r.stderr, /delete it: /), { env: h.env });
  assert.equal(del.code, 0, del.stderr);
  assert.deepEqual(await keysOf(u.userName), [[u.accessKeyId, 'Active']]);
  const sessionKeyId = /\[work\][^[]*aws_access_key_id = (\w+)/.exec(h.read())![1]!;
  assert.equal((await emu.moto.requests()).find((x) => x.action === 'DeleteAccessKey')?.accessKeyId, sessionKeyId);
  const again = await pasteInBash(suggestedCommand(r.stderr, /then run /, / again/), { env: h.env });
  assert.equal(again.code, 0, again.stderr);
  assert.notEqual(keyIn(h)![1], u.accessKeyId);
});

test('rotate -s/-d: the commands it suggests name the same sections', async () => {
  const u = await createUser(emu.moto.endpoint);
  await admin().send(new CreateAccessKeyCommand({ UserName: u.userName }));
  const h = home(u);
  const r = await runCli(['rotate', '-s', 'work-long-term', '-d', 'work'], { env: h.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, / delete it: aws-mfa exec -s work-long-term -d work -- aws iam delete-access-key /);
  assert.match(r.stderr, /then run aws-mfa rotate -s work-long-term -d work again/);
});

test('rotate: a new key AWS never accepts is deleted again, and the old one stays where it was', async () => {
  const sts = await startFaultRelay(emu.moto.endpoint);
  stopAfter(sts);
  sts.script('pass', ...Array<'throttle'>(300).fill('throttle')); // the old key's GetCallerIdentity passes, the new key's never
  const u = await createUser(emu.moto.endpoint);
  const h = home(u, { AWS_ENDPOINT_URL_STS: sts.endpoint });
  const r = await runCli(['rotate', '--profile', 'work', '--wait', '2'], { env: h.env });
  assert.notEqual(r.code, 0);
  const newId = /the new key (\w+) did not work within 2 s \(/.exec(r.stderr)?.[1];
  assert.ok(newId, r.stderr);
  assert.match(r.stderr, new RegExp(`; the new key ${newId} was deleted again; your key ${u.accessKeyId} in \\[work-long-term\\] in \\S+ is unchanged and still works\\n$`));
  assert.deepEqual(await keysOf(u.userName), [[u.accessKeyId, 'Active']]);
  assert.equal(h.read(), text(u));
});

test('rotate: when the new key cannot be stored, it is deleted again and the old one stays', async () => {
  const u = await createUser(emu.moto.endpoint);
  const h = home(u);
  writeFileSync(`${h.credentials}.lock`, 'not a lock'); // the writer refuses a lock path it did not make
  const r = await runCli(['rotate', '--profile', 'work'], { env: h.env });
  rmSync(`${h.credentials}.lock`);
  assert.equal(r.code, 3, r.stderr);
  const newId = /storing the new key (\w+) in \[work-long-term\] in \S+ failed \(.*not a lock aws-mfa made/.exec(r.stderr)?.[1];
  assert.ok(newId, r.stderr);
  assert.match(r.stderr, new RegExp(`the new key ${newId} was deleted again; your key ${u.accessKeyId} in \\[work-long-term\\] in \\S+ is unchanged and still works`));
  assert.deepEqual(await keysOf(u.userName), [[u.accessKeyId, 'Active']]);
  assert.equal(h.read(), text(u));
});

test('rotate: when deleting the old key fails, the new one is stored and the message says how to delete the old one', async () => {
  const iam = await startFaultRelay(emu.moto.endpoint);
  stopAfter(iam);
  iam.script('pass', 'pass', ...Array<'throttle'>(20).fill('throttle')); // ListAccessKeys, CreateAccessKey pass; DeleteAccessKey never
  const u = await createUser(emu.moto.endpoint);
  const h = home(u, { AWS_ENDPOINT_URL_IAM: iam.endpoint });
  const r = await runCli(['rotate', '--profile', 'work'], { env: h.env });
  assert.equal(r.code, 5, r.stderr);
  const [, newId] = keyIn(h)!;
  assert.notEqual(newId, u.accessKeyId);
  assert.match(
    r.stderr,
    new RegExp(`the new key ${newId} is in \\[work-long-term\\] in \\S+ and works, but deleting the old key ${u.accessKeyId} failed \\(.*throttled.*\\); it is still active: delete it with aws-mfa exec --profile work -- aws iam delete-access-key --user-name ${u.userName} --access-key-id ${u.accessKeyId}\\n$`),
  );
  assert.deepEqual(await keysOf(u.userName), [[u.accessKeyId, 'Active'], [newId!, 'Active']].sort());
  assertNoSecretIn(h.dir, { 'the old secret': u.secretAccessKey });
});

/** libfaketime runs the binary 100 days from now (Debian's faketime). */
const noFaketime = needTool('faketime', 'faketime');

test('keys list --age: the age of each key from ListAccessKeys (named user), a warning past 90 days, never the secret', { skip: noFaketime }, async () => {
  const u = await createUser(emu.moto.endpoint);
  const h = home(u);
  const now = await runCli(['keys', 'list', '--age'], { env: h.env });
  assert.equal(now.code, 0, now.stderr);
  assert.match(now.stdout, new RegExp(`^work\\s+${u.accessKeyId}\\s+\\S+credentials\\s+0 days, Active$`, 'm'));
  assert.doesNotMatch(now.stderr, /days old/);
  await emu.moto.resetRecording();
  const later = await runProcess(lookupTool('faketime')!, ['-f', '+100d', process.execPath, BIN, 'keys', 'list', '--age'], { env: h.env });
  assert.equal(later.code, 0, later.stderr);
  assert.match(later.stdout, /\s100 days, Active$/m);
  assert.match(later.stderr, new RegExp(`warning: the key ${u.accessKeyId} of \\[work-long-term\\] is 100 days old \\(AWS recommends rotating keys every 90 days\\); rotate it: aws-mfa rotate --profile work`));
  const list = (await emu.moto.requests()).find((x) => x.action === 'ListAccessKeys');
  assert.equal(list?.params.UserName, u.userName);
  for (const out of [now.stdout, now.stderr, later.stdout, later.stderr]) assert.ok(!out.includes(u.secretAccessKey));
});

test('keys list --profile: that profile\'s key alone (with --age, one ListAccessKeys); a profile without a key says how to set it up', async () => {
  const u = await createUser(emu.moto.endpoint);
  const h = home(u);
  h.write(h.read() + `\n[second-long-term]\naws_access_key_id = AKIASECOND000000000A\naws_secret_access_key = x\n`);
  const all = await runCli(['keys', 'list'], { env: h.env });
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^second\s/m);
  await emu.moto.resetRecording();
  const one = await runCli(['keys', 'list', '--profile', 'work', '--age'], { env: h.env });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, new RegExp(`^work\\s+${u.accessKeyId}\\s+\\S+credentials\\s+0 days, Active$`, 'm'));
  assert.doesNotMatch(one.stdout, /second/);
  assert.equal((await emu.moto.requests()).filter((x) => x.action === 'ListAccessKeys').length, 1);
  const json = await runCli(['keys', 'list', '--profile', 'work', '--json'], { env: h.env });
  assert.deepEqual(JSON.parse(json.stdout).map((r: { profile: string }) => r.profile), ['work']);
  const none = await runCli(['keys', 'list', '--profile', 'nokey'], { env: h.env });
  assert.equal(none.code, 3, none.stderr);
  assert.match(none.stderr, /^aws-mfa: error: no long-term key for \[nokey-long-term\] in \S+credentials or the keychain; set up the profile with: aws-mfa init --profile nokey\n$/);
});
