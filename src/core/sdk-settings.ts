/**
 * The client settings the AWS SDK would otherwise look up in the environment and the shared
 * files, resolved here with the SDK's precedence (environment, then the profile in ~/.aws/config)
 * from what aws-mfa has already read. Passing them explicitly keeps the SDK from parsing the
 * shared files a second time with its own, slower parser (on a 10,000-profile file that costs
 * more than the rest of a refresh). Pure.
 */
type Env = Readonly<Record<string, string | undefined>>;

export interface SdkSettings {
  /** A configured endpoint (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or the profile's endpoint_url). */
  endpoint?: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
  defaultsMode: string;
  appId?: string;
}

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined || v === '' ? undefined : v.toLowerCase() === 'true';

/**
 * The variable a configured endpoint came from, by the precedence sdkSettings applies; undefined when
 * it is the config profile's `endpoint_url`.
 */
export function endpointSource(env: Env, service: 'STS' | 'IAM'): string | undefined {
  if (env[`AWS_ENDPOINT_URL_${service}`]) return `AWS_ENDPOINT_URL_${service}`;
  return env.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : undefined;
}

/** An endpoint the SDKs can call: an http or https URL. */
export function isEndpointUrl(s: string): boolean {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
}

export function sdkSettings(env: Env, profile: ReadonlyMap<string, string>, service: 'STS' | 'IAM'): SdkSettings {
  const ignore =
    bool(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) ?? bool(profile.get('ignore_configured_endpoint_urls')) ?? false;
  const endpoint = ignore
    ? undefined
    : env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || profile.get('endpoint_url') || undefined;
  return {
    ...(endpoint ? { endpoint } : {}),
    useFipsEndpoint: bool(env.AWS_USE_FIPS_ENDPOINT) ?? bool(profile.get('use_fips_endpoint')) ?? false,
    useDualstackEndpoint: bool(env.AWS_USE_DUALSTACK_ENDPOINT) ?? bool(profile.get('use_dualstack_endpoint')) ?? false,
    defaultsMode: env.AWS_DEFAULTS_MODE || profile.get('defaults_mode') || 'legacy',
    ...(env.AWS_SDK_UA_APP_ID || profile.get('sdk_ua_app_id')
      ? { appId: env.AWS_SDK_UA_APP_ID || profile.get('sdk_ua_app_id') }
      : {}),
  };
}
