/** Finding the machine's real tools: PATH first, then the image's pyenv shims. Loud when absent. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { homedir } from 'node:os';

export function findTool(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.pyenv', 'shims'), '/root/.pyenv/shims'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  throw new Error(`${name} not found on PATH or in ~/.pyenv/shims; it comes with the machine image (pyenv Python with moto and awscli)`);
}
