/** Writing one profile's keys into a shared file's document, by the SDKs' section rules. Pure. */
import type { IniDocument } from './document.js';
import { profileHeader, profileHeaders, sectionRole, type FileKind } from './profiles.js';

/**
 * Write `entries` into profile `name` (creating its section at the end if it has none) and drop
 * the `remove` keys. Writes only what every reader agrees on:
 * - into the last section whose header is exactly `[name]` (`[profile name]` in config), or, if
 *   there is none, into the profile's last section with its header made exact (the AWS CLI does
 *   not trim `[ name ]`; the SDKs do);
 * - and removes the same keys from later sections of the same profile, which the SDKs would
 *   otherwise read instead (the AWS CLI refuses such duplicates anyway, and aws-mfa warns).
 */
export function writeProfile(
  doc: IniDocument,
  name: string,
  kind: FileKind,
  entries: ReadonlyArray<readonly [string, string]>,
  remove: readonly string[] = [],
): void {
  const exact = profileHeader(name, kind);
  const headers = new Set(profileHeaders(doc, name, kind));
  const spans = doc.spans().filter((s) => headers.has(s.name));
  if (spans.length === 0) {
    doc.addSection(exact, entries);
    return;
  }
  let target = [...spans].reverse().find((s) => doc.rawHeader(s) === exact);
  if (!target) {
    target = spans[spans.length - 1]!;
    doc.renameHeader(target, exact);
  }
  const later = () =>
    doc
      .spans()
      .filter((s) => headers.has(s.name) || s.name === exact)
      .filter((s) => s.header > target!.header);
  for (const [k, v] of entries) {
    doc.setIn([target], k, v);
    doc.removeIn(later(), k);
  }
  for (const k of remove) doc.removeIn([target, ...later()], k);
}

/** The header texts a focused document must classify to edit profile `name` (see parseFocused). */
export function profileFilter(name: string, kind: FileKind): (header: string) => boolean {
  return (header) => {
    const r = sectionRole(header, kind);
    return r.type === 'profile' && r.name === name;
  };
}

/** Remove every section of profile `name` (the SDKs' reading: `[ name ]` too). */
export function removeProfile(doc: IniDocument, name: string, kind: FileKind): boolean {
  let removed = false;
  for (const h of profileHeaders(doc, name, kind)) removed = doc.removeSection(h) || removed;
  return removed;
}

/**
 * Rename every section of profile `from` to profile `to` (header lines only: every key, comment,
 * blank line and line ending stays as it was). Used to move long-term keys that `aws configure
 * --profile X` put in `[X]` to `[X-long-term]`. Returns false when `from` has no section.
 */
export function renameProfile(doc: IniDocument, from: string, to: string, kind: FileKind): boolean {
  const headers = new Set(profileHeaders(doc, from, kind));
  const spans = doc.spans().filter((s) => headers.has(s.name));
  for (const s of spans) doc.renameHeader(s, profileHeader(to, kind));
  return spans.length > 0;
}
