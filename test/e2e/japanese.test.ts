/**
 * 日本語: the built binary with LANG=ja_JP.UTF-8, the way the setup guides' readers run it. Onboarding
 * in a real terminal, a session and a valid session (times in JST with UTC beside them), each class
 * of error, every command's help, the status and device tables; and what must never change
 * language: export, credential-process, --json, completion scripts and exit codes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { TOTP, URI } from 'otpauth';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, BIN, type Home } from '../helpers/cli.js';
import { createUser, onboard, type OnboardedUser } from '../helpers/onboard.js';
import { startPty } from '../helpers/tmux.js';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { startTinyproxy, type Proxy } from '../helpers/net.js';
import { freePort } from '../helpers/moto.js';
import { decodeQrPng } from '../helpers/qr.js';
import { IniDocument } from '../../src/ini/document.js';

// tmux draws double-width characters only when its own locale is UTF-8
if (!/UTF-?8/i.test(process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '')) process.env.LC_CTYPE = 'C.UTF-8';

const emu = useMoto();
let fake: FakeSts;
let proxy: Proxy;
before(async () => {
  await emu.ready;
  fake = await startFakeSts();
  proxy = await startTinyproxy();
});
after(async () => {
  await fake?.close();
  await proxy?.stop();
});

const JA = { LANG: 'ja_JP.UTF-8' };
const JAPANESE = /[\u3001-\u30ff\u3400-\u9fff\uff01-\uff60]/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every line a person reads has Japanese in it. */
function allJapanese(text: string, what: string): void {
  const lines = text.trimEnd().split('\n');
  assert.ok(lines.length > 0 && text.trim() !== '', `${what}: something was said`);
  for (const line of lines) assert.match(line, JAPANESE, `${what}: a line that is not Japanese: ${line}`);
}

/** An error: one line on stderr (the last; progress lines may come before it), Japanese, with the tool's prefix. */
function oneJapaneseError(stderr: string, what: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.includes('エラー')).length, 1, `${what}: one error line\n${stderr}`);
  assert.match(lines.at(-1)!, /^aws-mfa: エラー: /, `${what}\n${stderr}`);
  assert.doesNotMatch(stderr, /\berror\b/, what);
  allJapanese(stderr, what);
  return lines.at(-1)!;
}

