/**
 * The resolved profile: one pure function turns the files, the environment and the flags into
 * everything a run needs (names, where the long-term key is, device, role, duration, region,
 * endpoints, network settings, code sources), each value with the place it came from. Every
 * command works from it; nothing re-derives any of these. Modelled on aws-vault's ProfileConfig.
 */
import { configError, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Names, NameFlags } from './names.js';
import { suggest, profileArgs } from './names.js';
import type { FilePaths } from './paths.js';
import type { AccessKey } from './credentials.js';
import {
  parseSeconds,
  checkDevice,
  checkRole,
  checkDuration,
  checkExternalId,
  checkSessionName,
  defaultSessionName,
  partitionOf,
  DEFAULT_REGION,
  DEFAULT_DURATION,
} from './checks.js';
import { DEFAULT_MIN_TTL } from './decision.js';
import { sdkSettings, type SdkSettings } from './sdk-settings.js';
import { netSettings, type NetSettings } from './network.js';
import { keyLocation, keychainIdOf, KEYCHAIN_ID } from './key-location.js';
import type { ConfigRole } from './role.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Every flag that shapes a session, as given on the command line (strings, unchecked). */
export interface SessionFlags extends NameFlags {
  device?: string;
  duration?: string;
  assumeRole?: string;
  roleSessionName?: string;
  externalId?: string;
  token?: string;
  /** The prompt driver (--prompt), checked where a code is asked (core/prompt-choice.ts). */
  prompt?: string;
  region?: string;
  minTtl?: string;
  force?: boolean;
  connectTimeout?: string;
  readTimeout?: string;
}

export interface Sourced<T> {
  value: T;
  /** Where it came from, in words: `--duration`, `MFA_STS_DURATION`, `mfa_serial in [work-long-term]`. */
  source: string;
}

// keychain: the marker and the rule of where the key is live in key-location.ts
export { KEYCHAIN_MARKER } from './key-location.js';

export interface ResolvedProfile {
  names: Names;
  flags: SessionFlags;
  paths: FilePaths;
  /** Where the long-term key is: the file (with the key), or the OS keychain (read when needed). */
  longTerm: { section: string; store: 'file'; key: AccessKey } | { section: string; store: 'keychain'; id?: string };
  /** Where sessions are kept: the short-term section, or (keys in the keychain) the keychain. */
  sessionStore: 'file' | 'keychain';
  /** The MFA device; undefined: the IAM user's only device, looked up when a code is needed. */
  device?: Sourced<string>;
  /**
   * The device is kept with the session (aws_mfa_device in the short-term section): it came from
   * --device or MFA_DEVICE, or was recorded there before, not from the user's files, so a renewal
   * without the option and `status` still know it (a hardware token's serial).
   */
  deviceWithSession?: true;
  role?: Sourced<string>;
  externalId?: string;
  sessionName: Sourced<string>;
  duration: Sourced<number>;
  /** The region for STS; `configured` false when it is only the partition's default. */
  /** `copiedFrom`: the section a region read from the files is in, as the AWS CLI names it. */
  region: Sourced<string> & { configured: boolean; copiedFrom?: string };
  endpoints: { STS: SdkSettings; IAM: SdkSettings };
  net: NetSettings;
  /** Code sources in order of precedence: the flag, then mfa_process, then a prompt (chosen by chosenPrompt()). */
  codes: { token?: string; mfaProcess?: Sourced<string> };
  minTtl: number;
  force: boolean;
  /** The long-term section's and the config profile's plain properties (for what is not modelled). */
  config: ReadonlyMap<string, string>;
  /** A role profile of the config file (role_arn + source_profile, core/role.ts): its source and chaining. */
  configRole?: ConfigRole;
}

export interface ProfileInput {
  names: Names;
  flags: SessionFlags;
  env: Env;
  paths: FilePaths;
  /** The long-term section's plain properties; the caller has checked it exists. */
  longTerm: ReadonlyMap<string, string>;
  /** The config file's settings for the long-term name and the profile, merged (the profile wins). */
  config: ReadonlyMap<string, string>;
  /** The OS user name (the default role session name), asked when it is needed. */
  user: () => string;
  /** The device an earlier lookup found, recorded with the session (aws_mfa_device in the short-term section). */
  recordedDevice?: string;
  /**
   * -s S-long-term: the region of the config profile S, whose keys `aws-mfa init --profile S` moved to
   * [S-long-term] (aws configure put the region in [profile S]); used when nothing else names one.
   */
  movedFromRegion?: { value: string; profile: string };
  /** Sessions go to the keychain when the long-term key is there (credential-process, export, exec). */
  sessionsFollowKeys?: boolean;
}

