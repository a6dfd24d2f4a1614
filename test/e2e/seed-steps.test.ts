/**
 * A seed user's first steps (issue 22, item 5), end to end on the built bundle against moto, each in
 * English and in Japanese: long-term keys that `aws configure --profile X` put in [X] named for what
 * they are, with two ways out that work when pasted (`init` moves them and keeps every other byte,
 * or `-s X -d X_mfa`); codes typed with a Japanese input method; a hardware token's serial number;
 * rotate with the session options; status that fits the terminal; the guide's first run; help and the
 * demo in the user's language.
 * Every mistake: one error line with a command that works, a documented exit code, no file changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../helpers/hooks.js';
import stringWidth from 'string-width';
import { makeHome, runCli, runProcess, CLI_COMMAND, type Home } from '../helpers/cli.js';
import { ROOT } from '../helpers/shared.js';
import { startPty } from '../helpers/tmux.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
const LANGS = { en: { LANG: 'C.UTF-8' }, ja: { LANG: 'ja_JP.UTF-8' } } as const;
type Lang = keyof typeof LANGS;
const homeFor = (lang: Lang): Home => makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, ...LANGS[lang] });
const bytes = (path: string) => readFileSync(path).toString('hex');

/** What `aws configure --profile X` leaves, as Notepad saves it: BOM, CRLF, a comment; another account before it. */
function configuredInPlace(home: Home, profile: string, u: OnboardedUser, other: OnboardedUser): string {
  const text =
    `\ufeff# keys\r\n[cloudY-long-term]\r\naws_access_key_id = ${other.accessKeyId}\r\naws_secret_access_key = ${other.secretAccessKey}\r\n\r\n` +
    `[${profile}]  ; aws configure\r\n# the key\r\naws_access_key_id = ${u.accessKeyId}\r\naws_secret_access_key = ${u.secretAccessKey}\r\n`;
  home.write(text);
  return text;
}

/** The error: the last line of stderr, the only error line, with the tool's prefix. */
function oneError(stderr: string, lang: Lang): string {
  const lines = stderr.trimEnd().split('\n');
  const mark = lang === 'ja' ? 'エラー: ' : 'error: ';
  assert.equal(lines.filter((l) => l.includes(mark)).length, 1, stderr);
  assert.match(lines.at(-1)!, new RegExp(`^aws-mfa: ${mark}`), stderr);
  return lines.at(-1)!;
}

const WORDS = {
  en: { holds: /^aws-mfa: error: \[cloudZ-long-term\] is missing from \S+; \[cloudZ\] holds long-term keys \("aws configure --profile cloudZ" puts them in that section\); aws-mfa writes its session to \[cloudZ\], so it reads the long-term key from \[cloudZ-long-term\]: run aws-mfa init --profile cloudZ to move the keys there, or aws-mfa -s cloudZ -d cloudZ_mfa to keep them in \[cloudZ\]$/, moved: /Moved the keys of \[cloudZ\] to \[cloudZ-long-term\]/ },
  ja: { holds: /^aws-mfa: エラー: \S+ に \[cloudZ-long-term\] がありません。\[cloudZ\] に長期キーが入っています（「aws configure --profile cloudZ」はキーをこのセクションに書き込みます）。aws-mfa は \[cloudZ\] にセッションを書き込むため、長期キーは \[cloudZ-long-term\] から読みます。キーを \[cloudZ-long-term\] に移すには aws-mfa init --profile cloudZ を、\[cloudZ\] に残したまま使うには aws-mfa -s cloudZ -d cloudZ_mfa を実行してください。$/, moved: /\[cloudZ\] にあった長期キーを \[cloudZ-long-term\] に移しました/ },
};

const BOM_WORDS = {
  en: [
    'aws-mfa: warning: FILE:1: the file starts with a UTF-8 byte order mark, which the AWS CLI cannot read; save it without BOM (in Notepad: Save as, Encoding "UTF-8")',
    'aws-mfa: Wrote the session to [cloudZ_mfa], but the AWS CLI cannot use it until FILE is saved without BOM (see the warning above)',
  ],
  ja: [
    'aws-mfa: 警告: FILE:1: ファイルの先頭に UTF-8 の BOM があり、AWS CLI はこれを読めません。BOM なしの UTF-8 で保存し直してください（メモ帳なら「名前を付けて保存」で文字コード「UTF-8」）',
    'aws-mfa: [cloudZ_mfa] にセッションを書き込みましたが、FILE を BOM なしで保存し直すまで AWS CLI では使えません（上の警告を参照）',
  ],
};

