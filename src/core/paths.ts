/**
 * Where the shared files are, as the AWS SDKs find them. A pure function of the environment, the
 * platform and the language's own home lookup, so the SDK teams' location suites run on any host.
 */
export type Platform = 'linux' | 'windows';

export interface FilePaths {
  config: string;
  credentials: string;
  /** The active profile by the SDK rule (`AWS_PROFILE`, else `default`). */
  profile: string;
  home: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** HOME first everywhere; then on Windows USERPROFILE, then HOMEDRIVE+HOMEPATH; then the language's lookup. */
export function homeDir(env: Env, platform: Platform, languageHome: () => string): string {
  if (env.HOME) return env.HOME;
  if (platform === 'windows') {
    if (env.USERPROFILE) return env.USERPROFILE;
    if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}`;
  }
  return languageHome();
}

export function resolvePaths(env: Env, platform: Platform, languageHome: () => string): FilePaths {
  const sep = platform === 'windows' ? '\\' : '/';
  let home: string | undefined;
  const getHome = () => (home ??= homeDir(env, platform, languageHome));
  // "~/" at the start of an override means the home directory, as the SDKs expand it
  const expand = (p: string) =>
    p.startsWith('~/') || (platform === 'windows' && p.startsWith('~\\')) ? getHome() + sep + p.slice(2) : p;
  const config = env.AWS_CONFIG_FILE ? expand(env.AWS_CONFIG_FILE) : [getHome(), '.aws', 'config'].join(sep);
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE
    ? expand(env.AWS_SHARED_CREDENTIALS_FILE)
    : [getHome(), '.aws', 'credentials'].join(sep);
  return { config, credentials, profile: env.AWS_PROFILE || 'default', home };
}
