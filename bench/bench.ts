/**
 * `npm run bench`: start-up and refresh costs of aws-mfa, measured the way users run it, as
 * ratios against floors measured in the same run (`node -e 0`, and the AWS CLI's own
 * get-session-token against the same local moto_server).
 *
 * - Every timed command runs without NODE_EXTRA_CA_CERTS (some machines set it; it adds a constant
 *   60-100 ms to every Node start and so dilutes every ratio) and with a minimal environment.
 * - Wall time: rounds that run the floor and each candidate back to back; a ratio is the median of
 *   the per-round ratios, so drift in the machine's load hits both sides of each pair alike.
 * - Instructions: `valgrind --tool=callgrind` (Debian's valgrind), the median of a few runs. They
 *   do not move with the machine's load, but they do move with V8's helper threads (the floor
 *   alone from 84 M to 99 M here), so the cached paths are also counted exactly, with V8's
 *   --predictable (the same count on every run, to the instruction).
 *
 * Prints one table and writes bench/results.json: `current` is this run, `previous` the run before,
 * `before` a pinned baseline (BENCH_SAVE_AS=before pins this run as it; BENCH_SAVE_AS=node24 keeps
 * a run under another Node, started with that Node, under its own label). No test asserts on these
 * numbers: they are for people and for comparing runs over time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from '../test/helpers/moto.js';
import { findTool } from '../test/helpers/tools.js';
import { createUser, type OnboardedUser } from '../test/helpers/onboard.js';
import { scanProfiles } from '../src/ini/scan.js';
import { NOTE_AGE_MS } from '../src/io/scan-notes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_BIN: another build to measure (e.g. a copy of an older dist/), for before/after in one method
const BIN = process.env.BENCH_BIN || join(ROOT, 'dist', 'aws-mfa.cjs');
const RSS = join(ROOT, 'bench', 'rss.cjs');
const OUT = join(ROOT, 'bench', 'results.json');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const IRUNS = Number(process.env.BENCH_INSTRUCTION_RUNS ?? 5);
const WARMUP = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type Env = Record<string, string>;
interface Cmd {
  cmd: string;
  args: string[];
  env: Env;
  prepare?: () => void;
  input?: string;
}

function runOnce(c: Cmd, wrap: string[] = []): { ms: number; stderr: string } {
  c.prepare?.();
  const [cmd, args] = wrap.length ? [wrap[0]!, [...wrap.slice(1), c.cmd, ...c.args]] : [c.cmd, c.args];
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: c.env, encoding: 'utf8', input: c.input, stdio: [c.input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

/** Wall times of rounds that run every command once each, in order; per command, the list of times. */
function rounds<K extends string>(cmds: Record<K, Cmd>, runs: number): Record<K, number[]> {
  const keys = Object.keys(cmds) as K[];
  const ts = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let i = 0; i < WARMUP + runs; i++) {
    for (const k of keys) {
      const { ms } = runOnce(cmds[k]);
      if (i >= WARMUP) ts[k].push(ms);
    }
  }
  return ts;
}

/** Median of the per-round ratios a[i] / b[i] (pairs measured back to back). */
const pairRatio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
const pairDiff = (a: number[], b: number[]) => median(a.map((x, i) => x - b[i]!));

const VALGRIND = spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status === 0;

/** Instructions executed (callgrind's `I refs`), the median of IRUNS runs. */
function instructions(c: Cmd, runs = IRUNS): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stderr } = runOnce(c, ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null']);
    const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
    if (!m) throw new Error(`no instruction count from valgrind: ${stderr.slice(-2000)}`);
    xs.push(Number(m[1]!.replace(/,/g, '')));
  }
  return median(xs);
}

/**
 * Instructions exactly: V8's --predictable does its helper threads' work on the main thread, so a
 * command counts the same on every run. One run first with the same flags, because V8 ties a code
 * cache to its flags (the first run under new flags writes it again).
 */
function exactInstructions(c: Cmd): number {
  const p = { ...c, args: ['--predictable', ...c.args] };
  runOnce(p);
  return instructions(p, 1);
}

/** Peak resident memory (KiB) of a node command, read by a tiny preload at exit. */
function peakRss(c: Cmd): number {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { stderr } = runOnce({ ...c, args: ['--require', RSS, ...c.args] });
    const m = /maxrss=(\d+)/.exec(stderr);
    if (!m) throw new Error(`no maxrss from ${c.args.join(' ')}: ${stderr}`);
    xs.push(Number(m[1]));
  }
  return median(xs);
}

