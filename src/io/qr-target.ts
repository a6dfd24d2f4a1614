/**
 * Whether a file can be written where the user asked (the QR code PNG), checked before anything
 * is created in AWS: the folder exists and is writable, and the path is not a folder.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configError } from '../errors.js';
import { t } from '../messages/index.js';

export function checkWritable(file: string): void {
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
}
