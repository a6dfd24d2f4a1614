/**
 * `aws-mfa [options]`: the drop-in session command (broamski's aws-mfa, go-aws-mfa's -s/-d). An MFA
 * code in, temporary credentials out, into the short-term section. The cached path (a session
 * still valid) is here, in the entry; getting a new one loads the session service's chunk.
 */
import { EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import { humanTime, formatDuration } from '../core/time.js';
import { stillValidText, useHint, warnShadowingKeys } from './cached.js';
import { loadProfile } from '../service/profile-loader.js';
import { fileState } from '../service/cached-session.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';
import { lazyChunk } from '../start/chunk.js';

export const loadGetSession = lazyChunk<typeof import('../service/get-session.js')>(
  'get-session.cjs',
  () => import('../service/get-session.js'),
);
const loadSetup = lazyChunk<typeof import('./setup.js')>('setup.cjs', () => import('./setup.js'));
const loadSessionDone = lazyChunk<typeof import('./session-done.js')>(
  'session-done.cjs',
  () => import('./session-done.js'),
);

export const root = command({
  spec: {
    name: '',
    summary: 'cmd.root',
    usage: '[--profile NAME] [options]',
    options: {
      ...SESSION_OPTIONS,
      setup: { type: 'boolean', help: 'opt.setup' },
      version: { type: 'boolean', help: 'opt.version' },
    },
    examples: [
      'aws-mfa --profile work',
      'aws-mfa --profile work --assume-role arn:aws:iam::123456789012:role/admin',
      'aws-mfa -s work-long-term -d work',
      'aws-mfa --setup',
    ],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const flags = sessionFlags(v);
    if (v.setup) return (await loadSetup()).setup(flags, ctx);
    // a plain check the fast path read and decided goes on from there (its warnings not yet shown)
    const early = ctx.early?.command === 'session' ? ctx.early : undefined;
    if (early) for (const w of early.warnings) ctx.log.warnOnce(w);
    const loaded =
      early ??
      (await loadProfile(flags, ctx, {
        onMissingFile: async (names, paths) => (await loadSetup()).offerSetup(flags, names, paths, ctx),
      }));
    const { profile } = loaded;
    warnShadowingKeys(ctx);
    const decision = early?.decision ?? fileState(loaded, ctx.now());
    if (decision.action === 'reuse') {
      ctx.log.info(stillValidText(profile, flags, decision));
      return EXIT.OK;
    }
    const { getSession, roleReadyText } = await loadGetSession();
    const { session, bom, refreshed, decision: got } = await getSession(loaded, ctx, 'session', decision);
    // another aws-mfa stored a session while this one waited for it: nothing was written here
    if (!refreshed && got.action === 'reuse' && !profile.configRole) {
      ctx.log.info(stillValidText(profile, flags, got));
      return EXIT.OK;
    }
    const left = Math.floor((session.expiration.getTime() - ctx.now().getTime()) / 1000);
    // a role profile: its session stays in the private cache (or the keychain), never in [NAME]
    if (profile.configRole) {
      ctx.log.info(await roleReadyText(profile, session, left, ctx));
      return EXIT.OK;
    }
    const { afterWrite } = await loadSessionDone();
    const readable = await afterWrite(profile, ctx, bom ?? false);
    ctx.log.info(
      t(readable ? 'session.success' : 'session.successUnreadable', {
        seconds: left,
        left: formatDuration(left),
        expiration: humanTime(session.expiration),
        use: useHint(profile.names.shortTerm),
      }),
    );
    return EXIT.OK;
  },
});