/** `YYYY-MM-DD HH:MM:SS` of a UTC file time shifted by `hours`, as a person in that zone reads it. */
function shifted(utc: string, hours: number): string {
  return new Date(Date.parse(`${utc.replace(' ', 'T')}Z`) + hours * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

test('init in a terminal, in Japanese: every prompt and message, a new device from its QR code, the first session', async () => {
  const u = await createUser(emu.moto.endpoint, { withDevice: false });
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA, TZ: 'Asia/Tokyo' });
  const png = join(home.dir, 'qr.png');
  const pty = startPty([process.execPath, BIN, 'init', '--profile', 'team', '--qr-png', png], home.env);
  await pty.answer([
    [/AWS アクセスキー ID \(AKIA\.\.\.\): *$/m, u.accessKeyId],
    [/AWS シークレットアクセスキー（入力は表示されません）: *$/m, u.secretAccessKey],
    [/このプロファイルの既定のリージョン（例: ap-northeast-1。空欄なら設定しません）: *$/m, 'ap-northeast-1'],
  ]);
  await pty.waitFor(/この QR コードを認証アプリで読み取ってください（デバイス arn:aws:iam::\d+:mfa\/[\w-]+）:/);
  await pty.waitFor(/^認証アプリに表示されている 1 つ目のコード（6 桁）: *$/m);
  const seed = (URI.parse(decodeQrPng(png)) as TOTP).secret.base32;
  const totp = new TOTP({ secret: seed });
  const first = totp.generate({ timestamp: Date.now() });
  pty.type(first);
  pty.enter();
  await pty.waitFor(/次のコードが表示されるまで待ってから、2 つ目のコード（6 桁）を入力してください: *$/m);
  // the same code twice: two sentences with a full stop between them, then the second code alone is asked again
  pty.type(first);
  pty.enter();
  await pty.waitFor(/警告: 2 つのコードが同じです。アプリに次のコードが表示されるまで（約 30 秒）待ち、それを 2 つ目として入力し直してください（あと 2 回）。\n次のコードが表示されるまで待ってから、2 つ目のコード（6 桁）を入力してください: *$/m);
  assert.equal(pty.screen().match(/1 つ目のコード/g)?.length, 1, 'the first code is not asked for again');
  pty.type(totp.generate({ timestamp: Date.now() + 30_000 }));
  pty.enter();
  await pty.waitFor(/MFA コード \[arn:aws:iam::\d+:mfa\/[\w-]+\]（43200 秒のセッション）: *$/m);
  pty.type(totp.generate({ timestamp: Date.now() + 60_000 }));
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  const screen = pty.screen();
  assert.ok(!screen.includes(u.secretAccessKey), 'the secret is never on the screen');

  const doc = IniDocument.parse(home.read());
  const device = doc.get('team-long-term', 'aws_mfa_device')!;
  assert.equal(doc.get('team-long-term', 'aws_access_key_id'), u.accessKeyId);
  assert.match(device, new RegExp(`:mfa/${u.userName}$`));
  const expiration = doc.get('team', 'expiration')!;
  assert.ok(doc.get('team', 'aws_session_token'), 'the first session is there');
  assert.equal(IniDocument.parse(home.read(home.config)).get('profile team', 'region'), 'ap-northeast-1');

  // what the user read, line by line, in Japanese
  const account = /:iam::(\d+):/.exec(device)![1]!;
  for (const line of [
    `aws-mfa: このキーはアカウント ${account} の IAM ユーザー ${u.userName} のものです。`,
    `aws-mfa: ${home.credentials} に [team-long-term] を書き込みました。`,
    `aws-mfa: IAM ユーザー ${u.userName} にはまだ MFA デバイスがありません。仮想 MFA デバイスを作成します。`,
    `aws-mfa: ${device} を有効化しました。`,
    'aws-mfa: 次は最初のセッションです。アプリに新しいコードが表示されるまで待ってください。',
  ]) {
    assert.ok(screen.includes(line), `the screen shows: ${line}\n${screen}`);
  }
  assert.match(screen, new RegExp(`QR コードを ${escape(png)} に書き込みました（モード 0600）。`));
  // JST, with UTC beside it
  assert.match(screen, new RegExp(`aws-mfa: 完了しました。\\[team\\] に MFA セッションがあります。有効期限は ${escape(shifted(expiration, 9))} UTC\\+09:00 \\(${escape(expiration)} UTC\\) です（あと 1[12] 時間 \\d+ 分）。`));
  assert.doesNotMatch(screen, /access key id|not shown|Default region|Scan this QR|First code shown|Wait for the next|Enter AWS MFA code|Done\.|Wrote|Enabled/, 'no English on the way');
});

test('a session and then a valid session, in Japanese, with the time in JST and UTC beside it', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA, TZ: 'Asia/Tokyo' });
  await onboard(emu.moto.endpoint, home, 'work');
  await emu.moto.resetRecording();
  const first = await runCli(['--profile', 'work', '--token', '123456'], { env: home.env });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(await emu.moto.actions(), ['GetSessionToken']);
  const expiration = IniDocument.parse(home.read()).get('work', 'expiration')!;
  const when = `${shifted(expiration, 9)} UTC+09:00 (${expiration} UTC)`;
  assert.equal(
    first.stderr.replace(/あと \d+ 秒、\d+ 時間 \d+ 分/, 'あと N'),
    [
      'aws-mfa: [work] のセッションを取得しています: 有効期間 43200 秒（既定値）',
      'aws-mfa: 警告: AWS CLI には --profile work のリージョンがありません。次のコマンドで設定してください: aws configure set region us-east-1 --profile work',
      `aws-mfa: 成功しました。認証情報の有効期限は ${when} です（あと N）。--profile work を付けて使ってください。`,
      '',
    ].join('\n'),
  );
  assert.match(first.stderr, /あと 4[23]\d{3} 秒、1[12] 時間 \d+ 分/);
  assert.equal(first.stdout, '');

  await emu.moto.resetRecording();
  const again = await runCli(['--profile', 'work'], { env: home.env });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await emu.moto.actions(), [], 'a valid session calls nothing');
  assert.equal(
    again.stderr.replace(/あと \d+ 秒、\d+ 時間 \d+ 分/, 'あと N'),
    `aws-mfa: 認証情報はまだ有効です（あと N）。有効期限は ${when} です。--profile work を付けて使ってください。今すぐ更新するには「aws-mfa --force --profile work」を実行します。\n`,
  );

  // the same time in English, and UTC alone where the local zone is UTC
  const en = await runCli(['--profile', 'work'], { env: { ...home.env, LANG: 'C.UTF-8' } });
  assert.match(en.stderr, new RegExp(`they will expire at ${escape(shifted(expiration, 9))} UTC\\+09:00 \\(${escape(expiration)} UTC\\)\\.`));
  const utc = await runCli(['--profile', 'work'], { env: { ...home.env, TZ: 'UTC' } });
  assert.match(utc.stderr, new RegExp(`有効期限は ${escape(expiration)} UTC です。`));
  const ny = await runCli(['--profile', 'work'], { env: { ...home.env, TZ: 'Etc/GMT+5' } });
  assert.match(ny.stderr, new RegExp(`有効期限は ${escape(shifted(expiration, -5))} UTC-05:00 \\(${escape(expiration)} UTC\\) です。`), 'TZ is honoured');
});

