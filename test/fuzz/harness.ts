/**
 * Fuzzing the parser and the whole CLI. Inputs: random bytes, invalid UTF-8, NUL bytes, huge
 * lines, deep continuation blocks, 100,000 sections, and mutations of a seed corpus of real
 * layouts (test/fuzz/corpus). Properties: no uncaught exception (only the CLI's documented
 * errors), bounded time per input, and no file written that does not parse cleanly or that
 * changed anything but the targeted profile.
 *
 * The CLI runs in process (main() with a context of its own: a temporary HOME, no terminal, and
 * an AWS stand-in that answers at once), so that 100,000 runs take minutes, not hours.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IniDocument } from '../../src/ini/document.js';
import { readView, ProfileSyntaxError } from '../../src/ini/profiles.js';
import { firstIssue, scanProfiles } from '../../src/ini/scan.js';
import { writeProfile } from '../../src/ini/write-profile.js';
import { decode } from '../../src/io/store.js';
import { isCliError } from '../../src/errors.js';
import { Logger } from '../../src/io/terminal.js';
import { main } from '../../src/cli.js';
import type { Context } from '../../src/context.js';
import { codeSource } from '../../src/io/code-source.js';
import { COMMANDS } from '../../src/commands/registry.js';
import type { AwsApi } from '../../src/aws/index.js';

const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');
export const corpus: string[] = readdirSync(CORPUS_DIR).map((f) => readFileSync(join(CORPUS_DIR, f), 'latin1'));

const fragments = ['[', ']', '=', ' ', '\t', '\n', '\r\n', '\r', '#', ';', '[p]', '[p-long-term]', '[profile p]', '[default]', 'aws_session_token', 'expiration', 'x = y', '  k = v', '\u0000', '\uFEFF', '\u00e9', '\uD800', 'ÿ'];

/** Insert, delete and replace runs of characters at random places in a seed. */
const mutated = fc
  .tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 }))), { maxLength: 8 }))
  .map(([seed, edits]) => {
    let s = seed;
    for (const [at, del, ins] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });

const randomBytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'));
const fromFragments = fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((a) => a.join(''));

/** Bytes, as the file would hold them (latin1-encoded string of bytes). */
export const inputs: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: mutated.map((s) => Buffer.from(s, 'utf8').toString('latin1')) },
  { weight: 2, arbitrary: randomBytes },
  { weight: 3, arbitrary: fromFragments.map((s) => Buffer.from(s, 'utf8').toString('latin1')) },
);

/** The big ones, each once: they test time, not variety. */
export function bigInputs(): Array<{ name: string; bytes: Buffer }> {
  const sections = Array.from({ length: 100_000 }, (_, i) => `[s${i}]\nk = ${i}\n`).join('');
  return [
    { name: '100,000 sections', bytes: Buffer.from(`[p-long-term]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n${sections}`) },
    { name: 'a 4 MB line', bytes: Buffer.from(`[p]\nk = ${'x'.repeat(4 << 20)}\n`) },
    { name: '50,000 continuation lines', bytes: Buffer.from(`[p]\ns3 =\n${'  k = v\n'.repeat(50_000)}`) },
    { name: '1 MB of NUL bytes', bytes: Buffer.alloc(1 << 20) },
    { name: 'invalid UTF-8 everywhere', bytes: Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i % 3 === 0 ? 0xff : 0x41))) },
  ];
}

export interface Outcome {
  /** CPU time (user + system) the input took, in ms: unlike wall-clock time, it does not grow when other processes load the machine. */
  ms: number;
}

