/**
 * `aws-mfa exec` stops reading its own options at the command, as env, sudo and aws-vault do:
 * everything after the command name is the command's, even words that look like aws-mfa's own
 * options. Against moto_server with a session obtained first, then used from the cache.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm } from '../helpers/onboard.js';

const emu = useMoto();
let home: Home;
before(async () => {
  await emu.ready;
  home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  writeLongTerm(home, 'w', await createUser(emu.moto.endpoint));
  const first = await runCli(['--profile', 'w', '--token', '123456'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
});

/** A child that prints its arguments and what it got in its environment. */
const SHOW = 'printf "args=%s|" "$@"; printf "region=%s key=%s" "${AWS_REGION-unset}" "${AWS_ACCESS_KEY_ID:+set}"';

test('options after the command name are the command\'s: `exec --profile w env ... sh -c ... --region x`', async () => {
  const r = await runCli(['exec', '--profile', 'w', 'env', 'FROM_ENV=1', 'sh', '-c', `${SHOW}; printf " env=%s" "$FROM_ENV"`, 'sh', '--region', 'x', '--profile', 'other', '--help'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'args=--region|args=x|args=--profile|args=other|args=--help|region=unset key=set env=1');
});

test('the command\'s own options reach it (env -u), and -- still works', async () => {
  const env = { ...home.env, DROP_ME: 'still here' };
  const r = await runCli(['exec', '--profile', 'w', 'env', '-u', 'DROP_ME', 'sh', '-c', 'printf "%s" "${DROP_ME-gone}"'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'gone');
  const dashed = await runCli(['exec', '--profile', 'w', '--region', 'eu-west-3', '--', 'sh', '-c', SHOW, 'sh', '--region', 'y'], { env: home.env });
  assert.equal(dashed.code, 0, dashed.stderr);
  assert.equal(dashed.stdout, 'args=--region|args=y|region=eu-west-3 key=set', 'options before -- are aws-mfa\'s');
});

test('the AWS CLI gets its own --region, --output and --query after the command name', async () => {
  const r = await runCli(['exec', '--profile', 'w', 'aws', 'sts', 'get-caller-identity', '--region', 'us-east-1', '--output', 'text', '--query', 'Account'], { env: home.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^\d{12}$/);
});
