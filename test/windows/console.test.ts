/**
 * Japanese in a Windows console, as a Japanese user sees it: `wine cmd` in a real terminal (tmux, so
 * Wine's console draws to it), the code page set with `chcp` (932 is Japanese Windows' default), the
 * tool started as a user would (the .exe by its path, the npm bundle under node.exe) with
 * AWS_MFA_LANG=ja, and the screen read back. Bytes written to a console are decoded with its code
 * page; the tool writes a console characters instead, so Japanese is right at 932 as at 65001.
 * Redirected output (a file, a pipe such as Git Bash's) is UTF-8 at every code page, the same bytes
 * the tool writes on Linux. Skipped with the install command where Wine or tmux is missing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWine, type Wine } from '../helpers/wine.js';
import { startPty, type Pty } from '../helpers/tmux.js';
import { needTool } from '../helpers/need-tool.js';
import { packaged, windowsNode } from '../helpers/packaged.js';
import { BIN } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';
import { ROOT } from '../helpers/shared.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { createUser, type OnboardedUser } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';

const wineNeed = needTool('wine', 'apt-get install wine64 wine');
const tmuxNeed = needTool('tmux', 'tmux');
const skip = wineNeed.skip ?? tmuxNeed.skip;

let wine: Wine;
let moto: Moto;
/** [due-long-term]: a user moto knows, with no session yet (the others are a valid [work]). */
let due: OnboardedUser;
let exe: string;
let nodeExe: string;
let out: string; // C:\out, where redirected output lands

const CREDENTIALS = [
  '[work-long-term]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'aws_mfa_device = arn:aws:iam::123456789012:mfa/suzuki',
  '',
  '[work]',
  'aws_access_key_id = ASIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'aws_session_token = FwoGZXIvYXdzEXAMPLETOKEN',
  'expiration = 2099-01-01T00:00:00Z',
];

before(
  async () => {
    if (skip) return;
    nodeExe = windowsNode();
    [exe, wine, moto] = await Promise.all([packaged('win-x64'), startWine(), startMoto()]);
    due = await createUser(moto.endpoint);
    const dueSection = ['', '[due-long-term]', `aws_access_key_id = ${due.accessKeyId}`, `aws_secret_access_key = ${due.secretAccessKey}`, `aws_mfa_device = ${due.deviceArn}`];
    mkdirSync(join(wine.profileDir, '.aws'), { recursive: true });
    writeFileSync(join(wine.profileDir, '.aws', 'credentials'), [...CREDENTIALS, ...dueSection].join('\r\n') + '\r\n');
    out = join(wine.prefix, 'drive_c', 'out');
    mkdirSync(out);
  },
  { timeout: 600_000 },
);
after(async () => {
  await wine?.stop();
  await moto?.stop();
});

/**
 * How a cmd user starts the tool: the .exe by its absolute path, or node.exe with the bundle (through
 * variables set in the session, so a typed line fits on one screen line).
 */
const flavours = [
  { name: 'the .exe', key: 'exe', command: '"%EXE%"' },
  { name: 'the npm bundle under node.exe', key: 'bundle', command: '"%NODE%" "%BUNDLE%"' },
] as const;

/** UTF-8 Japanese read as code page 932: what the garbled lines were made of (`隱崎ｨｼ諠・ｱ`, `繝励Ο`). */
const MOJIBAKE = /[繝縺隱諠]/;
const PROMPT = '[cmd]>';
/** The error line for a profile without long-term keys, in Japanese. */
const NO_SUCH_PROFILE = /^aws-mfa: エラー: C:\\users\\[^\\]+\\\.aws\\credentials に \[nosuch-long-term\] がありません。/m;

interface Cmd {
  /** Type a line at cmd's prompt and wait for the next prompt; what the line printed. */
  line(text: string): Promise<string>;
  /** %ERRORLEVEL% after the last line. */
  errorLevel(): Promise<number>;
  /** Set the console's code page, as `chcp` does. */
  chcp(codePage: number): Promise<void>;
  screen(): string;
  /** Type a line that asks a question, wait for the question, then answer it; what the line printed. */
  answer(text: string, question: RegExp, answer: string): Promise<string>;
}

