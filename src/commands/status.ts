/**
 * `aws-mfa status [--json]`: every profile aws-mfa manages (one with a long-term partner section,
 * or the -s/-d pair given), its device, role and session, with the session decision's own reason.
 * Read from the files alone: no AWS call.
 */
import { EXIT } from '../errors.js';
import { inEnglish, t } from '../messages/index.js';
import { filePaths } from '../context.js';
import { readIni } from '../io/store.js';
import { readView } from '../ini/profiles.js';
import { storedSessionFromSection, sourceDestinationPairs } from '../core/credentials.js';
import { DEFAULT_MIN_TTL, type SessionDecision } from '../core/decision.js';
import { keptState } from '../service/cached-session.js';
import { describeRefresh } from '../core/decision-text.js';
import { formatDuration, humanTime, isoSeconds, shortTime } from '../core/time.js';
import { resolveNames, DEFAULT_LONG_TERM_SUFFIX } from '../core/names.js';
import { keyLocation, keychainIdOf } from '../core/key-location.js';
import { keychainSessionAt } from '../service/session-store.js'; // keychain: sessions kept there
import type { StoredSession } from '../core/credentials.js';
import { table, blocks, widestLine, NARROW_BELOW } from '../io/table.js';
import { terminalColumns } from '../io/terminal.js';
import { terminalText } from '../core/sanitize.js';
import { COMMON_OPTIONS, PROFILE_OPTIONS, logLevelOf } from './options.js';
import { command } from './spec.js';

export interface ProfileStatus {
  profile: string;
  longTerm: string;
  keys: 'file' | 'keychain';
  device: string | null;
  role: string | null;
  state: 'valid' | 'ending' | 'expired' | 'none' | 'incomplete' | 'long-term-keys' | 'other-role';
  expiration: string | null;
  secondsLeft: number | null;
  reason: string;
  /** keychain: where this session is kept (a profile with its key in the keychain can have both). */
  kept: 'file' | 'keychain';
}

const plain = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function stateOf(d: SessionDecision, secondsLeft: number | null): ProfileStatus['state'] {
  if (d.action === 'reuse') return (secondsLeft ?? 0) < DEFAULT_MIN_TTL ? 'ending' : 'valid';
  if (d.action === 'refuse') return 'long-term-keys';
  switch (d.reason.kind) {
    case 'missing':
      return 'none';
    case 'expired':
      return 'expired';
    case 'other-role':
      return 'other-role';
    default:
      return 'incomplete';
  }
}

const reasonOf = (d: SessionDecision, profile: string) =>
  d.action === 'reuse' ? t('status.validFor', { left: formatDuration(d.secondsLeft) }) : d.action === 'refuse' ? t('status.longTermKeys') : describeRefresh(d.reason, profile);

