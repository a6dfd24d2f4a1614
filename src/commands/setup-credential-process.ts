/**
 * `aws-mfa setup-credential-process --profile P [--name N]`: write `[profile N]` in ~/.aws/config
 * with `credential_process = <this aws-mfa> credential-process --profile P` (absolute paths: the
 * AWS CLI expands neither `~` nor variables there), losslessly, as every write.
 */
import { EXIT, usageError, configError } from '../errors.js';
import { t } from '../messages/index.js';
import { writeProfileTo } from '../io/store.js';
import { writableByOthers } from '../io/store.js';
import { isIdentifier } from '../ini/profiles.js';
import { suggest } from '../core/names.js';
import { loadProfile } from '../service/profile-loader.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';
import type { Platform } from '../core/paths.js';

/**
 * One word for the credential_process command line. botocore splits it like a POSIX shell, but on
 * Windows like the C runtime: backslashes are literal there, so a path is only quoted (a Windows
 * path cannot hold a double quote).
 */
const word = (s: string, platform: Platform) =>
  platform === 'windows'
    ? /^[\w@%+=:,./\\-]+$/.test(s)
      ? s
      : `"${s}"`
    : /^[\w@%+=:,./-]+$/.test(s)
      ? s
      : `"${s.replace(/(["\\$`])/g, '\\$1')}"`;

/** The command line: the program (node and the script, or the standalone executable alone), then the command. */
export function credentialProcessCommand(
  program: readonly string[],
  profileArgs: readonly string[],
  platform: Platform = 'linux',
): string {
  return [...program, 'credential-process', ...profileArgs].map((w) => word(w, platform)).join(' ');
}

export const setupCredentialProcess = command({
  spec: {
    name: 'setup-credential-process',
    summary: 'cmd.setupCredentialProcess',
    usage: '--profile NAME [--name NAME] [options]',
    options: { ...SESSION_OPTIONS, name: { type: 'string', value: 'NAME', default: 'NAME-auto', help: 'opt.cpName' } },
    examples: ['aws-mfa setup-credential-process --profile work', 'aws s3 ls --profile work-auto'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const flags = sessionFlags(v);
    const { profile: p } = await loadProfile(flags, ctx);
    const name = v.name ?? `${p.names.profile}-auto`;
    if (!isIdentifier(name)) throw usageError(t('cp.badName', { name }));
    if (name === p.names.shortTerm || name === p.names.longTerm) throw usageError(t('cp.sessionProfile', { name }));
    if (writableByOthers(p.paths.config)) throw configError(t('cp.configUnsafe', { file: p.paths.config }));
    const profileArgs =
      p.names.form === 'source-destination'
        ? ['-s', p.names.longTerm, '-d', p.names.shortTerm]
        : ['--profile', p.names.profile];
    if (flags.longTermSuffix) profileArgs.push('--long-term-suffix', flags.longTermSuffix);
    if (flags.shortTermSuffix) profileArgs.push('--short-term-suffix', flags.shortTermSuffix);
    if (flags.assumeRole) profileArgs.push('--assume-role', flags.assumeRole);
    const program = ctx.standalone ? [ctx.execPath] : [ctx.execPath, ctx.script];
    const entries: Array<[string, string]> = [
      ['credential_process', credentialProcessCommand(program, profileArgs, ctx.platform)],
    ];
    if (p.region.configured) entries.push(['region', p.region.value]);
    await writeProfileTo(p.paths.config, name, 'config', entries);
    ctx.log.info(t('cp.wrote', { name, file: p.paths.config }));
    ctx.stdout(`[profile ${name}]\n${entries.map(([k, val]) => `${k} = ${val}`).join('\n')}\n`);
    // without a region the AWS CLI and SDKs stop before they ask for credentials ("You must specify a region"):
    // not ready, and the command that sets one (aws-mfa's own default for STS, which works anywhere)
    if (!p.region.configured)
      ctx.log.warn(
        t('cp.noRegion', {
          name,
          section: p.names.longTerm,
          command: `aws configure set region ${p.region.value} --profile ${name}`,
        }),
      );
    // on Windows credential-process has no terminal to ask on (README): the session comes from a run in a console
    else if (ctx.platform === 'windows')
      ctx.log.info(t('cp.howToUseWindows', { name, command: suggest(p.names, flags) }));
    else ctx.log.info(t('cp.howToUse', { name }));
    if (!p.region.configured && ctx.platform === 'windows')
      ctx.log.info(t('cp.windowsConsole', { command: suggest(p.names, flags) }));
    return EXIT.OK;
  },
});

export const commands = [setupCredentialProcess];
