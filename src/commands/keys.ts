/**
 * `aws-mfa keys move --profile NAME --to keychain|file` and `aws-mfa keys list [--age] [--json]`:
 * where a profile's long-term key lives. An adapter over service/keys.ts; no secret is printed.
 */
import { EXIT, usageError } from '../errors.js';
import { t } from '../messages/index.js';
import { resolveNames } from '../core/session.js';
import { ageInDays, ROTATE_AFTER_DAYS } from '../core/key-location.js';
import { moveToKeychain, moveToFile, listKeys, userSession, type KeyRow } from '../service/keys.js';
import { longTermContext } from '../service/session.js';
import { iamAccess } from '../service/devices.js';
import { COMMON_OPTIONS, parse, logLevelOf } from './options.js';
import { filePaths, type Context } from '../context.js';

export const options = {
  ...COMMON_OPTIONS,
  profile: { type: 'string' },
  to: { type: 'string' },
  'long-term-suffix': { type: 'string' },
  'long-suffix': { type: 'string' },
  'short-term-suffix': { type: 'string' },
  'short-suffix': { type: 'string' },
  region: { type: 'string' },
  age: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parse<typeof options>>['values'];

export async function run(argv: string[], ctx: Context): Promise<number> {
  const sub = argv[0];
  const { values: v } = parse(argv.slice(1), options);
  ctx.log.level = logLevelOf(v['log-level']);
  if (sub === 'move') return await move(v, ctx);
  if (sub === 'list') return await list(v, ctx);
  throw usageError(sub === undefined ? t('keys.usage') : t('keys.unknownSub', { sub }));
}

const flagsOf = (v: Values) => ({
  profile: v.profile,
  longTermSuffix: v['long-term-suffix'] ?? v['long-suffix'],
  shortTermSuffix: v['short-term-suffix'] ?? v['short-suffix'],
  region: v.region,
});

async function move(v: Values, ctx: Context): Promise<number> {
  if (v.to !== 'keychain' && v.to !== 'file') throw usageError(t('keys.moveTo', { to: v.to ?? '' }));
  const names = resolveNames(flagsOf(v), ctx.env);
  const paths = filePaths(ctx);
  if (v.to === 'keychain') await moveToKeychain(names, paths, ctx);
  else await moveToFile(names, paths, ctx);
  return EXIT.OK;
}

interface Aged extends KeyRow {
  status?: 'Active' | 'Inactive';
  created?: string;
  ageDays?: number;
}

async function list(v: Values, ctx: Context): Promise<number> {
  const paths = filePaths(ctx);
  const suffix = v['long-term-suffix'] ?? v['long-suffix'] ?? 'long-term';
  const rows: Aged[] = await listKeys(paths, suffix, ctx);
  if (v.age) for (const row of rows) await addAge(row, v, ctx);
  if (v.json) {
    ctx.stdout(JSON.stringify(rows, null, 2) + '\n');
    return EXIT.OK;
  }
  if (rows.length === 0) {
    ctx.stdout(t('keys.list.none', { file: paths.credentials, suffix }) + '\n');
    return EXIT.OK;
  }
  const head = ['PROFILE', 'KEY', 'STORED IN', ...(v.age ? ['AGE'] : [])];
  const table = rows.map((r) => [
    r.profile,
    r.accessKeyId ?? '?',
    r.where === 'keychain' ? t('keys.list.keychain', { problem: r.problem ? ` (${r.problem})` : '' }) : t('keys.list.file', { file: paths.credentials }),
    ...(v.age ? [r.ageDays !== undefined ? t('keys.list.age', { days: r.ageDays, status: r.status ?? '' }) : (r.problem ?? '?')] : []),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  for (const r of [head, ...table]) ctx.stdout(r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd() + '\n');
  for (const r of rows) {
    if (r.ageDays !== undefined && r.ageDays > ROTATE_AFTER_DAYS) ctx.log.warn(t('keys.list.old', { id: r.accessKeyId ?? '', section: r.longTerm, days: r.ageDays, max: ROTATE_AFTER_DAYS, profile: r.profile }));
  }
  return EXIT.OK;
}

/** ListAccessKeys for the profile's user (named explicitly), with its MFA session when one is valid. */
async function addAge(row: Aged, v: Values, ctx: Context): Promise<void> {
  if (!row.accessKeyId) return;
  try {
    const lt = await longTermContext({ ...flagsOf(v), profile: row.profile, longTermSuffix: row.longTerm.slice(row.profile.length + 1) }, ctx);
    const session = await userSession(lt.longTerm, lt.names, lt.paths, lt.short, ctx);
    const iam = await iamAccess(ctx, lt.callCtx(), lt.names.longTerm, undefined, session ? lt.callCtx(session) : undefined);
    const keys = await iam.aws.listAccessKeys(iam.callCtx, iam.userName).catch((e) => Promise.reject(iam.explain(e)));
    const mine = keys.find((k) => k.accessKeyId === row.accessKeyId);
    if (!mine) {
      row.problem = t('keys.list.notUsers', { user: iam.userName });
      return;
    }
    row.status = mine.status;
    if (mine.created) {
      row.created = mine.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
      row.ageDays = ageInDays(mine.created, ctx.now());
    }
  } catch (e) {
    row.problem = (e as Error).message.split('\n')[0];
  }
}
