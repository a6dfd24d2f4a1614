/**
 * The entry point: the only reader of argv, the environment and stdio, and the only caller of
 * process exit. It picks the language, finds the command in the table, parses its options by the
 * command's own declaration and runs it. Commands other than the session command and
 * credential-process (whose cached paths must start fast) are loaded from chunks on demand.
 */
import { homedir } from 'node:os';
import { realpathSync } from 'node:fs';
import { osUser } from './io/os-user.js';
import { EXIT, isCliError, usageError } from './errors.js';
import { t, useCatalog } from './messages/index.js';
import { en } from './messages/en.js';
import { chooseLanguage, type Language } from './messages/lang.js';
import { Logger, processTerminal, writeAll, isTerminal, terminalColumns } from './io/terminal.js';
import { loadAws } from './aws/index.js';
import { terminalText } from './core/sanitize.js';
import { parseWith, type CommandDef } from './commands/spec.js';
import { root } from './commands/root.js';
import { COMMANDS, loadHelp } from './commands/registry.js';
import { lazyChunk } from './start/chunk.js';
import type { Context, EarlyRead } from './context.js';
import type { Unexpected } from './service/hints.js';
import { detectFormat } from './core/formats.js';
import { parentProcessName } from './io/parent.js';

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** The command `argv` names (with a subcommand: `device create`), and the arguments left for it. */
async function findCommand(argv: string[]): Promise<{ def: CommandDef; args: string[] }> {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return { def: root as CommandDef, args: argv };
  const load = COMMANDS[first];
  if (!load)
    throw usageError(
      (await loadHints()).unknownCommandHint(argv, Object.keys(COMMANDS)) ??
        t('usage.unknownCommand', { command: first }),
    );
  const { commands } = await load();
  if (commands.length === 1) return { def: commands[0]!, args: argv.slice(1) };
  const sub = argv[1];
  const def = commands.find((c) => c.spec.name === `${first} ${sub}`);
  if (def) return { def, args: argv.slice(2) };
  if (sub === undefined || sub === '--help' || sub === '-h')
    return { def: { spec: { ...commands[0]!.spec, name: first }, run: () => EXIT.OK }, args: ['--help'] };
  throw usageError(
    t('usage.unknownSubcommand', {
      command: first,
      sub,
      choices: commands.map((c) => c.spec.name.split(' ')[1]).join('|'),
    }),
  );
}

/** Hints for a command line's usual slips: loaded only when one happened. */
const loadHints = lazyChunk<typeof import('./service/hints.js')>('hints.cjs', () => import('./service/hints.js'));

/** A command's arguments parsed; an argument the session command does not take gets a hint where there is one. */
async function parseOrHint(def: CommandDef, args: string[]) {
  try {
    return parseWith(def.spec, args);
  } catch (e) {
    const unexpected = (e as { unexpected?: Unexpected }).unexpected;
    const hint =
      def === (root as CommandDef) && unexpected
        ? (await loadHints()).misplacedArgumentHint(unexpected, Object.keys(COMMANDS))
        : undefined;
    throw hint ? usageError(hint) : e;
  }
}

export async function main(argv: string[], ctx: Context): Promise<number> {
  const { def, args } = await findCommand(argv);
  const input = await parseOrHint(def, args);
  const lang = (input.values as { lang?: string }).lang;
  if (lang !== undefined && lang !== 'en' && lang !== 'ja') throw usageError(t('usage.lang', { value: lang }));
  if (input.values.help) {
    const { helpText, helpWidth } = await loadHelp();
    ctx.stdout(await helpText(def.spec.name, COMMANDS, helpWidth(terminalColumns(ctx.env, ctx.term))));
    return EXIT.OK;
  }
  if (def === (root as CommandDef) && input.values.version) {
    ctx.stdout(`${VERSION}\n`);
    return EXIT.OK;
  }
  const { own, program } = input.passed ?? { own: args };
  const output = {
    screen: () => isTerminal(1), // asked only by a hint: a run that says nothing loads no tty module
    shell: () => detectFormat(ctx.env, ctx.platform, parentProcessName()),
  };
  ctx.invocation = {
    words: argv.slice(0, argv.length - args.length),
    args: own,
    output,
    ...(program ? { program } : {}),
  };
  return await def.run(input, ctx);
}