test('whoami in Japanese and English: the expiry in local time with its zone, as status and the session say it; no English label', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA, TZ: 'Asia/Tokyo' });
  const u = await onboard(emu.moto.endpoint, home, 'who');
  assert.equal((await runCli(['--profile', 'who', '--token', '123456'], { env: home.env })).code, 0);
  const expiration = IniDocument.parse(home.read()).get('who', 'expiration')!;
  const when = `${shifted(expiration, 9)} UTC+09:00 (${expiration} UTC)`;
  const ja = await runCli(['whoami', '--profile', 'who'], { env: home.env });
  assert.equal(ja.code, 0, ja.stderr);
  const arn = /^ARN: +(\S+)$/m.exec(ja.stdout)?.[1];
  const userId = /^ユーザー ID: +(\S+)$/m.exec(ja.stdout)?.[1];
  assert.ok(arn && userId, ja.stdout);
  assert.equal(
    ja.stdout,
    [
      'プロファイル:  who',
      `アカウント:    ${/:iam::(\d+):/.exec(u.deviceArn)![1]}`,
      `ARN:           ${arn}`,
      `ユーザー ID:   ${userId}`,
      `MFA:           あり（MFA 付きの GetSessionToken で取得、デバイス ${u.deviceArn}）`,
      `有効期限:      ${when}`,
      '',
    ].join('\n'),
  );
  const en = await runCli(['whoami', '--profile', 'who'], { env: { ...home.env, LANG: 'C.UTF-8' } });
  assert.match(en.stdout, new RegExp(`^User ID:  ${escape(userId)}\nMFA:      yes \\(GetSessionToken with MFA, device ${escape(u.deviceArn)}\\)\nExpires:  ${escape(when)}\n$`, 'm'));
  const utc = await runCli(['whoami', '--profile', 'who'], { env: { ...home.env, TZ: 'UTC' } });
  assert.match(utc.stdout, new RegExp(`^有効期限:      ${escape(expiration)} UTC$`, 'm'), 'UTC alone where the local zone is UTC');
  // --json keeps ISO 8601 UTC and the English words
  const json = JSON.parse((await runCli(['whoami', '--profile', 'who', '--json'], { env: home.env })).stdout);
  assert.equal(json.expiration, `${expiration.replace(' ', 'T')}Z`);
  assert.equal(json.obtainedWith, 'GetSessionToken with MFA');
});

/** A Japanese user at the code prompt of `aws-mfa --profile NAME`: the home, the terminal and the file before. */
async function atCodePrompt(profile: string) {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA });
  await onboard(emu.moto.endpoint, home, profile);
  await emu.moto.resetRecording();
  const before = home.read();
  const pty = startPty([process.execPath, BIN, '--profile', profile], home.env);
  await pty.waitFor(/\]（43200 秒のセッション）: *$/m);
  return { home, pty, before };
}