function credentialsFile(profiles: number, u: OnboardedUser, validUntil: Date): string {
  const filler = Array.from(
    { length: Math.max(0, profiles - 2) },
    (_, i) => `[acct${i}]\n# account ${i}\naws_access_key_id = AKIAFILLER${String(i).padStart(10, '0')}\naws_secret_access_key = filler${i}\nregion = eu-west-1\n`,
  ).join('\n');
  const exp = validUntil.toISOString().slice(0, 19).replace('T', ' ');
  return `${filler}\n[p-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\naws_mfa_device = ${u.deviceArn}\n\n[p]\nassumed_role = False\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\naws_security_token = t\nexpiration = ${exp}\n`;
}

/** In-process cost of reading two profiles from a file of this size (the scanner alone). */
function inProcessRead(text: string): number {
  const reads: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t = process.hrtime.bigint();
    scanProfiles(text, 'credentials', ['p', 'p-long-term']);
    reads.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(reads.slice(2));
}

if (!VALGRIND) {
  console.log('valgrind is not installed: instruction counts are skipped (wall times only).');
  console.log('Install it with: sudo apt-get install valgrind   (Debian/Ubuntu; dnf install valgrind on Fedora)\n');
}

const moto = await startMoto();
const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-bench-'));
try {
  const u = await createUser(moto.endpoint, { userName: 'bench' });
  const homeFor = (name: string, profiles: number) => {
    const home = join(dir, name);
    mkdirSync(join(home, '.aws'), { recursive: true, mode: 0o700 }); // as after chmod 700: no permission warning
    const file = join(home, '.aws', 'credentials');
    const text = credentialsFile(profiles, u, new Date(Date.now() + 6 * 3600_000));
    writeFileSync(file, text, { mode: 0o600 });
    // as users run it: no NODE_EXTRA_CA_CERTS (nor anything else from this shell)
    const env: Env = { PATH: process.env.PATH ?? '', HOME: home, AWS_ENDPOINT_URL: moto.endpoint, AWS_EC2_METADATA_DISABLED: 'true' };
    return { env, file, text, restore: () => writeFileSync(file, text) };
  };
  const two = homeFor('p2', 2);
  const small = homeFor('p10', 10);
  const big = homeFor('p10000', 10_000);
  const changed = homeFor('p10000changed', 10_000);
  const bigRefresh = homeFor('p10000refresh', 10_000);
  const devices = homeFor('devices', 2);
  const onboarding = homeFor('init', 2);
  // a role profile of the config (role_arn, source_profile = p) whose role session is kept, valid, in the
  // private cache folder
  const role = homeFor('role', 2);
  const roleArn = 'arn:aws:iam::123456789012:role/bench';
  writeFileSync(join(role.env.HOME!, '.aws', 'config'), `[profile r]\nrole_arn = ${roleArn}\nsource_profile = p\n`);
  const sessions = join(role.env.HOME!, '.cache', 'aws-mfa', 'sessions');
  mkdirSync(sessions, { recursive: true, mode: 0o700 });
  const expiration = new Date(Date.now() + 6 * 3600_000).toISOString();
  const kept = { version: 1, role: roleArn, source: 'p', accessKeyId: 'ASIAROLE', secretAccessKey: 's', sessionToken: 't' };
  writeFileSync(join(sessions, 'role-r.json'), JSON.stringify({ ...kept, expiration }), { mode: 0o600 });
  const aws = findTool('aws');
  // a large file is checked in full once after each change, then noted (src/io/scan-notes.ts) if it
  // has not changed for a few seconds: wait for that, so the warm-up runs note it as a user's runs would
  await new Promise((r) => setTimeout(r, NOTE_AGE_MS + 500));
  const node = process.execPath;

  const paths = {
    floor: { cmd: node, args: ['-e', '0'], env: two.env },
    cached: { cmd: node, args: [BIN, '--profile', 'p'], env: two.env },
    credentialProcess: { cmd: node, args: [BIN, 'credential-process', '--profile', 'p'], env: two.env },
    roleCredentialProcess: { cmd: node, args: [BIN, 'credential-process', '--profile', 'r'], env: role.env },
    cached10000: { cmd: node, args: [BIN, '--profile', 'p'], env: big.env },
    // the first check after the file changed (rewritten before each run): the full check
    cached10000Changed: { cmd: node, args: [BIN, '--profile', 'p'], env: changed.env, prepare: changed.restore },
  } satisfies Record<string, Cmd>;
  const refresh = (h: typeof small): Cmd => ({ cmd: node, args: [BIN, '--profile', 'p', '--force', '--token', '123456'], env: h.env, prepare: h.restore });
  const refreshes = {
    refresh10: refresh(small),
    refresh10000: refresh(bigRefresh),
    awsCli: {
      cmd: aws,
      args: ['sts', 'get-session-token', '--serial-number', u.deviceArn, '--token-code', '123456', '--region', 'us-east-1'],
      env: { ...small.env, AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey },
    },
  } satisfies Record<string, Cmd>;
  // the commands that call both STS and IAM (so load both SDK chunks and the core they share)
  const both = {
    deviceList: { cmd: node, args: [BIN, 'device', 'list', '--profile', 'p', '--json'], env: devices.env },
    init: {
      cmd: node,
      args: [BIN, 'init', '--profile', 'i', '--access-key-id', u.accessKeyId, '--secret-access-key-stdin', '--token', '123456'],
      env: onboarding.env,
      input: `${u.secretAccessKey}\n`,
      prepare: () => writeFileSync(onboarding.file, ''),
    },
  } satisfies Record<string, Cmd>;

  const st = rounds(paths, RUNS * 2);
  const rf = rounds(refreshes, 10);
  const sdk = rounds(both, 10);
  const rss = { floor: peakRss(paths.floor), cached: peakRss(paths.cached), credentialProcess: peakRss(paths.credentialProcess) };
  const inProcess = { 10: inProcessRead(small.text), 10000: inProcessRead(big.text) };
  const ins = VALGRIND
    ? {
        floor: instructions(paths.floor),
        cached: instructions(paths.cached),
        credentialProcess: instructions(paths.credentialProcess),
        cached10000: instructions(paths.cached10000),
        cached10000Changed: instructions(paths.cached10000Changed),
        refresh10: instructions(refreshes.refresh10, Math.min(IRUNS, 3)),
        refresh10000: instructions(refreshes.refresh10000, Math.min(IRUNS, 3)),
        deviceList: instructions(both.deviceList, 1),
        init: instructions(both.init, 1),
      }
    : undefined;
  // after the plain counts: these runs leave code caches made under --predictable behind
  const exact = VALGRIND
    ? { floor: exactInstructions(paths.floor), cached: exactInstructions(paths.cached), credentialProcess: exactInstructions(paths.credentialProcess), cached10000: exactInstructions(paths.cached10000) }
    : undefined;

  const wallMs = Object.fromEntries(Object.entries({ ...st, ...rf, ...sdk }).map(([k, v]) => [k, median(v)]));
  const run = {
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), date: new Date().toISOString() },
    method: `wall: ${RUNS * 2} interleaved rounds (refreshes, device list, init: 10) after ${WARMUP} warm-up rounds, ratios = median of per-round ratios; instructions: valgrind callgrind, median of ${IRUNS} runs (refreshes: ${Math.min(IRUNS, 3)}; device list, init: 1); exact: one run with node --predictable after one with the same flags; no NODE_EXTRA_CA_CERTS`,
    bin: BIN,
    entryBytes: statSync(BIN).size,
    wallMs,
    wallRatio: {
      cachedVsFloor: pairRatio(st.cached, st.floor),
      credentialProcessVsFloor: pairRatio(st.credentialProcess, st.floor),
      roleCredentialProcessVsFloor: pairRatio(st.roleCredentialProcess, st.floor),
      cached10000VsFloor: pairRatio(st.cached10000, st.floor),
      cached10000ChangedVsFloor: pairRatio(st.cached10000Changed, st.floor),
      awsCliVsRefresh: pairRatio(rf.awsCli, rf.refresh10),
      refresh10000Minus10Ms: pairDiff(rf.refresh10000, rf.refresh10),
    },
    instructions: ins,
    instructionRatio: ins && {
      cachedVsFloor: ins.cached / ins.floor,
      credentialProcessVsFloor: ins.credentialProcess / ins.floor,
      cached10000VsFloor: ins.cached10000 / ins.floor,
      cached10000ChangedVsFloor: ins.cached10000Changed / ins.floor,
      refresh10000VsRefresh10: ins.refresh10000 / ins.refresh10,
    },
    exactInstructions: exact,
    exactRatio: exact && {
      cachedVsFloor: exact.cached / exact.floor,
      credentialProcessVsFloor: exact.credentialProcess / exact.floor,
      cached10000VsFloor: exact.cached10000 / exact.floor,
    },
    peakRssKiB: rss,
    peakRssRatio: { cachedVsFloor: rss.cached / rss.floor, credentialProcessVsFloor: rss.credentialProcess / rss.floor },
    inProcessReadMs: inProcess,
  };

  const f = (x: number) => x.toFixed(1);
  const x = (r: number | undefined) => (r === undefined ? '' : `${r.toFixed(2)}x`);
  const mi = (n: number | undefined) => (n === undefined ? 'n/a' : `${(n / 1e6).toFixed(1)} M`);
  const wr = run.wallRatio;
  const ir = run.instructionRatio;
  const er = run.exactRatio;
  const rows: string[][] = [
    ['path', 'wall', 'vs floor', 'instructions', 'vs floor', 'exact', 'target (instr / wall)'],
    ['node -e 0 (the floor)', `${f(wallMs.floor!)} ms`, '1.00x', mi(ins?.floor), ins ? '1.00x' : '', exact ? '1.00x' : '', ''],
    ['cached session check, 2 profiles', `${f(wallMs.cached!)} ms`, x(wr.cachedVsFloor), mi(ins?.cached), x(ir?.cachedVsFloor), x(er?.cachedVsFloor), '<= 1.10x / 1.15x'],
    ['cached credential-process', `${f(wallMs.credentialProcess!)} ms`, x(wr.credentialProcessVsFloor), mi(ins?.credentialProcess), x(ir?.credentialProcessVsFloor), x(er?.credentialProcessVsFloor), '<= 1.10x / 1.15x'],
    ['cached role credential-process (config role)', `${f(wallMs.roleCredentialProcess!)} ms`,
      x(wr.roleCredentialProcessVsFloor), '', '', '', '<= 1.20x wall'],
    ['cached check, 10,000 profiles', `${f(wallMs.cached10000!)} ms`, x(wr.cached10000VsFloor), mi(ins?.cached10000), x(ir?.cached10000VsFloor), x(er?.cached10000VsFloor), '<= 1.20x / 1.25x'],
    ['  first check after the file changed', `${f(wallMs.cached10000Changed!)} ms`, x(wr.cached10000ChangedVsFloor), mi(ins?.cached10000Changed), x(ir?.cached10000ChangedVsFloor), '', ''],
    ['peak RSS, cached (floor ' + (rss.floor / 1024).toFixed(1) + ' MiB)', `${(rss.cached / 1024).toFixed(1)} MiB`, x(run.peakRssRatio.cachedVsFloor), '', '', '', '<= 1.2x'],
    ['full refresh (moto), 10 profiles', `${f(wallMs.refresh10!)} ms`, '', mi(ins?.refresh10), '', '', ''],
    ['aws sts get-session-token (same moto)', `${f(wallMs.awsCli!)} ms`, `${wr.awsCliVsRefresh.toFixed(2)}x the refresh`, '', '', '', 'refresh >= 5x faster'],
    ['full refresh, 10,000 profiles', `${f(wallMs.refresh10000!)} ms`, `+${f(wr.refresh10000Minus10Ms)} ms vs 10`, mi(ins?.refresh10000), ir ? `${ir.refresh10000VsRefresh10.toFixed(2)}x vs 10` : '', '', '<= +50 ms'],
    ['device list (STS and IAM, moto)', `${f(wallMs.deviceList!)} ms`, '', mi(ins?.deviceList), '', '', ''],
    ['init (keys, device found, first session)', `${f(wallMs.init!)} ms`, '', mi(ins?.init), '', '', ''],
    ['in process: scan 2 profiles of 10 / 10,000', `${inProcess[10].toFixed(3)} / ${inProcess[10000].toFixed(2)} ms`, '', '', '', '', ''],
    ['entry dist/aws-mfa.cjs', `${run.entryBytes} B`, '', '', '', '', ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`aws-mfa benchmark, ${run.machine.cpus} CPUs, Node ${process.version}, without NODE_EXTRA_CA_CERTS\n${run.method}\n`);
  for (const r of rows) console.log(r.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());

  // keep the history: the pinned baseline, the run before, and anything else already recorded
  const old = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown>) : {};
  // BENCH_SAVE_AS: another label than "current" (before: the pinned baseline; node22: a run under another Node)
  const saveAs = /^[\w-]+$/.test(process.env.BENCH_SAVE_AS ?? '') ? process.env.BENCH_SAVE_AS! : 'current';
  const out: Record<string, unknown> = 'current' in old || 'before' in old ? { ...old } : { beforeOldMethod: { note: 'aws-mfa 0.1.0, measured with NODE_EXTRA_CA_CERTS set (not comparable)', ...old } };
  if (saveAs === 'current' && out.current) out.previous = out.current;
  out[saveAs] = run;
  writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwritten to ${OUT} as "${saveAs}"`);
} finally {
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
