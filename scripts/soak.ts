/**
 * `npm run soak [-- --seconds N --profiles N]`: the crash-and-fault soak. Hundreds of refreshes
 * of the built binary against moto_server, on a credentials file with thousands of profiles,
 * several processes at once, random kill -9, and random dropped connections through a relay.
 * After every step it checks the invariants, and at the end prints the counts; any violation
 * makes it exit 1. `--short` is the form npm test runs (test/e2e/soak.test.ts): 15 s on 2,000
 * profiles. Either form goes on past its time until each kind of event (a completed refresh, a
 * kill, a dropped connection, concurrent runs) has happened at least once, up to four times its
 * time, so a short run cannot pass without having tested them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startMoto } from '../test/helpers/moto.js';
import { startFaultRelay } from '../test/helpers/net.js';
import { createUser } from '../test/helpers/onboard.js';
import { IniDocument } from '../src/ini/document.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, profiles: { type: 'string' }, short: { type: 'boolean' } } });
const SECONDS = Number(values.seconds ?? (values.short ? 15 : 300));
const PROFILES = Number(values.profiles ?? (values.short ? 2000 : 5000));
const MANAGED = 16;
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'aws-mfa.cjs');

const moto = await startMoto();
const relay = await startFaultRelay(moto.endpoint);
const home = mkdtempSync(join(tmpdir(), 'aws-mfa-soak-'));
const awsDir = join(home, '.aws');
const file = join(awsDir, 'credentials');
const counts = { steps: 0, runs: 0, refreshes: 0, kills: 0, faults: 0, concurrentRuns: 0, failedRuns: 0, violations: 0 };
const violations: string[] = [];
const violation = (m: string) => {
  counts.violations++;
  if (violations.length < 20) violations.push(m);
};

try {
  mkdirSync(awsDir, { mode: 0o700 });
  const u = await createUser(moto.endpoint, { userName: 'soak' });
  const managed = Array.from({ length: MANAGED }, (_, i) => `m${i}`);
  const filler = Array.from({ length: PROFILES }, (_, i) => `[acct${i}]\n# account ${i}\naws_access_key_id = AKIAFILLER${String(i).padStart(10, '0')}\nregion = eu-west-1\n`);
  const longTerms = managed.map((m) => `[${m}-long-term]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\naws_mfa_device = ${u.deviceArn}\n`);
  // managed profiles interleaved with the filler, so writes land all over the file
  const parts: string[] = [];
  filler.forEach((f, i) => {
    parts.push(f);
    if (i % Math.floor(PROFILES / MANAGED) === 0 && longTerms.length) parts.push(longTerms.shift()!);
  });
  parts.push(...longTerms);
  writeFileSync(file, parts.join('\n'), { mode: 0o600 });
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, AWS_ENDPOINT_URL: relay.endpoint, AWS_MFA_RETRY_BASE_MS: '20', AWS_EC2_METADATA_DISABLED: 'true' };
  if (process.env.NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;

  const sectionText = (doc: IniDocument, name: string) =>
    doc
      .sectionSpans(name)
      .map((s) => doc.lines.slice(s.header, s.end).map((l) => l.text + l.eol).join('').replace(/[\r\n]*$/, ''))
      .join('\u0000');
  const fixedPart = (doc: IniDocument) => doc.spans().filter((s) => !managed.includes(s.name)).map((s) => sectionText(doc, s.name)).join('\u0001');
  const baseline = IniDocument.parse(readFileSync(file, 'utf8'));
  const fixed = fixedPart(baseline);

  relay.setDropRate(0.15);
  const deadline = Date.now() + SECONDS * 1000;
  const cap = Date.now() + 4 * SECONDS * 1000;
  const allSeen = () => counts.refreshes > 0 && counts.kills > 0 && counts.faults > 0 && counts.concurrentRuns > 0;
  while (Date.now() < deadline || (!allSeen() && Date.now() < cap)) {
    counts.steps++;
    const before = IniDocument.parse(readFileSync(file, 'utf8'));
    const n = 1 + Math.floor(Math.random() * 4);
    const targets = [...managed].sort(() => Math.random() - 0.5).slice(0, n);
    if (n > 1) counts.concurrentRuns += n;
    const droppedBefore = relay.dropped;
    await Promise.all(
      targets.map(
        (t) =>
          new Promise<void>((resolve) => {
            counts.runs++;
            const child = spawn(process.execPath, [BIN, '--profile', t, '--force', '--token', '123456', '--duration', String(900 + Math.floor(Math.random() * 3600))], { env, stdio: 'ignore' });
            const kill = Math.random() < 0.3 ? setTimeout(() => child.kill('SIGKILL'), 50 + Math.random() * 700) : undefined;
            child.on('exit', (code, signal) => {
              if (kill) clearTimeout(kill);
              if (signal === 'SIGKILL') counts.kills++;
              else if (code === 0) counts.refreshes++;
              else counts.failedRuns++; // e.g. every retry dropped: a clean failure, checked below
              resolve();
            });
          }),
      ),
    );
    counts.faults += relay.dropped - droppedBefore;
    // the invariants
    let doc: IniDocument;
    try {
      doc = IniDocument.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      violation(`step ${counts.steps}: cannot read the file: ${(e as Error).message}`);
      continue;
    }
    if (doc.issues.length > 0) violation(`step ${counts.steps}: the file does not parse: ${JSON.stringify(doc.issues[0])}`);
    if (fixedPart(doc) !== fixed) violation(`step ${counts.steps}: a profile the tool did not target changed`);
    for (const m of managed) {
      const was = sectionText(before, m);
      const now = sectionText(doc, m);
      if (was === now) continue;
      if (!targets.includes(m)) {
        violation(`step ${counts.steps}: [${m}] changed but was not targeted`);
        continue;
      }
      const e = doc.entries(m);
      const complete = ['assumed_role', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token', 'expiration'].every((k) => e.get(k));
      if (!complete || e.get('aws_session_token') !== e.get('aws_security_token') || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(e.get('expiration') ?? '')) {
        violation(`step ${counts.steps}: [${m}] is neither the old nor a complete new session`);
      }
    }
    for (const f of readdirSync(awsDir)) {
      if (f === 'credentials') continue;
      const age = Date.now() - statSync(join(awsDir, f)).mtimeMs;
      if (age > 30_000) violation(`step ${counts.steps}: ${f} left behind for ${Math.round(age / 1000)} s`);
    }
  }
  // one last clean write clears whatever killed writers left (a stale lock after 5 s, temporaries)
  relay.setDropRate(0);
  await new Promise((r) => setTimeout(r, 5_500));
  await new Promise<void>((resolve) => spawn(process.execPath, [BIN, '--profile', managed[0]!, '--force', '--token', '123456'], { env, stdio: 'ignore' }).on('exit', () => resolve()));
  const left = readdirSync(awsDir).filter((f) => f !== 'credentials');
  if (left.length > 0) violation(`after the soak: left behind: ${left.join(', ')}`);
} finally {
  await relay.stop();
  await moto.stop();
  rmSync(home, { recursive: true, force: true });
}
console.log(
  `soak: ${SECONDS} s, ${PROFILES} profiles, ${counts.steps} steps, ${counts.runs} runs: ${counts.refreshes} refreshes, ${counts.kills} kills, ${counts.faults} dropped connections, ${counts.concurrentRuns} concurrent runs, ${counts.failedRuns} clean failures, ${counts.violations} violations`,
);
for (const v of violations) console.log(`  violation: ${v}`);
process.exitCode = counts.violations > 0 ? 1 : 0;