const flagOr = (flag: string | undefined, flagName: string, env: string | undefined, envName: string) =>
  flag !== undefined
    ? { value: flag, source: flagName }
    : env !== undefined && env !== ''
      ? { value: env, source: envName }
      : undefined;

const inSection = (key: string, section: string) => t('source.key', { key, section });

/** The checks of the flags alone, made before any file is read (bad usage is reported first). */
export function checkSessionFlags(flags: SessionFlags): void {
  for (const [flag, v] of [
    ['--connect-timeout', flags.connectTimeout],
    ['--read-timeout', flags.readTimeout],
  ] as const) {
    if (v !== undefined && !(Number(v) > 0)) throw usageError(t('check.timeout', { flag, value: v }));
  }
  if (flags.minTtl !== undefined) parseSeconds(flags.minTtl, '--min-ttl');
  if (flags.duration !== undefined) parseSeconds(flags.duration, '--duration');
  if (flags.externalId !== undefined) checkExternalId(flags.externalId);
  if (flags.roleSessionName !== undefined) checkSessionName(flags.roleSessionName);
}

export function resolveProfile(input: ProfileInput): ResolvedProfile {
  const { names, flags, env, paths, longTerm, config } = input;
  checkSessionFlags(flags);
  const minTtl = flags.minTtl !== undefined ? parseSeconds(flags.minTtl, '--min-ttl') : DEFAULT_MIN_TTL;

  // the long-term key: in the file, or (marker) in the keychain
  const keychain = keyLocation(longTerm) === 'keychain'; // keychain: a key pair in the file wins over a stale marker
  let longTermKey: ResolvedProfile['longTerm'];
  if (keychain) {
    // the id of the section's own entries; none: a key kept under the old shared name (migrated on use)
    const id = keychainIdOf(longTerm);
    if (id === 'invalid') {
      const { longTerm: section, profile } = names;
      throw configError(t('keys.badKeychainId', { section, file: paths.credentials, key: KEYCHAIN_ID, profile }));
    }
    longTermKey = { section: names.longTerm, store: 'keychain', ...(id ? { id } : {}) };
  } else {
    if (longTerm.get('aws_session_token') || longTerm.get('aws_security_token')) {
      throw configError(
        names.form === 'source-destination'
          ? t('profile.sourceHoldsSession', {
              section: names.longTerm,
              file: paths.credentials,
              command: `aws-mfa -s ${names.shortTerm} -d ${names.longTerm}`,
            })
          : t('profile.longTermHoldsSession', {
              section: names.longTerm,
              file: paths.credentials,
              command: suggest(names, flags, '--setup'),
            }),
      );
    }
    for (const k of ['aws_access_key_id', 'aws_secret_access_key']) {
      if (!longTerm.get(k))
        throw configError(
          t('profile.longTermKeyMissing', {
            section: names.longTerm,
            file: paths.credentials,
            key: k,
            command: suggest(names, flags, '--setup'),
          }),
        );
    }
    longTermKey = {
      section: names.longTerm,
      store: 'file',
      key: { accessKeyId: longTerm.get('aws_access_key_id')!, secretAccessKey: longTerm.get('aws_secret_access_key')! },
    };
  }

  // the device: flag, MFA_DEVICE, the long-term section, the config profile; else looked up later
  const given = flagOr(flags.device, '--device', env.MFA_DEVICE, 'MFA_DEVICE');
  const inFiles =
    (longTerm.get('aws_mfa_device')
      ? { value: longTerm.get('aws_mfa_device')!, source: inSection('aws_mfa_device', names.longTerm) }
      : undefined) ??
    (longTerm.get('mfa_serial')
      ? { value: longTerm.get('mfa_serial')!, source: inSection('mfa_serial', names.longTerm) }
      : undefined) ??
    (config.get('mfa_serial')
      ? { value: config.get('mfa_serial')!, source: t('source.configKey', { key: 'mfa_serial', file: paths.config }) }
      : undefined);
  const device =
    given ??
    inFiles ??
    (input.recordedDevice
      ? { value: input.recordedDevice, source: t('source.recorded', { section: names.shortTerm }) }
      : undefined);
  if (device) checkDevice(device.value, device.source, profileArgs(names, flags));

  const role =
    flagOr(flags.assumeRole, '--assume-role', env.MFA_ASSUME_ROLE, 'MFA_ASSUME_ROLE') ??
    (longTerm.get('assume_role')
      ? { value: longTerm.get('assume_role')!, source: inSection('assume_role', names.longTerm) }
      : undefined);
  if (role) checkRole(role.value, role.source);
  if (flags.externalId !== undefined) checkExternalId(flags.externalId);
  // the OS user is asked only when the name is needed (a role, or a refresh): not on the cached path
  let osName: string | undefined;
  const sessionName: Sourced<string> =
    flags.roleSessionName !== undefined
      ? { value: flags.roleSessionName, source: '--role-session-name' }
      : {
          get value() {
            return (osName ??= defaultSessionName(input.user()));
          },
          source: t('source.osUser'),
        };
  if (role) checkSessionName(sessionName.value);

  const durationText = flagOr(flags.duration, '--duration', env.MFA_STS_DURATION, 'MFA_STS_DURATION');
  const duration = durationText
    ? { value: parseSeconds(durationText.value, durationText.source), source: durationText.source }
    : { value: DEFAULT_DURATION[role ? 'AssumeRole' : 'GetSessionToken'], source: t('source.default') };
  checkDuration(duration.value, Boolean(role), duration.source);

  const regionFrom =
    flagOr(flags.region || undefined, '--region', undefined, '') ??
    flagOr(undefined, '', env.AWS_REGION, 'AWS_REGION') ??
    flagOr(undefined, '', env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION') ??
    (config.get('region')
      ? {
          value: config.get('region')!,
          source: t('source.configKey', { key: 'region', file: paths.config }),
          copiedFrom: `profile ${names.longTerm}`,
        }
      : undefined) ??
    (longTerm.get('region')
      ? { value: longTerm.get('region')!, source: inSection('region', names.longTerm), copiedFrom: names.longTerm }
      : undefined) ??
    (input.movedFromRegion
      ? {
          value: input.movedFromRegion.value,
          source: t('source.configKey', { key: 'region', file: paths.config }),
          copiedFrom: `profile ${input.movedFromRegion.profile}`,
        }
      : undefined);
  const region = regionFrom
    ? { ...regionFrom, configured: true }
    : {
        value: DEFAULT_REGION[partitionOf(device?.value ?? role?.value)],
        source: t('source.partitionDefault'),
        configured: false,
      };

  const mfaProcess = config.get('mfa_process');
  let endpoints: ResolvedProfile['endpoints'] | undefined;
  let net: NetSettings | undefined;
  return {
    names,
    flags,
    paths,
    longTerm: longTermKey,
    sessionStore: keychain && input.sessionsFollowKeys ? 'keychain' : 'file',
    ...(device ? { device } : {}),
    ...(given || (!inFiles && device) ? { deviceWithSession: true as const } : {}),
    ...(role ? { role } : {}),
    ...(flags.externalId !== undefined ? { externalId: flags.externalId } : {}),
    sessionName,
    duration,
    region,
    // worked out when a call needs them (pure, and never wrong: a cached answer makes no call)
    get endpoints() {
      return (endpoints ??= { STS: sdkSettings(env, config, 'STS'), IAM: sdkSettings(env, config, 'IAM') });
    },
    get net() {
      return (net ??= netSettings(env, config, flags));
    },
    codes: {
      ...(flags.token !== undefined ? { token: flags.token } : {}),
      ...(mfaProcess
        ? {
            mfaProcess: {
              value: mfaProcess,
              source: t('source.configKey', { key: 'mfa_process', file: paths.config }),
            },
          }
        : {}),
    },
    minTtl,
    force: Boolean(flags.force),
    config,
  };
}