test('a mistyped code in Japanese: the problem and one request to type again (a warning), then a last error that asks for nothing but a rerun', async () => {
  const { home, pty, before } = await atCodePrompt('retry');
  pty.type('12345');
  pty.enter();
  await pty.waitFor(/^aws-mfa: 警告: MFA コードは 6 桁の数字です（入力は 5 文字でした）。あと 2 回入力できます。\n/m);
  pty.type('12a456');
  pty.enter();
  await pty.waitFor(/^aws-mfa: 警告: MFA コードは 6 桁の数字です（入力は 6 文字で、数字以外の文字が含まれていました）。あと 1 回入力できます。\n/m);
  pty.type('1');
  pty.enter();
  assert.equal(await pty.exitCode(), 2, pty.screen());
  const screen = pty.screen();
  assert.match(screen, /^aws-mfa: エラー: MFA コードは 6 桁の数字です（入力は 1 文字でした）。3 回とも正しく入力されませんでした。AWS には何も送信していません。もう一度コマンドを実行してください。\n/m);
  assert.equal(screen.match(/エラー/g)?.length, 1, `a try left is a warning, not an error:\n${screen}`);
  for (const line of screen.split('\n')) assert.ok((line.match(/ください/g) ?? []).length <= 1, `one request a line: ${line}`);
  assert.deepEqual(await emu.moto.actions(), [], 'nothing sent');
  assert.equal(home.read(), before);
});

test('Ctrl-C at the code prompt, in Japanese: cancelled, no code was sent to AWS (exit 130), nothing written', async () => {
  const { home, pty, before } = await atCodePrompt('cancel');
  pty.ctrlC();
  assert.equal(await pty.exitCode(), 130, pty.screen());
  assert.match(pty.screen(), /^aws-mfa: エラー: キャンセルしました。MFA コードは入力されず、AWS にも送信していません\n/m);
  assert.deepEqual(await emu.moto.actions(), []);
  assert.equal(home.read(), before);
});

