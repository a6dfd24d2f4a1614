/**
 * `aws-mfa serve --profile P`: the container credentials endpoint of `exec --ecs-server` on its own,
 * until Ctrl-C or SIGTERM, for containers and long-running tools. The token goes to a 0600 file in
 * the user's private cache folder (never into any argv: `docker run -e TOKEN=...` would show it in
 * `ps`), named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, which the SDKs read; it is removed when the
 * server stops. How to point a tool or a container at it is printed on standard error.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { configError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import { loadProfile } from '../service/profile-loader.js';
import { defaultKeysWarning, endpointPort, openEndpoint } from '../service/credentials-endpoint.js';
import { cacheDir } from '../io/cache-dir.js';
import { removeWritten, writeExclusive } from '../io/exclusive-write.js';
import { untilStopped } from '../io/credentials-server.js';
import { quoted } from '../io/qr-target.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';

/** Where a container finds the token file mounted (read-only). */
export const CONTAINER_TOKEN_PATH = '/run/secrets/aws-mfa-token';

export const serve = command({
  spec: {
    name: 'serve',
    summary: 'cmd.serve',
    usage: '--profile NAME [--port PORT] [options]',
    options: {
      ...SESSION_OPTIONS,
      port: { type: 'string', value: 'PORT', defaultText: 'opt.portDefault', help: 'opt.port' },
    },
    examples: ['aws-mfa serve --profile work', 'aws-mfa serve --profile work --port 9911'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level'], 'INFO');
    const port = endpointPort(v.port);
    const loaded = await loadProfile(sessionFlags(v), ctx, { sessionsFollowKeys: true });
    // the token file is not code cache: AWS_MFA_NO_CODE_CACHE does not take the private folder away
    const dir = cacheDir({ ...ctx.env, AWS_MFA_NO_CODE_CACHE: undefined });
    if (!dir) throw configError(t('serve.noPrivateFolder'));
    const endpoint = await openEndpoint(sessionFlags(v), loaded, ctx, port);
    const random = () => randomBytes(6).toString('hex');
    const tokenFile = join(dir, `credentials-server-${endpoint.port}-${random()}.token`);
    try {
      writeExclusive(tokenFile, Buffer.from(endpoint.token, 'utf8'), random());
    } catch (e) {
      await endpoint.close();
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw configError(t('serve.tokenFileFailed', { file: tokenFile, code }));
    }
    try {
      const { region } = loaded.profile;
      const uri = `AWS_CONTAINER_CREDENTIALS_FULL_URI=${endpoint.url}`;
      const file = `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${tokenFile}`;
      // the region too (AWS CLI v1 reads AWS_DEFAULT_REGION only, the SDKs AWS_REGION): the one aws-mfa
      // calls STS in, so a pasted line works where the tool's profile names none
      const regions = [`AWS_REGION=${region.value}`, `AWS_DEFAULT_REGION=${region.value}`];
      // cmd has no VAR=value prefix: it sets them first (set "..." keeps spaces in the path)
      const forTool =
        ctx.platform === 'windows'
          ? `${[uri, file, ...regions].map((v) => `set "${v}"`).join(' & ')} & COMMAND`
          : `${uri} ${quoted(file)} ${regions.join(' ')} COMMAND`;
      const section = loaded.profile.names.shortTerm;
      const listening = t('serve.listening', { url: endpoint.url, section, file: tokenFile });
      const docker =
        `docker run --network host -e ${uri} -e AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${CONTAINER_TOKEN_PATH} ` +
        `-v ${quoted(`${tokenFile}:${CONTAINER_TOKEN_PATH}:ro`)} ${regions.map((v) => `-e ${v}`).join(' ')} IMAGE`;
      const lines = [listening, '', t('serve.forTool'), `  ${forTool}`, '', t('serve.forDocker'), `  ${docker}`, ''];
      ctx.stderr(`${[...lines, t('serve.stop')].join('\n')}\n`);
      const shadowed = defaultKeysWarning(loaded, ctx.env);
      if (shadowed) ctx.log.warn(shadowed);
      await untilStopped();
    } finally {
      removeWritten(tokenFile);
      await endpoint.close();
    }
    ctx.log.info(t('serve.stopped'));
    return EXIT.OK;
  },
});

export const commands = [serve];
