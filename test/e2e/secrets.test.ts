/**
 * The secret audit: every command and flag combination the suite knows, at --log-level DEBUG,
 * against moto_server. stdout, stderr and every file written outside the credentials and config
 * files are searched for the long-term secret key, the session's secret key and token, and MFA
 * seeds; a secret may appear only where the user asked for it (export and credential-process on
 * stdout, --show-secret's seed on stdout). A deliberately leaking command line proves the audit
 * can fail.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createServer, type Server } from 'node:http';
import { URI, type TOTP } from 'otpauth';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, CLI_COMMAND, type Home, type RunResult } from '../helpers/cli.js';
import { startPty } from '../helpers/tmux.js';
import { createUser, createRole, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { decodeQrPng } from '../helpers/qr.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
let user: OnboardedUser;
let fresh: OnboardedUser;
let role = '';
let federation: Server;
let federationUrl = '';
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
  fresh = await createUser(emu.moto.endpoint, { withDevice: false });
  role = await createRole(emu.moto.endpoint, `audit-${process.pid}`);
  federation = createServer((_req, res) => res.writeHead(200).end(JSON.stringify({ SigninToken: 'T' })));
  await new Promise<void>((r) => federation.listen(0, '127.0.0.1', r));
  federationUrl = `http://127.0.0.1:${(federation.address() as { port: number }).port}/federation`;
});
after(() => new Promise<void>((r) => (federation ? federation.close(() => r()) : r())));

type Where = 'stdout' | 'stderr' | string;
interface Secret {
  name: string;
  value: string;
}

/** Every place a secret shows up that the invocation did not ask for. */
export function findLeaks(outputs: Record<Where, string>, secrets: Secret[], allowed: Record<string, Where[]>): string[] {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(outputs)) {
    for (const s of secrets) {
      if (s.value.length >= 8 && text.includes(s.value) && !(allowed[s.name] ?? []).includes(where)) leaks.push(`${s.name} in ${where}`);
    }
  }
  return leaks;
}

/** Every file under HOME except the credentials and config files (the code cache, a PNG, ...). */
function writtenFiles(home: Home, also: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (p !== home.credentials && p !== home.config && !also.includes(p)) out[relative(home.dir, p)] = readFileSync(p).toString('latin1');
    }
  };
  walk(home.dir);
  return out;
}

interface Step {
  args: string[];
  env?: Record<string, string>;
  input?: string;
  /** Secrets this invocation was asked to show, and where. */
  allow?: Record<string, Where[]>;
  /** Files the user asked for that may hold a secret (a QR PNG). */
  files?: string[];
}

const SESSION = { 'session secret key': ['stdout'], 'session token': ['stdout'] };

async function auditSteps(home: Home, steps: Step[], secrets: () => Secret[]): Promise<{ runs: number; leaks: string[] }> {
  const leaks: string[] = [];
  let runs = 0;
  for (const s of steps) {
    const r: RunResult = await runCli(s.args, { env: { ...home.env, ...(s.env ?? {}) }, input: s.input, detached: true });
    runs++;
    assert.ok(r.code !== 1, `no unexpected failure: aws-mfa ${s.args.join(' ')}\n${r.stderr}`);
    const found = findLeaks({ stdout: r.stdout, stderr: r.stderr, ...writtenFiles(home, s.files) }, secrets(), s.allow ?? {});
    leaks.push(...found.map((l) => `aws-mfa ${s.args.join(' ')}: ${l}`));
  }
  return { runs, leaks };
}

