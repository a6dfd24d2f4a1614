/**
 * The message catalog: both languages complete (the same keys, the same `{placeholders}`), the
 * Japanese really Japanese and keeping every command, flag, variable and file name as it is; the
 * language choice (--lang, AWS_MFA_LANG, LC_ALL, LC_MESSAGES, LANG, Windows' UI language); and
 * help text wrapped at 80 columns with Japanese counted as two columns a character.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { en } from '../../src/messages/en.js';
import { ja } from '../../src/messages/ja.js';
import { t, useCatalog, inEnglish, type Catalog } from '../../src/messages/index.js';
import { chooseLanguage, langFlag } from '../../src/messages/lang.js';
import { helpWidth } from '../../src/commands/help.js';
import { wrap } from '../../src/io/wrap.js';
import { table } from '../../src/io/table.js';

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
const JAPANESE = /[\u3001-\u30ff\u3400-\u9fff\uff01-\uff60]/;

/** Messages that read the same in both languages: nothing in them is English prose. */
const SAME_IN_BOTH = new Set<string>([
  'prompt.yesNo', // [y/N]: the code accepts y, yes and はい
  'time.utc', // {utc} UTC
  'keys.list.file', // {file}: the path alone
  'time.localAndUtc', // {local} {zone} ({utc} UTC): ASCII brackets around ASCII, as Japanese technical text writes it
  'code.dialogOk', // OK: Japanese Windows' own buttons say OK
]);

test('ja has exactly the keys of en', () => {
  const enKeys = Object.keys(en).sort();
  const jaKeys = Object.keys(ja).sort();
  assert.deepEqual(
    enKeys.filter((k) => !jaKeys.includes(k)),
    [],
    'keys of en.ts that ja.ts lacks',
  );
  assert.deepEqual(
    jaKeys.filter((k) => !enKeys.includes(k)),
    [],
    'keys of ja.ts that en.ts does not have',
  );
});

test('every ja message has exactly the placeholders of its en message', () => {
  const wrong: string[] = [];
  for (const key of Object.keys(en) as Array<keyof Catalog>) {
    const want = placeholders(en[key]);
    const got = placeholders(ja[key] ?? '');
    if (want.join() !== got.join()) wrong.push(`${key}: en {${want.join('} {')}} but ja {${got.join('} {')}}`);
  }
  assert.deepEqual(wrong, []);
});

test('every ja message is Japanese, except the few that read the same in both', () => {
  const english: string[] = [];
  for (const key of Object.keys(en) as Array<keyof Catalog>) {
    if (SAME_IN_BOTH.has(key)) {
      assert.equal(ja[key], en[key], `${key} is allowed to be the same only because it is the same`);
      continue;
    }
    if (ja[key] === en[key] || !JAPANESE.test(ja[key])) english.push(`${key}: ${ja[key]}`);
  }
  assert.deepEqual(english, [], 'untranslated messages');
});

test('command names, flags, variables, files and keys stay as they are in Japanese', () => {
  // what a user types or greps for: --flags, aws-mfa commands, VARIABLES, aws_* keys, ~/.aws paths
  const tokens = (s: string) =>
    new Set(s.match(/--[a-z][\w-]*|\baws-mfa(?: (?:device|init|console|status|completion|help|export|exec|clear))?\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(?:aws|mfa|cli|ca|credential|assume|region)_[a-z_]+\b|~\/\.aws\/\w+|chmod [\w-]+|mkdir -p/g) ?? []);
  const lost: string[] = [];
  for (const key of Object.keys(en) as Array<keyof Catalog>) {
    for (const token of tokens(en[key])) if (!ja[key].includes(token)) lost.push(`${key}: ${token}`);
  }
  assert.deepEqual(lost, []);
});

test('prompts end as the English ones do, so the cursor sits where the user types', () => {
  const prompts = (Object.keys(en) as Array<keyof Catalog>).filter((k) => /[:?\]] $/.test(en[k]));
  assert.ok(prompts.length >= 12, `the prompts were found (${prompts.length})`);
  for (const key of prompts) {
    assert.ok(ja[key].endsWith(' '), `${key} ends with a space: ${JSON.stringify(ja[key])}`);
    assert.ok(!ja[key].endsWith('  '), `${key} ends with one space`);
    const last = en[key].trimEnd().at(-1);
    const jaLast = ja[key].trimEnd().at(-1);
    if (last === ':') assert.ok(jaLast === ':' || jaLast === '：', `${key} ends with a colon: ${JSON.stringify(ja[key])}`);
    if (last === ']') assert.equal(jaLast, ']', key);
  }
  // the English ones that end without a space (a label before a QR code or a seed) keep their colon
  for (const key of ['device.scanQr', 'device.secretForManualEntry', 'device.listTitle'] as const) {
    assert.ok(en[key].endsWith(':') && /[:：]$/.test(ja[key]), key);
  }
});