/** CPU milliseconds since `start` (a process.cpuUsage() reading). */
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** One parser input: every reader and the writer, with their properties. Throws on a violation. */
export function checkParser(bytes: Buffer, kind: 'credentials' | 'config' = 'credentials'): Outcome {
  const t = process.cpuUsage();
  let text: string;
  try {
    text = decode(bytes, 'fuzz');
  } catch (e) {
    if (!isCliError(e)) throw e; // invalid UTF-8 is a clean, documented error
    return { ms: cpuMsSince(t) };
  }
  const doc = IniDocument.parse(text);
  if (doc.toString() !== text) throw new Error('round trip changed the text');
  const scan = scanProfiles(text, kind, ['p', 'p-long-term', 'default']);
  if (JSON.stringify(scan.issue) !== JSON.stringify(doc.issues[0])) throw new Error('scanner and document disagree on the first error');
  // the same through the native search the scanner uses on large files, and the writer's check
  const native = scanProfiles(text, kind, ['p', 'p-long-term', 'default'], false, 0);
  if (JSON.stringify(native.issue) !== JSON.stringify(doc.issues[0])) throw new Error('searched natively, scanner and document disagree on the first error');
  if (JSON.stringify(firstIssue(text, 0)) !== JSON.stringify(doc.issues[0])) throw new Error('the writer\'s check and the document disagree on the first error');
  const values = (m: Map<string, Map<string, string>>) => JSON.stringify([...m].map(([n, v]) => [n, [...v]]));
  if (!doc.issues[0] && values(native.profiles) !== values(scan.profiles)) throw new Error('searched natively, the scanner read other values');
  try {
    readView(doc, kind);
  } catch (e) {
    if (!(e instanceof ProfileSyntaxError)) throw e;
  }
  if (doc.issues.length === 0) {
    writeProfile(doc, 'p', kind, [['aws_session_token', 'T'], ['expiration', '2030-01-01 00:00:00']], ['assumed_role_arn']);
    const again = IniDocument.parse(doc.toString());
    if (again.issues.length > 0) throw new Error(`a write produced an unparsable file: ${JSON.stringify(again.issues[0])}`);
    if (again.get(kind === 'config' ? 'profile p' : 'p', 'aws_session_token') !== 'T') throw new Error('the written value does not read back');
  }
  return { ms: cpuMsSince(t) };
}

// ---- the whole CLI, in process -------------------------------------------------------------

const fakeAws = (): AwsApi => {
  const session = async () => ({ accessKeyId: 'ASIAFUZZFUZZFUZZFUZZ', secretAccessKey: 'fuzzsecret', sessionToken: 'fuzztoken', expiration: new Date(Date.now() + 3600_000) });
  const no = async () => {
    throw new Error('not available in the fuzz run');
  };
  return {
    getSessionToken: session,
    assumeRole: session,
    getCallerIdentity: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/fuzz', userId: 'AIDAFUZZ' }),
    federationGet: async () => ({ status: 200, body: '{"SigninToken":"t"}' }),
    listMfaDevices: async () => [{ serialNumber: 'arn:aws:iam::123456789012:mfa/fuzz' }],
    createVirtualMfaDevice: no,
    enableMfaDevice: no,
    listVirtualMfaDevices: async () => [],
    deactivateMfaDevice: no,
    deleteVirtualMfaDevice: no,
  } as unknown as AwsApi;
};

export const argvs: string[][] = [
  ['--profile', 'p', '--token', '123456'],
  ['--profile', 'p', '--force', '--token', '123456'],
  ['--profile', 'p'],
  ['-s', 'p-long-term', '-d', 'p', '--token', '123456'],
  ['--profile', 'p', '--long-term-suffix', 'none', '--short-term-suffix', 'x', '--token', '123456'],
  ['export', '--profile', 'p', '--token', '123456', '--format', 'json'],
  ['credential-process', '--profile', 'p', '--token', '123456'],
  ['status', '--json'],
  ['clear', '--profile', 'p'],
  ['whoami', '--profile', 'p', '--token', '123456'],
  ['setup-credential-process', '--profile', 'p'],
  ['--profile', 'p', '--duration', '99999999999999999999', '--token', '123456'],
  ['--profile', '[p]', '--token', '123456'],
  ['--bogus'],
];

export interface CliHarness {
  run(credentials: Buffer, config: Buffer | undefined, argv: string[]): Promise<Outcome & { code: number }>;
  close(): void;
}