const FOUND_ONLY = {
  en: (arn: string, user: string) => `Using MFA device ${arn}, the only one of IAM user ${user} (it will be recorded with the session in [cloudZ_mfa];`,
  ja: (arn: string, user: string) => `IAM ユーザー ${user} の唯一の MFA デバイス ${arn} を使います（セッションと一緒に [cloudZ_mfa] に記録します。`,
};

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] keys in [X] from aws configure: named for what they are; init moves them keeping every other byte`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const other = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    const before = configuredInPlace(home, 'cloudZ', u, other);
    const beforeBytes = bytes(home.credentials);
    await emu.moto.resetRecording();
    const r = await runCli(['--profile', 'cloudZ', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    const line = oneError(r.stderr, lang);
    assert.match(line, WORDS[lang].holds);
    assert.doesNotMatch(line, /cloudY/, 'another account\'s profile is not offered');
    assert.match(line, / aws-mfa init --profile cloudZ /);
    assert.match(line, / aws-mfa -s cloudZ -d cloudZ_mfa /);
    assert.equal(bytes(home.credentials), beforeBytes, 'no file changed');
    assert.deepEqual(await emu.moto.actions(), []);

    // the first way out, pasted: init moves the keys (the header line alone changes), then the device and session
    const init = await runCli(['init', '--profile', 'cloudZ', '--token', '123456', '--region', 'ap-northeast-1'], { env: home.env });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stderr, WORDS[lang].moved);
    const after = home.read();
    const renamed = before.replace('[cloudZ]  ; aws configure', '[cloudZ-long-term]  ; aws configure');
    assert.ok(after.startsWith(renamed), `every other byte kept:\n${JSON.stringify(after)}`);
    assert.doesNotMatch(after.replace(/\r\n/g, ''), /\n/, 'CRLF throughout');
    const doc = IniDocument.parse(after);
    assert.equal(doc.get('cloudZ-long-term', 'aws_mfa_device'), u.deviceArn);
    assert.match(doc.get('cloudZ', 'aws_session_token') ?? '', /./, 'the session went to [cloudZ]');
    assert.equal(doc.get('cloudY-long-term', 'aws_secret_access_key'), other.secretAccessKey);
    const [req] = await emu.moto.requests('GetSessionToken');
    assert.equal(req?.accessKeyId, u.accessKeyId, 'the moved key asked for the session');

    // the daily command works now
    const daily = await runCli(['--profile', 'cloudZ'], { env: home.env });
    assert.equal(daily.code, 0, daily.stderr);

    // the go-aws-mfa habit after init: -s cloudZ names the section that holds the session now; the
    // error offers the section the keys went to (not -s and -d swapped, which points back here)
    const unchanged = bytes(home.credentials);
    const habit = await runCli(['-s', 'cloudZ', '-d', 'cloudZ_mfa', '--token', '123456'], { env: home.env });
    assert.equal(habit.code, 3, habit.stderr);
    const offered = / (aws-mfa -s \S+ -d \S+)$/.exec(oneError(habit.stderr, lang))?.[1];
    assert.equal(offered, 'aws-mfa -s cloudZ-long-term -d cloudZ_mfa', habit.stderr);
    assert.equal(bytes(home.credentials), unchanged, 'no file changed');
    const pasted = await runCli([...offered!.split(' ').slice(1), '--token', '123456'], { env: home.env });
    assert.equal(pasted.code, 0, pasted.stderr);
    assert.match(IniDocument.parse(home.read()).get('cloudZ_mfa', 'aws_session_token') ?? '', /./);
    // the region init left in [profile cloudZ] is copied for the AWS CLI, as -s cloudZ -d cloudZ_mfa copies it
    const config = IniDocument.parse(readFileSync(home.config, 'utf8'));
    assert.equal(config.get('profile cloudZ', 'region'), 'ap-northeast-1', 'init put the region there');
    assert.equal(config.get('profile cloudZ_mfa', 'region'), 'ap-northeast-1', pasted.stderr);
    // status lists that session too, by the names (the keys init moved, the _mfa section)
    const listed = JSON.parse((await runCli(['status', '--json'], { env: home.env })).stdout) as Array<{ profile: string }>;
    assert.deepEqual(listed.map((s) => s.profile).sort(), ['cloudY', 'cloudZ', 'cloudZ_mfa']);
    // a profile misspelt for status: one error with the one meant, nothing listed as if it were there
    const typo = await runCli(['status', '--profile', 'clodZ'], { env: home.env });
    assert.equal(typo.code, 3, typo.stderr);
    assert.match(oneError(typo.stderr, lang), /\[clodZ-long-term\].*cloudZ/);
    assert.equal(typo.stdout, '');
    // the command it offers is status for the profile meant: pasted, it lists that profile
    const meant = / (aws-mfa \S+ --profile \S+)$/.exec(oneError(typo.stderr, lang))?.[1];
    assert.equal(meant, 'aws-mfa status --profile cloudZ', typo.stderr);
    const listedMeant = await runCli([...meant!.split(' ').slice(1), '--json'], { env: home.env });
    assert.deepEqual(JSON.parse(listedMeant.stdout).map((s: { profile: string }) => s.profile), ['cloudZ'], listedMeant.stderr);
  });

  test(`[${lang}] keys in [X] kept there: the pasted go-aws-mfa form -s X -d X_mfa works and leaves [X] alone`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const other = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    const before = configuredInPlace(home, 'cloudZ', u, other);
    // the device found is recorded with the session, so nothing is when no code comes
    const cancelled = await runCli(['-s', 'cloudZ', '-d', 'cloudZ_mfa'], { env: home.env });
    assert.equal(cancelled.code, 2, cancelled.stderr);
    assert.ok(cancelled.stderr.includes(FOUND_ONLY[lang](u.deviceArn, u.userName)), cancelled.stderr);
    assert.equal(home.read(), before, 'nothing recorded');
    const r = await runCli(['-s', 'cloudZ', '-d', 'cloudZ_mfa', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(FOUND_ONLY[lang](u.deviceArn, u.userName)), r.stderr);
    // the file as Notepad saved it: one warning about its BOM, with Notepad's fix, then what it means for the session
    const bomLines = r.stderr.split('\n').filter((l) => l.includes('BOM'));
    assert.deepEqual(bomLines.map((l) => l.replace(home.credentials, 'FILE')), BOM_WORDS[lang], r.stderr);
    assert.equal(IniDocument.parse(home.read()).get('cloudZ_mfa', 'aws_mfa_device'), u.deviceArn);
    assert.ok(home.read().startsWith(before));
    assert.match(IniDocument.parse(home.read()).get('cloudZ_mfa', 'aws_session_token') ?? '', /./);
  });

  test(`[${lang}] keys in both [X] and [X-long-term]: the session refuses to overwrite [X] and offers -s X -d X_mfa; nothing changes`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    writeLongTerm(home, 'cloudW', u);
    home.write(home.read() + `\n[cloudW]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
    const beforeBytes = bytes(home.credentials);
    const r = await runCli(['--profile', 'cloudW', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    const line = oneError(r.stderr, lang);
    assert.match(line, /aws-mfa -s cloudW -d cloudW_mfa$/);
    assert.doesNotMatch(line, /cloudW-long-term\]/, 'no advice to rename into a section that exists');
    assert.equal(bytes(home.credentials), beforeBytes);
    const pasted = await runCli(['-s', 'cloudW', '-d', 'cloudW_mfa', '--token', '123456'], { env: home.env });
    assert.equal(pasted.code, 0, pasted.stderr);
  });
}