test('the secret audit: no command prints or writes a secret it was not asked for', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_MFA_FEDERATION_URL: federationUrl, BROWSER: 'true' });
  writeLongTerm(home, 'a', user);
  writeLongTerm(home, 'src', user, { suffix: 'none' });
  writeFileSync(home.config, '[profile a]\nregion = us-east-1\nmfa_process = echo 123456\n');
  const seeds: Secret[] = [];
  const secrets = (): Secret[] => {
    const doc = IniDocument.parse(home.read());
    const list: Secret[] = [{ name: 'long-term secret key', value: user.secretAccessKey }, { name: 'long-term secret key', value: fresh.secretAccessKey }, ...seeds];
    for (const s of doc.spans()) {
      const secret = doc.get(s.name, 'aws_secret_access_key');
      const token = doc.get(s.name, 'aws_session_token');
      if (token && secret) list.push({ name: 'session secret key', value: secret });
      if (!token && secret) list.push({ name: 'long-term secret key', value: secret }); // a rotated key, say
      if (token) list.push({ name: 'session token', value: token });
    }
    return list;
  };
  const D = ['--log-level', 'DEBUG'];
  const png = join(home.dir, 'qr.png');
  const steps: Step[] = [
    { args: ['--profile', 'a', '--token', '123456', ...D] },
    { args: ['--profile', 'a', ...D] },
    { args: ['--profile', 'a', '--force', '--token', '123456', ...D] },
    { args: ['--profile', 'a', '--force', ...D], input: '123456\n' },
    { args: ['--profile', 'a', '--assume-role', role, '--token', '123456', ...D] },
    { args: ['-s', 'src', '-d', 'dst', '--token', '123456', ...D] },
    { args: ['--profile', 'a', '--token', '12', ...D] },
    { args: ['--profile', 'nope', ...D] },
    ...['sh', 'fish', 'powershell', 'cmd', 'json', 'dotenv'].map((f) => ({ args: ['export', '--profile', 'a', '--format', f, ...D], allow: SESSION })),
    { args: ['exec', '--profile', 'a', ...D, '--', 'sh', '-c', 'test -n "$AWS_SESSION_TOKEN"'] },
    { args: ['credential-process', '--profile', 'a', ...D], allow: SESSION },
    { args: ['credential-process', '--profile', 'a', '--force', ...D], allow: SESSION },
    { args: ['setup-credential-process', '--profile', 'a', ...D] },
    { args: ['status', ...D] },
    { args: ['status', '--json', ...D] },
    { args: ['whoami', '--profile', 'a', ...D] },
    { args: ['whoami', '--profile', 'a', '--json', ...D] },
    { args: ['console', '--profile', 'a', '--assume-role', role, '--token', '123456', '--print', ...D] },
    { args: ['console', '--profile', 'a', '--assume-role', role, ...D] },
    { args: ['completion', 'bash'] },
    { args: ['device', 'list', '--profile', 'a', ...D] },
    { args: ['device', 'list', '--profile', 'a', '--json', ...D] },
    { args: ['init', '--profile', 'b', '--access-key-id', user.accessKeyId, '--secret-access-key-stdin', '--token', '123456', ...D], input: `${user.secretAccessKey}\n` },
    { args: ['clear', '--profile', 'b', ...D] },
    { args: ['keys', 'list', '--age', ...D] },
    { args: ['keys', 'list', '--json', ...D] },
    { args: ['keys', 'move', '--profile', 'a', '--to', 'keychain', ...D] }, // no keychain here: refused
    { args: ['rotate', '--profile', 'a', ...D] },
  ];
  const first = await auditSteps(home, steps, secrets);

  // a device for a new user: its seed from the PNG, then create again showing the seed on request
  writeLongTerm(home, 'n', fresh, { device: false });
  // read while the run waits for the codes: an aborted run removes the PNG with its device
  const pty = startPty([...CLI_COMMAND, 'device', 'create', '--profile', 'n', '--name', 'audit1', '--qr-png', png, ...D], home.env);
  await pty.waitFor(/First code in your authenticator app/);
  const seed1 = (URI.parse(decodeQrPng(png)) as TOTP).secret.base32;
  seeds.push({ name: 'MFA seed', value: seed1 });
  const filesMeanwhile = writtenFiles(home, [png]);
  pty.ctrlD();
  assert.equal(await pty.exitCode(), 130, pty.screen());
  // the terminal shows stdout and stderr together: neither may hold a secret
  const devLeaks = findLeaks({ stdout: '', stderr: pty.screen(), ...filesMeanwhile, ...writtenFiles(home, [png]) }, secrets(), {});
  const shown = await runCli(['device', 'create', '--profile', 'n', '--name', 'audit2', '--show-secret', ...D], { env: home.env, input: '', detached: true });
  const seed2 = /^([A-Z2-7]{32,})$/m.exec(shown.stdout)?.[1];
  assert.ok(seed2, 'the seed is shown when asked');
  seeds.push({ name: 'MFA seed', value: seed2 });
  const shownLeaks = findLeaks({ stdout: shown.stdout, stderr: shown.stderr, ...writtenFiles(home, [png]) }, secrets(), { 'MFA seed': ['stdout'] });

  const all = [...first.leaks, ...devLeaks, ...shownLeaks];
  console.log(`secret audit: ${first.runs + 2} invocations, ${secrets().length} secrets searched for, ${all.length} leaks`);
  assert.deepEqual(all, []);
});

test('the audit catches a leak: a command line that prints the session secret', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint });
  writeLongTerm(home, 'leak', user);
  assert.equal((await runCli(['--profile', 'leak', '--token', '123456'], { env: home.env })).code, 0);
  const doc = IniDocument.parse(home.read());
  const secrets = [{ name: 'session secret key', value: doc.get('leak', 'aws_secret_access_key')! }];
  const { leaks } = await auditSteps(home, [{ args: ['exec', '--profile', 'leak', '--', 'sh', '-c', 'echo "$AWS_SECRET_ACCESS_KEY"'] }], () => secrets);
  assert.deepEqual(leaks, ['aws-mfa exec --profile leak -- sh -c echo "$AWS_SECRET_ACCESS_KEY": session secret key in stdout']);
});
