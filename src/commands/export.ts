/** `aws-mfa export`: the session as lines that set environment variables, for each shell. */
import { usageError, EXIT } from '../errors.js';
import { EXPORT_FORMATS, detectFormat, exportText, sessionEnv, type ExportFormat } from '../core/formats.js';
import { parentProcessName } from '../io/parent.js';
import { ensureSession } from '../service/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import type { Context } from '../context.js';

export const options = { ...SESSION_OPTIONS, format: { type: 'string' } } as const;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
  const format = (v.format ?? detectFormat(ctx.env, process.platform, parentProcessName())) as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw usageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${v.format}"`);
  const flags = sessionFlags(v);
  const { p, session } = await ensureSession(flags, ctx, 'terminal-only');
  ctx.stdout(exportText(sessionEnv(session, p.configuredRegion), format, v.format === undefined));
  return EXIT.OK;
}
