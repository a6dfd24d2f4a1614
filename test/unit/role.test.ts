/**
 * Pins role profiles (src/core/role.ts): the defaults (3600 s for a role, the 1-hour cap of a
 * chained role), the order of the places a role's values come from (flag, config), and every
 * chain the files can describe: a source with a long-term section, plain keys, a role, itself,
 * nothing, a cycle, a malformed role_arn, another provider's settings. Also the name and content
 * of a kept role session's file (src/io/role-cache.ts). Pure functions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHAINED_MAX_DURATION, ROLE_DEFAULT_DURATION, roleChain, roleProfile, sourceFlags, type RoleFiles,
} from '../../src/core/role.js';
import { resolveProfile } from '../../src/core/profile.js';
import { resolveNames } from '../../src/core/names.js';
import { EXIT, isCliError } from '../../src/errors.js';
import { fileNameOf, parseKept, keptText } from '../../src/io/role-cache.js';

type Sections = Record<string, Record<string, string>>;
const ARN = (n: string) => `arn:aws:iam::222222222222:role/${n}`;
const PATHS = { config: '/h/.aws/config', credentials: '/h/.aws/credentials', profile: 'work', home: '/h' };
const KEYS = new Map([['aws_access_key_id', 'AKIAEXAMPLEEXAMPLE01'], ['aws_secret_access_key', 's']]);
const WITH_KEYS = Object.fromEntries(KEYS);
/** A role section of the config. */
const role = (name: string, source?: string, more: Record<string, string> = {}) => ({
  role_arn: ARN(name), ...(source ? { source_profile: source } : {}), ...more,
});

function files(config: Sections, creds: Sections = { 'work-long-term': WITH_KEYS }): RoleFiles {
  const map = (s: Sections) => (n: string) => (s[n] ? new Map(Object.entries(s[n]!)) : undefined);
  return { configFile: PATHS.config, credentialsFile: PATHS.credentials, config: map(config), credentials: map(creds) };
}

const throwsConfig = (f: () => unknown, message: RegExp) =>
  assert.throws(f, (e: unknown) => isCliError(e) && e.exitCode === EXIT.CONFIG && message.test(e.message));

const root = () =>
  resolveProfile({
    names: resolveNames({ profile: 'work' }, {}), flags: { profile: 'work' }, env: {}, paths: PATHS, longTerm: KEYS,
    config: new Map(), user: () => 'taro',
  });

test('the defaults: a role asks 3600 s; a chained role is capped at 3600 s', () => {
  assert.equal(ROLE_DEFAULT_DURATION, 3600);
  assert.equal(CHAINED_MAX_DURATION, 3600);
  const deepRole = role('deep', 'prod', { duration_seconds: '7200' });
  const chain = roleChain('deep', files({ prod: role('prod', 'work'), deep: deepRole }));
  const [prod, deep] = chain.links.map((l, i) => roleProfile(root(), l, {}, {}, i === 1));
  assert.equal(prod!.duration.value, 3600);
  assert.equal(prod!.configRole?.chained, false);
  assert.equal(deep!.duration.value, 3600);
  assert.equal(deep!.configRole?.chained, true);
  assert.equal(deep!.configRole?.capped, 7200);
  assert.equal(deep!.names.shortTerm, 'deep');
  assert.equal(deep!.force, false);
  // a role without a region of its own takes its source role's
  const inEurope = role('prod', 'work', { region: 'eu-west-1' });
  const regions = roleChain('deep', files({ prod: inEurope, deep: role('deep', 'prod') }));
  const first = roleProfile(root(), regions.links[0]!, {}, {}, false);
  assert.equal(roleProfile(root(), regions.links[1]!, {}, {}, true, first.region).region.value, 'eu-west-1');
});

test("a role's values: the flag, then the config, then the root's", () => {
  const own = { duration_seconds: '1800', role_session_name: 'cfg-name', external_id: 'ext-1', region: 'eu-west-1' };
  const link = roleChain('prod', files({ prod: role('prod', 'work', own) })).links[0]!;
  const c = roleProfile(root(), link, {}, {}, true);
  const values = [c.duration.value, c.sessionName.value, c.externalId, c.region.value];
  assert.deepEqual(values, [1800, 'cfg-name', 'ext-1', 'eu-west-1']);
  assert.equal(c.role?.value, ARN('prod'));
  const flags = { duration: '900', roleSessionName: 'flag-name', externalId: 'ext-2', force: true };
  const f = roleProfile(root(), link, flags, { AWS_REGION: 'ap-northeast-1' }, true);
  assert.deepEqual([f.duration.value, f.sessionName.value, f.externalId, f.force], [900, 'flag-name', 'ext-2', true]);
  assert.equal(f.region.value, root().region.value, "a region from outside the files wins over the role's own");
  const bare = roleProfile(root(), roleChain('p', files({ p: role('p', 'work') })).links[0]!, {}, {}, true);
  assert.equal(bare.sessionName.value, 'taro', "the OS user's name, as for --assume-role");
  // the roles' own flags do not reach the source
  const all = {
    profile: 'prod', duration: '900', force: true, roleSessionName: 'x', externalId: 'y',
    token: '123456', region: 'eu-west-1',
  };
  assert.deepEqual(sourceFlags(all, 'work'), { profile: 'work', token: '123456', region: 'eu-west-1' });
  const usage = (e: unknown) => isCliError(e) && e.exitCode === EXIT.USAGE;
  assert.throws(() => roleProfile(root(), link, { duration: '43201' }, {}, true), usage);
});

