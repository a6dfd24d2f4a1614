/**
 * The cached path loads neither the AWS SDK nor the writer, nor builds a stdio stream: checked by
 * recording every module and bundle chunk the built binary loads. A plain check whose session is
 * still valid is answered by the fast path (dist/fast.cjs) alone, and says exactly what the full
 * program says; anything else reaches the full program. The entry it compiles on every start stays
 * within a size budget. On a large file the full syntax check runs once per change of
 * the file. (How fast it is, is for `npm run bench`, not for a test.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runProcess, runCli, BIN } from '../helpers/cli.js';
import { onboard, createRole } from '../helpers/onboard.js';
import { ROOT } from '../helpers/shared.js';
import { findTool } from '../helpers/tools.js';

const emu = useMoto();
const RECORDER = join(ROOT, 'test', 'fixtures', 'record-modules.cjs');

async function loadedBy(args: string[], env: Record<string, string>, file: string): Promise<string[]> {
  const r = await runProcess(process.execPath, ['--require', RECORDER, BIN, ...args], { env: { ...env, RECORD_MODULES_TO: file }, detached: true });
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

const heavy = (mods: string[]) => mods.filter((m) => /sts\.cjs|iam\.cjs|aws-core\.cjs|write\.cjs|@aws-sdk|@smithy|proper-lockfile|write-file-atomic|^process\./.test(m));

test('a cached session check and a cached credential-process load no SDK and no writer', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'fast');
  const refresh = await loadedBy(['--profile', 'fast', '--token', '123456'], home.env, join(home.dir, 'refresh.txt'));
  assert.ok(heavy(refresh).some((m) => m.endsWith('sts.cjs')), 'a refresh loads the STS chunk (so this test can see it)');
  assert.ok(heavy(refresh).some((m) => m.endsWith('aws-core.cjs')), 'and the SDK core it is built on');
  assert.ok(heavy(refresh).some((m) => m.endsWith('write.cjs')), 'and the writer');
  assert.ok(!heavy(refresh).some((m) => m.endsWith('iam.cjs')), 'but not IAM');
  const help = await loadedBy(['--help'], home.env, join(home.dir, 'help.txt'));
  assert.ok(!help.includes('process.stdout'), 'help is written with fs.writeSync too');
  const file = join(home.dir, 'stream.txt');
  const stream = await runProcess(process.execPath, ['--require', RECORDER, '-e', 'process.stderr.write("")'], { env: { ...home.env, RECORD_MODULES_TO: file } });
  assert.equal(stream.code, 0, stream.stderr);
  assert.ok(readFileSync(file, 'utf8').includes('process.stderr'), 'the recorder sees a stream being built (so this test can)');
  assert.deepEqual(heavy(await loadedBy(['--profile', 'fast'], home.env, join(home.dir, 'cached.txt'))), []);
  assert.deepEqual(heavy(await loadedBy(['credential-process', '--profile', 'fast'], home.env, join(home.dir, 'cp.txt'))), []);
});

test('a command that calls STS and IAM evaluates the SDK core they share once', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'dev');
  const mods = await loadedBy(['device', 'list', '--profile', 'dev'], home.env, join(home.dir, 'devices.txt'));
  const chunks = (name: string) => mods.filter((m) => m.endsWith(`/${name}`)).length;
  assert.deepEqual([chunks('sts.cjs'), chunks('iam.cjs'), chunks('aws-core.cjs')], [1, 1, 1]);
});

const chunksOf = (mods: string[]) => mods.filter((m) => m.endsWith('.cjs') && m !== BIN && m.startsWith(dirname(BIN))).map((m) => m.slice(dirname(BIN).length + 1));
// the numbers of a message (seconds left, times) differ from one second to the next: compare the words
const words = (s: string) => s.replace(/\d+/g, '#');

test('a plain check with a valid session is answered by the fast path alone, as the full program answers it', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, TZ: 'Asia/Tokyo' });
  await onboard(emu.moto.endpoint, home, 'quick');
  assert.equal((await runCli(['--profile', 'quick', '--token', '123456'], { env: home.env })).code, 0);
  // the first plain check finds no cached code for fast.cjs: the full loader compiles it and caches it
  assert.deepEqual(chunksOf(await loadedBy(['--profile', 'quick'], home.env, join(home.dir, 'cold.txt'))), ['fast.cjs', 'loader.cjs']);
  const cases: Array<{ args: string[]; env?: Record<string, string>; mode?: number; chunks?: string[] }> = [
    { args: ['--profile', 'quick'] },
    { args: ['--profile=quick'] },
    { args: ['credential-process', '--profile', 'quick'] },
    { args: ['--profile', 'quick'], env: { LANG: 'ja_JP.UTF-8' } },
    // keys in the environment: the fast path gives up at once, and the program warns with the
    // command for the user's shell (its detection is not compiled on every start)
    { args: ['--profile', 'quick'], env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEFROMENV01' }, chunks: ['fast.cjs', 'main.cjs'] },
    { args: [], env: { AWS_PROFILE: 'quick' } },
    // warnings from reading the files are said too, before the answer
    { args: ['--profile', 'quick'], mode: 0o644 },
    { args: ['credential-process', '--profile', 'quick'], mode: 0o644 },
  ];
  for (const [i, c] of cases.entries()) {
    const env = { ...home.env, ...c.env };
    chmodSync(home.credentials, c.mode ?? 0o600);
    const mods = await loadedBy(c.args, env, join(home.dir, `plain${i}.txt`));
    assert.deepEqual(chunksOf(mods), c.chunks ?? ['fast.cjs'], `${c.args.join(' ')} ${JSON.stringify(c.env ?? {})}: ${chunksOf(mods).join(', ')}`);
    // the same command with a flag that keeps it off the fast path: the full program's answer
    const fast = await runCli(c.args, { env });
    const full = await runCli([...c.args, '--log-level', c.args[0] === 'credential-process' ? 'WARNING' : 'INFO'], { env });
    assert.equal(fast.code, 0, fast.stderr);
    assert.equal(full.code, 0, full.stderr);
    assert.equal(words(fast.stderr), words(full.stderr), `${c.args.join(' ')}: the fast path says what the program says`);
    assert.equal(fast.stdout, full.stdout);
  }
  // the Japanese and the warnings really were said (so the comparisons above compare something)
  const loose = await runCli(['--profile', 'quick'], { env: home.env });
  assert.equal(loose.stderr.split('readable by other users').length, 2, loose.stderr);
  chmodSync(home.credentials, 0o600);
  const ja = await runCli(['--profile', 'quick'], { env: { ...home.env, LANG: 'ja_JP.UTF-8' } });
  assert.match(ja.stderr, /認証情報はまだ有効です/);
  assert.match(ja.stderr, /UTC\+09:00/);
  const shadow = await runCli(['--profile', 'quick'], { env: { ...home.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEFROMENV01' } });
  assert.match(shadow.stderr, /AWS_ACCESS_KEY_ID is set/);
  assert.match(JSON.parse((await runCli(['credential-process', '--profile', 'quick'], { env: home.env })).stdout).Expiration, /Z$/);
});

test('the fast path leaves to the full program what it does not answer, and prints nothing of its own', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'slow');
  assert.equal((await runCli(['--profile', 'slow', '--token', '123456'], { env: home.env })).code, 0);
  // another flag: straight to the program, the fast path not even loaded
  const other = chunksOf(await loadedBy(['--profile', 'slow', '--min-ttl', '60'], home.env, join(home.dir, 'other.txt')));
  assert.ok(other.includes('main.cjs') && !other.includes('fast.cjs'), other.join(', '));
  // a missing profile: the fast path tries and gives up; the program's error and exit code, said once
  const file = join(home.dir, 'nosuch.txt');
  const missing = await runProcess(process.execPath, ['--require', RECORDER, BIN, '--profile', 'nosuch'], { env: { ...home.env, RECORD_MODULES_TO: file } });
  assert.equal(missing.code, 3, missing.stderr);
  const chunks = chunksOf(readFileSync(file, 'utf8').split('\n'));
  assert.deepEqual(chunks.filter((c) => c === 'fast.cjs' || c === 'main.cjs'), ['fast.cjs', 'main.cjs']);
  // the fast path loads no chunk of its own (src/io/chunk-none.ts): the error's hints are the program's, once
  assert.deepEqual(chunks.filter((c) => c === 'hints.cjs'), ['hints.cjs'], chunks.join(', '));
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.match(missing.stderr, /\[nosuch-long-term\] is missing/);
  // an expired session: the fast path gives up, and the program renews it with the code given on stdin
  home.write(home.read().replace(/expiration = .*/, 'expiration = 2020-01-01 00:00:00'));
  const before = (await emu.moto.requests('GetSessionToken')).length;
  const renewed = await runCli(['--profile', 'slow'], { env: home.env, input: '654321\n' });
  assert.equal(renewed.code, 0, renewed.stderr);
  const sent = (await emu.moto.requests('GetSessionToken')).slice(before);
  assert.deepEqual(sent.map((r) => r.params.TokenCode), ['654321']);
  assert.doesNotMatch(home.read(), /expiration = 2020/);
});

