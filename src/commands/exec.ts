/**
 * `aws-mfa exec [--profile P] COMMAND ARGS...`: run a command with the session in its
 * environment. Options end at the command (as with env, sudo and aws-vault): everything after its
 * name is the command's. Profile variables that could make it pick other credentials are removed;
 * stdio and signals pass through; the exit code is the child's. With --ecs-server the child gets no
 * keys at all but a loopback credentials endpoint (service/credentials-endpoint.ts) that refreshes
 * the session while it runs, and stops when it exits.
 */
import { usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { sessionEnv, SHADOWING_VARS } from '../core/formats.js';
import { ENDPOINT_SHADOWING_VARS } from '../core/container-credentials.js';
import { loadProfile } from '../service/profile-loader.js';
import { getSession } from '../service/get-session.js';
import { spawnChild } from '../io/child.js';
import { defaultKeysWarning, endpointPort, openEndpoint } from '../service/credentials-endpoint.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';
import { resolveNames, suggest } from '../core/names.js';

export const exec = command({
  spec: {
    name: 'exec',
    summary: 'cmd.exec',
    usage: '[--ecs-server [--port PORT]] [--profile NAME] [options] [--] COMMAND [ARGS...]',
    options: {
      ...SESSION_OPTIONS,
      'ecs-server': { type: 'boolean', help: 'opt.ecsServer' },
      port: { type: 'string', value: 'PORT', defaultText: 'opt.portDefault', help: 'opt.port' },
    },
    positionals: true,
    passThrough: true,
    examples: [
      'aws-mfa exec --profile work terraform plan',
      'aws-mfa exec --profile work -- aws s3 ls',
      'aws-mfa exec --ecs-server --profile work -- terraform apply',
    ],
  },
  async run({ values: v, positionals }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'WARNING');
    if (positionals.length === 0)
      throw usageError(
        t('exec.noCommand', { command: suggest(resolveNames(sessionFlags(v), ctx.env), sessionFlags(v), 'exec') }),
      );
    const port = endpointPort(v.port);
    if (v.port !== undefined && !v['ecs-server']) throw usageError(t('endpoint.portWithoutServer'));
    const loaded = await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true });
    const { region } = loaded.profile;
    if (v['ecs-server']) {
      const endpoint = await openEndpoint(sessionFlags(v), loaded, ctx, port);
      const shadowed = defaultKeysWarning(loaded, ctx.env);
      if (shadowed) ctx.log.warn(shadowed);
      const env = childEnv(ctx.env, ENDPOINT_SHADOWING_VARS);
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN = endpoint.token;
      if (region.configured) env.AWS_REGION = env.AWS_DEFAULT_REGION = region.value;
      try {
        return await spawnChild(positionals[0]!, positionals.slice(1), env);
      } finally {
        await endpoint.close();
      }
    }
    const { session } = await getSession(loaded, ctx, 'terminal-only');
    const env = childEnv(ctx.env, SHADOWING_VARS);
    for (const [k, val] of sessionEnv(session, region.configured ? region.value : undefined)) env[k] = val;
    return await spawnChild(positionals[0]!, positionals.slice(1), env);
  },
});

/** The child's environment: ours without `removed`, nor the SDK's switch that aws-mfa sets for itself. */
function childEnv(from: Readonly<Record<string, string | undefined>>, removed: readonly string[]) {
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(from)) if (val !== undefined && !removed.includes(k)) env[k] = val;
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return env;
}

export const commands = [exec];