/** `wine cmd` in tmux, in Japanese (AWS_MFA_LANG=ja, as a user sets it). */
async function japaneseCmd(): Promise<Cmd> {
  const pty: Pty = startPty([findTool('wine'), 'cmd'], {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? wine.prefix,
    LANG: 'C.UTF-8',
    TERM: 'screen',
    WINEPREFIX: wine.prefix,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  });
  await pty.waitFor(/>\s*$/, 60_000);
  const prompts = () => pty.screen().split('\n').filter((l) => l.startsWith(PROMPT)).length;
  const line = async (text: string, question?: { asks: RegExp; answer: string }) => {
    const before = prompts();
    pty.type(text);
    pty.enter();
    if (question) {
      await pty.waitFor(question.asks, 90_000);
      pty.type(question.answer);
      pty.enter();
    }
    const deadline = Date.now() + 90_000;
    for (;;) {
      const lines = pty.screen().trimEnd().split('\n');
      if (lines.at(-1) === PROMPT && lines.filter((l) => l.startsWith(PROMPT)).length > before) {
        const typed = lines.lastIndexOf(PROMPT + text);
        if (typed < 0) throw new Error(`the typed line is not on the screen:\n${pty.screen()}`);
        return lines.slice(typed + 1, -1).join('\n');
      }
      if (Date.now() > deadline) throw new Error(`cmd never came back from ${text}; the screen:\n${pty.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  pty.type(`prompt ${PROMPT.replace('>', '$G')}`);
  pty.enter();
  await pty.waitFor(new RegExp(`^${PROMPT.replace(/[[\]]/g, '\\$&')}$`, 'm'));
  await line('set AWS_MFA_LANG=ja');
  await line(`set EXE=${wine.win(exe)}`);
  await line(`set NODE=${wine.win(nodeExe)}`);
  await line(`set BUNDLE=${wine.win(BIN)}`);
  return {
    line,
    errorLevel: async () => Number(/^\[exit=(\d+)\]$/m.exec(await line('echo [exit=%ERRORLEVEL%]'))?.[1]),
    screen: pty.screen,
    answer: (text, asks, answer) => line(text, { asks, answer }),
    chcp: async (codePage) => assert.match(await line(`chcp ${codePage}`), new RegExp(`: ${codePage}$`, 'm')),
  };
}

const noMojibake = (shown: string) => assert.doesNotMatch(shown, MOJIBAKE, `garbled Japanese on the screen:\n${shown}`);

for (const f of flavours) {
  const name = `cmd at code page 932, then 65001: a cached check, status and an error in Japanese (${f.name})`;
  test(name, { skip }, async () => {
    const cmd = await japaneseCmd();
    const tool = f.command;
    for (const codePage of [932, 65001]) {
      await cmd.chcp(codePage);
      // the cached check: the entry's fast path writes this line
      const cached = await cmd.line(`${tool} --profile work`);
      assert.match(cached, /^aws-mfa: 認証情報はまだ有効です（あと /m, cached);
      assert.equal(await cmd.errorLevel(), 0);
      // status: a table on stdout
      const status = await cmd.line(`${tool} status`);
      assert.match(status, /^プロファイル +セッション +MFA デバイス/m, status);
      assert.match(status, /^work +残り .*期限 2099-01-01 00:00 UTC/m, status);
      // an error: the full program's logger on stderr, then its exit code
      const error = await cmd.line(`${tool} --profile nosuch`);
      assert.match(error, NO_SUCH_PROFILE, error);
      assert.equal(await cmd.errorLevel(), 3);
    }
    // a misspelt AWS_PROFILE (`set AWS_PROFILE=wrok`): the offer is cmd's own line that sets it right, and pasted it does
    await cmd.line('set AWS_PROFILE=wrok');
    const wrong = (await cmd.line(tool)).replace(/\n/g, ''); // the console wraps at its width
    const offered = /AWS_PROFILE が wrok になっています。\[work-long-term\] のことですか？ それなら次で設定し直してください: (.+)$/.exec(wrong);
    assert.equal(offered?.[1], 'set "AWS_PROFILE=work"', wrong);
    await cmd.line(offered![1]!);
    assert.match(await cmd.line(tool), /^aws-mfa: 認証情報はまだ有効です（あと /m);
    await cmd.line('set AWS_PROFILE=');
    noMojibake(cmd.screen());
  });
}

/** The README's line that puts the session into the variables of the current cmd window. */
const readmeRecipe = (readme: string) => {
  const line = readme.split('\n').find((l) => l.startsWith('aws-mfa export --profile work --format cmd > '));
  assert.ok(line, `${readme.slice(0, 40)}…: the cmd recipe`);
  return line;
};

test('the READMEs\' cmd recipe sets the session variables and shows no secret on the screen (the .exe)', { skip }, async () => {
  const recipes = ['README.md', 'README.ja.md'].map((f) => readmeRecipe(readFileSync(join(ROOT, f), 'utf8')));
  assert.equal(recipes[0], recipes[1], 'both READMEs give the same line');
  const cmd = await japaneseCmd();
  const shown = await cmd.line(recipes[0]!.replace(/^aws-mfa /, '"%EXE%" '));
  assert.doesNotMatch(shown, /wJalrXUtnFEMI|FwoGZXIvYXdz/, `the secret or the token on the screen:\n${shown}`);
  assert.equal(await cmd.errorLevel(), 0);
  const set = await cmd.line('echo [%AWS_ACCESS_KEY_ID%] [%AWS_SESSION_TOKEN%]');
  assert.match(set, /^\[ASIAIOSFODNN7EXAMPLE\] \[FwoGZXIvYXdzEXAMPLETOKEN\]$/m, set);
});

for (const f of flavours) {
  const name = `a session due in a cmd console: the README's export recipe and exec ask in the console, in Japanese; credential-process with its outputs kept does not (${f.name})`;
  test(name, { skip }, async () => {
    const cmd = await japaneseCmd();
    await cmd.chcp(932);
    await cmd.line(`set AWS_ENDPOINT_URL=${moto.endpoint}`);
    const asks = /MFA コード \[arn:aws:iam::\d+:mfa\/[^\]]+\]（43200 秒のセッション）: ?$/m;
    // the recipe: the code typed in the console the recipe was typed in; the session in the variables
    await cmd.line(`${f.command} clear --profile due`);
    await moto.resetRecording();
    const recipe = readmeRecipe(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    await cmd.answer(recipe.replace(/^aws-mfa /, `${f.command} `).replace('--profile work', '--profile due'), asks, '123456');
    assert.equal(await cmd.errorLevel(), 0, cmd.screen());
    const token = IniDocument.parse(readFileSync(join(wine.profileDir, '.aws', 'credentials'), 'utf8')).get('due', 'aws_session_token');
    // the token is longer than a screen line: the screen's lines joined
    const shown = (await cmd.line('echo [%AWS_SESSION_TOKEN%]')).replace(/\n/g, '');
    assert.ok(token && shown === `[${token}]`, `the variables hold the session written: ${shown}`);
    // exec: the code asked in the console, then the program run with the session
    await cmd.line(`${f.command} clear --profile due`);
    const ran = await cmd.answer(`${f.command} exec --profile due -- cmd /c set AWS_SESSION_TOKEN`, asks, '654321');
    assert.match(ran, /^AWS_SESSION_TOKEN=\S{16,}$/m, ran);
    assert.equal(await cmd.errorLevel(), 0);
    const sent = await moto.requests('GetSessionToken');
    const codes = sent.map((r) => [r.accessKeyId, r.params.SerialNumber, r.params.TokenCode]);
    assert.deepEqual(codes, [[due.accessKeyId, due.deviceArn, '123456'], [due.accessKeyId, due.deviceArn, '654321']]);
    // credential-process as the AWS CLI runs it: stdin the console, stdout and stderr kept by the caller;
    // a question there would be hidden, so the dialog asks (none can be shown here: exit 3, said; the bundle
    // here has no dialog add-on installed beside it, which is said instead)
    await cmd.line(`${f.command} clear --profile due`);
    await cmd.line(`${f.command} credential-process --profile due > C:\\out\\${f.key}-cp.json 2> C:\\out\\${f.key}-cp.txt`);
    assert.equal(await cmd.errorLevel(), 3, cmd.screen());
    assert.match(readFileSync(join(out, `${f.key}-cp.txt`), 'utf8'), f.key === 'exe' ? /windows のダイアログが失敗しました/ : /（ダイアログ用アドオン）/);
    assert.equal(readFileSync(join(out, `${f.key}-cp.json`), 'utf8'), '');
    noMojibake(cmd.screen());
  });
}

/** The tool's own output on Linux for the same credentials file: redirected output must be these bytes. */
function linuxBytes(args: string[]): Buffer {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: wine.profileDir,
      AWS_MFA_LANG: 'ja',
      AWS_SHARED_CREDENTIALS_FILE: join(wine.profileDir, '.aws', 'credentials'),
    },
  });
  return r.stdout;
}