test('each class of error is one Japanese line with its fix: usage 2, files 3, AWS 4, network 5; no file changes', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA, AWS_MFA_RETRY_BASE_MS: '5' });
  const u = await onboard(emu.moto.endpoint, home, 'work');
  const before = home.read();

  const usage = await runCli(['--profile', 'work', '--duration', '12h'], { env: home.env });
  assert.equal(usage.code, 2);
  assert.equal(oneJapaneseError(usage.stderr, 'usage'), 'aws-mfa: エラー: --duration は秒数を整数で指定してください（「12h」は使えません）');
  const flag = await runCli(['--profile', 'work', '--tokne', '123456'], { env: home.env });
  assert.equal(flag.code, 2);
  assert.equal(oneJapaneseError(flag.stderr, 'unknown flag'), 'aws-mfa: エラー: 不明なオプション「--tokne」です。aws-mfa --help を参照してください');
  const first = await runCli(['--lang', 'ja', 'status'], { env: home.env });
  assert.equal(first.code, 2);
  assert.equal(oneJapaneseError(first.stderr, 'command after the options'), 'aws-mfa: エラー: 「status」はコマンドです。オプションより前に書いてください: aws-mfa status --lang ja');
  const code = await runCli(['--profile', 'work', '--token', '12345'], { env: home.env });
  assert.equal(code.code, 2);
  assert.match(oneJapaneseError(code.stderr, 'short code'), /MFA コードは 6 桁の数字です（入力は 5 文字でした）。認証アプリに表示されている 6 桁の数字を入力してください。$/);

  const empty = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA });
  const files = await runCli(['--profile', 'work'], { env: empty.env });
  assert.equal(files.code, 3);
  assert.match(oneJapaneseError(files.stderr, 'files'), new RegExp(`credentials ファイル ${escape(empty.credentials)} がありません。「aws-mfa [^」]*--profile work」を実行して作成してください`));
  assert.ok(!existsSync(empty.credentials), 'no file was created');
  const missing = await runCli(['--profile', 'wrok', '--token', '123456'], { env: home.env });
  assert.equal(missing.code, 3);
  assert.equal(oneJapaneseError(missing.stderr, 'near miss'), `aws-mfa: エラー: ${home.credentials} に [wrok-long-term] がありません。[work-long-term] のことですか？ それなら次を実行してください: aws-mfa --profile work`);

  // AWS refuses the code: the stand-in answers as STS does, and got exactly one request with the code
  fake.script({ error: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' });
  const aws = await runCli(['--profile', 'work', '--token', '123456'], { env: { ...home.env, AWS_ENDPOINT_URL_STS: fake.endpoint } });
  assert.equal(aws.code, 4);
  assert.equal(oneJapaneseError(aws.stderr, 'AWS'), `aws-mfa: エラー: AWS が ${u.deviceArn} の MFA コードを拒否しました（誤りか、使用済みのコードです）。次のコードが表示されるまで待ってから、もう一度試してください`);
  assert.deepEqual(fake.actions, ['GetSessionToken']);
  assert.match(fake.bodies[0]!, /TokenCode=123456/);

  // the guides' proxy with a wrong password, and an endpoint where nothing listens
  const badProxy = await runCli(['--profile', 'work', '--token', '123456'], { env: { ...home.env, HTTP_PROXY: `http://${proxy.user}:wrong@127.0.0.1:${proxy.port}` } });
  assert.equal(badProxy.code, 5);
  assert.match(oneJapaneseError(badProxy.stderr, 'proxy'), /^aws-mfa: エラー: プロキシが認証情報を拒否しました（HTTP 40[17]）。HTTPS_PROXY \/ HTTP_PROXY のユーザー名とパスワードを確認してください/);
  const closedPort = await freePort();
  const closed = await runCli(['--profile', 'work', '--token', '123456'], { env: { ...home.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}` } });
  assert.equal(closed.code, 5);
  assert.equal(oneJapaneseError(closed.stderr, 'network'), `aws-mfa: エラー: GetSessionToken のために AWS（http://127.0.0.1:${closedPort}）に接続できません（ECONNREFUSED）。エンドポイントの設定（AWS_ENDPOINT_URL、endpoint_url）、ネットワーク、プロキシ、--region を確認してください`);

  assert.equal(home.read(), before, 'no failure changed the credentials file');
});

/** The commands `aws-mfa --help` lists (so a command added later is covered too). */
async function commandNames(env: Record<string, string>): Promise<string[]> {
  const root = await runCli(['--help'], { env });
  const list = root.stdout.split(/^Commands:$/m)[1]!.split(/\n\n/)[0]!;
  return [...list.matchAll(/^ {2}(\S+(?: [a-z]+)?)\s{2,}/gm)].map((m) => m[1]!);
}

const flagsOf = (help: string) => [...new Set(help.match(/(?<![\w-])--?[a-z][\w-]*/g) ?? [])].sort();

test('--help of every command is Japanese, names the same flags as the English help, and fits 80 columns', async () => {
  const env = { ...makeHome().env };
  const names = await commandNames(env);
  assert.ok(names.length >= 15 && names.includes('device create') && names.includes('init'), names.join(', '));
  for (const name of ['', ...names, 'device']) {
    const args = [...(name ? name.split(' ') : []), '--help'];
    const en = await runCli(args, { env });
    const ja = await runCli(args, { env: { ...env, ...JA } });
    assert.equal(ja.code, 0, `${name}: ${ja.stderr}`);
    assert.equal(ja.stderr, '');
    assert.ok(ja.stdout.startsWith(name === '' ? 'aws-mfa ' : `使い方: aws-mfa ${name} `), `${name}: ${ja.stdout.slice(0, 80)}`);
    assert.deepEqual(flagsOf(ja.stdout), flagsOf(en.stdout), `${name}: the same flags`);
    assert.notEqual(ja.stdout, en.stdout);
    // one bracket a note: never two in a row, never one closing inside another at the end
    assert.doesNotMatch(ja.stdout.replace(/\n +/g, ''), /）（|））/, `${name}: doubled brackets`);
    assert.doesNotMatch(en.stdout.replace(/\n +/g, ' '), /\) \(|\)\)/, `${name}: doubled brackets`);
    if (name !== 'device') assert.match(ja.stdout, /^オプション:$[\s\S]*^例:$\n {2}\S/m, `${name}: options and examples`);
    // every line fits 80 columns, except the usage line and the examples, which are pasted whole
    let inExamples = false;
    for (const line of ja.stdout.split('\n')) {
      if (line === '例:') inExamples = true;
      else if (line === '') inExamples = false;
      else if (!inExamples && !line.startsWith('使い方: ')) assert.ok(stringWidth(line) <= 80, `${name}: ${stringWidth(line)} columns: ${line}`);
    }
    // every option's description (the indented lines under it) is Japanese
    const options = ja.stdout.split(/^(?= {2}-)/m).slice(1).map((block) => block.split(/\n(?! {6})/)[0]!);
    if (name !== 'device') assert.ok(options.length >= 1, `${name}: options found`);
    for (const block of options) assert.match(block.split('\n').slice(1).join(' '), JAPANESE, `${name}: ${block}`);
    if (name) assert.equal((await runCli(['help', ...name.split(' ')], { env: { ...env, ...JA } })).stdout, ja.stdout, `aws-mfa help ${name}`);
  }
});