test('t() speaks the catalog in use in every copy of the module (the chunks share it through globalThis)', async () => {
  try {
    useCatalog(ja);
    assert.equal(t('help.usage'), '使い方');
    assert.equal(t('time.hoursMinutes', { h: 11, m: 59 }), '11 時間 59 分');
    assert.equal(inEnglish(() => t('help.usage')), 'Usage', 'machine-readable output can ask for English');
    assert.equal(t('help.usage'), '使い方', 'and the language comes back afterwards');
    // a second copy of the module, as a bundle chunk has: it must see the same language
    const copy = (await import(`../../src/messages/index.ts?copy=${Date.now()}`)) as typeof import('../../src/messages/index.js');
    assert.notEqual(copy.t, t, 'really another copy of the module');
    assert.equal(copy.t('help.usage'), '使い方');
  } finally {
    useCatalog(en);
  }
  assert.equal(t('help.usage'), 'Usage');
});

test('language: --lang, then AWS_MFA_LANG, then LC_ALL, LC_MESSAGES, LANG; a value starting with ja is Japanese', () => {
  const notWindows = () => assert.fail('the UI language is asked only on Windows');
  const choose = (argv: string[], env: Record<string, string>) => chooseLanguage(argv, env, false, notWindows);
  assert.equal(choose([], {}), 'en', 'English by default');
  assert.equal(choose([], { LANG: 'ja_JP.UTF-8' }), 'ja');
  assert.equal(choose([], { LANG: 'ja_JP.eucJP' }), 'ja');
  assert.equal(choose([], { LANG: 'ja' }), 'ja');
  assert.equal(choose([], { LANG: 'C' }), 'en', 'LANG=C is English');
  assert.equal(choose([], { LANG: 'C.UTF-8' }), 'en');
  assert.equal(choose([], { LANG: 'POSIX' }), 'en');
  assert.equal(choose([], { LANG: 'en_US.UTF-8' }), 'en');
  assert.equal(choose([], { LANG: 'jv_ID.UTF-8' }), 'en', 'Javanese is not Japanese');
  // precedence
  assert.equal(choose([], { LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'C' }), 'ja', 'LC_MESSAGES over LANG');
  assert.equal(choose([], { LC_MESSAGES: 'C', LANG: 'ja_JP.UTF-8' }), 'en');
  assert.equal(choose([], { LC_ALL: 'C', LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'ja_JP.UTF-8' }), 'en', 'LC_ALL over both');
  assert.equal(choose([], { LC_ALL: 'ja_JP.UTF-8', LANG: 'C' }), 'ja');
  assert.equal(choose([], { AWS_MFA_LANG: 'en', LC_ALL: 'ja_JP.UTF-8', LANG: 'ja_JP.UTF-8' }), 'en', 'AWS_MFA_LANG over the locale');
  assert.equal(choose([], { AWS_MFA_LANG: 'ja', LC_ALL: 'C' }), 'ja');
  assert.equal(choose(['--lang', 'en'], { AWS_MFA_LANG: 'ja', LANG: 'ja_JP.UTF-8' }), 'en', '--lang over everything');
  assert.equal(choose(['--profile', 'x', '--lang=ja'], { AWS_MFA_LANG: 'en', LANG: 'C' }), 'ja');
  // an empty variable counts as unset, as POSIX says for the locale variables
  assert.equal(choose([], { LC_ALL: '', LANG: 'ja_JP.UTF-8' }), 'ja');
  assert.equal(choose([], { AWS_MFA_LANG: '', LANG: 'ja_JP.UTF-8' }), 'ja');
  assert.equal(choose(['--lang', ''], { LANG: 'ja_JP.UTF-8' }), 'ja');
});

test('--lang is read before parsing, but not from the arguments of the command exec runs', () => {
  assert.equal(langFlag(['--lang', 'ja', 'status']), 'ja');
  assert.equal(langFlag(['status', '--lang=en']), 'en');
  assert.equal(langFlag(['exec', '--profile', 'p', '--', 'tool', '--lang', 'ja']), undefined);
  assert.equal(langFlag(['--lang', 'en', '--lang', 'ja']), 'ja', 'the last one wins, as parseArgs takes it');
});

test("Windows: the user's UI language counts only when no variable or flag says otherwise", () => {
  let asked = 0;
  const ui = (locale: string) => () => {
    asked++;
    return locale;
  };
  assert.equal(chooseLanguage([], {}, true, ui('ja-JP')), 'ja');
  assert.equal(chooseLanguage([], {}, true, ui('en-US')), 'en');
  assert.equal(chooseLanguage([], {}, true, () => undefined), 'en');
  assert.equal(asked, 2);
  asked = 0;
  assert.equal(chooseLanguage([], { LANG: 'C' }, true, ui('ja-JP')), 'en', 'a variable wins (Git Bash sets LANG)');
  assert.equal(chooseLanguage([], { AWS_MFA_LANG: 'en' }, true, ui('ja-JP')), 'en');
  assert.equal(chooseLanguage(['--lang', 'en'], {}, true, ui('ja-JP')), 'en');
  assert.equal(chooseLanguage([], {}, false, ui('ja-JP')), 'en', 'not on other systems');
  assert.equal(asked, 0, 'the UI language was never consulted');
});

