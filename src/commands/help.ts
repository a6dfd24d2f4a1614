/**
 * Help made from the declarations: `aws-mfa --help`, `aws-mfa COMMAND --help` and
 * `aws-mfa help [COMMAND]`. Each option with its value, aliases, default and environment
 * variables, one line of description, and examples a user can paste.
 */
import { EXIT, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { wrap } from '../io/wrap.js';
import { root } from './root.js';
import { command, type CommandDef, type CommandSpec } from './spec.js';

type Registry = Record<string, () => Promise<{ commands: CommandDef[] }>>;

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

function optionLines(spec: CommandSpec): string {
  const out: string[] = [];
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.hidden) continue;
    const names = [...(o.short ? [`-${o.short}`] : []), `--${name}`, ...(o.aliases ?? []).map((a) => `--${a}`)].join(
      ', ',
    );
    const shown = o.defaultText ? t(o.defaultText) : o.default;
    // the precedence as it is: the flag, then these variables, then the files (as the description says), then the
    // default
    const env = o.env ?? [];
    const envNote =
      env.length === 1
        ? t('help.envOne', { name: env[0]! })
        : env.length
          ? t('help.env', { names: env.join(t('help.envSeparator')) })
          : '';
    const extra = [envNote, shown !== undefined ? t('help.default', { value: shown }) : '']
      .filter(Boolean)
      .join(t('help.notesSeparator'));
    out.push(
      `  ${names}${o.value ? ` ${o.value}` : ''}`,
      wrap(`${t(o.help)}${extra ? t('help.notes', { notes: extra }) : ''}`, 80, 6),
    );
  }
  return out.join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const name = spec.name ? `aws-mfa ${spec.name}` : 'aws-mfa';
  return [
    `${t('help.usage')}: ${name} ${spec.usage.replace('[options]', t('help.optionsArg'))}`,
    '',
    wrap(t(spec.summary)),
    '',
    `${t('help.options')}:`,
    optionLines(spec).trimEnd(),
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

/** The help for `name` ('' for the session command, with the command list). */
export async function helpText(name: string, registry: Registry): Promise<string> {
  if (name === '') {
    const specs = await allSpecs(registry);
    return [
      t('help.title', { version: VERSION }),
      '',
      commandHelp(root.spec).trimEnd(),
      '',
      `${t('help.commands')}:`,
      specs.map((s) => `  ${s.name.padEnd(26)}${wrap(t(s.summary), 80, 28, 28).slice(28)}`).join('\n'),
      '',
      wrap(t('help.more')),
      wrap(t('help.exitCodes')),
      '',
    ].join('\n');
  }
  const first = name.split(' ')[0]!;
  const load = registry[first];
  if (!load) throw usageError(t('usage.unknownCommand', { command: name }));
  const defs = (await load()).commands;
  const exact = defs.find((d) => d.spec.name === name);
  if (exact) return commandHelp(exact.spec);
  // `device`: the list of its subcommands
  const column = Math.max(...defs.map((d) => d.spec.name.length)) + 4;
  const list = defs.map(
    (d) => `  ${d.spec.name.padEnd(column - 2)}${wrap(t(d.spec.summary), 80, column, column).slice(column)}`,
  );
  return [
    `${t('help.usage')}: aws-mfa ${first} ` +
      `${defs.map((d) => d.spec.name.split(' ')[1]).join('|')} ${t('help.optionsArg')}`,
    '',
    ...list,
    '',
    wrap(t('help.subMore', { command: first })),
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
    ctx.stdout(await helpText(positionals.filter((p) => !p.startsWith('-')).join(' '), ctx.commands));
    return EXIT.OK;
  },
});

export const commands = [help];
