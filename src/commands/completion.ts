/** `aws-mfa completion bash|zsh|fish|powershell`: shell completion scripts, made from the command table. */
import { EXIT, usageError } from '../errors.js';
import type { Context } from '../context.js';

export interface CommandSpec {
  name: string;
  summary: string;
  flags: string[];
}

export function completionScript(shell: string, commands: CommandSpec[], rootFlags: string[]): string {
  const names = commands.map((c) => c.name);
  const flagsOf = (c: string) => (commands.find((x) => x.name === c)?.flags ?? rootFlags).map((f) => `--${f}`);
  switch (shell) {
    case 'bash':
      return `# aws-mfa completion for bash: eval "$(aws-mfa completion bash)"
_aws_mfa() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}"
  case "$cmd" in
${commands.map((c) => `    ${c.name}) COMPREPLY=( $(compgen -W "${flagsOf(c.name).join(' ')}" -- "$cur") ); return ;;`).join('\n')}
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names.join(' ')} ${rootFlags.map((f) => `--${f}`).join(' ')}" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "${rootFlags.map((f) => `--${f}`).join(' ')}" -- "$cur") )
  fi
}
complete -F _aws_mfa aws-mfa
`;
    case 'zsh':
      return `#compdef aws-mfa
# aws-mfa completion for zsh: eval "$(aws-mfa completion zsh)"
_aws_mfa() {
  local -a cmds
  cmds=(${commands.map((c) => `'${c.name}:${c.summary.replace(/'/g, '')}'`).join(' ')})
  if (( CURRENT == 2 )); then
    _describe 'command' cmds
    compadd -- ${rootFlags.map((f) => `--${f}`).join(' ')}
    return
  fi
  case "$words[2]" in
${commands.map((c) => `    ${c.name}) compadd -- ${flagsOf(c.name).join(' ')} ;;`).join('\n')}
    *) compadd -- ${rootFlags.map((f) => `--${f}`).join(' ')} ;;
  esac
}
compdef _aws_mfa aws-mfa
`;
    case 'fish':
      return [
        '# aws-mfa completion for fish: aws-mfa completion fish | source',
        `complete -c aws-mfa -f`,
        ...commands.map((c) => `complete -c aws-mfa -n '__fish_use_subcommand' -a '${c.name}' -d '${c.summary.replace(/'/g, '')}'`),
        ...rootFlags.map((f) => `complete -c aws-mfa -n '__fish_use_subcommand' -l '${f}'`),
        ...commands.flatMap((c) => c.flags.map((f) => `complete -c aws-mfa -n '__fish_seen_subcommand_from ${c.name}' -l '${f}'`)),
        '',
      ].join('\n');
    case 'powershell':
      return `# aws-mfa completion for PowerShell: aws-mfa completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName aws-mfa -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = $commandAst.CommandElements | ForEach-Object { $_.ToString() }
  $flags = @{
${commands.map((c) => `    '${c.name}' = @(${flagsOf(c.name).map((f) => `'${f}'`).join(', ')})`).join('\n')}
  }
  if ($words.Count -le 2 -and -not $wordToComplete.StartsWith('-')) { $candidates = @(${names.map((n) => `'${n}'`).join(', ')}) }
  elseif ($words.Count -ge 2 -and $flags.ContainsKey($words[1])) { $candidates = $flags[$words[1]] }
  else { $candidates = @(${rootFlags.map((f) => `'--${f}'`).join(', ')}) }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
`;
    default:
      throw usageError(`completion takes bash, zsh, fish or powershell, not "${shell}"`);
  }
}

export function run(argv: string[], ctx: Context, commands: CommandSpec[], rootFlags: string[]): number {
  if (argv.length !== 1) throw usageError('usage: aws-mfa completion bash|zsh|fish|powershell');
  ctx.stdout(completionScript(argv[0]!, commands, rootFlags));
  return EXIT.OK;
}
