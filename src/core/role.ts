/**
 * Role profiles of ~/.aws/config (`role_arn` + `source_profile`), the AWS way: which profiles form
 * the chain from a profile with keys to the role asked for, and each role's settings (duration,
 * session name, external id, region), as a ResolvedProfile of its own so that every command works
 * from it as from any other profile. The source's MFA session signs AssumeRole (no code is sent
 * with it), as aws-vault does. Pure: the files are read by service/profile-loader.ts.
 */
import { configError, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import type { ResolvedProfile, SessionFlags, Sourced } from './profile.js';
import {
  parseSeconds,
  checkDuration,
  checkSessionName,
  checkExternalId,
  ROLE_ARN,
  DEFAULT_DURATION,
} from './checks.js';
import { DEFAULT_LONG_TERM_SUFFIX } from './names.js';

/** AWS caps a session reached by role chaining (a role's session assuming another role) at one hour. */
export const CHAINED_MAX_DURATION = 3600;
/** A role's session length when neither --duration nor duration_seconds says otherwise. */
export const ROLE_DEFAULT_DURATION = DEFAULT_DURATION.AssumeRole;

/** Settings of other credential providers the AWS CLI and SDKs serve themselves: not aws-mfa's. */
export function notOursKey(config: ReadonlyMap<string, string>): string | undefined {
  for (const key of ['credential_source', 'web_identity_token_file']) if (config.get(key)) return key;
  for (const key of config.keys()) if (key.startsWith('sso_') && config.get(key)) return key;
  return undefined;
}

/** A config profile aws-mfa serves as a role: it names a role (or another provider, which is refused clearly). */
export const isRoleConfig = (config: ReadonlyMap<string, string> | undefined): boolean =>
  Boolean(config && (config.get('role_arn') || notOursKey(config)));

/** One role of the chain. */
export interface RoleLink {
  /** The role profile's name (`prod`). */
  profile: string;
  roleArn: string;
  /** Its source_profile. */
  source: string;
  /** Its config section's plain properties. */
  config: ReadonlyMap<string, string>;
  /** Signed by another role's session (role chaining): at most one hour. */
  chained: boolean;
}

/**
 * Where the chain starts: an aws-mfa profile (long-term key in [NAME-long-term] or the keychain),
 * or plain static keys.
 */
export type RootSource =
  | { kind: 'aws-mfa'; profile: string }
  | { kind: 'static'; profile: string; keys: ReadonlyMap<string, string> };

export interface RoleChain {
  root: RootSource;
  /** links[0] is signed by the root; the last is the profile asked for. */
  links: RoleLink[];
  /** The first mfa_serial the roles give (from the root's side): the root's device when it has none of its own. */
  mfaSerial?: string;
}

/** What the chain needs to know of the files. */
export interface RoleFiles {
  configFile: string;
  credentialsFile: string;
  /** The config file's section of a profile. */
  config(name: string): ReadonlyMap<string, string> | undefined;
  /** The credentials file's section. */
  credentials(name: string): ReadonlyMap<string, string> | undefined;
  /** The long-term suffix in use (`long-term`). */
  longTermSuffix?: string;
}

const sectionName = (name: string) => (name === 'default' ? '[default]' : `[profile ${name}]`);
const hasStaticKeys = (s: ReadonlyMap<string, string> | undefined) =>
  Boolean(s?.get('aws_access_key_id') && s.get('aws_secret_access_key') && !s.get('aws_session_token'));

/** `--profile NAME` as the user typed it, for commands to paste. */
const configure = (key: string, value: string, profile: string) =>
  `aws configure set ${key} ${value} --profile ${profile}`;

/**
 * The chain from `name` (a role profile) down to a profile with keys. Each failure is one line
 * with a command that fixes it: a role without source_profile, a source that is not there, a
 * cycle, a role_arn that is not a role's ARN, a provider that is not aws-mfa's.
 */
export function roleChain(name: string, files: RoleFiles): RoleChain {
  const suffix = files.longTermSuffix || DEFAULT_LONG_TERM_SUFFIX;
  const links: RoleLink[] = [];
  const seen = [name];
  let current = name;
  for (;;) {
    const config = files.config(current) ?? new Map<string, string>();
    const section = sectionName(current);
    const other = notOursKey(config);
    if (other) {
      const instead =
        other === 'credential_source' || other === 'web_identity_token_file'
          ? `aws sts get-caller-identity --profile ${current}`
          : `aws sso login --profile ${current}`;
      throw configError(t('role.notOurs', { key: other, section, file: files.configFile, command: instead }));
    }
    const roleArn = config.get('role_arn')!;
    if (!ROLE_ARN.test(roleArn)) {
      const command = configure('role_arn', 'arn:aws:iam::123456789012:role/NAME', current);
      throw configError(t('role.badArn', { role: roleArn, section, file: files.configFile, command }));
    }
    const source = config.get('source_profile');
    const pointAt = configure('source_profile', 'SOURCE', current);
    if (!source) throw configError(t('role.noSource', { section, file: files.configFile, command: pointAt }));
    links.unshift({ profile: current, roleArn, source, config, chained: false });
    // a role whose source is itself takes its own keys (as botocore does)
    if (source === current) {
      const keys = files.credentials(source);
      if (hasStaticKeys(keys)) return finish({ kind: 'static', profile: source, keys: keys! }, links);
      throw configError(t('role.selfWithoutKeys', { section, file: files.credentialsFile, profile: source }));
    }
    // an aws-mfa profile (its long-term section), else another role, else static keys
    if (files.credentials(`${source}-${suffix}`)) return finish({ kind: 'aws-mfa', profile: source }, links);
    if (isRoleConfig(files.config(source))) {
      if (seen.includes(source)) {
        const loop = [...seen, source].join(' → ');
        throw configError(t('role.cycle', { loop, file: files.configFile, command: pointAt }));
      }
      seen.push(source);
      current = source;
      continue;
    }
    const keys = files.credentials(source);
    if (hasStaticKeys(keys)) return finish({ kind: 'static', profile: source, keys: keys! }, links);
    const [file, longTerm] = [files.credentialsFile, `${source}-${suffix}`];
    const command = `aws-mfa --setup --profile ${source}`;
    throw configError(t('role.missingSource', { source, section, file, longTerm, command }));
  }
}

function finish(root: RootSource, links: RoleLink[]): RoleChain {
  links.forEach((l, i) => (l.chained = i > 0));
  const mfaSerial = links.map((l) => l.config.get('mfa_serial')).find(Boolean);
  return { root, links, ...(mfaSerial ? { mfaSerial } : {}) };
}

/** What a role profile says about itself beyond the ResolvedProfile: its source, and whether it is chained. */
export interface ConfigRole {
  /** The profile whose session signs its AssumeRole (source_profile). */
  source: string;
  /** The profile with keys at the root of the chain. */
  root: string;
  chained: boolean;
  /** The duration asked was more than a chained session may have: capped (said at INFO). */
  capped?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A role's ResolvedProfile, built on the root source's: its own names, role, duration, session
 * name, external id and region; the rest (endpoints, network, codes, where the keys are) the
 * root's. `target`: the profile asked for, which takes the session flags (--duration, --force,
 * --role-session-name, --external-id); the roles between take their config alone.
 */
export function roleProfile(
  root: ResolvedProfile,
  link: RoleLink,
  flags: SessionFlags,
  env: Env,
  target: boolean,
  inherited: ResolvedProfile['region'] = root.region,
): ResolvedProfile {
  const section = sectionName(link.profile);
  const inConfig = (key: string) => t('source.roleKey', { key, section });
  if (target && flags.assumeRole !== undefined) throw usageError(t('role.assumeRoleFlag', { profile: link.profile }));

  const fromFlag = target && flags.duration !== undefined ? { text: flags.duration, source: '--duration' } : undefined;
  const envDuration = target ? env.MFA_STS_DURATION : undefined;
  const fromEnv = envDuration ? { text: envDuration, source: 'MFA_STS_DURATION' } : undefined;
  const ownDuration = link.config.get('duration_seconds');
  const fromConfig = ownDuration ? { text: ownDuration, source: inConfig('duration_seconds') } : undefined;
  const given = fromFlag ?? fromEnv ?? fromConfig;
  let duration: Sourced<number> = given
    ? { value: parseSeconds(given.text, given.source), source: given.source }
    : { value: ROLE_DEFAULT_DURATION, source: t('source.default') };
  checkDuration(duration.value, true, duration.source);
  let capped: number | undefined;
  if (link.chained && duration.value > CHAINED_MAX_DURATION) {
    capped = duration.value;
    duration = { value: CHAINED_MAX_DURATION, source: t('source.chainedCap') };
  }

  const sessionName: Sourced<string> =
    target && flags.roleSessionName !== undefined
      ? { value: flags.roleSessionName, source: '--role-session-name' }
      : link.config.get('role_session_name')
        ? { value: link.config.get('role_session_name')!, source: inConfig('role_session_name') }
        : root.sessionName;
  if (sessionName !== root.sessionName) checkSessionName(sessionName.value);
  const externalId = (target ? flags.externalId : undefined) ?? link.config.get('external_id');
  if (externalId !== undefined) checkExternalId(externalId);

  // the region: a flag or variable as for the root; else the role's own; else its source's (a role's, or the root's)
  const ownRegion = link.config.get('region');
  const fromOutside = Boolean(flags.region || env.AWS_REGION || env.AWS_DEFAULT_REGION);
  const region: ResolvedProfile['region'] =
    !fromOutside && ownRegion
      ? { value: ownRegion, source: inConfig('region'), configured: true, copiedFrom: `profile ${link.profile}` }
      : inherited;

  const configRole: ConfigRole = {
    source: link.source,
    root: root.names.profile,
    chained: link.chained,
    ...(capped ? { capped } : {}),
  };
  return {
    names: {
      profile: link.profile,
      longTerm: root.names.longTerm,
      shortTerm: link.profile,
      form: 'suffix',
      profileSource: target ? root.names.profileSource : 'source_profile',
    },
    flags,
    paths: root.paths,
    longTerm: root.longTerm,
    sessionStore: root.longTerm.store === 'keychain' ? 'keychain' : 'file',
    ...(root.device ? { device: root.device } : {}),
    role: { value: link.roleArn, source: inConfig('role_arn') },
    ...(externalId !== undefined ? { externalId } : {}),
    sessionName,
    duration,
    region,
    get endpoints() {
      return root.endpoints;
    },
    get net() {
      return root.net;
    },
    codes: root.codes,
    minTtl: root.minTtl,
    force: target && Boolean(flags.force),
    config: link.config,
    configRole,
  };
}

/** The flags that shape the root source's session: the role's own (--duration, --force, ...) stay with the role. */
export function sourceFlags(flags: SessionFlags, source: string): SessionFlags {
  const { duration: _d, force: _f, roleSessionName: _r, externalId: _e, assumeRole: _a, ...rest } = flags;
  return { ...rest, profile: source };
}
