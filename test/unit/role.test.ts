/**
 * Pins role profiles (src/core/role.ts): the defaults (3600 s for a role, the 1-hour cap of a
 * chained role), the order of the places a role's values come from (flag, config), and every
 * chain the files can describe: a source with a long-term section, plain keys, a role, itself,
 * nothing, a cycle, a malformed role_arn, another provider's settings. Pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAINED_MAX_DURATION, ROLE_DEFAULT_DURATION, roleChain, roleProfile, sourceFlags, type RoleFiles } from '../../src/core/role.js';
import { resolveProfile } from '../../src/core/profile.js';
import { resolveNames } from '../../src/core/names.js';
import { EXIT, isCliError } from '../../src/errors.js';

const ARN = (n: string) => `arn:aws:iam::222222222222:role/${n}`;
const PATHS = { config: '/h/.aws/config', credentials: '/h/.aws/credentials', profile: 'work', home: '/h' };
const KEYS = new Map([['aws_access_key_id', 'AKIAEXAMPLEEXAMPLE01'], ['aws_secret_access_key', 's']]);

function files(config: Record<string, Record<string, string>>, creds: Record<string, Record<string, string>> = { 'work-long-term': Object.fromEntries(KEYS) }): RoleFiles {
  return {
    configFile: PATHS.config,
    credentialsFile: PATHS.credentials,
    config: (n) => (config[n] ? new Map(Object.entries(config[n]!)) : undefined),
    credentials: (n) => (creds[n] ? new Map(Object.entries(creds[n]!)) : undefined),
  };
}

const throwsConfig = (f: () => unknown, message: RegExp) =>
  assert.throws(f, (e: unknown) => isCliError(e) && e.exitCode === EXIT.CONFIG && message.test(e.message));

const root = () =>
  resolveProfile({ names: resolveNames({ profile: 'work' }, {}), flags: { profile: 'work' }, env: {}, paths: PATHS, longTerm: KEYS, config: new Map(), user: () => 'taro' });

test('the defaults: a role asks 3600 s; a chained role is capped at 3600 s', () => {
  assert.equal(ROLE_DEFAULT_DURATION, 3600);
  assert.equal(CHAINED_MAX_DURATION, 3600);
  const chain = roleChain('deep', files({ prod: { role_arn: ARN('P'), source_profile: 'work' }, deep: { role_arn: ARN('D'), source_profile: 'prod', duration_seconds: '7200' } }));
  const [prod, deep] = chain.links.map((l, i) => roleProfile(root(), l, {}, {}, i === 1));
  assert.equal(prod!.duration.value, 3600);
  assert.equal(prod!.configRole?.chained, false);
  assert.equal(deep!.duration.value, 3600);
  assert.equal(deep!.configRole?.chained, true);
  assert.equal(deep!.configRole?.capped, 7200);
  assert.equal(deep!.names.shortTerm, 'deep');
  // a role without a region of its own takes its source role's
  const withRegion = roleChain('deep', files({ prod: { role_arn: ARN('P'), source_profile: 'work', region: 'eu-west-1' }, deep: { role_arn: ARN('D'), source_profile: 'prod' } }));
  const first = roleProfile(root(), withRegion.links[0]!, {}, {}, false);
  assert.equal(roleProfile(root(), withRegion.links[1]!, {}, {}, true, first.region).region.value, 'eu-west-1');
  assert.equal(deep!.force, false);
});

test("a role's values: the flag, then the config, then the root's", () => {
  const link = roleChain('prod', files({ prod: { role_arn: ARN('P'), source_profile: 'work', duration_seconds: '1800', role_session_name: 'cfg-name', external_id: 'ext-1', region: 'eu-west-1' } })).links[0]!;
  const fromConfig = roleProfile(root(), link, {}, {}, true);
  assert.deepEqual([fromConfig.duration.value, fromConfig.sessionName.value, fromConfig.externalId, fromConfig.region.value], [1800, 'cfg-name', 'ext-1', 'eu-west-1']);
  assert.equal(fromConfig.role?.value, ARN('P'));
  const flagged = roleProfile(root(), link, { duration: '900', roleSessionName: 'flag-name', externalId: 'ext-2', force: true }, { AWS_REGION: 'ap-northeast-1' }, true);
  assert.deepEqual([flagged.duration.value, flagged.sessionName.value, flagged.externalId, flagged.force], [900, 'flag-name', 'ext-2', true]);
  assert.equal(flagged.region.value, root().region.value, 'a region from outside the files wins over the role\'s own');
  const bare = roleProfile(root(), roleChain('p', files({ p: { role_arn: ARN('P'), source_profile: 'work' } })).links[0]!, {}, {}, true);
  assert.equal(bare.sessionName.value, 'taro', "the OS user's name, as for --assume-role");
  // the roles' own flags do not reach the source
  assert.deepEqual(sourceFlags({ profile: 'prod', duration: '900', force: true, roleSessionName: 'x', externalId: 'y', token: '123456', region: 'eu-west-1' }, 'work'), { profile: 'work', token: '123456', region: 'eu-west-1' });
  assert.throws(() => roleProfile(root(), link, { duration: '43201' }, {}, true), (e: unknown) => isCliError(e) && e.exitCode === EXIT.USAGE);
});

test('the chain: aws-mfa source, plain keys, a role, itself; the first mfa_serial', () => {
  assert.deepEqual(roleChain('prod', files({ prod: { role_arn: ARN('P'), source_profile: 'work' } })).root, { kind: 'aws-mfa', profile: 'work' });
  const plain = roleChain('prod', files({ prod: { role_arn: ARN('P'), source_profile: 'keys', mfa_serial: 'arn:aws:iam::1:mfa/a' } }, { keys: Object.fromEntries(KEYS) }));
  assert.equal(plain.root.kind, 'static');
  assert.equal(plain.mfaSerial, 'arn:aws:iam::1:mfa/a');
  const self = roleChain('me', files({ me: { role_arn: ARN('M'), source_profile: 'me' } }, { me: Object.fromEntries(KEYS) }));
  assert.deepEqual([self.root.kind, self.root.profile], ['static', 'me']);
  const chain = roleChain('c', files({ a: { role_arn: ARN('A'), source_profile: 'work' }, b: { role_arn: ARN('B'), source_profile: 'a' }, c: { role_arn: ARN('C'), source_profile: 'b' } }));
  assert.deepEqual(chain.links.map((l) => [l.profile, l.chained]), [['a', false], ['b', true], ['c', true]]);
});

test('bad chains: one line each, exit 3, with a command that fixes it', () => {
  throwsConfig(() => roleChain('p', files({ p: { role_arn: ARN('P'), source_profile: 'gone' } })), /source_profile = gone .*aws-mfa --setup --profile gone/);
  throwsConfig(() => roleChain('p', files({ p: { role_arn: ARN('P') } })), /no source_profile.*aws configure set source_profile SOURCE --profile p/);
  throwsConfig(() => roleChain('a', files({ a: { role_arn: ARN('A'), source_profile: 'b' }, b: { role_arn: ARN('B'), source_profile: 'a' } })), /a → b → a/);
  throwsConfig(() => roleChain('p', files({ p: { role_arn: 'arn:aws:iam::1:user/x', source_profile: 'work' } })), /not an IAM role's ARN/);
  throwsConfig(() => roleChain('p', files({ p: { role_arn: ARN('P'), credential_source: 'Ec2InstanceMetadata' } })), /credential_source, which aws-mfa does not serve/);
  throwsConfig(() => roleChain('p', files({ p: { role_arn: ARN('P'), web_identity_token_file: '/t' } })), /web_identity_token_file/);
  throwsConfig(() => roleChain('p', files({ p: { sso_session: 'corp' } })), /sso_session.*aws sso login --profile p/);
  throwsConfig(() => roleChain('me', files({ me: { role_arn: ARN('M'), source_profile: 'me' } }, {})), /names itself as source_profile/);
});
