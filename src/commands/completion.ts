/**
 * `aws-mfa completion bash|zsh|fish|powershell`: completion scripts made from the declarations:
 * subcommands, each command's options, the values of options that have a fixed set (--format),
 * and profile names, which the script asks `aws-mfa completion --profiles` for at TAB time.
 */
import { EXIT, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { filePaths } from '../context.js';
import { readIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { root } from './root.js';
import { command, type CommandSpec } from './spec.js';

const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

interface Words {
  names: string[];
  flags: Record<string, string[]>;
  values: Record<string, string[]>;
  profileFlags: string[];
}

function words(specs: CommandSpec[]): Words {
  const flagsOf = (s: CommandSpec) =>
    Object.entries(s.options)
      .filter(([, o]) => !o.hidden)
      .flatMap(([n, o]) => [`--${n}`, ...(o.aliases ?? []).map((a) => `--${a}`)]);
  const values: Record<string, string[]> = {};
  const profileFlags = new Set<string>();
  for (const s of specs) {
    for (const [n, o] of Object.entries(s.options)) {
      if (o.choices) values[`--${n}`] = [...o.choices];
      if (o.profiles) {
        profileFlags.add(`--${n}`);
        if (o.short) profileFlags.add(`-${o.short}`);
      }
    }
  }
  return {
    names: [...new Set(specs.filter((s) => s.name).map((s) => s.name.split(' ')[0]!))],
    flags: Object.fromEntries(specs.map((s) => [s.name.replace(' ', '_') || '_root', flagsOf(s)])),
    values,
    profileFlags: [...profileFlags],
  };
}

export function completionScript(shell: string, specs: CommandSpec[]): string {
  const w = words(specs);
  const q = (xs: readonly string[]) => xs.join(' ');
  switch (shell) {
    case 'bash':
    case 'zsh':
      return `# aws-mfa completion for ${shell}. Load it now: eval "$(aws-mfa completion ${shell})"
${shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}_aws_mfa() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" key="_root"
  if [ "$COMP_CWORD" -ge 2 ] && [[ "\${COMP_WORDS[1]}" != -* ]]; then
    key="\${COMP_WORDS[1]}"
    [ "$COMP_CWORD" -ge 3 ] && [[ "\${COMP_WORDS[2]}" != -* ]] && key="\${COMP_WORDS[1]}_\${COMP_WORDS[2]}"
  fi
  case "$prev" in
${Object.entries(w.values)
  .map(([f, vs]) => `    ${f}) COMPREPLY=( $(compgen -W "${q(vs)}" -- "$cur") ); return ;;`)
  .join('\n')}
    ${w.profileFlags.join('|')})
      COMPREPLY=( $(compgen -W "$(aws-mfa completion --profiles 2>/dev/null)" -- "$cur") ); return ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ] && [[ "$cur" != -* ]]; then
    COMPREPLY=( $(compgen -W "${q(w.names)}" -- "$cur") ); return
  fi
  if [ "$COMP_CWORD" -eq 2 ] && [ "\${COMP_WORDS[1]}" = device ]; then
    COMPREPLY=( $(compgen -W "create enable list remove" -- "$cur") ); return
  fi
  case "$key" in
${Object.entries(w.flags)
  .map(([k, fs]) => `    ${k}) COMPREPLY=( $(compgen -W "${q(fs)}" -- "$cur") ) ;;`)
  .join('\n')}
  esac
}
complete -F _aws_mfa aws-mfa
`;
    case 'fish':
      return [
        '# aws-mfa completion for fish. Load it now: aws-mfa completion fish | source',
        'complete -c aws-mfa -f',
        ...w.names.map((n) => `complete -c aws-mfa -n '__fish_use_subcommand' -a '${n}'`),
        `complete -c aws-mfa -n '__fish_seen_subcommand_from device' -a 'create enable list remove'`,
        ...Object.entries(w.flags).flatMap(([k, fs]) =>
          fs.map((f) => {
            const when = k === '_root' ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${k.split('_').pop()}`;
            return `complete -c aws-mfa -n '${when}' -l '${f.slice(2)}'`;
          }),
        ),
        ...Object.entries(w.values).map(([f, vs]) => `complete -c aws-mfa -l '${f.slice(2)}' -x -a '${q(vs)}'`),
        ...w.profileFlags
          .filter((f) => f.startsWith('--'))
          .map((f) => `complete -c aws-mfa -l '${f.slice(2)}' -x -a '(aws-mfa completion --profiles 2>/dev/null)'`),
        '',
      ].join('\n');
    case 'powershell':
      return `# aws-mfa completion for PowerShell. Load it now:
#   aws-mfa completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName aws-mfa -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
  $flags = @{
${Object.entries(w.flags)
  .map(([k, fs]) => `    '${k}' = @(${fs.map((f) => `'${f}'`).join(', ')})`)
  .join('\n')}
  }
  $values = @{
${Object.entries(w.values)
  .map(([f, vs]) => `    '${f}' = @(${vs.map((v) => `'${v}'`).join(', ')})`)
  .join('\n')}
  }
  $prev = if ($words.Count -ge 2) { $words[-1] } else { '' }
  if ($wordToComplete -and $words.Count -ge 2) { $prev = $words[-2] }
  if ($values.ContainsKey($prev)) { $candidates = $values[$prev] }
  elseif (@(${w.profileFlags.map((f) => `'${f}'`).join(', ')}) -contains $prev) {
    $candidates = @(aws-mfa completion --profiles 2>$null)
  }
  elseif ($words.Count -le 2 -and -not $wordToComplete.StartsWith('-')) {
    $candidates = @(${w.names.map((n) => `'${n}'`).join(', ')})
  }
  else {
    $key = if ($words.Count -ge 2 -and -not $words[1].StartsWith('-')) { $words[1] } else { '_root' }
    $candidates = $flags[$key]
  }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
    default:
      throw usageError(t('completion.badShell', { shell }));
  }
}

export const completion = command({
  spec: {
    name: 'completion',
    summary: 'cmd.completion',
    usage: 'bash|zsh|fish|powershell',
    options: {
      profiles: { type: 'boolean', help: 'opt.completionProfiles', hidden: true },
      help: { type: 'boolean', short: 'h', help: 'opt.help' },
    },
    positionals: true,
    examples: [
      'eval "$(aws-mfa completion bash)"',
      'aws-mfa completion bash > ~/.local/share/bash-completion/completions/aws-mfa',
      'aws-mfa completion fish > ~/.config/fish/completions/aws-mfa.fish',
    ],
  },
  async run({ values: v, positionals }, ctx) {
    if (v.profiles) {
      const paths = filePaths(ctx);
      const names = new Set<string>();
      for (const [file, kind] of [
        [paths.credentials, 'credentials'],
        [paths.config, 'config'],
      ] as const) {
        try {
          for (const n of Object.keys(readView(readIni(file, kind).doc, kind).profiles))
            names.add(n.replace(/-long-term$/, ''));
        } catch {
          /* an unreadable file completes nothing */
        }
      }
      ctx.stdout([...names].sort().join('\n') + (names.size ? '\n' : ''));
      return EXIT.OK;
    }
    if (positionals.length !== 1 || !(SHELLS as readonly string[]).includes(positionals[0]!))
      throw usageError(t('completion.usage'));
    const specs: CommandSpec[] = [root.spec];
    for (const load of Object.values(ctx.commands)) for (const c of (await load()).commands) specs.push(c.spec);
    ctx.stdout(completionScript(positionals[0]!, specs));
    return EXIT.OK;
  },
});

export const commands = [completion];
