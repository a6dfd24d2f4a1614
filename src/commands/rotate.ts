/**
 * `aws-mfa rotate --profile NAME [--keep-old] [--user U] [--wait SECONDS]`: replace the profile's
 * long-term access key with a new one, stored where the old one was. An adapter over
 * service/rotate.ts.
 */
import { EXIT, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { rotate } from '../service/rotate.js';
import { COMMON_OPTIONS, parse, logLevelOf } from './options.js';
import type { Context } from '../context.js';

export const options = {
  ...COMMON_OPTIONS,
  profile: { type: 'string' },
  'long-term-suffix': { type: 'string' },
  'long-suffix': { type: 'string' },
  'short-term-suffix': { type: 'string' },
  'short-suffix': { type: 'string' },
  region: { type: 'string' },
  user: { type: 'string' },
  'keep-old': { type: 'boolean' },
  wait: { type: 'string' },
  'connect-timeout': { type: 'string' },
  'read-timeout': { type: 'string' },
} as const;

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level']);
  const wait = v.wait === undefined ? 60 : Number(v.wait);
  if (!(Number.isFinite(wait) && wait >= 0 && wait <= 900)) throw usageError(t('rotate.badWait', { value: v.wait ?? '' }));
  const flags = {
    profile: v.profile,
    longTermSuffix: v['long-term-suffix'] ?? v['long-suffix'],
    shortTermSuffix: v['short-term-suffix'] ?? v['short-suffix'],
    region: v.region,
    connectTimeout: v['connect-timeout'],
    readTimeout: v['read-timeout'],
  };
  await rotate(flags, { user: v.user, keepOld: v['keep-old'], waitSeconds: wait }, ctx);
  return EXIT.OK;
}