test("a role's kept session: credential-process is answered by the fast path alone, as by the program", async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'src');
  const role = await createRole(emu.moto.endpoint, `fast-role-${process.pid}`);
  writeFileSync(home.config, `[profile fastrole]\nrole_arn = ${role}\nsource_profile = src\n`);
  const args = ['credential-process', '--profile', 'fastrole'];
  assert.equal((await runCli([...args, '--token', '123456'], { env: home.env })).code, 0);
  await loadedBy(args, home.env, join(home.dir, 'cold.txt')); // the first run caches fast.cjs's code
  assert.deepEqual(chunksOf(await loadedBy(args, home.env, join(home.dir, 'role.txt'))), ['fast.cjs']);
  const fast = await runCli(args, { env: home.env });
  const full = await runCli([...args, '--log-level', 'WARNING'], { env: home.env });
  assert.equal(fast.code, 0, fast.stderr);
  assert.equal(fast.stdout, full.stdout);
  // the session command's answer for a role is the program's (it says how to use a role session)
  const session = await loadedBy(['--profile', 'fastrole'], home.env, join(home.dir, 'cmd.txt'));
  assert.deepEqual(chunksOf(session).slice(0, 3), ['fast.cjs', 'main.cjs', 'role-loader.cjs']);
});

// dist/aws-mfa.cjs only loads the fast path or the program from the V8 code cache (the hit; the
// full loader, loader.cjs, does the rest); Node compiles it on every start, and a start without a
// usable cache compiles the others, so each is held to a budget (README, Performance): the entry
// stays the cache's hit, the fast path holds only the plain check, and the program only the cached
// paths (commands are chunks). Raised at the stop of issues 22 and 23 (36,000 and 86,000 before):
// the hardware-serial and AWS-value rules, the notes' whole-section check and the Windows console
// writes are on the cached path, the early read is handed on to the program, and the English catalog
// in the program gained the keychain-id, add-on, first-step, proxy and AWS-value messages; the exact
// instruction counts of the cached paths were measured within 1% of the stop before (README, Performance).
// Issue 26 added its English messages to the program (the prompt drivers 1.7 kB, the credentials
// endpoint 2.4 kB, the refresh lock); issue 25's role profiles raised both (37,500 and 95,000 before):
// the fast path answers a role's credential-process from its kept session (io/role-cache.ts), and the
// program gained the role messages; the role chain itself is a chunk (role-loader.cjs). Exact
// instruction counts of the cached paths: README, Performance. The noted sections' line-start check
// (a range starting inside a line is not a section: a security review's finding) raised the fast
// path from 39,500. The BOM warning gained Notepad's fix in both languages (it is the one warning about a
// BOM, and the fast path gives it), the renewal it suggests repeats the options that chose the session, and
// a profile name the SDKs would ignore is refused (core/names.ts suggestSession, checkName): the fast path
// from 39,800. The keychain entries' owner messages (a copied file cannot use its original's entry) and the
// new users' findings (status's commands to run, help's sources, the code retries, the hints of a misplaced
// argument) raised the program's English catalog from 106,000. The region of [profile S] for
// `-s S-long-term` (the keys init moved) is read where the profile is resolved: 41,100 and 112,000
// (exact instructions of the cached paths +0.02%). The program from 112,000: the terminal says how a
// code prompt ended on the screen when stderr is a file, and a run waiting for another's prompt says
// so when Ctrl-C ends it (both messages in the program's English catalog); and the command line as
// typed is kept for the hints that offer it again (exec's program apart): 112,800 (exact instructions
// of the cached paths within 0.02% of the stop before). Then 113,300: the English catalog's new hints
// (no profile named, a misspelt AWS_PROFILE set right, the keyring's --replace unlock), ~520 bytes of text.
const LOADER_BUDGET_BYTES = 4_096;
const FAST_BUDGET_BYTES = 41_100;
const PROGRAM_BUDGET_BYTES = 113_300;