test('help names each environment variable once, with what comes after it, in one bracket: 「X を参照」, 「X、Y の順に参照」', async () => {
  const env = { ...makeHome().env };
  const ja = (await runCli(['help'], { env: { ...env, ...JA } })).stdout.replace(/\n {6}/g, '');
  // the text as read, whatever the line breaks (a break at a space leaves no space when the lines are joined)
  const has = (text: string) => ja.replace(/\s+/g, '').includes(text.replace(/\s+/g, ''));
  assert.ok(has('MFA デバイスの ARN、またはハードウェアトークンのシリアル番号（省略時は環境変数 MFA_DEVICE、プロファイルの aws_mfa_device か mfa_serial、ユーザーの唯一のデバイスの順に参照）'), ja);
  assert.ok(has('MFA 付きで引き受けるロール（省略時は環境変数 MFA_ASSUME_ROLE、長期キーのセクションにある assume_role の値の順に参照）'), ja);
  assert.ok(has('セッションの有効期間（秒）: 900〜129600（省略時は環境変数 MFA_STS_DURATION を参照。既定値: 43200、ロールの場合は 3600 で最大 43200）'), ja);
  assert.ok(has('STS のリージョン（省略時は環境変数 AWS_REGION、AWS_DEFAULT_REGION、プロファイルのリージョン、パーティションの既定の順に参照）'), ja);
  assert.ok(has('接続を待つ秒数（省略時は ~/.aws/config の cli_connect_timeout を参照。既定値: 10）'), ja);
  // README.ja.md's sources of the language, Windows' display language included
  assert.ok(has('メッセージの言語: en または ja（省略時は環境変数 AWS_MFA_LANG、LC_ALL、LC_MESSAGES、LANG、Windows の表示言語の順に参照）'), ja);
  assert.doesNotMatch(ja, /環境変数 [A-Z_]+ の順に/, 'one variable is no order');
  const en = (await runCli(['help'], { env })).stdout.replace(/\n {6}/g, ' ');
  assert.ok(en.includes("the MFA device ARN or hardware token serial (when not given: MFA_DEVICE, then aws_mfa_device or mfa_serial of the profile, then the user's only device)"), en);
  assert.ok(en.includes("(when not given: AWS_MFA_LANG, then LC_ALL, then LC_MESSAGES, then LANG, then Windows' display language)"), en);
  for (const help of [ja, en]) {
    assert.equal(help.split('MFA_DEVICE').length, 2, `MFA_DEVICE named once: ${help}`);
    assert.equal(help.split('MFA_ASSUME_ROLE').length, 2, `MFA_ASSUME_ROLE named once: ${help}`);
  }
});

test('help fits the terminal (COLUMNS, at most 120) and never splits a command; a missing value names the flag alone', async () => {
  const env = { ...makeHome().env, ...JA };
  const lines = (text: string) => text.split('\n').filter((l) => !l.startsWith('  aws-mfa ') && !l.startsWith('使い方: '));
  const at80 = (await runCli(['--help'], { env })).stdout;
  assert.ok(at80.includes('aws-mfa help COMMAND') && at80.includes('aws-mfa COMMAND --help'), `each command on one line:\n${at80}`);
  const at120 = (await runCli(['help'], { env: { ...env, COLUMNS: '120' } })).stdout;
  const widest = Math.max(...lines(at120).map((l) => stringWidth(l)));
  assert.ok(widest > 80 && widest <= 120, `${widest} columns:\n${at120}`);
  // --help as well as help (the command's own help too)
  for (const args of [['--help'], ['status', '--help']]) {
    const text = (await runCli(args, { env: { ...env, COLUMNS: '120' } })).stdout;
    const w = Math.max(...lines(text).map((l) => stringWidth(l)));
    assert.ok(w > 80 && w <= 120, `${args.join(' ')}: ${w} columns:\n${text}`);
  }
  assert.ok(at120.includes('コマンドごとにヘルプがあります: aws-mfa help COMMAND または aws-mfa COMMAND --help\n'), at120);
  const at300 = (await runCli(['--help'], { env: { ...env, COLUMNS: '300' } })).stdout;
  assert.ok(Math.max(...lines(at300).map((l) => stringWidth(l))) <= 120, 'capped at 120');
  const missing = await runCli(['--duration'], { env });
  assert.equal(missing.code, 2);
  assert.equal(oneJapaneseError(missing.stderr, 'missing value'), 'aws-mfa: エラー: オプション --duration の値がありません。aws-mfa --help を参照してください');
});

