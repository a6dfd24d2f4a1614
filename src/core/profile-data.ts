/** Writing one profile's keys into a shared file's document, by the SDKs' section rules. Pure. */
import type { IniDocument } from '../ini/document.js';
import { profileHeader, profileHeaders, type FileKind } from '../ini/profiles.js';

/**
 * Write `entries` into profile `name` (creating its section at the end if it has none) and drop
 * the `remove` keys. Writes only what every reader agrees on: the header is made exactly
 * `[name]` / `[profile name]` (the AWS CLI does not trim `[ name ]`), values are plain.
 */
export function writeProfile(
  doc: IniDocument,
  name: string,
  kind: FileKind,
  entries: ReadonlyArray<readonly [string, string]>,
  remove: readonly string[] = [],
): void {
  const headers = profileHeaders(doc, name, kind);
  const header = headers[headers.length - 1] ?? profileHeader(name, kind);
  if (!doc.hasSection(header)) {
    doc.addSection(header, entries);
    return;
  }
  doc.normalizeHeader(header);
  for (const [k, v] of entries) doc.set(header, k, v);
  for (const k of remove) doc.remove(header, k);
}