test(`the entry stays a loader (${LOADER_BUDGET_BYTES} bytes), the fast path (${FAST_BUDGET_BYTES}) and the program (${PROGRAM_BUDGET_BYTES}) within their budgets`, () => {
  const loader = statSync(BIN).size;
  assert.ok(loader <= LOADER_BUDGET_BYTES, `dist/aws-mfa.cjs is ${loader} bytes, over ${LOADER_BUDGET_BYTES}: it should only load dist/fast.cjs or dist/main.cjs from the code cache (anything else is loader.cjs's)`);
  const fast = statSync(join(dirname(BIN), 'fast.cjs')).size;
  assert.ok(fast <= FAST_BUDGET_BYTES, `dist/fast.cjs is ${fast} bytes, over the budget of ${FAST_BUDGET_BYTES}: it should hold only the plain check's path`);
  // the fast path carries only the cached path's messages, the program all of them
  const unknownCommand = 'unknown command "{command}"';
  assert.ok(!readFileSync(join(dirname(BIN), 'fast.cjs'), 'utf8').includes(unknownCommand));
  assert.ok(readFileSync(join(dirname(BIN), 'main.cjs'), 'utf8').includes(unknownCommand));
  // nor the chunk loader (it loads no chunk: src/io/chunk-none.ts), which the entry and loader.cjs have
  const hasLoader = (f: string) => readFileSync(join(dirname(BIN), f), 'utf8').includes('createCachedData');
  assert.ok(!hasLoader('fast.cjs') && hasLoader('loader.cjs'));
  const program = statSync(join(dirname(BIN), 'main.cjs')).size;
  assert.ok(program <= PROGRAM_BUDGET_BYTES, `dist/main.cjs is ${program} bytes, over the budget of ${PROGRAM_BUDGET_BYTES}: move code the cached path does not run into a chunk`);
});