const PAIR_WORDS = {
  en: { hint: /\[example_mfa\] holds a session from "aws-mfa -s example -d example_mfa" \(the long-term key is in \[example\]\); renew it with: aws-mfa -s example -d example_mfa$/, none: /Start with: aws-mfa init \(for the profile "default"/ },
  ja: { hint: /\[example_mfa\] には「aws-mfa -s example -d example_mfa」で取得したセッションが入っています（長期キーは \[example\] にあります）。更新するには次を実行してください: aws-mfa -s example -d example_mfa$/, none: /まずは次を実行してください: aws-mfa init（プロファイル default を作ります/ },
};

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] a session written by -s X -d X_mfa: --profile X_mfa offers the -s/-d command (not init), status lists it, and no placeholder is offered to paste`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    // before any profile: the first step is a command that works as pasted
    const empty = await runCli(['status'], { env: home.env });
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, PAIR_WORDS[lang].none);
    assert.doesNotMatch(empty.stdout, /init --profile NAME/);
    writeLongTerm(home, 'example', u, { suffix: 'none' });
    const first = await runCli(['-s', 'example', '-d', 'example_mfa', '--token', '123456'], { env: home.env });
    assert.equal(first.code, 0, first.stderr);
    const beforeBytes = bytes(home.credentials);
    await emu.moto.resetRecording();
    // the command offered is the one typed with -s/-d, without the code (stale when pasted) and --force
    const r = await runCli(['--profile', 'example_mfa', '--force', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    const line = oneError(r.stderr, lang);
    assert.match(line, PAIR_WORDS[lang].hint);
    assert.doesNotMatch(line, /init/, 'no new long-term profile is offered');
    assert.deepEqual(await emu.moto.requests(), [], 'nothing was sent');
    assert.equal(bytes(home.credentials), beforeBytes);
    const all = await runCli(['status', '--json'], { env: home.env });
    assert.equal(all.code, 0, all.stderr);
    const rows = JSON.parse(all.stdout) as Array<{ profile: string; longTerm: string; state: string }>;
    assert.deepEqual(rows.map((x) => [x.profile, x.longTerm, x.state]), [['example_mfa', 'example', 'valid']]);
    const table = await runCli(['status'], { env: home.env });
    assert.match(table.stdout, /example_mfa/);
    const pasted = await runCli(['-s', 'example', '-d', 'example_mfa', '--force', '--token', '123456'], { env: home.env });
    assert.equal(pasted.code, 0, pasted.stderr);
  });
}

const NEAR_WORDS = { en: /did you mean \[example\]\? Then run: aws-mfa -s example -d example_mfa$/, ja: /\[example\] のことですか？ それなら次を実行してください: aws-mfa -s example -d example_mfa$/ };

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] a mistyped -s (exmaple): did you mean the section with the keys, as a -s/-d command; nothing sent or written`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    writeLongTerm(home, 'example', u, { suffix: 'none' });
    const beforeBytes = bytes(home.credentials);
    await emu.moto.resetRecording();
    const r = await runCli(['-s', 'exmaple', '-d', 'example_mfa', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    const line = oneError(r.stderr, lang);
    assert.match(line, NEAR_WORDS[lang]);
    assert.match(line, /\[example\]/);
    assert.deepEqual(await emu.moto.requests(), [], 'nothing was sent');
    assert.equal(bytes(home.credentials), beforeBytes);
  });
}