for (const f of flavours) {
  const name = `code pages 932 and 65001: a file or a pipe gets UTF-8, stderr on the console Japanese (${f.name})`;
  test(name, { skip }, async () => {
    const tool = f.command;
    const saved: Record<number, Record<string, Buffer>> = {};
    const cmd = await japaneseCmd();
    for (const codePage of [932, 65001]) {
      await cmd.chcp(codePage);
      const file = (what: string) => `C:\\out\\${f.key}-${codePage}-${what}`;
      await cmd.line(`${tool} status > ${file('status.txt')}`);
      await cmd.line(`${tool} credential-process --profile work > ${file('credential-process.json')}`);
      await cmd.line(`${tool} export --profile work --format cmd > ${file('export.cmd')}`);
      await cmd.line(`${tool} --profile nosuch 2> ${file('error.txt')}`);
      // a pipe, as Git Bash's mintty gives: node.exe at the other end keeps the bytes it reads
      const keep = `process.stdin.pipe(require('fs').createWriteStream(process.argv[1]))`;
      await cmd.line(`${tool} status | "%NODE%" -e "${keep}" ${file('piped.txt')}`);
      // stdout to a file, stderr still on the console: the console shows the error as Japanese
      const onConsole = await cmd.line(`${tool} --profile nosuch > ${file('stdout.txt')}`);
      assert.match(onConsole, /^aws-mfa: エラー: .*\[nosuch-long-term\] がありません。/m, onConsole);
      noMojibake(cmd.screen());
      const read = (what: string) => readFileSync(join(out, `${f.key}-${codePage}-${what}`));
      const names = ['status.txt', 'credential-process.json', 'export.cmd', 'error.txt', 'piped.txt', 'stdout.txt'];
      saved[codePage] = Object.fromEntries(names.map((n) => [n, read(n)]));
    }
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    // status says how long the session has left: its minutes may turn between two runs, from 9 to 10
    // too, which widens its column; numbers and the spaces that pad columns are set aside
    const timeAside = (b: Buffer) => utf8.decode(b).replace(/[0-9]+/g, '0').replace(/ {2,}/g, ' ');
    const minutesAside = (files: Record<string, Buffer>) =>
      Object.fromEntries(Object.entries(files).map(([n, b]) => [n, timeAside(b)]));
    for (const codePage of [932, 65001]) {
      const files = saved[codePage]!;
      for (const [name, bytes] of Object.entries(files)) {
        assert.notDeepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${name} at ${codePage} starts with a BOM`);
        assert.doesNotThrow(() => utf8.decode(bytes), `${name} at ${codePage} is not UTF-8`);
      }
      assert.match(utf8.decode(files['status.txt']), /^プロファイル +セッション +MFA デバイス/);
      assert.deepEqual(minutesAside(files)['piped.txt'], minutesAside(files)['status.txt']);
      assert.match(utf8.decode(files['error.txt']), NO_SUCH_PROFILE);
      assert.equal(files['stdout.txt']!.length, 0);
      // machine-readable output: the very bytes the tool writes on Linux
      assert.deepEqual(files['credential-process.json'], linuxBytes(['credential-process', '--profile', 'work']));
      assert.deepEqual(files['export.cmd'], linuxBytes(['export', '--profile', 'work', '--format', 'cmd']));
    }
    assert.deepEqual(minutesAside(saved[932]!), minutesAside(saved[65001]!), 'the code page changed redirected bytes');
  });
}