/** A reusable in-process CLI with its own temporary HOME. */
export function cliHarness(): CliHarness {
  const home = mkdtempSync(join(tmpdir(), 'aws-mfa-fuzz-'));
  const aws = join(home, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  const credentials = join(aws, 'credentials');
  const config = join(aws, 'config');
  const api = fakeAws();
  return {
    async run(creds, cfg, argv) {
      writeFileSync(credentials, creds, { mode: 0o600 });
      if (cfg) writeFileSync(config, cfg);
      else rmSync(config, { force: true });
      const ctx: Context = {
        env: { HOME: home, AWS_MFA_NO_CODE_CACHE: '1' },
        platform: 'linux',
        homedir: () => home,
        now: () => new Date(),
        log: new Logger('DEBUG', () => {}),
        term: { interactive: false, ask: async () => undefined, readStdinLine: () => '123456' },
        user: () => 'fuzz',
        aws: async () => api,
        codes: (profile, mode) => codeSource(profile, ctx, mode),
        commands: COMMANDS,
        stdout: () => {},
        stderr: () => {},
        colourTerminal: false,
        lang: 'en',
    execPath: process.execPath,
    standalone: false,
    script: '/opt/aws-mfa.cjs',
      };
      const t = process.cpuUsage();
      let code: number;
      try {
        code = await main(argv, ctx);
      } catch (e) {
        if (!isCliError(e)) throw new Error(`uncaught ${(e as Error)?.stack ?? e} for argv ${argv.join(' ')}`);
        code = e.exitCode;
      }
      const ms = cpuMsSince(t);
      const after = readFileSync(credentials);
      if (!after.equals(creds)) checkWritten(creds, after, argv);
      if (existsSync(`${credentials}.lock`)) throw new Error('a lock was left behind');
      return { code, ms };
    },
    close: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** A changed credentials file parses cleanly, and only the targeted profile changed. */
function checkWritten(before: Buffer, after: Buffer, argv: string[]): void {
  const text = after.toString('utf8');
  const doc = IniDocument.parse(text);
  if (doc.issues.length > 0) throw new Error(`the CLI wrote a file that does not parse (${argv.join(' ')}): ${JSON.stringify(doc.issues[0])}`);
  const old = IniDocument.parse(before.toString('utf8'));
  const targets = new Set(['p', 'p-x']);
  // every line outside the targeted sections' header-to-last-property ranges, blank lines aside:
  // writes and removals may change only those ranges (comments after a removed section stay)
  const others = (d: IniDocument) => {
    const drop = new Set<number>();
    for (const sp of d.spans()) {
      if (!targets.has(sp.name)) continue;
      let last = sp.header;
      for (let i = sp.header + 1; i < sp.end; i++) if (['property', 'continuation', 'invalid'].includes(d.lines[i]!.kind)) last = i;
      for (let i = sp.header; i <= last; i++) drop.add(i);
    }
    return d.lines.filter((l, i) => !drop.has(i) && l.kind !== 'blank').map((l) => l.text).join('\n');
  };
  if (others(doc) !== others(old)) throw new Error(`the CLI changed more than the targeted profile (${argv.join(' ')})`);
  const p = doc.entries('p');
  if (p.size > 0 && p.get('aws_session_token') && p.get('aws_session_token') !== p.get('aws_security_token')) throw new Error('the token pair is out of step');
}

/** The whole-CLI fuzz loop: `runs` runs on fuzzed files and argument lists; throws on a violation. */
export async function fuzzCli(runs: number, seed?: number): Promise<{ codes: Map<number, number>; slowest: number }> {
  const h = cliHarness();
  const codes = new Map<number, number>();
  let slowest = 0;
  try {
    await fc.assert(
      fc.asyncProperty(inputs, fc.option(inputs, { nil: undefined }), fc.constantFrom(...argvs), async (creds, cfg, argv) => {
        const r = await h.run(Buffer.from(creds, 'latin1'), cfg === undefined ? undefined : Buffer.from(cfg, 'latin1'), argv);
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        slowest = Math.max(slowest, r.ms);
        if (![0, 2, 3, 4, 5].includes(r.code)) throw new Error(`exit ${r.code} for ${argv.join(' ')}`);
      }),
      { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
    );
  } finally {
    h.close();
  }
  return { codes, slowest };
}
