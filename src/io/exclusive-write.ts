/**
 * A file written whole or not at all, where no one else can have planted anything under the name
 * written first: a temporary with a random name, created exclusively (0600), renamed into place.
 * Shared by the code cache (start/chunk.ts) and the unpacked add-ons (addon.ts); the callers bring the
 * random part, so a path that writes nothing does not load node:crypto.
 */
import { closeSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';

/**
 * Write `bytes` at `file` through `${file}.${random}.tmp`; on failure the temporary this call created is removed and
 * the error thrown.
 */
export function writeExclusive(file: string, bytes: Uint8Array, random: string): void {
  const tmp = `${file}.${random}.tmp`;
  let created = false;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    created = true;
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      if (created) unlinkSync(tmp);
    } catch {
      /* gone */
    }
    throw e;
  }
}

/** Remove a file written here when its use ends (serve's token file); gone already is fine. */
export function removeWritten(file: string): void {
  rmSync(file, { force: true });
}
