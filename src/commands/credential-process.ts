/**
 * `aws-mfa credential-process --profile P`: the credential_process JSON for the AWS CLI and SDKs.
 * A cached session is answered from the file without loading the AWS SDK. Nothing but the JSON
 * goes to stdout; a code, when needed, is asked on the controlling terminal.
 */
import { EXIT } from '../errors.js';
import { credentialProcessJson } from '../core/formats.js';
import { ensureSession } from '../service/session.js';
import { SESSION_OPTIONS, parse, sessionFlags, logLevelOf } from './options.js';
import type { Context } from '../context.js';

export const options = SESSION_OPTIONS;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
  const flags = sessionFlags(v);
  const { session } = await ensureSession(flags, ctx, 'terminal-only');
  ctx.stdout(credentialProcessJson(session));
  return EXIT.OK;
}
