/**
 * 日本語: the messages of the cached path (en-core.ts), which the entry's fast path carries.
 * ja.ts spreads these.
 */
import type { enCore } from './en-core.js';

export const jaCore: { readonly [K in keyof typeof enCore]: string } = {
  'file.readableByOthers':
    '{path} はほかのユーザーが読み取れます（モード {mode}）。次を実行してください: chmod 600 {path}',
  'file.writableByOthers':
    '{path} はほかのユーザーが変更できます（モード {mode}）。次を実行してください: chmod go-w {path}',
  'file.folderWritableByOthers':
    '{dir} はほかのユーザーが変更できる（モード {mode}）ため、中のファイルを置き換えられるおそれがあります。次を実行してください: chmod go-w {dir}',
  'log.error': 'エラー',
  'log.warning': '警告',
  'source.key': '[{section}] の {key}',
  'source.configKey': '{file} の {key}',
  'source.default': '既定値',
  'source.partitionDefault': 'パーティションの既定値',
  'source.osUser': 'OS のユーザー名',
  'source.recorded': '以前の検索で見つけて記録した [{section}] の aws_mfa_device',
  'file.bom':
    '{path}:1: ファイルの先頭に UTF-8 の BOM があり、AWS CLI はこれを読めません。BOM なしの UTF-8 で保存し直してください' +
    '（メモ帳なら「名前を付けて保存」で文字コード「UTF-8」）',
  'session.stillValid':
    '認証情報はまだ有効です（あと {seconds} 秒、{left}）。有効期限は {expiration} です。{use}。今すぐ更新するには「{renew}」を実行します。',
  'session.useProfile': '--profile {profile} を付けて使ってください',
  'session.useDefault': 'AWS CLI は --profile なしでこの認証情報を使います',
  'session.envKeyShadows':
    '環境変数 AWS_ACCESS_KEY_ID が設定されています。AWS CLI は aws-mfa が書き込むプロファイルではなくこちらを使います（{command} で解除してください）',
  'time.hoursMinutes': '{h} 時間 {m} 分',
  'time.minutesSeconds': '{m} 分 {s} 秒',
  'time.seconds': '{s} 秒',
  'time.utc': '{utc} UTC',
  'time.localAndUtc': '{local} {zone} ({utc} UTC)',
  'scan.duplicateKey':
    'キー {key} が [{section}] に 2 回あります（最初は {first} 行目）。AWS CLI は重複したキーを読み込めません',
  'scan.duplicateSection':
    'セクション [{section}] が再び現れます（最初は {first} 行目）。AWS CLI は重複したセクションを読み込めないため、1 つにまとめてください',
};
