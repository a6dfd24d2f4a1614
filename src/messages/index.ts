/**
 * The message catalog: every user-facing text, keyed, with `{name}` placeholders. A language is
 * one file (en.ts is the reference; every other file must have the same keys and placeholders,
 * which test/unit/messages.test.ts checks). `t()` fills a message in the language in use.
 */
import { en } from './en.js';

export type MessageKey = keyof typeof en;
export type Catalog = { readonly [K in MessageKey]: string };
export type Params = Readonly<Record<string, string | number>>;

let catalog: Catalog = en;

/** Switch the language of every later message. */
export function useCatalog(c: Catalog): void {
  catalog = c;
}

/** The message `key` in the language in use, its `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Params = {}): string {
  const text = catalog[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