test('wrap: Japanese fills 80 columns, breaks only where 禁則 allows, and never splits a flag, path or ARN', () => {
  const text = ja['check.deviceU2f'].replace('{device}', 'arn:aws:iam::123456789012:u2f/user/alice-key-ABCDEFGH').replace('{source}', '--device').replace('{command}', 'aws-mfa device create');
  const lines = wrap(text, 80, 6).split('\n');
  assert.ok(lines.length >= 3, 'it was wrapped');
  for (const line of lines) assert.ok(stringWidth(line) <= 80, `at most 80 columns: ${stringWidth(line)} ${line}`);
  // filled: every line but the last leaves no room for the next line's first piece
  for (const [i, line] of lines.slice(0, -1).entries()) assert.ok(stringWidth(line) >= 70, `line ${i + 1} is filled: ${line}`);
  for (const line of lines.slice(1)) {
    assert.match(line, /^ {6}\S/, 'continuation lines are indented');
    assert.doesNotMatch(line.trimStart(), /^[、。，．）」』ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ]/, `no line starts with a closing mark or small kana: ${line}`);
  }
  for (const line of lines) assert.doesNotMatch(line, /[（「『]$/, `no line ends with an opening bracket: ${line}`);
  const joined = lines.map((l) => l.trim()).join('');
  for (const token of ['arn:aws:iam::123456789012:u2f/user/alice-key-ABCDEFGH', '--device', 'aws-mfa device create']) {
    assert.ok(lines.some((l) => l.includes(token)), `${token} is on one line`);
  }
  assert.equal(joined.replace(/\s/g, ''), text.replace(/\s/g, ''), 'nothing lost or added');
});

test('wrap: the bracket and comma of a Japanese list stay with their words', () => {
  // width chosen so a naive wrap would end a line with （ or start one with 、
  const text = 'セッションを、環境変数を設定する行として出力します（sh、fish、powershell、cmd、json、dotenv）。';
  for (let width = 20; width <= 60; width++) {
    const lines = wrap(text, width).split('\n');
    for (const line of lines) {
      assert.ok(stringWidth(line) <= width, `width ${width}: ${line}`);
      assert.doesNotMatch(line, /（$/, `width ${width}: ${line}`);
      assert.doesNotMatch(line, /^[、。）]/, `width ${width}: ${line}`);
    }
  }
});

test('wrap: English still breaks only at spaces', () => {
  const text = en['check.deviceU2f'].replace('{device}', 'arn:aws:iam::123456789012:u2f/user/alice-key').replace('{source}', '--device');
  const lines = wrap(text, 80).split('\n');
  for (const line of lines) assert.ok(line.length <= 80, line);
  assert.deepEqual(lines.join(' ').split(/\s+/), text.split(/\s+/), 'the same words, split only between them');
});

test('table: columns line up on the screen with Japanese headers and cells', () => {
  const out = table(
    [ja['status.headProfile'], ja['status.headSession'], ja['status.headDevice']],
    [
      ['work', '残り 11 時間 59 分（2026-11-22 21:26:58 UTC+09:00 まで）', 'arn:aws:iam::123456789012:mfa/alice'],
      ['本番', '[本番] にはまだセッションがありません', '（デバイス未設定）'],
    ],
  );
  const lines = out.trimEnd().split('\n');
  // where each column starts, in screen columns: the same on every line
  const starts = (line: string, cells: string[]) => cells.map((c) => stringWidth(line.slice(0, line.indexOf(c))));
  const expected = starts(lines[0]!, [ja['status.headProfile'], ja['status.headSession'], ja['status.headDevice']]);
  assert.deepEqual(starts(lines[1]!, ['work', '残り', 'arn:']), expected);
  assert.deepEqual(starts(lines[2]!, ['本番', '[本番]', '（デバイス']), expected);
  assert.ok(expected[1]! > stringWidth(ja['status.headProfile']), 'the first column is as wide as its widest cell, on screen');
});

test('wrap: a command given to keep is never split, at any width', () => {
  const text = ja['help.more'];
  const commands = ['aws-mfa help COMMAND', 'aws-mfa COMMAND --help'];
  for (let width = 30; width <= 90; width++) {
    const lines = wrap(text, width, 0, 0, commands).split('\n');
    for (const c of commands) assert.ok(lines.some((l) => l.includes(c)), `width ${width}: ${c} whole\n${lines.join('\n')}`);
  }
});

test("help's width: 80 for a pipe, the terminal's between 40 and 120", () => {
  assert.equal(helpWidth(undefined), 80);
  assert.equal(helpWidth(100), 100);
  assert.equal(helpWidth(300), 120);
  assert.equal(helpWidth(20), 40);
});

test('the Japanese code prompt, a device ARN of a 32-character user name and a code typed, fits a 120-column cmd window', () => {
  const device = `arn:aws:iam::123456789012:mfa/${'u'.repeat(32)}`;
  useCatalog(ja);
  try {
    const line = t('code.prompt', { device, seconds: 43200 }) + '123456';
    assert.ok(stringWidth(line) <= 119, `${stringWidth(line)} columns: ${line}`);
  } finally {
    useCatalog(en);
  }
});
