/**
 * Opening a secret URL (the console sign-in link, which signs anyone in for 15 minutes) in the
 * browser without putting it in a child's argv, where `ps` shows it to every user: the URL goes
 * into a small HTML file that redirects to it, created exclusively (0600, random name) in a private
 * folder (0700) of its own; the browser is given the file's path; the folder is removed once the
 * browser has had time to read it, by a detached helper, since aws-mfa itself exits at once.
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { configError } from '../errors.js';
import { t } from '../messages/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/** How long the redirecting file stays: a browser that starts cold reads it within seconds. */
const KEEP_MS = 60_000;

const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page: an immediate redirect, and a link for a browser that does not follow it. */
export function redirectPage(url: string): string {
  const u = attr(url);
  return (
    '<!doctype html>\n<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
    `<meta http-equiv="refresh" content="0;url=${u}"><title>AWS console sign-in</title></head>\n` +
    `<body><p><a href="${u}">Continue to the AWS console</a></p></body></html>\n`
  );
}

/** The private folder and the redirecting file in it; the caller removes the folder. */
export function writeRedirectFile(url: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-'));
  const file = join(dir, `signin-${randomBytes(16).toString('hex')}.html`);
  try {
    writeFileSync(file, redirectPage(url), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, file };
}

function opener(file: string, env: Env, platform: NodeJS.Platform): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [file]];
  if (platform === 'darwin') return ['open', [file]];
  // no cmd.exe: rundll32 hands the path to the default handler without a shell parsing it
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', file]];
  return ['xdg-open', [file]];
}

/** Remove `dir` after `ms`, from a detached process that outlives aws-mfa (its argv holds only the path). */
function removeLater(dir: string, ms: number): void {
  const script =
    'setTimeout(() => require("fs").rmSync(process.argv[1], { recursive: true, force: true }), ' +
    'Number(process.argv[2]))';
  try {
    const child = spawn(process.execPath, ['-e', script, dir, String(ms)], {
      detached: true,
      stdio: 'ignore',
      env: {},
    });
    child.on('error', () => rmSync(dir, { recursive: true, force: true }));
    child.unref();
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Open `url` in the browser ($BROWSER, else the system's opener) through a redirecting file.
 * AWS_MFA_BROWSER_FILE_MS shortens how long the file stays (for tests).
 */
export async function openInBrowser(
  url: string,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  const { dir, file } = writeRedirectFile(url);
  const [cmd, args] = opener(file, env, platform);
  const keep = Number(env.AWS_MFA_BROWSER_FILE_MS ?? KEEP_MS);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
      child.on('error', () => reject(configError(t('console.noBrowser', { command: cmd }))));
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(configError(t('console.browserFailed', { command: cmd, code: String(code) }))),
      );
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  removeLater(dir, Number.isFinite(keep) && keep >= 0 ? keep : KEEP_MS);
}
