/**
 * `aws-mfa credential-process --profile P`: the credential_process JSON for the AWS CLI and SDKs.
 * A cached session in the file is answered from the entry without loading anything else. Nothing
 * but the JSON goes to stdout; a code, when needed, is asked on the controlling terminal.
 */
import { EXIT } from '../errors.js';
import { credentialProcessJson } from '../core/formats.js';
import { loadProfile } from '../service/profile-loader.js';
import { fileState } from '../service/cached-session.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';
import { loadGetSession } from './root.js';

export const credentialProcess = command({
  spec: {
    name: 'credential-process',
    summary: 'cmd.credentialProcess',
    usage: '--profile NAME [options]',
    options: SESSION_OPTIONS,
    examples: ['aws-mfa credential-process --profile work', 'aws-mfa setup-credential-process --profile work'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
    // a plain check the fast path read and decided goes on from there (its warnings not yet shown)
    const early = ctx.early?.command === 'credential-process' ? ctx.early : undefined;
    if (early) for (const w of early.warnings) ctx.log.warnOnce(w);
    const loaded = early ?? (await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true }));
    const decision =
      loaded.profile.sessionStore === 'file' ? (early?.decision ?? fileState(loaded, ctx.now())) : undefined;
    if (decision?.action === 'reuse') {
      ctx.stdout(credentialProcessJson(decision.session));
      return EXIT.OK;
    }
    const { getSession } = await loadGetSession();
    ctx.stdout(credentialProcessJson((await getSession(loaded, ctx, 'terminal-only', decision)).session));
    return EXIT.OK;
  },
});

export const commands = [credentialProcess];