/** Screen columns where each of `cells` starts on `line`. */
const columnsOf = (line: string, cells: string[]) =>
  cells.map((c) => {
    const i = line.indexOf(c);
    assert.ok(i >= 0, `${c} is on the line: ${line}`);
    return stringWidth(line.slice(0, i));
  });

test('status and device list in Japanese: the tables line up on the screen, double-width headers and all', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA, TZ: 'Asia/Tokyo' });
  const work = await onboard(emu.moto.endpoint, home, 'work');
  const prod = await onboard(emu.moto.endpoint, home, 'prod');
  assert.equal((await runCli(['--profile', 'work', '--token', '123456'], { env: home.env })).code, 0);
  await emu.moto.resetRecording();
  const status = await runCli(['status'], { env: home.env });
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(await emu.moto.actions(), [], 'status calls nothing');
  const [head, ...rows] = status.stdout.trimEnd().split('\n');
  const heads = ['プロファイル', 'セッション', 'MFA デバイス', 'キー'];
  const at = columnsOf(head!, heads);
  assert.equal(rows.length, 2, status.stdout);
  const prodRow = rows.find((r) => r.startsWith('prod'))!;
  const workRow = rows.find((r) => r.startsWith('work'))!;
  assert.deepEqual(columnsOf(prodRow, ['prod', 'セッションはまだありません。aws-mfa --profile prod で取得してください', prod.deviceArn, 'ファイル']), at, status.stdout);
  assert.deepEqual(columnsOf(workRow, ['work', '残り 1', work.deviceArn, 'ファイル']), at, status.stdout);
  const expiration = IniDocument.parse(home.read()).get('work', 'expiration')!;
  // the table's short time: JST to the minute, no UTC beside it (status at 120 columns)
  assert.ok(workRow.includes(`、期限 ${shifted(expiration, 9).slice(0, 16)} UTC+09:00  `), workRow);

  const list = await runCli(['device', 'list', '--profile', 'work'], { env: home.env });
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.split('\n');
  assert.equal(lines[0], `IAM ユーザー ${work.userName} の MFA デバイス:`);
  const listAt = columnsOf(lines[1]!, ['デバイス', '有効化日時']);
  const deviceLine = lines.find((l) => l.includes(work.deviceArn))!;
  assert.deepEqual(columnsOf(deviceLine, [work.deviceArn, String(new Date().getUTCFullYear())]), listAt, list.stdout);
  assert.match(deviceLine, /<- \[work-long-term\] で使用中$/);
});

test('AWS_MFA_LANG=en and --lang en override a Japanese locale; LANG=C and LC_ALL=C are English; --lang ja wins over LANG=C', async () => {
  const base = makeHome().env;
  const run = async (args: string[], env: Record<string, string>) => (await runCli(['status', '--bogus', ...args], { env: { ...base, ...env } })).stderr;
  const english = 'aws-mfa: error: Unknown option \'--bogus\'; see aws-mfa status --help\n';
  const japanese = 'aws-mfa: エラー: 不明なオプション「--bogus」です。aws-mfa status --help を参照してください\n';
  assert.equal(await run([], JA), japanese);
  assert.equal(await run([], { ...JA, AWS_MFA_LANG: 'en' }), english);
  assert.equal(await run(['--lang', 'en'], JA), english);
  assert.equal(await run(['--lang=en'], { ...JA, AWS_MFA_LANG: 'ja' }), english);
  assert.equal(await run([], { LANG: 'C' }), english);
  assert.equal(await run([], { LANG: 'ja_JP.UTF-8', LC_ALL: 'C.UTF-8' }), english);
  assert.equal(await run([], { LANG: 'C', LC_MESSAGES: 'ja_JP.UTF-8' }), japanese);
  assert.equal(await run(['--lang', 'ja'], { LANG: 'C' }), japanese);
  assert.equal(await run([], { LANG: 'C', AWS_MFA_LANG: 'ja' }), japanese);
  assert.match((await runCli(['--help', '--lang', 'en'], { env: { ...base, ...JA } })).stdout, /^Usage: aws-mfa /m);
});

