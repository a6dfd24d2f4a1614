/**
 * `aws-mfa status [--json]`: every profile aws-mfa manages (one with a long-term partner section),
 * its device, role and time left, read from the files alone: no AWS call.
 */
import { human } from '../core/sanitize.js';
import { EXIT } from '../errors.js';
import { readIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { freshness, formatDuration, formatExpiration, parseExpiration } from '../core/session.js';
import { COMMON_OPTIONS, parse, logLevelOf } from './options.js';
import { filePaths, type Context } from '../context.js';

export const options = { ...COMMON_OPTIONS, json: { type: 'boolean' }, 'long-term-suffix': { type: 'string' }, 'long-suffix': { type: 'string' } } as const;

export interface ProfileStatus {
  profile: string;
  longTerm: string;
  device: string | null;
  role: string | null;
  state: 'valid' | 'expired' | 'ending' | 'none' | 'incomplete' | 'long-term-keys' | 'other-role';
  expiration: string | null;
  secondsLeft: number | null;
  reason: string;
}

const plain = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export async function run(argv: string[], ctx: Context): Promise<number> {
  const { values: v } = parse(argv, options);
  ctx.log.level = logLevelOf(v['log-level']);
  const suffix = v['long-term-suffix'] ?? v['long-suffix'] ?? 'long-term';
  const paths = filePaths(ctx);
  const creds = readView(readIni(paths.credentials).doc, 'credentials').profiles;
  const config = readView(readIni(paths.config).doc, 'config').profiles;
  const now = ctx.now();
  const out: ProfileStatus[] = [];
  for (const longTerm of Object.keys(creds).sort()) {
    if (!longTerm.endsWith(`-${suffix}`)) continue;
    const profile = longTerm.slice(0, -suffix.length - 1);
    const lt = creds[longTerm]!;
    const short = creds[profile];
    const cfg = { ...(config[longTerm] ?? {}), ...(config[profile] ?? {}) };
    const role = plain(lt.assume_role) ?? null;
    const device = plain(lt.aws_mfa_device) ?? plain(lt.mfa_serial) ?? plain(cfg.mfa_serial) ?? null;
    const shortMap = short ? new Map(Object.entries(short).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
    const f = freshness(shortMap, role ?? plain(short?.assumed_role_arn) ?? undefined, now, 0);
    const exp = parseExpiration(plain(short?.expiration));
    let state: ProfileStatus['state'];
    if (!shortMap) state = 'none';
    else if (!f.due) state = f.secondsLeft < 300 ? 'ending' : 'valid';
    else if (f.holdsLongTermKeys) state = 'long-term-keys';
    else if (/expired/.test(f.reason)) state = 'expired';
    else state = 'incomplete';
    if (role && shortMap && plain(short?.assumed_role_arn) !== role && state !== 'none') state = 'other-role';
    out.push({
      profile,
      longTerm,
      device,
      role: role ?? plain(short?.assumed_role_arn) ?? null,
      state,
      expiration: exp ? exp.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
      secondsLeft: f.due ? (exp ? Math.floor((exp.getTime() - now.getTime()) / 1000) : null) : f.secondsLeft,
      reason: f.due ? f.reason : `valid for ${formatDuration(f.secondsLeft)}`,
    });
  }
  if (v.json) {
    ctx.stdout(JSON.stringify(out, null, 2) + '\n');
    return EXIT.OK;
  }
  if (out.length === 0) {
    ctx.stdout(human`No profiles managed by aws-mfa in ${paths.credentials} (none has a [NAME-${suffix}] partner). Start with: aws-mfa --setup\n`);
    return EXIT.OK;
  }
  const rows = out.map((s) => [
    s.profile,
    s.state === 'valid' || s.state === 'ending' ? `${formatDuration(s.secondsLeft ?? 0)} left (until ${formatExpiration(parseExpiration(s.expiration!)!)} UTC)` : s.reason,
    s.device ?? '(device not set)',
    s.role ?? '',
  ]);
  const head = ['PROFILE', 'SESSION', 'DEVICE', 'ROLE'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) ctx.stdout(human`${r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd()}\n`);
  return EXIT.OK;
}
