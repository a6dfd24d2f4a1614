/**
 * The OS user's login name (the default role session name), with the variables as a fallback.
 * node:os is loaded when this is asked, not on every start.
 */
export function osUser(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return (process.getBuiltinModule('node:os') as typeof import('node:os')).userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'aws-mfa';
  }
}

/** The home folder by the OS (where HOME and the like are unset). */
export const osHome = (): string => (process.getBuiltinModule('node:os') as typeof import('node:os')).homedir();
