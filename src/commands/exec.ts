/**
 * `aws-mfa exec [--profile P] COMMAND ARGS...`: run a command with the session in its
 * environment. Options end at the command (as with env, sudo and aws-vault): everything after its
 * name is the command's. Profile variables that could make it pick other credentials are removed;
 * stdio and signals pass through; the exit code is the child's.
 */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { sessionEnv, SHADOWING_VARS } from '../core/formats.js';
import { loadProfile } from '../service/profile-loader.js';
import { getSession } from '../service/get-session.js';
import { spawnChild } from '../io/child.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';
import { resolveNames, suggest } from '../core/names.js';

export const exec = command({
  spec: {
    name: 'exec',
    summary: 'cmd.exec',
    usage: '[--profile NAME] [options] [--] COMMAND [ARGS...]',
    options: SESSION_OPTIONS,
    positionals: true,
    passThrough: true,
    examples: ['aws-mfa exec --profile work terraform plan', 'aws-mfa exec --profile work -- aws s3 ls'],
  },
  async run({ values: v, positionals }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
    if (positionals.length === 0) throw usageError(t('exec.noCommand', { command: suggest(resolveNames(sessionFlags(v), ctx.env), sessionFlags(v), 'exec') }));
    const loaded = await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true });
    const { session } = await getSession(loaded, ctx, 'terminal-only');
    const env: Record<string, string> = {};
    for (const [k, val] of Object.entries(ctx.env)) if (val !== undefined && !SHADOWING_VARS.includes(k)) env[k] = val;
    // the SDK's own switch that aws-mfa sets for itself is not passed on
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const { region } = loaded.profile;
    for (const [k, val] of sessionEnv(session, region.configured ? region.value : undefined)) env[k] = val;
    return await spawnChild(positionals[0]!, positionals.slice(1), env);
  },
});

export const commands = [exec];
