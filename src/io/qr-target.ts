/**
 * Whether a file can be written where the user asked (the QR code PNG), checked before anything
 * is created in AWS: the folder exists and is writable, the path is not a folder, and nothing is
 * there unless the user said to replace it (--overwrite). The write itself is exclusive too
 * (qr.ts), so a file that appears in between is not replaced either.
 */
import { accessSync, constants, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configError, type CliError } from '../errors.js';
import { t } from '../messages/index.js';
import { terminalLine } from '../core/sanitize.js';
import { sameFile } from './file-checks.js';

/** A path as it can be pasted into a POSIX shell or cmd: quoted when it needs to be. */
export const quoted = (p: string) => (/^[\w@%+=:,./~\\-]+$/.test(p) ? p : `"${p.replace(/"/g, '\\"')}"`);

/** What to add to a command to write the QR code to `file`, replacing what is there. */
export const overwriteArgs = (file: string) => `--qr-png ${quoted(file)} --overwrite`;

/** The refusal of an existing output file; `fix`: the command that replaces it. */
export function fileExists(file: string, fix: string): CliError {
  return configError(t('files.exists', { file: terminalLine(file), command: fix }));
}

/**
 * `fix`: the command to suggest when the file is there (it writes with --overwrite). `keep`: the
 * files aws-mfa reads (the credentials and config files), never replaced, not even with --overwrite.
 */
export function checkWritable(
  file: string,
  overwrite = false,
  fix = `aws-mfa ${overwriteArgs(file)}`,
  keep: readonly string[] = [],
): void {
  const dir = dirname(resolve(file));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw configError(t('files.noFolder', { file, dir }));
  }
  if (!st.isDirectory()) throw configError(t('files.noFolder', { file, dir }));
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw configError(t('files.folderNotWritable', { file, dir }));
  }
  try {
    if (statSync(file).isDirectory()) throw configError(t('files.isFolder', { file }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const kept = keep.find((k) => sameFile(file, k));
  if (kept) throw configError(t('files.isAwsFile', { file: terminalLine(file), path: terminalLine(kept) }));
  // lstat: a link, even a dangling one, is a file that is there; a dangling one is said to be one
  const there = !overwrite && lstatSync(file, { throwIfNoEntry: false });
  if (there && there.isSymbolicLink() && !statSync(file, { throwIfNoEntry: false })) {
    const target = terminalLine(readlinkSync(file));
    throw configError(t('files.danglingLink', { file: terminalLine(file), target, command: fix }));
  }
  if (there) throw fileExists(file, fix);
}
