/**
 * `npm run bench`: start-up and file-size costs of aws-mfa, as medians and as ratios against
 * floors measured in the same run (`node -e 0`, and the AWS CLI's own get-session-token against the
 * same local moto_server). Prints one table and writes bench/results.json. No test asserts on
 * these numbers: they are for people and for comparing runs over time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from '../test/helpers/moto.js';
import { findTool } from '../test/helpers/tools.js';
import { createUser, type OnboardedUser } from '../test/helpers/onboard.js';
import { IniDocument } from '../src/ini/document.js';
import { writeProfile, profileFilter } from '../src/ini/write-profile.js';
import { scanProfiles } from '../src/ini/scan.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'dist', 'aws-mfa.cjs');
const RSS = join(ROOT, 'bench', 'rss.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function time(cmd: string, args: string[], env: Record<string, string>, runs = RUNS, prepare?: () => void): number {
  const ts: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    prepare?.();
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const dt = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    if (i >= WARMUP) ts.push(dt);
  }
  return median(ts);
}

type Cmd = [string, string[], Record<string, string>];

function interleaved<K extends string>(cmds: Record<K, Cmd>, runs = RUNS * 2): Record<K, number> {
  const keys = Object.keys(cmds) as K[];
  const ts = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let i = 0; i < WARMUP + runs; i++) {
    for (const k of keys) {
      const [cmd, args, env] = cmds[k];
      const t = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const dt = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      if (i >= WARMUP) ts[k].push(dt);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, median(ts[k])])) as Record<K, number>;
}

/** Peak resident memory (KiB) of a node command, read by a tiny preload at exit. */
function peakRss(args: string[], env: Record<string, string>): number {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--require', RSS, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const m = /maxrss=(\d+)/.exec(r.stderr);
    if (!m) throw new Error(`no maxrss from ${args.join(' ')}: ${r.stderr}`);
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

/** In-process cost of reading one profile and of updating one, on a file of this size. */
function inProcess(text: string): { readMs: number; updateMs: number } {
  const reads: number[] = [];
  const updates: number[] = [];
  for (let i = 0; i < 12; i++) {
    let t = process.hrtime.bigint();
    scanProfiles(text, 'credentials', ['p', 'p-long-term']);
    reads.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    // as the locked update does it: validate with the scanner, classify only the profile written
    if (scanProfiles(text, 'credentials', []).issue) throw new Error('bench file does not parse');
    const d2 = IniDocument.parseFocused(text, profileFilter('p', 'credentials'));
    writeProfile(d2, 'p', 'credentials', [['aws_session_token', `new${i}`], ['expiration', '2030-01-01 00:00:00']]);
    d2.toString();
    updates.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { readMs: median(reads.slice(2)), updateMs: median(updates.slice(2)) };
}

const moto = await startMoto();
const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-bench-'));
try {
  const u = await createUser(moto.endpoint, { userName: 'bench' });
  const homeFor = (name: string, profiles: number) => {
    const home = join(dir, name);
    mkdirSync(join(home, '.aws'), { recursive: true });
    const file = join(home, '.aws', 'credentials');
    const text = credentialsFile(profiles, u, new Date(Date.now() + 6 * 3600_000));
    writeFileSync(file, text, { mode: 0o600 });
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, AWS_ENDPOINT_URL: moto.endpoint, AWS_EC2_METADATA_DISABLED: 'true' };
    if (process.env.NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
    return { env, file, text };
  };
  const small = homeFor('p10', 10);
  const mid = homeFor('p1000', 1000);
  const big = homeFor('p10000', 10_000);
  const aws = findTool('aws');

  // start-up figures are measured interleaved (one run of each per round), so that drift in the
  // machine's load hits the floor and the candidates alike
  const startup = interleaved({
    floor: [process.execPath, ['-e', '0'], small.env],
    cached: [process.execPath, [BIN, '--profile', 'p'], small.env],
    credentialProcess: [process.execPath, [BIN, 'credential-process', '--profile', 'p'], small.env],
    cachedMid: [process.execPath, [BIN, '--profile', 'p'], mid.env],
    cachedBig: [process.execPath, [BIN, '--profile', 'p'], big.env],
  });
  const { floor, cached, cachedMid, cachedBig, credentialProcess } = startup;
  const refresh = (h: typeof small) => time(process.execPath, [BIN, '--profile', 'p', '--force', '--token', '123456'], h.env, 10, () => writeFileSync(h.file, h.text));
  const refreshSmall = refresh(small);
  const refreshMid = refresh(mid);
  const refreshBig = refresh(big);
  const awsCli = time(aws, ['sts', 'get-session-token', '--serial-number', u.deviceArn, '--token-code', '123456', '--region', 'us-east-1'], {
    ...small.env,
    AWS_ACCESS_KEY_ID: u.accessKeyId,
    AWS_SECRET_ACCESS_KEY: u.secretAccessKey,
  }, 10);
  const rssFloor = peakRss(['-e', '0'], small.env);
  const rssCached = peakRss([BIN, '--profile', 'p'], small.env);
  const rssCp = peakRss([BIN, 'credential-process', '--profile', 'p'], small.env);
  const ip = { 10: inProcess(small.text), 1000: inProcess(mid.text), 10000: inProcess(big.text) };

  const results = {
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), date: new Date().toISOString() },
    runs: RUNS,
    ms: {
      floorNode: floor,
      cachedSession: cached,
      cachedCredentialProcess: credentialProcess,
      cachedSession1000Profiles: cachedMid,
      cachedSession10000Profiles: cachedBig,
      refresh10Profiles: refreshSmall,
      refresh1000Profiles: refreshMid,
      refresh10000Profiles: refreshBig,
      awsCliGetSessionToken: awsCli,
      inProcessRead: { 10: ip[10].readMs, 1000: ip[1000].readMs, 10000: ip[10000].readMs },
      inProcessUpdate: { 10: ip[10].updateMs, 1000: ip[1000].updateMs, 10000: ip[10000].updateMs },
    },
    peakRssKiB: { floorNode: rssFloor, cachedSession: rssCached, cachedCredentialProcess: rssCp },
    ratios: {
      cachedSessionVsNode: cached / floor,
      cachedCredentialProcessVsNode: credentialProcess / floor,
      cached10000ProfilesVsNode: cachedBig / floor,
      awsCliVsRefresh: awsCli / refreshSmall,
      refresh10000Minus10Ms: refreshBig - refreshSmall,
      cached10000vs10: cachedBig / cached,
      peakRssCachedVsNode: rssCached / rssFloor,
      peakRssCredentialProcessVsNode: rssCp / rssFloor,
    },
  };
  const f = (x: number) => x.toFixed(1);
  const rows: Array<[string, string, string]> = [
    ['node -e 0 (floor)', `${f(floor)} ms`, '1.00x'],
    ['aws-mfa --profile p (cached, 10 profiles)', `${f(cached)} ms`, `${(cached / floor).toFixed(2)}x floor`],
    ['aws-mfa credential-process (cached)', `${f(credentialProcess)} ms`, `${(credentialProcess / floor).toFixed(2)}x floor`],
    ['aws-mfa --profile p (cached), 1,000 profiles', `${f(cachedMid)} ms`, `${(cachedMid / floor).toFixed(2)}x floor`],
    ['aws-mfa --profile p (cached), 10,000 profiles', `${f(cachedBig)} ms`, `${(cachedBig / floor).toFixed(2)}x floor`],
    ['aws-mfa --force (refresh, moto), 10 profiles', `${f(refreshSmall)} ms`, `${(awsCli / refreshSmall).toFixed(2)}x faster than aws CLI`],
    ['  same, 1,000 profiles', `${f(refreshMid)} ms`, `+${f(refreshMid - refreshSmall)} ms vs 10`],
    ['  same, 10,000 profiles', `${f(refreshBig)} ms`, `+${f(refreshBig - refreshSmall)} ms vs 10`],
    ['aws sts get-session-token (moto)', `${f(awsCli)} ms`, 'reference'],
    ['scan two profiles (read path), 10 / 1,000 / 10,000', `${ip[10].readMs.toFixed(2)} / ${ip[1000].readMs.toFixed(2)} / ${ip[10000].readMs.toFixed(2)} ms`, `${(ip[10000].readMs / ip[1000].readMs).toFixed(1)}x for 10x profiles`],
    ['validate, focus, write a session, serialise (update)', `${ip[10].updateMs.toFixed(2)} / ${ip[1000].updateMs.toFixed(2)} / ${ip[10000].updateMs.toFixed(2)} ms`, `${(ip[10000].updateMs / ip[1000].updateMs).toFixed(1)}x for 10x profiles`],
    ['peak RSS: node -e 0 / cached aws-mfa', `${(rssFloor / 1024).toFixed(1)} / ${(rssCached / 1024).toFixed(1)} MiB`, `${(rssCached / rssFloor).toFixed(2)}x floor`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`aws-mfa benchmark: medians of ${RUNS} runs after ${WARMUP} warm-up runs (refreshes: 10), ${results.machine.cpus} CPUs, Node ${process.version}\n`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  const out = join(ROOT, 'bench', 'results.json');
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten to ${out}`);
} finally {
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