test('the chain: aws-mfa source, plain keys, a role, itself; the first mfa_serial', () => {
  assert.deepEqual(roleChain('prod', files({ prod: role('prod', 'work') })).root, { kind: 'aws-mfa', profile: 'work' });
  const device = 'arn:aws:iam::1:mfa/a';
  const plain = roleChain('prod', files({ prod: role('prod', 'keys', { mfa_serial: device }) }, { keys: WITH_KEYS }));
  assert.equal(plain.root.kind, 'static');
  assert.equal(plain.mfaSerial, device);
  const self = roleChain('me', files({ me: role('me', 'me') }, { me: WITH_KEYS }));
  assert.deepEqual([self.root.kind, self.root.profile], ['static', 'me']);
  const chain = roleChain('c', files({ a: role('a', 'work'), b: role('b', 'a'), c: role('c', 'b') }));
  assert.deepEqual(chain.links.map((l) => [l.profile, l.chained]), [['a', false], ['b', true], ['c', true]]);
});

test('bad chains: one line each, exit 3, with a command that fixes it', () => {
  const chainOf = (config: Sections, creds?: Sections) => () =>
    roleChain(Object.keys(config)[0]!, files(config, creds));
  throwsConfig(chainOf({ p: role('p', 'gone') }), /source_profile = gone .*aws-mfa --setup --profile gone/);
  throwsConfig(chainOf({ p: role('p') }), /no source_profile.*aws configure set source_profile SOURCE --profile p/);
  throwsConfig(() => roleChain('a', files({ a: role('a', 'b'), b: role('b', 'a') })), /a → b → a/);
  const user = { role_arn: 'arn:aws:iam::1:user/x', source_profile: 'work' };
  throwsConfig(() => roleChain('p', files({ p: user })), /not an IAM role's ARN/);
  const ec2 = role('p', undefined, { credential_source: 'Ec2InstanceMetadata' });
  throwsConfig(() => roleChain('p', files({ p: ec2 })), /credential_source, which aws-mfa does not serve/);
  throwsConfig(chainOf({ p: role('p', undefined, { web_identity_token_file: '/t' }) }), /web_identity_token_file/);
  throwsConfig(() => roleChain('p', files({ p: { sso_session: 'corp' } })), /sso_session.*aws sso login --profile p/);
  throwsConfig(() => roleChain('me', files({ me: role('me', 'me') }, {})), /names itself as source_profile/);
});

test("a role session's file: its name from the profile's, and what it holds read back", () => {
  assert.equal(fileNameOf('role', 'prod'), 'role-prod.json');
  assert.equal(fileNameOf('source', 'prod'), 'source-prod.json');
  assert.equal(fileNameOf('role', 'a.b/c'), 'role-a%002eb%002fc.json');
  assert.equal(fileNameOf('role', '本番'), 'role-%672c%756a.json');
  // macOS and Windows fold case: Dev and dev are two files there too
  assert.equal(fileNameOf('source', 'Dev'), 'source-%0044ev.json');
  assert.notEqual(fileNameOf('source', 'Dev').toLowerCase(), fileNameOf('source', 'dev').toLowerCase());
  // a name past 200 encoded characters: its start and the sha256 of the whole, within NAME_MAX
  const long = `p${'.'.repeat(60)}`;
  const name = fileNameOf('source', long);
  assert.match(name, /^source-p(%002e)+~[0-9a-f]{64}\.json$/);
  assert.ok(Buffer.byteLength(name) <= 255, name);
  assert.notEqual(fileNameOf('source', `${long}.`), name);
  const expiration = new Date('2030-01-02T03:04:05Z');
  const session = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 't', expiration };
  const kept = { session, role: ARN('P'), source: 'work' };
  assert.deepEqual(parseKept(keptText(kept)), kept);
  const bad = ['', '{', '{"accessKeyId":"A"}', JSON.stringify({ ...session, expiration: 'soon' })];
  for (const text of bad) assert.equal(parseKept(text), undefined);
});