const CODE_WORDS = {
  en: { u2f: /is a FIDO security key \(U2F\), which STS takes no code from/, bad: /nor a hardware token serial \(like GAHT12345678\)/ },
  ja: { u2f: /は FIDO セキュリティキー（U2F）です。STS はこれでコードを受け取れない/, bad: /ハードウェアトークンのシリアル番号（例: GAHT12345678）でもありません/ },
};

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] a Japanese comment saved by Notepad as ANSI (Shift-JIS): one error naming the line and how to save as UTF-8; nothing changed`, async () => {
    const home = homeFor(lang);
    const u = await createUser(emu.moto.endpoint);
    writeLongTerm(home, 'sjis', u);
    // 「# 鈴木の本番用」 in code page 932
    const sjis = Buffer.from([0x23, 0x20, 0x97, 0xe9, 0x96, 0xd8, 0x82, 0xcc, 0x96, 0x7b, 0x94, 0xd4, 0x97, 0x70, 0x0d, 0x0a]);
    writeFileSync(home.credentials, Buffer.concat([sjis, readFileSync(home.credentials)]));
    const before = bytes(home.credentials);
    await emu.moto.resetRecording();
    const r = await runCli(['--profile', 'sjis', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    const line = oneError(r.stderr, lang);
    const words = { en: /credentials:1: .*Shift-JIS.*Save As, Encoding: UTF-8/, ja: /credentials:1: この行が UTF-8 ではありません.*「名前を付けて保存」で文字コードを「UTF-8」/ };
    assert.match(line, words[lang]);
    assert.equal(bytes(home.credentials), before);
    assert.deepEqual(await emu.moto.actions(), []);
  });

  test(`[${lang}] codes typed with a Japanese input method (full-width digits and spaces) are sent as six ASCII digits`, async () => {
    const u = await createUser(emu.moto.endpoint, { withDevice: false });
    const home = homeFor(lang);
    writeLongTerm(home, 'ime', u);
    // the device-enable codes: device create with full-width codes
    await emu.moto.resetRecording();
    const created = await runCli(['device', 'create', '--profile', 'ime', '--code1', '１２３４５６', '--code2', '６５４　３２１'], { env: home.env });
    assert.equal(created.code, 0, created.stderr);
    const [enable] = await emu.moto.requests('EnableMFADevice');
    assert.deepEqual([enable?.params.AuthenticationCode1, enable?.params.AuthenticationCode2], ['123456', '654321']);
    for (const typed of ['１２３４５６', '１２３ ４５６', '１２３　４５６', '１２３－４５６', '１２３ー４５６', '１２３ｰ４５６']) {
      await emu.moto.resetRecording();
      const r = await runCli(['--profile', 'ime', '--token', typed, '--force'], { env: home.env });
      assert.equal(r.code, 0, `${typed}: ${r.stderr}`);
      const [req] = await emu.moto.requests('GetSessionToken');
      assert.equal(req?.params.TokenCode, '123456', typed);
    }
    // letters stay letters, full-width or not: exit 2, nothing sent, nothing written
    const before = bytes(home.credentials);
    await emu.moto.resetRecording();
    const bad = await runCli(['--profile', 'ime', '--token', 'ａｂｃｄｅｆ', '--force'], { env: home.env });
    assert.equal(bad.code, 2, bad.stderr);
    oneError(bad.stderr, lang);
    assert.equal(bytes(home.credentials), before);
    assert.deepEqual(await emu.moto.actions(), []);
  });

  test(`[${lang}] no MFA device yet: the device create the tool offers names the profile, and works when pasted`, async () => {
    const u = await createUser(emu.moto.endpoint, { withDevice: false });
    const home = homeFor(lang);
    writeLongTerm(home, 'nodev', u, { device: false });
    const listed = await runCli(['device', 'list', '--profile', 'nodev'], { env: home.env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /aws-mfa device create --profile nodev[)）]$/m);
    const session = await runCli(['--profile', 'nodev', '--token', '123456'], { env: home.env });
    assert.equal(session.code, 3, session.stderr);
    const offered = /「?"?(aws-mfa device create --profile nodev)"?」?/.exec(oneError(session.stderr, lang))?.[1];
    assert.ok(offered, session.stderr);
    const created = await runCli([...offered.split(' ').slice(1), '--code1', '123456', '--code2', '654321'], { env: home.env });
    assert.equal(created.code, 0, created.stderr);
    assert.match(IniDocument.parse(home.read()).get('nodev-long-term', 'aws_mfa_device') ?? '', /^arn:aws:iam::\d{12}:mfa\//);
  });

  test(`[${lang}] a hardware token's serial number is a device (--device and aws_mfa_device); a u2f ARN is refused with the reason`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    writeLongTerm(home, 'hw', u, { device: false });
    await emu.moto.resetRecording();
    const flag = await runCli(['--profile', 'hw', '--device', 'GAHT12345678', '--token', '123456'], { env: home.env });
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal((await emu.moto.requests('GetSessionToken'))[0]?.params.SerialNumber, 'GAHT12345678');
    // the device given is kept with the session: status shows it, and a renewal without --device uses it
    const deviceOf = async () => (JSON.parse((await runCli(['status', '--json'], { env: home.env })).stdout) as Array<{ profile: string; device: string | null }>).find((s) => s.profile === 'hw')?.device;
    assert.equal(await deviceOf(), 'GAHT12345678');
    await emu.moto.resetRecording();
    const renewed = await runCli(['--profile', 'hw', '--token', '123456', '--force'], { env: home.env });
    assert.equal(renewed.code, 0, renewed.stderr);
    assert.equal((await emu.moto.requests('GetSessionToken'))[0]?.params.SerialNumber, 'GAHT12345678');
    // a device in the long-term section wins over the one kept with the session, which then goes (not stale)
    home.write(home.read().replace('[hw-long-term]\n', '[hw-long-term]\naws_mfa_device = GAHT87654321\n'));
    await emu.moto.resetRecording();
    const inFile = await runCli(['--profile', 'hw', '--token', '123456', '--force'], { env: home.env });
    assert.equal(inFile.code, 0, inFile.stderr);
    assert.equal((await emu.moto.requests('GetSessionToken'))[0]?.params.SerialNumber, 'GAHT87654321');
    assert.equal(IniDocument.parse(home.read()).get('hw', 'aws_mfa_device'), undefined);
    assert.equal(await deviceOf(), 'GAHT87654321');
    // given once for one session, the token is what status shows for it
    const once = await runCli(['--profile', 'hw', '--device', 'GAHT12345678', '--token', '123456', '--force'], { env: home.env });
    assert.equal(once.code, 0, once.stderr);
    assert.equal(await deviceOf(), 'GAHT12345678');

    const before = bytes(home.credentials);
    await emu.moto.resetRecording();
    const u2f = await runCli(['--profile', 'hw', '--device', 'arn:aws:iam::123456789012:u2f/user/key-ABCDEF', '--token', '123456', '--force'], { env: home.env });
    assert.equal(u2f.code, 3, u2f.stderr);
    assert.match(oneError(u2f.stderr, lang), CODE_WORDS[lang].u2f);
    for (const wrong of ['GAHT1234', 'arn:aws:iam::123456789012:user/alice', 'GAHT 12345678']) {
      const r = await runCli(['--profile', 'hw', '--device', wrong, '--token', '123456', '--force'], { env: home.env });
      assert.equal(r.code, 3, r.stderr);
      const line = oneError(r.stderr, lang);
      assert.match(line, CODE_WORDS[lang].bad);
      assert.match(line, /aws-mfa device list --profile hw$/);
    }
    assert.equal(bytes(home.credentials), before, 'no file changed');
    assert.deepEqual(await emu.moto.actions(), []);
  });
}

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] rotate takes --token and the session options: the session it gets signs the IAM calls`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    writeLongTerm(home, 'rot', u);
    await emu.moto.resetRecording();
    const r = await runCli(['rotate', '--profile', 'rot', '--token', '１２３ ４５６', '--duration', '3600', '--wait', '0'], { env: home.env });
    assert.equal(r.code, 0, r.stderr);
    const [sts] = await emu.moto.requests('GetSessionToken');
    assert.deepEqual([sts?.params.TokenCode, sts?.params.DurationSeconds, sts?.accessKeyId], ['123456', '3600', u.accessKeyId]);
    const sessionKeyId = IniDocument.parse(home.read()).get('rot', 'aws_access_key_id');
    assert.ok(sessionKeyId && sessionKeyId !== u.accessKeyId, 'the session was kept in [rot]');
    const [create] = await emu.moto.requests('CreateAccessKey');
    assert.equal(create?.accessKeyId, sessionKeyId, 'CreateAccessKey signed with the MFA session');
    assert.notEqual(IniDocument.parse(home.read()).get('rot-long-term', 'aws_access_key_id'), u.accessKeyId, 'the key was rotated');
    // a bad session option: exit 2 before anything is sent or written
    const before = bytes(home.credentials);
    await emu.moto.resetRecording();
    const bad = await runCli(['rotate', '--profile', 'rot', '--token', '12345', '--force'], { env: home.env });
    assert.equal(bad.code, 2, bad.stderr);
    oneError(bad.stderr, lang);
    assert.equal(bytes(home.credentials), before);
    assert.deepEqual(await emu.moto.actions(), []);
  });
}

/** A profile whose table row is wide: a device and a role with paths, a session for the role, times in JST. */
function wideProfiles(home: Home): void {
  const exp = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const role = 'arn:aws:iam::123456789012:role/engineering/AdministratorAccessForProduction';
  home.write(
    `[platform-long-term]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = x\n` +
      `aws_mfa_device = arn:aws:iam::123456789012:mfa/engineering/tokyo/suzuki-iphone\nassume_role = ${role}\n\n` +
      `[platform]\nassumed_role = True\nassumed_role_arn = ${role}\naws_access_key_id = ASIAEXAMPLEEXAMPLE01\n` +
      `aws_secret_access_key = s\naws_session_token = t\naws_security_token = t\nexpiration = ${exp}\n\n` +
      `[fresh-long-term]\naws_access_key_id = AKIAEXAMPLEEXAMPLE02\naws_secret_access_key = y\n`,
  );
}

const widthOf = (text: string) => Math.max(...text.trimEnd().split('\n').map((l) => stringWidth(l)));
const LABELS = {
  en: ['Session:', 'Device:', 'Keys:', 'Role:'],
  ja: ['セッション:', 'MFA デバイス:', 'キーの保存先:', 'ロール:'],
};
/** The block's line for where the session is kept: only where that differs from where the key is. */
const KEPT_LABEL = { en: 'Session kept in:', ja: 'セッションの保存先:' };

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] status fits the terminal: COLUMNS, or the console's own width; one block a profile below 100 columns`, async () => {
    const home = homeFor(lang);
    wideProfiles(home);
    const env = { ...home.env, TZ: 'Asia/Tokyo' };
    const wide = await runCli(['status'], { env: { ...env, COLUMNS: '400' } });
    assert.equal(wide.code, 0, wide.stderr);
    assert.ok(widthOf(wide.stdout) > 120, `the table is wider than cmd's 120 columns:\n${wide.stdout}`);
    assert.match(wide.stdout, lang === 'en' ? /^PROFILE +SESSION/ : /^プロファイル +セッション/);
    for (const columns of [120, 99, 80]) {
      const r = await runCli(['status'], { env: { ...env, COLUMNS: String(columns) } });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(widthOf(r.stdout) <= columns, `COLUMNS=${columns}: every line fits\n${r.stdout}`);
      for (const label of LABELS[lang]) assert.ok(r.stdout.includes(label), `COLUMNS=${columns}: ${label}\n${r.stdout}`);
      if (columns < 120) assert.ok(!r.stdout.includes(KEPT_LABEL[lang]), `keys and sessions both in the file:\n${r.stdout}`);
      assert.match(r.stdout, /^platform\n/m);
      assert.ok(r.stdout.includes('arn:aws:iam::123456789012:role/engineering/AdministratorAccessForProduction'), 'an ARN is never split');
    }
    // the same file without COLUMNS in an 80-column terminal: the console's width, every line unwrapped
    const pty = startPty([...CLI_COMMAND, 'status'], env, { width: 80 });
    assert.equal(await pty.exitCode(), 0, pty.screen());
    const screen = pty.screen().replace(/\[exit=0\][\s\S]*/, '');
    assert.ok(screen.includes(LABELS[lang][0]!), screen);
    assert.ok(widthOf(screen) <= 80, `nothing wraps at 80 columns:\n${screen}`);
    // a pipe without COLUMNS keeps the table (scripts read it)
    const piped = await runCli(['status'], { env });
    assert.equal(piped.stdout, wide.stdout);
  });
}

