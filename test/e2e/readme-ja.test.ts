/**
 * README.ja.md as its readers use it. Every ```sh block that calls aws-mfa runs as written, in the
 * order of the README, in one HOME against moto_server: bash, an `aws-mfa` on PATH that runs the
 * built binary, the real AWS CLI, LANG=ja_JP.UTF-8. The values a reader puts in for themselves are
 * replaced with the emulator's (the access key id, $SECRET, the proxy's host), and the proxy is a
 * loopback stand-in that checks the percent-encoded password arrives decoded. Every other aws-mfa
 * command in the README (cmd, PowerShell, tables, transcripts) must at least parse. The reference parts a
 * Windows reader relies on instead of the English README are held to the built command: the option table
 * to `aws-mfa --help`, every command it lists, its exit codes, and the files `npm run package` makes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand } from '@aws-sdk/client-iam';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, runProcess, BIN, type Home } from '../helpers/cli.js';
import { ROOT } from '../helpers/shared.js';
import { findTool } from '../helpers/tools.js';
import { IniDocument } from '../../src/ini/document.js';

const readme = readFileSync(join(ROOT, 'README.ja.md'), 'utf8');
const emu = useMoto();

/** The loopback stand-in for the company proxy: it wants alice / p@ss#word and forwards to moto. */
interface StandIn {
  port: number;
  seen: string[];
  close(): Promise<void>;
}
async function startProxy(): Promise<StandIn> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const auth = /^Basic (.+)$/.exec(req.headers['proxy-authorization'] ?? '')?.[1];
    const user = auth ? Buffer.from(auth, 'base64').toString('utf8') : '';
    seen.push(user);
    if (user !== 'alice:p@ss#word') {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"' }).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = request(req.url!, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, seen, close: () => new Promise((r) => server.close(() => r())) };
}

let proxy: StandIn;
let home: Home;
let key: { id: string; secret: string };
const DEVICE = 'arn:aws:iam::123456789012:mfa/alice';

before(async () => {
  await emu.ready;
  proxy = await startProxy();
  // the README's reader: IAM user alice, whose MFA device was assigned in the console
  const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.moto.endpoint, credentials: { accessKeyId: 'AKIAADMINADMINADMIN0', secretAccessKey: 'admin' } });
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  key = { id: k.AccessKeyId!, secret: k.SecretAccessKey! };
  const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }))).VirtualMFADevice!.SerialNumber!;
  assert.equal(device, DEVICE, 'the emulator names the device as the README does');
  await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: device, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  // `aws-mfa` on PATH, as npm install -g leaves it; the AWS CLI beside it
  home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, LANG: 'ja_JP.UTF-8', SECRET: key.secret, TZ: 'Asia/Tokyo' });
  const shims = join(home.dir, 'bin');
  mkdirSync(shims, { recursive: true });
  writeFileSync(join(shims, 'aws-mfa'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(shims, 'aws-mfa'), 0o755);
  home.env.PATH = `${shims}:${dirname(findTool('aws'))}:${home.env.PATH}`;
});
after(async () => {
  await proxy?.close();
});

/** What the reader types, with their own values in place of the README's examples. */
const personalise = (line: string) => line.replaceAll('AKIAIOSFODNN7EXAMPLE', key.id).replaceAll('proxy.example.co.jp:8080', `127.0.0.1:${proxy.port}`);

/** A line that runs aws-mfa (not one that only names its folder, as a PATH line does). */
const CALLS_AWS_MFA = /(^|[|(]\s*|"\$\()aws-mfa( |$)/;

const blocks = (lang: string) => [...readme.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]!);

test('README.md and README.ja.md link to each other at the top', () => {
  const english = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(english.split('\n').slice(0, 4).join('\n'), /\]\(README\.ja\.md\)/);
  assert.match(readme.split('\n').slice(0, 4).join('\n'), /\]\(README\.md\)/);
});

