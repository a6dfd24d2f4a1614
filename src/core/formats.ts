/**
 * The ways credentials leave aws-mfa, as plain text: environment variables, `export`/`set` lines
 * for each shell, and the AWS credential_process JSON. Pure.
 */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';

import type { Session } from './credentials.js';

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
    ...(region
      ? ([
          ['AWS_REGION', region],
          ['AWS_DEFAULT_REGION', region],
        ] as Array<[string, string]>)
      : []),
  ];
}

/** Variables that would make a child use other credentials than the ones we give it. */
export const SHADOWING_VARS = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'];

// The values come from STS or are read back from the files, so none is trusted to be plain: each
// format quotes every character it can carry and refuses the others.

/** C0 and C1 control characters and DEL: no credential, region or time has one, and a terminal acts on them. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Characters every shell reads the same way, bare or in single quotes (the base64 of keys, ISO times, regions). */
const PORTABLE = /^[A-Za-z0-9+/=._:@,-]*$/;

const shown = (c: string) =>
  CONTROL.test(c) ? `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${c}"`;

function refuseControls(name: string, v: string): void {
  const bad = CONTROL.exec(v);
  if (bad) throw usageError(t('export.controlCharacter', { name, char: shown(bad[0]) }));
}

/**
 * JSON as JSON.stringify writes it, and also DEL, the C1 controls and the bidirectional and line
 * separator characters as \u escapes (JSON.stringify escapes only C0): the same data to every
 * reader, and nothing a terminal acts on when it is shown.
 */
function json(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** POSIX sh: single quotes carry everything; a ' is closed, escaped and reopened. */
const sh = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
/** fish: in single quotes only \ and ' are special. */
const fish = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** PowerShell ends a single-quoted string at ' and at the typographic quotes U+2018-U+201B; each is doubled. */
const ps = (v: string) => `'${v.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;

function cmd(name: string, v: string): string {
  // cmd.exe has no quoting that survives every character; the ones it cannot carry are refused
  const bad = /["%!^]/.exec(v);
  if (bad) throw usageError(t('export.cmdUnsafe', { name, char: shown(bad[0]) }));
  return `set "${name}=${v}"`;
}

/**
 * dotenv: plain values bare (docker --env-file takes them as they are); others in single quotes,
 * which sh (`set -a; . ./.env`), docker compose, python-dotenv and Node's dotenv all read
 * literally. A ' cannot be written inside them, and python-dotenv reads \\ and \' in them as
 * escapes where sh does not: values with either are refused.
 */
function dotenv(name: string, v: string): string {
  if (PORTABLE.test(v)) return v;
  const bad = /['\\]/.exec(v);
  if (bad) throw usageError(t('export.dotenvUnsafe', { name, char: shown(bad[0]) }));
  return `'${v}'`;
}

/**
 * The lines that set `vars` in `format`. `guessed`: the format was not asked for (see
 * defaultFormat), so the lines may be read by another shell than the one they were written for;
 * then every value must be one that all shells read alike, and the others are refused.
 */
export function exportText(
  vars: ReadonlyArray<readonly [string, string]>,
  format: ExportFormat,
  guessed = false,
): string {
  if (format === 'json') return json(Object.fromEntries(vars), 2) + '\n';
  for (const [k, v] of vars) {
    refuseControls(k, v);
    if (guessed && !PORTABLE.test(v)) {
      throw usageError(t('export.notPortable', { name: k, char: shown([...v].find((c) => !PORTABLE.test(c))!) }));
    }
  }
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
      return vars.map(([k, v]) => `${k}=${dotenv(k, v)}\n`).join('');
  }
}

/**
 * The format when --format is not given. $SHELL is the login shell, not the shell that will read
 * the lines (a fish user's `bash`, say), so it is not asked. The shell that started aws-mfa is
 * (`parent`, the name of the parent process where the system tells it cheaply: Linux's /proc):
 * fish and PowerShell are recognised; everything else gets POSIX sh. On Windows, where no shell
 * sets $SHELL but Git Bash, PowerShell is told from cmd by PSModulePath without PROMPT (cmd sets
 * PROMPT). Either way a guess is only a guess: exportText is then given `guessed`, and every value
 * must read the same in all shells, so a wrong guess makes a shell complain, never run a value.
 */
export function detectFormat(
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  parent?: string,
): ExportFormat {
  const name = (parent ?? '')
    .trim()
    .replace(/^-/, '')
    .replace(/\.exe$/i, '')
    .toLowerCase();
  if (name === 'fish') return 'fish';
  if (name === 'pwsh' || name === 'powershell') return 'powershell';
  if (platform === 'win32' || platform === 'windows') {
    if (env.SHELL) return 'sh'; // Git Bash, MSYS, Cygwin
    return env.PSModulePath && !env.PROMPT ? 'powershell' : 'cmd';
  }
  return 'sh';
}

/** Key variables the AWS CLI and SDKs take before any profile: the ones a user is told to clear. */
export const KEY_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'];

/** The command that removes `names` from the environment in the shell `format` (see detectFormat). */
export function unsetCommand(format: ExportFormat, names: readonly string[]): string {
  switch (format) {
    case 'cmd':
      // quoted: a space before `&` would otherwise become the value
      return names.map((n) => `set "${n}="`).join(' & ');
    case 'powershell':
      return `Remove-Item ${names.map((n) => `Env:${n}`).join(', ')}`;
    case 'fish':
      return `set -e ${names.join(' ')}`;
    default:
      return `unset ${names.join(' ')}`;
  }
}

/** The JSON the AWS CLI and SDKs read from a credential_process command. */
export function credentialProcessJson(s: Session): string {
  return (
    json({
      Version: 1,
      AccessKeyId: s.accessKeyId,
      SecretAccessKey: s.secretAccessKey,
      SessionToken: s.sessionToken,
      Expiration: iso(s.expiration),
    }) + '\n'
  );
}
