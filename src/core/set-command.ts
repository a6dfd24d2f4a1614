/**
 * The line that sets an environment variable in the user's shell, for the hints that put a misspelt
 * AWS_PROFILE right (service/hints.ts). Apart from core/formats.ts, whose exports the cached path loads.
 */
import type { ExportFormat } from './formats.js';

/** The command that sets the variable `name` to `value` in the shell `format` (see detectFormat). */
export function setCommand(format: ExportFormat, name: string, value: string): string {
  const plain = /^[\w@%+=:,./-]+$/.test(value);
  const single = `'${value.replace(/'/g, format === 'powershell' ? "''" : `'\\''`)}'`;
  switch (format) {
    case 'cmd':
      return `set "${name}=${value}"`;
    case 'powershell':
      return `$env:${name} = ${single}`;
    case 'fish':
      return `set -gx ${name} ${plain ? value : single}`;
    default:
      return `export ${name}=${plain ? value : single}`;
  }
}
