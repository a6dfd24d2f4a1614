/** `aws-mfa export`: the session as lines that set environment variables, for each shell. */
import { usageError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import { EXPORT_FORMATS, detectFormat, exportText, sessionEnv, type ExportFormat } from '../core/formats.js';
import { loadProfile } from '../service/profile-loader.js';
import { getSession } from '../service/get-session.js';
import { parentProcessName } from '../io/parent.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';

export const exportCommand = command({
  spec: {
    name: 'export',
    summary: 'cmd.export',
    usage: '[--profile NAME] [--format FORMAT] [options]',
    options: {
      ...SESSION_OPTIONS,
      format: {
        type: 'string',
        value: 'FORMAT',
        default: 'sh',
        defaultText: 'opt.formatDefault',
        help: 'opt.format',
        choices: EXPORT_FORMATS,
      },
    },
    examples: [
      'eval "$(aws-mfa export --profile work)"',
      'aws-mfa export --profile work --format fish | source',
      'aws-mfa export --profile work --format powershell | Invoke-Expression',
      // cmd: the READMEs' line (>nul: call would echo each set, the secret too)
      'aws-mfa export --profile work --format cmd > "%TEMP%\\aws-mfa.cmd" && ' +
        'call "%TEMP%\\aws-mfa.cmd" >nul && del "%TEMP%\\aws-mfa.cmd"',
    ],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
    const format = (v.format ?? detectFormat(ctx.env, ctx.platform, parentProcessName())) as ExportFormat;
    if (!EXPORT_FORMATS.includes(format))
      throw usageError(t('export.badFormat', { formats: EXPORT_FORMATS.join(', '), value: v.format ?? '' }));
    const loaded = await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true });
    const { session } = await getSession(loaded, ctx, 'terminal-only');
    const { region } = loaded.profile;
    ctx.stdout(
      exportText(sessionEnv(session, region.configured ? region.value : undefined), format, v.format === undefined),
    );
    return EXIT.OK;
  },
});

export const commands = [exportCommand];
