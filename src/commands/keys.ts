/**
 * `aws-mfa keys move --profile NAME --to keychain|file` and `aws-mfa keys list [--age] [--json]`:
 * where a profile's long-term key lives. Adapters over service/keys.ts; no secret is printed.
 */
import { EXIT, configError, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import { filePaths } from '../context.js';
import { resolveNames, suggest, DEFAULT_LONG_TERM_SUFFIX } from '../core/names.js';
import { ageInDays, ROTATE_AFTER_DAYS } from '../core/key-location.js';
import { isoSeconds } from '../core/time.js';
import { moveToKeychain, moveToFile, listKeys, userSession, type KeyRow } from '../service/keys.js';
import { loadProfile } from '../service/profile-loader.js';
import { callContext } from '../service/call-context.js';
import { longTermKey } from '../service/long-term-key.js';
import { iamAccess } from '../service/devices.js';
import { table } from '../io/table.js';
import { terminalText } from '../core/sanitize.js';
import { COMMON_OPTIONS, PROFILE_OPTIONS, NETWORK_OPTIONS, logLevelOf } from './options.js';
import { command } from './spec.js';

export const move = command({
  spec: {
    name: 'keys move',
    summary: 'cmd.keysMove',
    usage: '--profile NAME --to keychain|file [options]',
    options: {
      ...PROFILE_OPTIONS,
      to: { type: 'string', value: 'WHERE', help: 'opt.keysTo', choices: ['keychain', 'file'] },
      'new-entry': { type: 'boolean', help: 'opt.keysNewEntry' },
      ...COMMON_OPTIONS,
    },
    examples: ['aws-mfa keys move --profile work --to keychain', 'aws-mfa keys move --profile work --to file'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    if (v.to !== 'keychain' && v.to !== 'file') throw usageError(t('keys.moveTo', { to: v.to ?? '' }));
    const flags = {
      profile: v.profile,
      longTermSuffix: v['long-term-suffix'],
      shortTermSuffix: v['short-term-suffix'],
      source: v.source,
      destination: v.destination,
    };
    const names = resolveNames(flags, ctx.env);
    if (v.to === 'keychain') await moveToKeychain(names, filePaths(ctx), ctx, { newEntry: v['new-entry'] === true });
    else await moveToFile(names, filePaths(ctx), ctx, flags);
    return EXIT.OK;
  },
});

interface Aged extends KeyRow {
  status?: 'Active' | 'Inactive';
  created?: string;
  ageDays?: number;
}

export const list = command({
  spec: {
    name: 'keys list',
    summary: 'cmd.keysList',
    usage: '[--profile NAME] [--age] [--json] [options]',
    options: {
      profile: { type: 'string', value: 'NAME', help: 'opt.keysListProfile', profiles: true },
      'long-term-suffix': PROFILE_OPTIONS['long-term-suffix'],
      age: { type: 'boolean', help: 'opt.keysAge' },
      json: { type: 'boolean', help: 'opt.json' },
      ...NETWORK_OPTIONS,
      ...COMMON_OPTIONS,
    },
    examples: ['aws-mfa keys list', 'aws-mfa keys list --age', 'aws-mfa keys list --profile work --age'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const paths = filePaths(ctx);
    const suffix = v['long-term-suffix'] ?? DEFAULT_LONG_TERM_SUFFIX;
    const all: Aged[] = await listKeys(paths, suffix, ctx.env);
    // --profile: that profile's key alone (a profile without one is a setup to do, not an empty list)
    const rows = v.profile === undefined ? all : all.filter((r) => r.profile === v.profile);
    if (v.profile !== undefined && rows.length === 0) {
      const flags = { profile: v.profile, longTermSuffix: v['long-term-suffix'] };
      const names = resolveNames(flags, ctx.env); // refuses a name no SDK can use
      const command = suggest(names, flags, 'init');
      throw configError(t('keys.list.noKey', { section: names.longTerm, file: paths.credentials, command }));
    }
    if (v.age) for (const row of rows) await addAge(row, suffix, v, ctx);
    if (v.json) {
      ctx.stdout(JSON.stringify(rows, null, 2) + '\n');
      return EXIT.OK;
    }
    if (rows.length === 0) {
      ctx.stdout(terminalText(t('keys.list.none', { file: paths.credentials, suffix }) + '\n'));
      return EXIT.OK;
    }
    const head = [
      t('keys.list.headProfile'),
      t('keys.list.headKey'),
      t('keys.list.headWhere'),
      ...(v.age ? [t('keys.list.headAge')] : []),
    ];
    const cells = rows.map((r) => [
      r.profile,
      r.accessKeyId ?? '?',
      r.where === 'keychain'
        ? t('keys.list.keychain', { problem: r.problem ? ` (${r.problem})` : '' })
        : t('keys.list.file', { file: paths.credentials }),
      ...(v.age
        ? [
            r.ageDays !== undefined
              ? t('keys.list.age', { days: r.ageDays, status: r.status ?? '' })
              : (r.problem ?? '?'),
          ]
        : []),
    ]);
    ctx.stdout(terminalText(table(head, cells)));
    for (const r of rows) {
      if (r.ageDays !== undefined && r.ageDays > ROTATE_AFTER_DAYS) {
        ctx.log.warn(
          t('keys.list.old', {
            id: r.accessKeyId ?? '',
            section: r.longTerm,
            days: r.ageDays,
            max: ROTATE_AFTER_DAYS,
            profile: r.profile,
          }),
        );
      }
    }
    return EXIT.OK;
  },
});

/** ListAccessKeys for the profile's user (named explicitly), with its MFA session when one is valid. */
async function addAge(
  row: Aged,
  suffix: string,
  v: { region?: string; 'connect-timeout'?: string; 'read-timeout'?: string },
  ctx: Context,
): Promise<void> {
  if (!row.accessKeyId) return;
  try {
    const flags = {
      profile: row.profile,
      longTermSuffix: suffix,
      region: v.region,
      connectTimeout: v['connect-timeout'],
      readTimeout: v['read-timeout'],
    };
    const loaded = await loadProfile(flags, ctx, { sessionsFollowKeys: true });
    const p = loaded.profile;
    const session = await userSession(loaded, ctx);
    const iam = await iamAccess(
      ctx,
      callContext(p, ctx, await longTermKey(p, ctx), p.region.value),
      p.names.longTerm,
      undefined,
      session ? callContext(p, ctx, session, p.region.value) : undefined,
    );
    const keys = await iam.aws.listAccessKeys(iam.callCtx, iam.userName).catch((e) => Promise.reject(iam.explain(e)));
    const mine = keys.find((k) => k.accessKeyId === row.accessKeyId);
    if (!mine) {
      row.problem = t('keys.list.notUsers', { user: iam.userName });
      return;
    }
    row.status = mine.status;
    if (mine.created) {
      row.created = isoSeconds(mine.created);
      row.ageDays = ageInDays(mine.created, ctx.now());
    }
  } catch (e) {
    row.problem = (e as Error).message.split('\n')[0];
  }
}

export const commands = [move, list];
