/**
 * Help made from the declarations: `aws-mfa --help`, `aws-mfa COMMAND --help` and
 * `aws-mfa help [COMMAND]`. Each option with its value, aliases, default and environment
 * variables, one line of description, and examples a user can paste.
 */
import { EXIT, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { wrap as wrapAt } from '../io/wrap.js';
import { terminalColumns } from '../io/terminal.js';
import { root } from './root.js';
import { command, type CommandDef, type CommandSpec } from './spec.js';

type Registry = Record<string, () => Promise<{ commands: CommandDef[] }>>;

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** A command in the help's prose (`aws-mfa help COMMAND`, `aws-mfa COMMAND --help`): never split, so it pastes. */
const COMMAND_IN_TEXT = /aws-mfa(?: (?:--?[a-z][\w-]*|[a-z][\w-]*|[A-Z][A-Z_]*))+/g;

/** The help's width: the terminal's (COLUMNS, else the console's), 80 for a pipe; at least 40, at most 120. */
export function helpWidth(columns: number | undefined): number {
  return columns === undefined ? 80 : Math.max(40, Math.min(columns, 120));
}

/** `text` wrapped to `width`, its commands whole. */
const wrap = (text: string, width: number, indent = 0, first = indent) =>
  wrapAt(text, width, indent, first, text.match(COMMAND_IN_TEXT) ?? []);

function optionLines(spec: CommandSpec, width: number): string {
  const out: string[] = [];
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.hidden) continue;
    const names = [...(o.short ? [`-${o.short}`] : []), `--${name}`, ...(o.aliases ?? []).map((a) => `--${a}`)].join(
      ', ',
    );
    const shown = o.defaultText ? t(o.defaultText) : o.default;
    // the precedence as it is, in one bracket: the flag, then these variables, then what comes after them (the
    // files, a lookup), then the default
    const env = o.env ?? [];
    const after = o.after && t(o.after);
    const variables = env.join(t('help.envSeparator'));
    const envNote =
      env.length === 0
        ? after
          ? t('help.fromOne', { name: after })
          : ''
        : after
          ? t('help.envThen', { names: variables, after })
          : env.length === 1
            ? t('help.envOne', { name: variables })
            : t('help.env', { names: variables });
    const extra = [envNote, shown !== undefined ? t('help.default', { value: shown }) : '']
      .filter(Boolean)
      .join(t('help.notesSeparator'));
    out.push(
      `  ${names}${o.value ? ` ${o.value}` : ''}`,
      wrap(`${t(o.help)}${extra ? t('help.notes', { notes: extra }) : ''}`, width, 6),
    );
  }
  return out.join('\n');
}

export function commandHelp(spec: CommandSpec, width = 80): string {
  const name = spec.name ? `aws-mfa ${spec.name}` : 'aws-mfa';
  return [
    `${t('help.usage')}: ${name} ${spec.usage.replace('[options]', t('help.optionsArg'))}`,
    '',
    wrap(t(spec.summary), width),
    '',
    `${t('help.options')}:`,
    optionLines(spec, width).trimEnd(),
    '',
    `${t('help.examples')}:`,
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

async function allSpecs(registry: Registry): Promise<CommandSpec[]> {
  const out: CommandSpec[] = [];
  for (const load of Object.values(registry)) for (const c of (await load()).commands) out.push(c.spec);
  return out;
}

/**
 * The help for `name` ('' for the session command, with the command list), `width` columns wide:
 * `aws-mfa help` passes the terminal's (helpWidth); 80 otherwise.
 */
export async function helpText(name: string, registry: Registry, width = 80): Promise<string> {
  if (name === '') {
    const specs = await allSpecs(registry);
    return [
      t('help.title', { version: VERSION }),
      '',
      commandHelp(root.spec, width).trimEnd(),
      '',
      `${t('help.commands')}:`,
      specs.map((s) => `  ${s.name.padEnd(26)}${wrap(t(s.summary), width, 28, 28).slice(28)}`).join('\n'),
      '',
      wrap(t('help.more'), width),
      wrap(t('help.exitCodes'), width),
      '',
    ].join('\n');
  }
  const first = name.split(' ')[0]!;
  const load = registry[first];
  if (!load) throw usageError(t('usage.unknownCommand', { command: name }));
  const defs = (await load()).commands;
  const exact = defs.find((d) => d.spec.name === name);
  if (exact) return commandHelp(exact.spec, width);
  // `device`: the list of its subcommands
  const column = Math.max(...defs.map((d) => d.spec.name.length)) + 4;
  const list = defs.map(
    (d) => `  ${d.spec.name.padEnd(column - 2)}${wrap(t(d.spec.summary), width, column, column).slice(column)}`,
  );
  return [
    `${t('help.usage')}: aws-mfa ${first} ` +
      `${defs.map((d) => d.spec.name.split(' ')[1]).join('|')} ${t('help.optionsArg')}`,
    '',
    ...list,
    '',
    wrap(t('help.subMore', { command: first }), width),
    '',
  ].join('\n');
}

export const help = command({
  spec: {
    name: 'help',
    summary: 'cmd.help',
    usage: '[COMMAND [SUBCOMMAND]]',
    options: { help: { type: 'boolean', short: 'h', help: 'opt.help' } },
    positionals: true,
    passThrough: true,
    examples: ['aws-mfa help', 'aws-mfa help export', 'aws-mfa help device create'],
  },
  async run({ positionals }, ctx) {
    const width = helpWidth(terminalColumns(ctx.env, ctx.term));
    ctx.stdout(await helpText(positionals.filter((p) => !p.startsWith('-')).join(' '), ctx.commands, width));
    return EXIT.OK;
  },
});

export const commands = [help];
