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
import { describeDue, describeRefresh } from '../core/decision-text.js';
import { formatDuration, humanTime, isoSeconds, shortTime } from '../core/time.js';
import { resolveNames, suggest, DEFAULT_LONG_TERM_SUFFIX, type Names } from '../core/names.js';
import { keyLocation, keychainIdOf } from '../core/key-location.js';
import { keychainSessionAt } from '../service/session-store.js'; // keychain: sessions kept there
import type { StoredSession } from '../core/credentials.js';
import { table, blocks, widestLine, NARROW_BELOW } from '../io/table.js';
import { terminalColumns } from '../io/terminal.js';
import { terminalText } from '../core/sanitize.js';
import { COMMON_OPTIONS, PROFILE_OPTIONS, logLevelOf } from './options.js';
import { command } from './spec.js';
import { isCliError } from '../errors.js';
import { isRoleConfig, roleChain } from '../core/role.js';
import { readKept, storedOf } from '../io/role-cache.js';
import { lazyChunk } from '../start/chunk.js';

// "did you mean" for a profile named that is not there (reads both files whole: the error path only)
const loadHints = lazyChunk<typeof import('../service/hints.js')>('hints.cjs', () => import('../service/hints.js'));

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
  /** A role profile of the config: the profile whose session signs its AssumeRole. */
  source?: string;
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

/** The reason --json keeps (English, as it always was). */
const reasonOf = (d: SessionDecision, profile: string) =>
  d.action === 'reuse'
    ? t('status.validFor', { left: formatDuration(d.secondsLeft) })
    : d.action === 'refuse'
      ? t('status.longTermKeys')
      : describeRefresh(d.reason, profile);

/** A row's reason on the screen, with the time as the layout shows it: what to run when the session is due. */
type ShownReason = (time: (d: Date) => string) => string;

const shownReason =
  (d: SessionDecision, command: string): ShownReason =>
  (time) =>
    d.action === 'refresh' ? describeDue(d.reason, command, time) : reasonOf(d, '');

/** The command that renews a profile's session, as pasted: `aws-mfa --profile work`, `aws-mfa -s S -d D`. */
const renewCommand = (names: Names, longTermSuffix: string | undefined) => suggest(names, { longTermSuffix });

type View = Record<string, Record<string, unknown>>;
interface RoleViews {
  creds: View;
  config: View;
  suffix: string;
  paths: { config: string; credentials: string };
  env: NodeJS.ProcessEnv;
  now: Date;
}

interface RoleRow {
  status: ProfileStatus;
  reason: ShownReason;
}

