/**
 * `aws-mfa exec [OPTIONS] [--] COMMAND [ARGS...]`: where aws-mfa's own options end. As with env,
 * sudo and aws-vault, they end at the first word that is not an option (the command) or at `--`;
 * everything after belongs to the command, even words that look like aws-mfa's options
 * (`aws-mfa exec --profile p aws s3 ls --region x` passes --region to aws). Pure. util.parseArgs
 * cannot stop at the first positional, so the split is done here, with the option table deciding
 * which options take a value (the word after them is then theirs, not the command).
 */
type OptionTable = Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;

export interface ExecArgs {
  /** aws-mfa's own words, for the option parser. */
  own: string[];
  /** The command and its arguments (empty when none was given). */
  command: string[];
}

export function splitExecArgs(argv: readonly string[], options: OptionTable): ExecArgs {
  const takesValue = (word: string): boolean => {
    if (word.startsWith('--')) return !word.includes('=') && options[word.slice(2)]?.type === 'string';
    // a short option: -x, with its value in the next word unless it is written after it (-xVALUE)
    const name = Object.keys(options).find((k) => options[k]!.short === word.slice(1, 2));
    return word.length === 2 && name !== undefined && options[name]!.type === 'string';
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return { own: argv.slice(0, i), command: argv.slice(i + 1) };
    if (word.startsWith('-') && word !== '-') {
      if (takesValue(word)) i++; // its value, whatever it looks like (parseArgs judges it)
      continue;
    }
    return { own: argv.slice(0, i), command: argv.slice(i) };
  }
  return { own: [...argv], command: [] };
}
