/**
 * The ways credentials leave aws-mfa, as plain text: environment variables, `export`/`set` lines
 * for each shell, and the AWS credential_process JSON. Pure.
 */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export const EXPORT_FORMATS = ['sh', 'fish', 'powershell', 'cmd', 'json', 'dotenv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The variables a process needs to use the session. AWS_SECURITY_TOKEN is set too, equal to the
 * session token: botocore reads it before AWS_SESSION_TOKEN, so a stale one would win otherwise.
 */
export function sessionEnv(s: Session, region?: string): Array<[string, string]> {
  return [
    ['AWS_ACCESS_KEY_ID', s.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', s.secretAccessKey],
    ['AWS_SESSION_TOKEN', s.sessionToken],
    ['AWS_SECURITY_TOKEN', s.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', iso(s.expiration)],
    ...(region ? ([['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]] as Array<[string, string]>) : []),
  ];
}

/** Variables that would make a child use other credentials than the ones we give it. */
export const SHADOWING_VARS = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'];

const sh = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
const fish = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ps = (v: string) => `'${v.replace(/'/g, "''")}'`;

function cmd(name: string, v: string): string {
  // cmd.exe has no quoting that survives every character; the ones it cannot carry are refused
  if (/["%!\r\n^]/.test(v)) throw usageError(t('export.cmdUnsafe', { name }));
  return `set "${name}=${v}"`;
}

function dotenv(v: string): string {
  return /^[A-Za-z0-9_./:+=@-]*$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$').replace(/\n/g, '\\n')}"`;
}

export function exportText(vars: ReadonlyArray<readonly [string, string]>, format: ExportFormat): string {
  switch (format) {
    case 'sh':
      return vars.map(([k, v]) => `export ${k}=${sh(v)}\n`).join('');
    case 'fish':
      return vars.map(([k, v]) => `set -gx ${k} ${fish(v)};\n`).join('');
    case 'powershell':
      return vars.map(([k, v]) => `$Env:${k} = ${ps(v)}\n`).join('');
    case 'cmd':
      return vars.map(([k, v]) => `${cmd(k, v)}\r\n`).join('');
    case 'dotenv':
      return vars.map(([k, v]) => `${k}=${dotenv(v)}\n`).join('');
    case 'json':
      return JSON.stringify(Object.fromEntries(vars), null, 2) + '\n';
  }
}

/** The shell to write for when --format is not given: fish, PowerShell, cmd, else sh. */
export function detectFormat(env: Readonly<Record<string, string | undefined>>, platform: string): ExportFormat {
  const shell = env.SHELL ?? '';
  if (/(^|\/)fish$/.test(shell)) return 'fish';
  if (/(^|[\\/])pwsh(\.exe)?$|powershell/i.test(shell)) return 'powershell';
  if (platform === 'win32' || platform === 'windows') {
    if (shell) return 'sh'; // Git Bash, MSYS, Cygwin
    return env.PSModulePath && !env.PROMPT ? 'powershell' : 'cmd';
  }
  return 'sh';
}

/** The JSON the AWS CLI and SDKs read from a credential_process command. */
export function credentialProcessJson(s: Session): string {
  return JSON.stringify({ Version: 1, AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: iso(s.expiration) }) + '\n';
}