const mapOf = (o: Record<string, unknown> | undefined) =>
  o && new Map(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** The role profiles of the config file (role_arn, no aws-mfa long-term section): a row each, and its reason. */
async function roleRows(w: RoleViews, named: string | undefined): Promise<RoleRow[]> {
  const { creds, config, suffix, paths, now } = w;
  const rows: RoleRow[] = [];
  const files = {
    configFile: paths.config,
    credentialsFile: paths.credentials,
    longTermSuffix: suffix,
    config: (n: string) => mapOf(config[n]),
    credentials: (n: string) => mapOf(creds[n]),
  };
  for (const name of Object.keys(config).sort()) {
    const roleArn = plain(config[name]?.role_arn);
    if ((named !== undefined && name !== named) || creds[`${name}-${suffix}`] || !roleArn) continue;
    let chain;
    try {
      chain = roleChain(name, files);
    } catch (e) {
      if (!isCliError(e)) throw e;
      const status: ProfileStatus = {
        profile: name,
        longTerm: '',
        keys: 'file',
        device: null,
        role: roleArn,
        state: 'incomplete',
        expiration: null,
        secondsLeft: null,
        reason: inEnglish(() => e.message),
        kept: 'file',
      };
      rows.push({ status, reason: () => e.message });
      continue;
    }
    const link = chain.links[chain.links.length - 1]!;
    const rootName = chain.root.profile;
    const longTerm = chain.root.kind === 'aws-mfa' ? `${rootName}-${suffix}` : rootName;
    const ltProps = mapOf(creds[longTerm]) ?? new Map<string, string>();
    const keys = chain.root.kind === 'aws-mfa' ? keyLocation(ltProps) : 'file';
    let stored: StoredSession | undefined;
    let problem: { text: string; english: string } | undefined;
    if (keys === 'keychain') {
      const id = keychainIdOf(ltProps);
      const where = { section: longTerm, shortTerm: name, profile: name, file: paths.credentials };
      const at = id ? { ...where, id } : where;
      ({ stored, problem } = await keychainSessionAt(id === 'invalid' ? { ...at, id } : at, w).read());
    } else stored = storedOf(readKept(w.env, 'role', name));
    const d = keptState(stored, { role: link.roleArn, minTtl: 0, force: false }, now);
    const exp = stored?.session?.expiration;
    const secondsLeft = exp ? Math.floor((exp.getTime() - now.getTime()) / 1000) : null;
    const device =
      plain(ltProps.get('aws_mfa_device')) ?? plain(ltProps.get('mfa_serial')) ?? plain(config[rootName]?.mfa_serial);
    const status: ProfileStatus = {
      profile: name,
      longTerm,
      keys,
      device: device ?? chain.mfaSerial ?? null,
      role: link.roleArn,
      state: stateOf(d, secondsLeft),
      expiration: exp ? isoSeconds(exp) : null,
      secondsLeft,
      reason: problem?.english ?? inEnglish(() => reasonOf(d, name)),
      kept: keys,
      source: link.source,
    };
    const command = `aws-mfa --profile ${name}`;
    rows.push({ status, reason: problem ? () => problem.text : shownReason(d, command) });
  }
  return rows;
}

export const status = command({
  spec: {
    name: 'status',
    summary: 'cmd.status',
    usage: '[--json] [options]',
    // status shows every managed profile unless one is named: its --profile reads no variable and has no default
    options: {
      ...PROFILE_OPTIONS,
      profile: { type: 'string', value: 'NAME', help: 'opt.profileStatus', profiles: true },
      json: { type: 'boolean', help: 'opt.json' },
      ...COMMON_OPTIONS,
    },
    examples: ['aws-mfa status', 'aws-mfa status --json', 'aws-mfa status -s work-long-term -d work'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const paths = filePaths(ctx);
    const creds = readView(readIni(paths.credentials, 'credentials').doc, 'credentials').profiles;
    const config = readView(readIni(paths.config, 'config').doc, 'config').profiles;
    const now = ctx.now();
    const suffix = v['long-term-suffix'] ?? DEFAULT_LONG_TERM_SUFFIX;
    // each profile, its long-term section, and the command that renews its session
    const pairs: Array<[string, string, string]> = [];
    const suffixFlag = v['long-term-suffix'];
    if (v.source !== undefined || v.destination !== undefined || v.profile !== undefined) {
      const n = resolveNames(
        {
          source: v.source,
          destination: v.destination,
          profile: v.profile,
          longTermSuffix: v['long-term-suffix'],
          shortTermSuffix: v['short-term-suffix'],
        },
        {},
      );
      // a role profile of the config is listed below, with its source
      const roleProfile = n.form === 'suffix' && !creds[n.longTerm] && isRoleConfig(mapOf(config[n.profile]));
      const flags = { longTermSuffix: suffixFlag, shortTermSuffix: v['short-term-suffix'] };
      // a profile that is nowhere, or a -s section that is not there (a typo): said as a session would
      // say it, with what was meant (the renewal this row would offer fails the same way)
      const sourceMissing = n.form === 'source-destination' && !creds[n.longTerm];
      if (!roleProfile && !creds[n.longTerm] && (sourceMissing || !creds[n.shortTerm]))
        throw (await loadHints()).missingLongTermError(n, flags, paths, ctx.invocation);
      if (n.form === 'source-destination' && !creds[n.shortTerm]) {
        const near = (await loadHints()).nearDestinationError(n, paths, ctx.invocation);
        if (near) throw near;
      }
      if (!roleProfile) pairs.push([n.shortTerm, n.longTerm, suggest(n, flags)]);
    } else {
      for (const name of Object.keys(creds).sort())
        if (name.endsWith(`-${suffix}`)) {
          const profile = name.slice(0, -suffix.length - 1);
          const names: Names = {
            profile,
            longTerm: name,
            shortTerm: profile,
            form: 'suffix',
            profileSource: '--profile',
          };
          pairs.push([profile, name, renewCommand(names, suffixFlag)]);
        }
      // and the sessions `aws-mfa -s SRC -d DEST` wrote, as the names show them
      for (const { source, destination } of sourceDestinationPairs(creds, suffix)) {
        if (!pairs.some(([profile]) => profile === destination))
          pairs.push([destination, source, `aws-mfa -s ${source} -d ${destination}`]);
      }
    }
    const out: ProfileStatus[] = [];
    const reasons: ShownReason[] = []; // in the user's language for the table; --json keeps English
    for (const [profile, longTerm, command] of pairs) {
      const lt = creds[longTerm] ?? {};
      const short = creds[profile];
      const cfg = { ...(config[longTerm] ?? {}), ...(config[profile] ?? {}) };
      const role = plain(lt.assume_role);
      const fileStored = short
        ? storedSessionFromSection(
            new Map(Object.entries(short).filter((e): e is [string, string] => typeof e[1] === 'string')),
          )
        : undefined;
      const ltProps = new Map(Object.entries(lt).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const keys = keyLocation(ltProps);
      // keychain: the session kept in the keychain (key there), then the file's section if any
      const kept: Array<{
        kept: 'file' | 'keychain';
        stored: StoredSession | undefined;
        problem?: { text: string; english: string };
      }> = [];
      if (keys === 'keychain') {
        const id = keychainIdOf(ltProps);
        const file = paths.credentials;
        const where = { section: longTerm, shortTerm: profile, profile, file, ...(id ? { id } : {}) };
        kept.push({ kept: 'keychain', ...(await keychainSessionAt(where, ctx).read()) });
      }
      // (an empty [NAME], as the setup guides have users add it, holds nothing to list beside the keychain's)
      if (keys === 'file' || (fileStored && !fileStored.empty)) kept.push({ kept: 'file', stored: fileStored });
      for (const { kept: keptIn, stored, problem } of kept) {
        const d = keptState(stored, { role: role ?? stored?.role, minTtl: 0, force: false }, now);
        const exp = stored?.session?.expiration;
        const secondsLeft = exp ? Math.floor((exp.getTime() - now.getTime()) / 1000) : null;
        out.push({
          profile,
          longTerm,
          keys,
          // a device kept with the session is the one it was made with (given, or looked up)
          device:
            plain(short?.aws_mfa_device) ??
            plain(lt.aws_mfa_device) ??
            plain(lt.mfa_serial) ??
            plain(cfg.mfa_serial) ??
            null,
          role: role ?? stored?.role ?? null,
          state: stateOf(d, secondsLeft),
          expiration: exp ? isoSeconds(exp) : null,
          secondsLeft,
          reason: problem?.english ?? inEnglish(() => reasonOf(d, profile)),
          kept: keptIn,
        });
        reasons.push(problem ? () => problem.text : shownReason(d, command));
      }
    }
    // the role profiles of the config, each with its source and its kept session
    if (v.source === undefined) {
      const views = { creds, config, suffix, paths, env: ctx.env, now };
      for (const row of await roleRows(views, v.profile)) {
        out.push(row.status);
        reasons.push(row.reason);
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
        s.state === 'valid' || s.state === 'ending'
          ? t('status.left', { left: formatDuration(s.secondsLeft ?? 0), until: until(new Date(s.expiration!)) })
          : reasons[i]!(until),
        s.device ?? t('status.noDevice'),
        s.keys === 'keychain' ? t('status.keysKeychain') : t('status.keysFile'),
        s.role && s.source ? t('status.roleFrom', { role: s.role, source: s.source }) : (s.role ?? ''),
        s.kept === 'keychain' ? t('status.keysKeychain') : t('status.keysFile'),
      ]);
    // the table fits 120 columns (cmd on Windows 10): the time to the minute in the local zone only, and
    // no column that says nothing: ROLE only when a profile has one, SESSION IN only where it differs from KEYS
    const heads = [
      t('status.headProfile'),
      t('status.headSession'),
      t('status.headDevice'),
      t('status.headKeys'),
      t('status.headRole'),
      t('status.headKept'),
    ];
    const shown = heads.map((_, c) =>
      c === 4 ? out.some((s) => s.role) : c === 5 ? out.some((s) => s.kept !== s.keys) : true,
    );
    const pick = <T>(row: T[]) => row.filter((_, c) => shown[c]);
    const wide = table(pick(heads), cells(shortTime).map(pick));
    // fits the terminal: the table when there is room for it, else one block a profile
    const columns = terminalColumns(ctx.env, ctx.term);
    if (columns === undefined || (columns >= NARROW_BELOW && widestLine(wide) <= columns)) {
      ctx.stdout(terminalText(wide));
      return EXIT.OK;
    }
    const rows = cells(humanTime);
    const labels = [
      t('status.labelSession'),
      t('status.labelDevice'),
      t('status.labelKeys'),
      t('status.labelRole'),
      t('status.labelKept'),
    ];
    // as in the table: where the session is kept only when that differs from where the key is (empty: left out)
    const items = rows.map(([profile, ...values], r) => ({
      title: profile!,
      fields: values.map((v, i) => [labels[i]!, i === 4 && out[r]!.kept === out[r]!.keys ? '' : v] as const),
    }));
    ctx.stdout(terminalText(blocks(items, columns)));
    return EXIT.OK;
  },
});

export const commands = [status];