/** Profiles as the seed guides make them: a device by the user's name, a session in JST, no role (with a role's ARN the row is wider than 120). */
function typicalProfiles(home: Home): void {
  const exp = new Date(Date.now() + 11 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const longTerm = (name: string, extra = '') =>
    `[${name}-long-term]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = x\n` +
    `aws_mfa_device = arn:aws:iam::123456789012:mfa/suzuki-iphone\n${extra}\n`;
  const session = (name: string, extra = '') =>
    `[${name}]\n${extra}aws_access_key_id = ASIAEXAMPLEEXAMPLE01\naws_secret_access_key = s\n` +
    `aws_session_token = t\naws_security_token = t\nexpiration = ${exp}\n\n`;
  home.write(longTerm('cloudX') + session('cloudX') + longTerm('cloudY') + session('cloudY'));
}

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] status of typical profiles is a table at 120 columns (the local time only); every line fits at 100 and 99`, async () => {
    const home = homeFor(lang);
    typicalProfiles(home);
    const env = { ...home.env, TZ: 'Asia/Tokyo' };
    for (const columns of [100, 99]) {
      const r = await runCli(['status'], { env: { ...env, COLUMNS: String(columns) } });
      assert.ok(widthOf(r.stdout) <= columns, `COLUMNS=${columns}: every line fits\n${r.stdout}`);
    }
    for (const columns of [120]) {
      const r = await runCli(['status'], { env: { ...env, COLUMNS: String(columns) } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, lang === 'en' ? /^PROFILE +SESSION/ : /^プロファイル +セッション/, `COLUMNS=${columns}: a table\n${r.stdout}`);
      assert.ok(widthOf(r.stdout) <= columns, `COLUMNS=${columns}: every line fits\n${r.stdout}`);
      assert.match(r.stdout, / \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+09:00/);
      assert.doesNotMatch(r.stdout, /\d{2}:\d{2}:\d{2}|\(\d{4}-/, 'no seconds, no UTC beside the local time');
      assert.ok(r.stdout.includes('arn:aws:iam::123456789012:mfa/suzuki-iphone'));
    }
    const narrow = await runCli(['status'], { env: { ...env, COLUMNS: '99' } });
    assert.ok(narrow.stdout.includes(LABELS[lang][0]!), narrow.stdout);
    // the JSON is the same whatever the width
    const json = await runCli(['status', '--json'], { env: { ...env, COLUMNS: '120' } });
    const steady = (text: string) => (JSON.parse(text) as Array<Record<string, unknown>>).map(({ secondsLeft, reason, ...rest }) => rest);
    assert.deepEqual(steady(json.stdout), steady((await runCli(['status', '--json'], { env })).stdout));
    assert.deepEqual(Object.keys(JSON.parse(json.stdout)[0]), ['profile', 'longTerm', 'keys', 'device', 'role', 'state', 'expiration', 'secondsLeft', 'reason', 'kept']);
    assert.match(JSON.parse(json.stdout)[0].expiration, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
}

const DUE = {
  en: {
    expired: (time: string) => `expired (${time}); run aws-mfa --profile cloudX to renew it`,
    pair: (time: string) => `expired (${time}); run aws-mfa -s example -d example_mfa to renew it`,
    role: 'no session yet; run aws-mfa --profile prod to get one',
  },
  ja: {
    expired: (time: string) => `期限切れ（${time}）。aws-mfa --profile cloudX で更新してください`,
    pair: (time: string) => `期限切れ（${time}）。aws-mfa -s example -d example_mfa で更新してください`,
    role: 'セッションはまだありません。aws-mfa --profile prod で取得してください',
  },
};

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] status calls nothing, so a due session's reason names the command to run: --profile, -s/-d, a role profile`, async () => {
    const home = homeFor(lang);
    const then = new Date(Date.now() - 3600_000);
    const exp = then.toISOString().slice(0, 19).replace('T', ' ');
    const keys = 'aws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = x\n';
    const session = `aws_access_key_id = ASIAEXAMPLEEXAMPLE01\naws_secret_access_key = s\naws_session_token = t\nexpiration = ${exp}\n`;
    home.write(`[cloudX-long-term]\n${keys}\n[cloudX]\n${session}\n[example]\n${keys}\n[example_mfa]\n${session}`);
    home.write('[profile prod]\nrole_arn = arn:aws:iam::123456789012:role/Prod\nsource_profile = cloudX\n', home.config);
    const env = { ...home.env, TZ: 'Asia/Tokyo' };
    const local = new Date(then.getTime() + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    const wide = await runCli(['status'], { env: { ...env, COLUMNS: '400' } });
    assert.equal(wide.code, 0, wide.stderr);
    const rowOf = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name} `)) ?? text;
    // the table's short time: local, to the minute, with its zone
    assert.ok(rowOf(wide.stdout, 'cloudX').includes(DUE[lang].expired(`${local} UTC+09:00`)), wide.stdout);
    assert.ok(rowOf(wide.stdout, 'example_mfa').includes(DUE[lang].pair(`${local} UTC+09:00`)), wide.stdout);
    assert.ok(rowOf(wide.stdout, 'prod').includes(DUE[lang].role), wide.stdout);
    assert.doesNotMatch(wide.stdout, /getting|取得します|更新します|引き受けます/, 'status promises nothing it does not do');
    // the blocks: the full time, UTC beside it
    const narrow = await runCli(['status'], { env: { ...env, COLUMNS: '80' } });
    assert.ok(narrow.stdout.replace(/\n {4}/g, ' ').includes(DUE[lang].expired(`${local}:${exp.slice(17)} UTC+09:00 (${exp} UTC)`)), narrow.stdout);
    // the command as pasted renews that very session (it goes to AWS, which knows no such key here)
    const pasted = await runCli(DUE.en.pair('').split(' run ')[1]!.split(' ').slice(1, 5), { env });
    assert.notEqual(pasted.code, 2, pasted.stderr);
    assert.match(pasted.stderr, /\[example_mfa\] (のセッションは .* に期限切れ|.*expired)/);
    // --json keeps its English reason
    const json = JSON.parse((await runCli(['status', '--json'], { env })).stdout) as Array<{ profile: string; reason: string }>;
    assert.match(json.find((r) => r.profile === 'cloudX')!.reason, /^The session in \[cloudX\] expired at .*; getting a new one$/);
  });
}

const KEPT_REGION = {
  en: { ask: /Default region for this profile \(Enter keeps ap-northeast-1\): *$/m, kept: 'aws-mfa: Kept region = ap-northeast-1 of [profile example] in FILE' },
  ja: { ask: /このプロファイルの既定のリージョン（Enter で今の ap-northeast-1 のまま）: *$/m, kept: 'aws-mfa: FILE の [profile example] の region = ap-northeast-1 はそのままにしました' },
};

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] init offers the region the profile has already: Enter keeps it, and the config file is left as it was`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    writeLongTerm(home, 'example', u, { suffix: 'none' });
    const config = '[default]\nregion = us-east-1\n\n[profile example]\nregion = ap-northeast-1\noutput = json\n';
    home.write(config, home.config);
    const pty = startPty([...CLI_COMMAND, 'init', '--profile', 'example', '--token', '123456'], home.env);
    await pty.waitFor(KEPT_REGION[lang].ask);
    assert.doesNotMatch(pty.screen(), /ap-northeast-1。空欄|empty: none/, 'no offer to leave it unset');
    pty.enter();
    assert.equal(await pty.exitCode(), 0, pty.screen());
    const screen = pty.screen().replace(/\n(?!aws-mfa: |\S*\[exit)/g, '');
    assert.ok(screen.includes(KEPT_REGION[lang].kept.replace('FILE', home.config)), pty.screen());
    assert.equal(home.read(home.config), config, 'the config file byte for byte');
    assert.ok(IniDocument.parse(home.read()).get('example', 'aws_session_token'), 'the first session');
  });
}