export const status = command({
  spec: {
    name: 'status',
    summary: 'cmd.status',
    usage: '[--json] [options]',
    // status shows every managed profile unless one is named: its --profile reads no variable and has no default
    options: { ...PROFILE_OPTIONS, profile: { type: 'string', value: 'NAME', help: 'opt.profileStatus', profiles: true }, json: { type: 'boolean', help: 'opt.json' }, ...COMMON_OPTIONS },
    examples: ['aws-mfa status', 'aws-mfa status --json', 'aws-mfa status -s work-long-term -d work'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const paths = filePaths(ctx);
    const creds = readView(readIni(paths.credentials, 'credentials').doc, 'credentials').profiles;
    const config = readView(readIni(paths.config, 'config').doc, 'config').profiles;
    const now = ctx.now();
    const suffix = v['long-term-suffix'] ?? DEFAULT_LONG_TERM_SUFFIX;
    const pairs: Array<[string, string]> = [];
    if (v.source !== undefined || v.destination !== undefined || v.profile !== undefined) {
      const n = resolveNames({ source: v.source, destination: v.destination, profile: v.profile, longTermSuffix: v['long-term-suffix'], shortTermSuffix: v['short-term-suffix'] }, {});
      pairs.push([n.shortTerm, n.longTerm]);
    } else {
      for (const name of Object.keys(creds).sort()) if (name.endsWith(`-${suffix}`)) pairs.push([name.slice(0, -suffix.length - 1), name]);
      // and the sessions `aws-mfa -s SRC -d DEST` wrote, as the names show them
      for (const { source, destination } of sourceDestinationPairs(creds, suffix)) {
        if (!pairs.some(([profile]) => profile === destination)) pairs.push([destination, source]);
      }
    }
    const out: ProfileStatus[] = [];
    const reasons: string[] = []; // in the user's language for the table; --json keeps English
    for (const [profile, longTerm] of pairs) {
      const lt = creds[longTerm] ?? {};
      const short = creds[profile];
      const cfg = { ...(config[longTerm] ?? {}), ...(config[profile] ?? {}) };
      const role = plain(lt.assume_role);
      const fileStored = short ? storedSessionFromSection(new Map(Object.entries(short).filter((e): e is [string, string] => typeof e[1] === 'string'))) : undefined;
      const ltProps = new Map(Object.entries(lt).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const keys = keyLocation(ltProps);
      // keychain: the session kept in the keychain (key there), then the file's section if any
      const kept: Array<{ kept: 'file' | 'keychain'; stored: StoredSession | undefined; problem?: { text: string; english: string } }> = [];
      if (keys === 'keychain') {
        const id = keychainIdOf(ltProps);
        const file = paths.credentials;
        const where = { section: longTerm, shortTerm: profile, profile, file, ...(id ? { id } : {}) };
        kept.push({ kept: 'keychain', ...(await keychainSessionAt(where, ctx).read()) });
      }
      if (keys === 'file' || fileStored) kept.push({ kept: 'file', stored: fileStored });
      for (const { kept: keptIn, stored, problem } of kept) {
        const d = keptState(stored, { role: role ?? stored?.role, minTtl: 0, force: false }, now);
        const exp = stored?.session?.expiration;
        const secondsLeft = exp ? Math.floor((exp.getTime() - now.getTime()) / 1000) : null;
        out.push({
          profile,
          longTerm,
          keys,
          device: plain(lt.aws_mfa_device) ?? plain(lt.mfa_serial) ?? plain(cfg.mfa_serial) ?? plain(short?.aws_mfa_device) ?? null,
          role: role ?? stored?.role ?? null,
          state: stateOf(d, secondsLeft),
          expiration: exp ? isoSeconds(exp) : null,
          secondsLeft,
          reason: problem?.english ?? inEnglish(() => reasonOf(d, profile)),
          kept: keptIn,
        });
        reasons.push(problem?.text ?? reasonOf(d, profile));
      }
    }
    if (v.json) {
      ctx.stdout(JSON.stringify(out, null, 2) + '\n');
      return EXIT.OK;
    }
    if (out.length === 0) {
      ctx.stdout(terminalText(t('status.none', { file: paths.credentials, suffix }) + '\n'));
      return EXIT.OK;
    }
    const cells = (until: (d: Date) => string) =>
      out.map((s, i) => [
        s.profile,
        s.state === 'valid' || s.state === 'ending' ? t('status.left', { left: formatDuration(s.secondsLeft ?? 0), until: until(new Date(s.expiration!)) }) : reasons[i]!,
        s.device ?? t('status.noDevice'),
        s.keys === 'keychain' ? t('status.keysKeychain') : t('status.keysFile'),
        s.role ?? '',
        s.kept === 'keychain' ? t('status.keysKeychain') : t('status.keysFile'),
      ]);
    // the table fits 120 columns (cmd on Windows 10): the time to the minute in the local zone only, and
    // no column that says nothing: ROLE only when a profile has one, SESSION IN only where it differs from KEYS
    const heads = [t('status.headProfile'), t('status.headSession'), t('status.headDevice'), t('status.headKeys'), t('status.headRole'), t('status.headKept')];
    const shown = heads.map((_, c) => (c === 4 ? out.some((s) => s.role) : c === 5 ? out.some((s) => s.kept !== s.keys) : true));
    const pick = <T,>(row: T[]) => row.filter((_, c) => shown[c]);
    const wide = table(pick(heads), cells(shortTime).map(pick));
    // fits the terminal: the table when there is room for it, else one block a profile
    const columns = terminalColumns(ctx.env, ctx.term);
    if (columns === undefined || (columns >= NARROW_BELOW && widestLine(wide) <= columns)) {
      ctx.stdout(terminalText(wide));
      return EXIT.OK;
    }
    const rows = cells(humanTime);
    const labels = [t('status.labelSession'), t('status.labelDevice'), t('status.labelKeys'), t('status.labelRole'), t('status.labelKept')];
    const items = rows.map(([profile, ...values]) => ({ title: profile!, fields: values.map((v, i) => [labels[i]!, v] as const) }));
    ctx.stdout(terminalText(blocks(items, columns)));
    return EXIT.OK;
  },
});

export const commands = [status];
