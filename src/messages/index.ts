/**
 * The message catalog: every user-facing text, keyed, with `{name}` placeholders. A language is
 * one file (en.ts is the reference; every other file must have the same keys and placeholders,
 * which test/unit/messages.test.ts checks). `t()` fills a message in the language in use.
 */
import { en } from './en.js';

export type MessageKey = keyof typeof en;
export type Catalog = { readonly [K in MessageKey]: string };
export type Params = Readonly<Record<string, string | number>>;

// The catalog in use lives on globalThis, not in this module: every bundle chunk (dist/cmd-*.cjs, ...)
// carries its own copy of this module, and a command's chunk must speak the language the entry chose.
const IN_USE = Symbol.for('aws-mfa.catalog');
type Holder = { [IN_USE]?: Catalog };

/** Switch the language of every later message, in every chunk. */
export function useCatalog(c: Catalog): void {
  (globalThis as Holder)[IN_USE] = c;
}

/** The message `key` in the language in use, its `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Params = {}): string {
  const text = ((globalThis as Holder)[IN_USE] ?? en)[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `f()` with every message in English: machine-readable output (--json) never changes language. */
export function inEnglish<T>(f: () => T): T {
  const holder = globalThis as Holder;
  const saved = holder[IN_USE];
  holder[IN_USE] = en;
  try {
    return f();
  } finally {
    holder[IN_USE] = saved;
  }
}

/**
 * Two sentences as one line: a full stop after the first unless it has one (`。` in Japanese,
 * `. ` in English), so a message and the advice after it never run together.
 */
export function sentences(first: string, second: string): string {
  return t('text.sentences', { first: first.replace(/[.。]$/, ''), second });
}
