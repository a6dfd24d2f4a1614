/** Opening a URL in the user's browser ($BROWSER, else the system's opener). */
import { spawn } from 'node:child_process';
import { configError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';

export async function openUrl(url: string, ctx: Context): Promise<void> {
  const browser = ctx.env.BROWSER;
  const [cmd, args] = browser ? [browser, [url]] : ctx.platform === 'windows' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => reject(configError(t('console.noBrowser', { command: cmd }))));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(configError(t('console.browserFailed', { command: cmd, code: String(code) })))));
  });
}