const FIRST_RUN = {
  en: {
    noneYet: 'aws-mfa: No session in [cloudX] yet; getting one\n',
    region: /Wrote region = ap-northeast-1 to \[profile cloudX\] in \S+ \(copied from \[profile cloudX-long-term\]\) for the AWS CLI\n/,
  },
  ja: {
    noneYet: 'aws-mfa: [cloudX] にはまだセッションがありません。新しく取得します\n',
    region: /\S+ の \[profile cloudX\] に region = ap-northeast-1 を書き込みました（\[profile cloudX-long-term\] の region をコピー）\n/,
  },
};

for (const lang of ['en', 'ja'] as const) {
  test(`[${lang}] the guide's first run with an empty [cloudX]: no session yet (not "incomplete"), the region copied from the long-term profile`, async () => {
    const u = await createUser(emu.moto.endpoint);
    const home = homeFor(lang);
    home.write(`[cloudX]\r\n\r\n[cloudX-long-term]\r\naws_access_key_id = ${u.accessKeyId}\r\naws_secret_access_key = ${u.secretAccessKey}\r\naws_mfa_device = ${u.deviceArn}\r\n`);
    home.write('[profile cloudX-long-term]\r\nregion = ap-northeast-1\r\n', home.config);
    const r = await runCli(['--profile', 'cloudX', '--token', '123456'], { env: home.env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(FIRST_RUN[lang].noneYet), r.stderr);
    assert.doesNotMatch(r.stderr, /incomplete|不完全/);
    assert.match(r.stderr, FIRST_RUN[lang].region);
    assert.equal(r.stderr.split(home.config).length, 2, 'the config file is named once');
  });

  test(`[${lang}] help is translated whole, and status's --profile says what it does there`, async () => {
    const env = homeFor(lang).env;
    const status = await runCli(['help', 'status'], { env });
    assert.equal(status.code, 0, status.stderr);
    const device = await runCli(['help', 'device'], { env });
    const root = await runCli(['--help'], { env });
    if (lang === 'ja') {
      for (const text of [status.stdout, device.stdout, root.stdout]) assert.doesNotMatch(text, /\[options\]/);
      assert.match(status.stdout, /^使い方: aws-mfa status \[--json\] \[オプション\]$/m);
      assert.match(device.stdout, /^使い方: aws-mfa device create\|enable\|list\|remove \[オプション\]$/m);
      assert.match(status.stdout.replace(/\n +/g, ''), /--profile NAMEこのプロファイルだけを表示する（省略時は aws-mfa が管理するすべてのプロファイル。AWS_PROFILE は参照しません）/);
      assert.doesNotMatch(status.stdout, /セッションを取得する/);
      assert.ok(root.stdout.replace(/\n +/g, '').includes('セッションを取得するプロファイル（省略時は環境変数 AWS_PROFILE、AWS_DEFAULT_PROFILE の順に参照。既定値: default）'), root.stdout);
    } else {
      assert.match(status.stdout, /^Usage: aws-mfa status \[--json\] \[options\]$/m);
      assert.match(status.stdout.replace(/\n +/g, ' '), /--profile NAME show only this profile \(default: all that aws-mfa manages; AWS_PROFILE is not read\)/);
      assert.doesNotMatch(status.stdout, /to get a session for/);
      assert.ok(root.stdout.replace(/\n +/g, ' ').includes('the profile to get a session for (when not given: AWS_PROFILE, then AWS_DEFAULT_PROFILE; default: default)'), root.stdout);
    }
  });

  test(`[${lang}] npm run demo speaks the user's language, and so does aws-mfa in it`, async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: homeFor(lang).dir, ...LANGS[lang], ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}) };
    // the whole demo (an emulator, a user, sessions, the AWS CLI): minutes on a loaded machine
    const r = await runProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts')], { env, cwd: ROOT, timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const said = r.stdout.split('\n');
    const ours = said.filter((l) => l.startsWith('aws-mfa: ') || /^(moto_server|IAM |Created |The demo|デモ)/.test(l));
    assert.ok(ours.length >= 6, r.stdout);
    // the happy path has no warning (the demo's profile has a region), and the written block follows the line announcing it
    assert.doesNotMatch(r.stdout, /warning|警告/, r.stdout);
    const wrote = said.findIndex((l) => /\[profile demo-auto\].*:$/.test(l));
    assert.ok(wrote >= 0 && said[wrote + 1] === '[profile demo-auto]', r.stdout);
    if (lang === 'ja') for (const l of ours) assert.match(l, /[\u3040-\u30ff\u4e00-\u9fff]/, `not Japanese: ${l}`);
    else for (const l of ours) assert.doesNotMatch(l, /[\u3040-\u30ff\u4e00-\u9fff]/, `not English: ${l}`);
    assert.ok(said.includes(lang === 'ja' ? 'デモは成功しました。セッションを取得し、AWS CLI で使い、再利用し、exec で実行し、credential_process で AWS CLI に渡しました。' : 'The demo worked: a session was fetched, used by the AWS CLI, reused, run with exec, and served to the AWS CLI through credential_process.'), r.stdout);
  });
}
