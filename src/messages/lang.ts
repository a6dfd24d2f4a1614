/**
 * Which language to speak: `--lang ja|en`, then AWS_MFA_LANG, then LC_ALL, LC_MESSAGES, LANG (a
 * value starting with `ja` means Japanese; `C` and the rest mean English), and on Windows, where
 * cmd users rarely set LANG, the user's UI language. Pure.
 */
export type Language = 'en' | 'ja';

type Env = Readonly<Record<string, string | undefined>>;

/** `--lang X` or `--lang=X` anywhere before `--` (it must be known before parsing can fail). */
export function langFlag(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--lang') found = argv[i + 1];
    else if (a.startsWith('--lang=')) found = a.slice(7);
  }
  return found;
}

export function chooseLanguage(
  argv: readonly string[],
  env: Env,
  windows: boolean,
  uiLocale: () => string | undefined,
): Language {
  // an empty value counts as unset, as POSIX says for the locale variables
  const given = langFlag(argv) || env.AWS_MFA_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (given) return /^ja/i.test(given) ? 'ja' : 'en';
  if (windows) return /^ja/i.test(uiLocale() ?? '') ? 'ja' : 'en';
  return 'en';
}