test("every sh block of README.ja.md that uses aws-mfa runs as written, in order, against the emulator", async () => {
  const ran: string[] = [];
  for (const block of blocks('sh')) {
    // npm and pip are the reader's own installs (npm test runs npm ci itself)
    const lines = block.split('\n').filter((l) => l.trim() && !/^\s*#/.test(l) && !/^(npm|pip) /.test(l));
    if (!lines.some((l) => CALLS_AWS_MFA.test(l))) continue;
    const script = ['set -e', ...lines.map(personalise)].join('\n');
    // asynchronously: the proxy stand-in answers from this process
    const r = await runProcess('bash', ['-c', script], { env: home.env, cwd: home.dir, input: '123456\n'.repeat(10), timeoutMs: 120_000 });
    assert.equal(r.code, 0, `the block failed:\n${block}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /aws-mfa: (error|warning):/, 'the messages are Japanese');
    ran.push(`${lines.find((l) => CALLS_AWS_MFA.test(l))!}\n${r.stdout}${r.stderr}`);
  }
  // the blocks the README promises: onboarding, daily use, -s/-d, Git Bash, the proxy, credential_process, switching
  const first = ran.map((r) => r.split('\n')[0]!);
  const promised = [
    /aws-mfa init --profile work .*--secret-access-key-stdin/,
    /^aws-mfa --profile work$/,
    /^aws-mfa -s work-long-term -d work_mfa --region ap-northeast-1$/,
    /^aws-mfa$/,
    /^aws-mfa --profile work --force$/,
    /^aws-mfa setup-credential-process --profile work$/,
    /^aws-mfa exec --profile work -- aws sts get-caller-identity$/,
    /^aws-mfa --version$/,
  ];
  for (const expected of promised) {
    assert.ok(first.some((f) => expected.test(f)), `a block runs ${expected} (ran: ${first.join(' | ')})`);
  }
  assert.ok(ran.length >= 10, `${ran.length} blocks ran`);

  // what the blocks did, in the files and at the emulator
  const creds = IniDocument.parse(home.read());
  assert.equal(creds.get('work-long-term', 'aws_access_key_id'), key.id);
  assert.equal(creds.get('work-long-term', 'aws_mfa_device'), DEVICE, 'init found the device assigned in the console');
  assert.ok(creds.get('work', 'aws_session_token'));
  assert.ok(creds.get('work_mfa', 'aws_session_token'), 'the -s/-d block wrote [work_mfa]');
  const config = IniDocument.parse(home.read(home.config));
  assert.equal(config.get('profile work', 'region'), 'ap-northeast-1');
  assert.equal(config.get('profile work_mfa', 'region'), 'ap-northeast-1', '--region gave the AWS CLI a region for -d');
  assert.match(config.get('profile work-auto', 'credential_process') ?? '', /credential-process --profile work$/);
  assert.ok(proxy.seen.includes('alice:p@ss#word'), `the proxy got the password decoded (it saw: ${proxy.seen.join(', ')})`);
  const all = ran.join('\n');
  assert.match(all, /"Account": "123456789012"/, 'the AWS CLI used the sessions');
  assert.match(all, /完了しました。\[work\] に MFA セッションがあります。/);
  assert.match(all, /認証情報はまだ有効です/);
  const version = ran.find((r) => r.startsWith('aws-mfa --version\n'));
  assert.match(version ?? '', /^\d+\.\d+\.\d+$/m, 'the PATH block ran the command by name');

  // the README's credentials example is the layout that was really written
  const example = IniDocument.parse(blocks('ini')[0]!);
  for (const section of example.spans().map((s) => s.name)) {
    for (const k of ['aws_access_key_id', 'aws_secret_access_key', 'aws_mfa_device']) {
      if (example.get(section, k) !== undefined) assert.ok(creds.get(section, k) !== undefined, `[${section}] ${k}`);
    }
  }
});

test('every other aws-mfa command in README.ja.md is accepted as written (flags and subcommands exist)', async () => {
  const commands = new Set<string>();
  // inline code, and every line of every fenced block (sh, bat, powershell, console)
  const fenced = [...readme.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const inline = [...readme.replace(/^```\w*\n[\s\S]*?^```$/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const texts = [...inline, ...fenced.flatMap((b) => b.split('\n').map((l) => l.replace(/\s#.*$/, '')))];
  for (const text of texts) {
    // a command ends where the shell's own syntax starts (`'` closes cmd's `for /f ('...')`); a synopsis
    // (`device remove [--serial ARN] [--yes]`, `completion bash\|zsh`) is checked with every flag it shows
    for (const m of text.matchAll(/(?:^|[\s|("`$])aws-mfa((?: [^`|>&;"')\n]*)?)(?=$|[`|>&;"')\n])/g)) {
      commands.add(m[1]!.replace(/[[\]]/g, '').replace(/\\$/, '').trim());
    }
  }
  // the commands, as the English help lists them (`device create` is two words)
  const list = (await runCli(['--help'], { env: { ...home.env, LANG: 'C' } })).stdout.split(/^Commands:$/m)[1]!;
  const known = [...list.matchAll(/^ {2}([a-z-]+(?: [a-z]+)?) {2,}/gm)].map((m) => m[1]!);
  assert.ok(known.includes('device create') && known.includes('init'), known.join(', '));
  let checked = 0;
  for (const command of commands) {
    const args = command ? command.split(/\s+/) : [];
    if (args[0] && /^[A-Z]+$/.test(args[0])) continue; // `aws-mfa COMMAND --help`: a placeholder for any command
    const words = known.includes(args.slice(0, 2).join(' ')) ? 2 : known.includes(args[0] ?? '') ? 1 : 0;
    const r = await runCli([...args.slice(0, words), '--help', ...args.slice(words)], { env: home.env });
    assert.equal(r.code, 0, `aws-mfa ${command}: ${r.stderr}`);
    checked++;
  }
  assert.ok(checked >= 20, `${checked} commands checked`);
});

/** The English help of the built command: its option and command lists, and its exit codes line. */
async function englishHelp(): Promise<string> {
  const r = await runCli(['--help'], { env: { ...home.env, LANG: 'C' } });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test("README.ja.md's option table lists exactly the options `aws-mfa --help` shows", async () => {
  const help = await englishHelp();
  const section = help.slice(help.indexOf('Options:'), help.indexOf('Examples:'));
  const shown = [...section.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!).sort();
  const table = readme.slice(readme.indexOf('### オプション'), readme.indexOf('### 環境変数'));
  const documented = [...table.matchAll(/^\| `(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!).sort();
  assert.ok(shown.length >= 20, shown.join(', '));
  assert.deepEqual(documented, shown);
});

test('README.ja.md names every command `aws-mfa --help` lists, and exactly the exit codes it gives', async () => {
  const help = await englishHelp();
  const list = help.split(/^Commands:$/m)[1]!;
  const commands = [...list.matchAll(/^ {2}([a-z-]+(?: [a-z]+)?) {2,}/gm)].map((m) => m[1]!);
  const missing = commands.filter((c) => c !== 'help' && !readme.includes(`aws-mfa ${c}`));
  assert.deepEqual(missing, [], 'every command is described in Japanese');
  const codes = (text: string) =>
    [...new Set([...text.matchAll(/\b(\d{1,3})\b/g)].map((m) => Number(m[1])))].sort((x, y) => x - y);
  const helpCodes = codes(help.slice(help.indexOf('Exit codes:')));
  const table = readme.slice(readme.indexOf('## 終了コード'), readme.indexOf('## 困ったとき'));
  const tableCodes = codes([...table.matchAll(/^\| ([\d, ]+) \|/gm)].map((m) => m[1]).join(' '));
  assert.deepEqual(tableCodes, helpCodes);
});

test('the .exe README.ja.md tells Windows users to build is what `npm run package` makes', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.package ?? '', /scripts\/package\.mjs/);
  assert.match(readme, /npm ci && npm run package/);
  type Pins = { targets: Record<string, { out: string }> };
  const pins = JSON.parse(readFileSync(join(ROOT, 'scripts', 'node-binaries.json'), 'utf8')) as Pins;
  const outputs = Object.values(pins.targets).map((t) => t.out);
  const named = [...readme.matchAll(/dist\/bin\/(aws-mfa-[\w.-]+)/g)].map((m) => m[1]!);
  assert.ok(named.includes('aws-mfa-win-x64.exe'), named.join(', '));
  for (const file of named) assert.ok(outputs.includes(file), `${file} is one of ${outputs.join(', ')}`);
  assert.doesNotMatch(readme, /リリースから.*ダウンロード/, 'there is no release to download from yet');
});

test("every link to a part of README.ja.md reaches a heading (GitHub's anchors)", () => {
  // GitHub's rule: lower case; every character that is not a letter, mark, number, _, - or space dropped
  // (full-width parentheses and colons too); each space a hyphen
  const slug = (heading: string) => heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '').replaceAll(' ', '-');
  const fences = readme.replace(/^```\w*\n[\s\S]*?^```$/gm, '');
  const anchors = new Set([...fences.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
  const links = [...fences.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(links.length >= 20, `${links.length} links`);
  assert.deepEqual(links.filter((l) => !anchors.has(l)), []);
});