/**
 * What one run reads of `file` (strace): the bytes read through every descriptor opened on it, and
 * the offsets of its positioned reads.
 */
async function readsOf(file: string, args: string[], env: Record<string, string>): Promise<{ total: number; at: number[] }> {
  const log = join(dirname(file), `strace-${Date.now()}.log`);
  const trace = ['-f', '-qq', '-e', 'trace=openat,read,pread64', '-o', log, process.execPath, BIN, ...args];
  const r = await runProcess(findTool('strace'), trace, { env });
  assert.equal(r.code, 0, r.stderr);
  const fds = new Set<string>();
  let total = 0;
  const at: number[] = [];
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const opened = new RegExp(`openat\\(AT_FDCWD, "${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}", O_RDONLY.*\\) = (\\d+)$`).exec(line);
    if (opened) fds.add(opened[1]!);
    const read = /(?:^|\s)(read|pread64)\((\d+), .*?(?:, (\d+))? = (\d+)$/.exec(line);
    if (read && fds.has(read[2]!)) {
      total += Number(read[4]);
      if (read[1] === 'pread64') at.push(Number(/, (\d+)\) = \d+$/.exec(line)![1]));
    }
  }
  return { total, at };
}

test('a large file is checked in full once per change: a syntax error added later is still found', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  await onboard(emu.moto.endpoint, home, 'big');
  const session = await runCli(['--profile', 'big', '--token', '123456'], { env: home.env });
  assert.equal(session.code, 0, session.stderr);
  const filler = Array.from({ length: 2_000 }, (_, i) => `[acct${i}]\naws_access_key_id = AKIAFILLER${i}\naws_secret_access_key = filler${i}\n`).join('\n');
  const original = home.read();
  home.write(`${filler}\n${original}`);
  // a file changed within the last few seconds is not noted (a second change in the same clock tick could go unseen)
  await new Promise((r) => setTimeout(r, 3_200));
  const notes = join(home.dir, '.cache', 'aws-mfa', 'clean-files');
  const first = await runCli(['--profile', 'big'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
  const st = statSync(home.credentials, { bigint: true });
  const noted = readFileSync(notes, 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(noted.map((l) => l.split('\t')[0]), [`${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`]);
  // with the places of the two sections read: the next run reads those bytes alone
  const places = new Map(noted[0]!.split('\t').slice(1).map((f) => [decodeURIComponent(f.slice(0, f.indexOf('='))), f.slice(f.indexOf('=') + 1)]));
  const big = home.read();
  const at = (header: string) => `${Buffer.byteLength(big.slice(0, big.indexOf(`\n${header}\n`) + 1))}`;
  assert.equal(places.get('credentials:big')?.split('-')[0], at('[big]'));
  assert.equal(places.get('credentials:big-long-term')?.split('-')[0], at('[big-long-term]'));
  assert.equal(statSync(notes).mode & 0o777, 0o600);
  const again = await runCli(['--profile', 'big'], { env: home.env });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /still valid/);
  // and those places are what it reads (strace): the two sections, each from the line feed before it, not the file
  const reads = await readsOf(home.credentials, ['--profile', 'big'], home.env);
  const size = Buffer.byteLength(big);
  assert.ok(reads.total < size / 10, `read ${reads.total} of ${size} bytes: ${JSON.stringify(reads.at)}`);
  assert.deepEqual(reads.at.sort((a, b) => a - b), [Number(at('[big-long-term]')) - 1, Number(at('[big]')) - 1].sort((a, b) => a - b));
  // but a place that is not [big]'s whole section (another section, or part of it) is not believed: the whole file is read
  const acct7 = Number(at('[acct7]'));
  for (const elsewhere of [`${acct7}-${acct7 + 20}`, `${at('[big]')}-${Number(at('[big]')) + 6}`]) {
    writeFileSync(notes, `${noted[0]!.replace(/\tcredentials%3Abig=[\d,-]+/, `\tcredentials%3Abig=${elsewhere}`)}\n`, { mode: 0o600 });
    const refused = await runCli(['--profile', 'big'], { env: home.env });
    assert.match(refused.stderr, /still valid/, `${elsewhere}: ${refused.stderr}`);
  }
  // a place past the end of the file (a note gone wrong) is not used: the whole file is read
  writeFileSync(notes, `${noted[0]!.replace(/\tcredentials%3Abig=[\d,-]+/, `\tcredentials%3Abig=1-${10 ** 14}`)}\n`, { mode: 0o600 });
  const beyond = await runCli(['--profile', 'big'], { env: home.env });
  assert.equal(beyond.code, 0, beyond.stderr);
  assert.match(beyond.stderr, /still valid/);
  writeFileSync(notes, `${noted[0]}\n`, { mode: 0o600 });

  // an error in a section nobody asked for, added after the note: found, with its line
  const text = home.read();
  home.write(text.replace('[acct1500]\n', '[acct1500]\nthis line has no equals sign\n'));
  const line = text.slice(0, text.indexOf('[acct1500]')).split('\n').length + 1;
  const broken = await runCli(['--profile', 'big'], { env: home.env });
  assert.equal(broken.code, 3, broken.stderr);
  assert.ok(broken.stderr.includes(`credentials:${line}: Expected an '=' sign defining a property`), broken.stderr);

  // and the note is what lets a run skip the full check: noted as clean, the broken file is not checked
  const b = statSync(home.credentials, { bigint: true });
  writeFileSync(notes, `${b.dev}:${b.ino}:${b.size}:${b.mtimeNs}:${b.ctimeNs}\n`, { mode: 0o600 });
  const trusted = await runCli(['--profile', 'big'], { env: home.env });
  assert.equal(trusted.code, 0, trusted.stderr);
  const off = await runCli(['--profile', 'big'], { env: { ...home.env, AWS_MFA_NO_CODE_CACHE: '1' } });
  assert.equal(off.code, 3, 'AWS_MFA_NO_CODE_CACHE=1 turns the notes off');
});