/** The code source only when a code is due (a refresh): its own chunk, so the program stays small. */
const loadCodeSource = lazyChunk<typeof import('./io/code-source.js')>(
  'code-source.cjs',
  () => import('./io/code-source.js'),
);

/** A failure shown in a dialog when no terminal is there: loaded only on failure. */
const loadErrorDialog = lazyChunk<typeof import('./io/prompt/error-dialog.js')>(
  'prompt-error.cjs',
  () => import('./io/prompt/error-dialog.js'),
);

/**
 * A failure the user must act on, shown also in a dialog where no terminal is (issue 26): not a
 * cancel (the user knows), nor a dialog that could not be shown (it would fail again).
 */
async function showWhereTheUserIs(message: string, exitCode: number, argv: string[]): Promise<void> {
  // nor a run that waited for another's prompt (75): the user is looking at that prompt
  if (exitCode === EXIT.INTERRUPTED || exitCode === EXIT.OK || exitCode === EXIT.BUSY) return;
  try {
    await (await loadErrorDialog()).showFailure(message, argv, process.env);
  } catch {
    /* stderr has it */
  }
}

/** Japanese comes from its own chunk; English is built in. */
const loadJapanese = lazyChunk<typeof import('./messages/ja.js')>('messages-ja.cjs', () => import('./messages/ja.js'));
async function useLanguage(lang: Language): Promise<void> {
  // set either way: the entry's fast path may have set its own part of the catalog before giving up
  useCatalog(lang === 'ja' ? (await loadJapanese()).ja : en);
}

function processContext(lang: Language, early: EarlyRead | undefined): Context {
  const log = new Logger();
  const env = process.env;
  const ctx: Context = {
    env,
    platform: process.platform === 'win32' ? 'windows' : 'linux',
    homedir,
    now: () => new Date(),
    log,
    term: processTerminal(),
    lang,
    user: () => osUser(env),
    aws: () => {
      // the SDK's Node-version notice is for developers of the tool, not its users: only with DEBUG
      if (!log.enabled('DEBUG')) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      return loadAws(log);
    },
    commands: COMMANDS,
    codes: (profile, mode) => async (device) => (await loadCodeSource()).codeSource(profile, ctx, mode)(device),
    stdout: (s) => writeAll(1, s),
    stderr: (s) => writeAll(2, s),
    get colourTerminal() {
      return isTerminal(2) && process.env.TERM !== 'dumb' && !process.env.NO_COLOR;
    },
    get script() {
      // a single executable (npm run package) is its own script: its argv[1] repeats argv[0]
      if ((process.getBuiltinModule?.('node:sea') as typeof import('node:sea') | undefined)?.isSea()) return '';
      try {
        return realpathSync(process.argv[1] ?? '');
      } catch {
        return process.argv[1] ?? 'aws-mfa';
      }
    },
    execPath: process.execPath,
    ...(early ? { early } : {}),
    // asked only by setup-credential-process: loading node:sea costs ~7% of a start
    get standalone() {
      try {
        return Boolean(process.getBuiltinModule?.('node:sea')?.isSea());
      } catch {
        return false; // not a single executable
      }
    },
  };
  return ctx;
}

/** `early`: what the entry's fast path read and decided of a plain check it left to this program. */
export async function run(early?: EarlyRead): Promise<void> {
  const argv = process.argv.slice(2);
  const lang = chooseLanguage(
    argv,
    process.env,
    process.platform === 'win32',
    () => Intl.DateTimeFormat().resolvedOptions().locale,
  );
  const ctx = processContext(lang, early);
  let code: number;
  try {
    await useLanguage(lang);
    code = await main(argv, ctx);
  } catch (e) {
    if (isCliError(e)) {
      const line = e.message.split('\n')[0]!;
      ctx.log.error(line);
      code = e.exitCode;
      if (!(e as { dialogFailed?: boolean }).dialogFailed) await showWhereTheUserIs(line, code, argv);
    } else {
      const err = e as Error;
      ctx.log.error(
        t(ctx.log.enabled('DEBUG') ? 'error.unexpected' : 'error.unexpectedHint', {
          message: err?.message ?? String(e),
        }),
      );
      if (ctx.log.enabled('DEBUG') && err?.stack) writeAll(2, `${terminalText(err.stack)}\n`);
      code = EXIT.FAILURE;
    }
  }
  process.exitCode = code;
}
