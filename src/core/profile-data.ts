/** Reading one profile's plain keys out of the shared files, by the SDKs' section rules. Pure. */
import type { IniDocument } from '../ini/document.js';
import { profileHeaders, type FileKind } from '../ini/profiles.js';

/** The merged plain properties of profile `name` in this file, or undefined if it has none. */
export function profileEntries(doc: IniDocument, name: string, kind: FileKind): Map<string, string> | undefined {
  const headers = profileHeaders(doc, name, kind);
  if (headers.length === 0) return undefined;
  const out = new Map<string, string>();
  for (const h of headers) for (const [k, v] of doc.entries(h)) out.set(k, v);
  return out;
}
