/**
 * The AWS SDKs' reading of a parsed document: which sections are profiles, sso-sessions and
 * services, how duplicates merge, and what each property's value is. Rules are those of the SDK
 * teams' shared parser suite (../shared/conformance/README.md, section 1). Pure.
 */
import { IniDocument, type SyntaxIssue } from './document.js';

export type FileKind = 'config' | 'credentials';
export type PropertyValue = string | Record<string, string>;
export type SectionMap = Record<string, Record<string, PropertyValue>>;

export interface ProfileView {
  profiles: SectionMap;
  ssoSessions: SectionMap;
  services: SectionMap;
  /** Sub-property blocks as raw text (own value + "\n" + each trimmed line), per section. */
  raw: { profiles: Record<string, Record<string, string>>; ssoSessions: Record<string, Record<string, string>> };
}

const IDENT = /^[A-Za-z0-9_\-/.%@:+]+$/;
export const isIdentifier = (s: string): boolean => IDENT.test(s);

export type SectionRole =
  | { type: 'profile'; name: string; bareDefault?: boolean }
  | { type: 'sso-session'; name: string }
  | { type: 'services'; name: string }
  | { type: 'ignored' };

/** What a section header means in a file of the given kind (before the `[default]` rule). */
export function sectionRole(header: string, kind: FileKind): SectionRole {
  if (kind === 'credentials') return isIdentifier(header) ? { type: 'profile', name: header } : { type: 'ignored' };
  const m = /^(profile|sso-session|services)[ \t]+(.*)$/.exec(header);
  if (m) {
    const name = m[2]!.trim();
    if (!isIdentifier(name)) return { type: 'ignored' };
    return m[1] === 'profile' ? { type: 'profile', name } : { type: m[1] as 'sso-session' | 'services', name };
  }
  if (header === 'default') return { type: 'profile', name: 'default', bareDefault: true };
  return { type: 'ignored' };
}

/** The header text that names profile `name` in a file of this kind, as aws-mfa writes it. */
export function profileHeader(name: string, kind: FileKind): string {
  return kind === 'config' && name !== 'default' ? `profile ${name}` : name;
}

/**
 * The header texts the SDKs would read as profile `name` in this document, in file order. In a
 * config file `[default]` counts only when there is no `[profile default]`.
 */
export function profileHeaders(doc: IniDocument, name: string, kind: FileKind): string[] {
  const out: string[] = [];
  let hasProfileDefault = false;
  if (kind === 'config' && name === 'default') {
    hasProfileDefault = doc.spans().some((s) => {
      const r = sectionRole(s.name, kind);
      return r.type === 'profile' && r.name === 'default' && !r.bareDefault;
    });
  }
  for (const s of doc.spans()) {
    const r = sectionRole(s.name, kind);
    if (r.type !== 'profile' || r.name !== name) continue;
    if (r.type === 'profile' && r.bareDefault && hasProfileDefault) continue;
    if (!out.includes(s.name)) out.push(s.name);
  }
  return out;
}

export class ProfileSyntaxError extends Error {
  constructor(
    readonly issue: SyntaxIssue,
    readonly file?: string,
  ) {
    super(`${issue.message} (line ${issue.line})`);
  }
}

/** Read every profile, sso-session and services section by the SDKs' rules. Throws on a syntax error. */
export function readView(doc: IniDocument, kind: FileKind): ProfileView {
  const first = doc.issues[0];
  if (first) throw new ProfileSyntaxError(first);
  const view: ProfileView = { profiles: {}, ssoSessions: {}, services: {}, raw: { profiles: {}, ssoSessions: {} } };
  const hasProfileDefault =
    kind === 'config' &&
    doc.spans().some((s) => {
      const r = sectionRole(s.name, kind);
      return r.type === 'profile' && r.name === 'default' && !r.bareDefault;
    });
  const lines = doc.lines;
  for (const s of doc.spans()) {
    const role = sectionRole(s.name, kind);
    if (role.type === 'ignored') continue;
    if (role.type === 'profile' && role.bareDefault && hasProfileDefault) continue;
    const target =
      role.type === 'profile' ? view.profiles : role.type === 'sso-session' ? view.ssoSessions : view.services;
    const rawTarget =
      role.type === 'profile' ? view.raw.profiles : role.type === 'sso-session' ? view.raw.ssoSessions : undefined;
    const section = (target[role.name] ??= {});
    const raw = rawTarget ? (rawTarget[role.name] ??= {}) : undefined;
    let current: string | undefined; // key of the property being continued (undefined if dropped)
    let currentValid = false;
    for (let i = s.header + 1; i < s.end; i++) {
      const l = lines[i]!;
      if (l.kind === 'property') {
        current = l.key!;
        currentValid = isIdentifier(current);
        if (!currentValid) continue;
        section[current] = l.value!;
        if (raw) raw[current] = l.value!;
      } else if (l.kind === 'continuation' && current !== undefined && currentValid) {
        const own = section[current];
        if (raw) raw[current] += '\n' + l.trimmed!;
        if (typeof own === 'object' || own === '') {
          const sub = typeof own === 'object' ? own : (section[current] = {});
          const t = l.trimmed!;
          const eq = t.indexOf('=');
          const subKey = t.slice(0, eq).trim().toLowerCase();
          if (isIdentifier(subKey)) sub[subKey] = t.slice(eq + 1).trim();
        } else {
          section[current] = own + '\n' + l.trimmed!;
        }
      }
    }
  }
  return view;
}

/** Merge a config view and a credentials view as the SDKs do: credentials win key by key. */
export function mergeViews(config: ProfileView | undefined, credentials: ProfileView | undefined): SectionMap {
  const out: SectionMap = {};
  for (const v of [config, credentials]) {
    if (!v) continue;
    for (const [name, props] of Object.entries(v.profiles)) Object.assign((out[name] ??= {}), props);
  }
  return out;
}