test('machine-readable output is byte for byte the same in English and Japanese, and so are exit codes', async () => {
  const home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_REGION: 'ap-northeast-1', AWS_MFA_RETRY_BASE_MS: '5' });
  await onboard(emu.moto.endpoint, home, 'work');
  assert.equal((await runCli(['--profile', 'work', '--token', '123456'], { env: home.env })).code, 0);
  const runs: Array<[string[], Record<string, string>?]> = [
    ...['sh', 'fish', 'powershell', 'cmd', 'json', 'dotenv'].map((f): [string[]] => [['export', '--profile', 'work', '--format', f]]),
    [['credential-process', '--profile', 'work']],
    [['status', '--json']],
    [['whoami', '--profile', 'work', '--json']],
    [['device', 'list', '--profile', 'work', '--json']],
    ...['bash', 'zsh', 'fish', 'powershell'].map((s): [string[]] => [['completion', s]]),
    [['completion', '--profiles']],
    [['--version']],
    // failures: stdout stays empty and the exit code is the same
    [['--profile', 'work', '--duration', 'x']],
    [['--profile', 'nobody']],
    [['--profile', 'work', '--force', '--token', '123456'], { AWS_ENDPOINT_URL_STS: fake.endpoint }],
    [['--profile', 'work', '--force', '--token', '123456'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }],
    [['export', '--profile', 'work', '--format', 'csh']],
  ];
  fake.script({ error: 'ExpiredToken', message: 'The security token included in the request is expired' });
  const codes: number[] = [];
  for (const [args, extra = {}] of runs) {
    const en = await runCli(args, { env: { ...home.env, ...extra, LANG: 'C.UTF-8' } });
    const ja = await runCli(args, { env: { ...home.env, ...extra, ...JA } });
    assert.equal(ja.code, en.code, `${args.join(' ')}: the same exit code`);
    // status counts the seconds left: the clock may tick between the two runs, and only there
    const clock = (out: string) => (args[0] === 'status' ? out.replace(/"secondsLeft": \d+/g, '"secondsLeft": N').replace(/"valid for \d+h \d+m"/g, '"valid for H M"') : out);
    assert.equal(clock(ja.stdout), clock(en.stdout), `${args.join(' ')}: the same bytes on stdout`);
    if (en.code !== 0) {
      assert.equal(en.stdout, '', args.join(' '));
      assert.notEqual(ja.stderr, en.stderr, `${args.join(' ')}: the message itself is translated`);
      assert.match(ja.stderr, JAPANESE, args.join(' '));
    } else assert.ok(en.stdout.length > 0, `${args.join(' ')}: printed something`);
    codes.push(en.code!);
  }
  assert.deepEqual(codes.slice(-5), [2, 3, 4, 5, 2], 'the failures are the documented classes');
  // the JSON reason of a profile without a session stays English
  const status = JSON.parse((await runCli(['status', '--json'], { env: { ...home.env, ...JA } })).stdout) as Array<{ profile: string; reason: string }>;
  assert.ok(status.every((s) => !JAPANESE.test(JSON.stringify(s))), JSON.stringify(status));
  // and the text status really is Japanese, so the comparison above compared two languages
  assert.match((await runCli(['status'], { env: { ...home.env, ...JA } })).stdout, /^プロファイル {2,}セッション/);
  assert.ok(readFileSync(home.credentials, 'utf8').includes('[work]'));
});

test('the yes/no prompt takes はい in Japanese', async () => {
  const home: Home = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...JA });
  const u: OnboardedUser = await onboard(emu.moto.endpoint, home, 'keep');
  home.write(home.read().replace(u.accessKeyId, 'AKIAOLDOLDOLDOLDOLD0'));
  const pty = startPty([process.execPath, BIN, 'init', '--profile', 'keep', '--access-key-id', u.accessKeyId, '--region', 'ap-northeast-1', '--token', '123456'], home.env);
  await pty.answer([[/AWS シークレットアクセスキー（入力は表示されません）: *$/m, u.secretAccessKey]]);
  await pty.waitFor(/\[keep-long-term\] にはすでに別のキーがあります。置き換えますか？ \[y\/N\] *$/m);
  pty.type('はい');
  pty.enter();
  assert.equal(await pty.exitCode(), 0, pty.screen());
  const doc = IniDocument.parse(home.read());
  assert.equal(doc.get('keep-long-term', 'aws_access_key_id'), u.accessKeyId, 'replaced after はい');
  assert.ok(doc.get('keep', 'aws_session_token'));
});
