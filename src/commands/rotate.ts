/**
 * `aws-mfa rotate --profile NAME [--keep-old] [--user U] [--wait SECONDS]` and the session options: replace the
 * profile's
 * long-term access key with a new one, stored where the old one was. An adapter over
 * service/rotate.ts.
 */
import { EXIT, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { rotate } from '../service/rotate.js';
import { SESSION_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';

export const rotateCommand = command({
  spec: {
    name: 'rotate',
    summary: 'cmd.rotate',
    usage: '--profile NAME [--keep-old] [options]',
    options: {
      ...SESSION_OPTIONS,
      user: { type: 'string', value: 'NAME', help: 'opt.user' },
      'keep-old': { type: 'boolean', help: 'opt.keepOld' },
      wait: { type: 'string', value: 'SECONDS', default: '60', help: 'opt.rotateWait' },
    },
    examples: [
      'aws-mfa rotate --profile work',
      'aws-mfa rotate --profile work --keep-old',
      'aws-mfa rotate --profile work --token 123456',
    ],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const wait = v.wait === undefined ? 60 : Number(v.wait);
    if (!(v.wait === undefined || /^\d+$/.test(v.wait.trim())) || !(wait >= 0 && wait <= 900))
      throw usageError(t('rotate.badWait', { value: v.wait ?? '' }));
    await rotate(sessionFlags(v), { user: v.user, keepOld: v['keep-old'], waitSeconds: wait }, ctx);
    return EXIT.OK;
  },
});

export const commands = [rotateCommand];
