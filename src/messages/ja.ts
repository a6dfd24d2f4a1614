/**
 * 日本語のカタログ (Japanese). Every key of en.ts with the same `{placeholders}` (the type makes a
 * missing key a compile error; test/unit/messages.test.ts checks the placeholders). Written as the
 * AWS Japanese console and documentation say it: MFA デバイス, アクセスキー, シークレットアクセスキー,
 * 一時的な認証情報, プロファイル, リージョン, ロール, セッション. Command names, flags, variables,
 * file and section names stay as they are. Loaded from its own chunk (dist/messages-ja.cjs), so it
 * imports only the type of the catalog.
 */
import type { Catalog } from './index.js';
import { jaCore } from './ja-core.js';
import { jaSea } from './ja-sea.js';
import { KEYRING_UNLOCK } from './en.js';

export const ja: Catalog = {
  ...jaCore,
  ...jaSea,
  // files: what they are, who can change them
  'file.kind.fifo': 'FIFO（名前付きパイプ）',
  'file.kind.directory': 'ディレクトリ',
  'file.kind.characterDevice': 'キャラクターデバイス',
  'file.kind.blockDevice': 'ブロックデバイス',
  'file.kind.socket': 'ソケット',
  'file.kind.other': '通常のファイル以外のもの',
  'file.notRegular':
    '{path} は{what}で、ファイルではありません。aws-mfa が読むのは通常のファイルだけです。{variable} で通常のファイルを指定してください',
  'file.tooLarge':
    '{path} は aws-mfa が読む上限 {limit} MiB より大きいファイルです（{size} バイト）。credentials や config のファイルではありません。{variable} ' +
    'で正しいファイルを指定してください',
  'file.foreignSymlink':
    '{path} はほかのユーザー（uid {uid}）が所有するシンボリックリンクなので、aws-mfa はこれを通して読み書きしません。確認して（ls -l {path}）、自分のファイルかリンクに置き換えてください',
  'file.linkLoop': '{path}: シンボリックリンクの階層が深すぎます。通常のファイルを指すようにしてください',
  'file.cannotRead': '{path}: ファイルを読み取れません（{code}）。アクセス権を確認してください',
  'file.heldOpen':
    '{path}: ほかのプログラムがファイルを {seconds} 秒間開いたままでした（{code}）。そのプログラム（エディター、同期ツール、実行中の AWS CLI など）を閉じてから、もう一度試してください',
  'file.why.writable': 'モード {mode}',
  'file.why.owner': 'uid {uid} が所有しています',
  'file.why.notFolder': 'フォルダーではありません',
  'file.why.loop': 'シンボリックリンクが多すぎます',
  'config.processFromChangeable':
    'aws-mfa は {config} の mfa_process を実行しません: {place} はほかのユーザーが変更できる（{why}）ため、そのファイルのコマンドはほかのユーザーが自由に決められます（ssh ' +
    'にも同じ規則があります）。次を実行してください: {fix}',

  // commands
  'cmd.root':
    'プロファイルの MFA セッションを取得（有効なものがあれば再利用）し、credentials ファイルに書き込みます（broamski の aws-mfa 互換）。',
  'cmd.export': 'セッションを、環境変数を設定する行として出力します（sh、fish、powershell、cmd、json、dotenv）。',
  'cmd.exec': 'セッションを環境変数に入れてコマンドを実行します（--ecs-server なら認証情報エンドポイントを渡します）。',
  'cmd.serve': 'ループバックの認証情報エンドポイントでコンテナや常駐ツールにセッションを渡します（Ctrl-C まで）。',
  'cmd.credentialProcess': 'AWS CLI と SDK のために credential_process の JSON を出力します。',
  'cmd.setupCredentialProcess':
    'aws-mfa を credential_process として実行するプロファイルを ~/.aws/config に書き込みます。',
  'cmd.status': 'aws-mfa が管理するプロファイルとそのセッションを表示します（AWS は呼び出しません）。',
  'cmd.whoami': 'セッションが誰のものか（GetCallerIdentity）と、どのように取得したかを表示します。',
  'cmd.console': 'ロールのセッションで AWS マネジメントコンソールを開きます。',
  'cmd.clear': 'セッションのセクションを削除します。次回の実行では MFA コードを尋ねます。',
  'cmd.deviceCreate':
    '仮想 MFA デバイスを作成して QR コードを表示し、2 つのコードで有効化してプロファイルに記録します。',
  'cmd.deviceEnable': '既存の未割り当ての MFA デバイスを、連続する 2 つのコードで有効化します。',
  'cmd.deviceList': 'IAM ユーザーの MFA デバイスと、アカウント内の未割り当ての仮想 MFA デバイスを一覧表示します。',
  'cmd.deviceRemove': 'MFA デバイスを無効化して削除します。',
  'cmd.init':
    '初期設定をまとめて行います: アクセスキーの確認、[NAME-long-term]、リージョン、MFA デバイス、最初のセッション。',
  'cmd.completion': 'シェルの補完スクリプトを出力します（bash、zsh、fish、powershell）。',
  'cmd.help': 'aws-mfa とそのコマンドのヘルプを表示します。',
  'cmd.keysMove':
    'プロファイルの長期のアクセスキーを OS のキーチェーンに移します（--to keychain）。credentials ファイルに戻すこともできます（--to file）。',
  'cmd.keysList':
    '各プロファイルの長期のアクセスキーの保存場所を表示します（シークレットは表示しません）。--age を付けると、IAM から取得した経過日数も表示します。',
  'cmd.rotate':
    '長期のアクセスキーを新しいものに置き換えて元と同じ場所に保存し、古いキーを削除（または無効化）します。',

  // options
  'opt.profile': 'セッションを取得するプロファイル',
  'opt.profileStatus':
    'このプロファイルだけを表示する（省略時は aws-mfa が管理するすべてのプロファイル。AWS_PROFILE は参照しません）',
  'opt.longTermSuffix': '長期キーのセクションは NAME-SUFFIX。none なら NAME そのもの',
  'opt.shortTermSuffix': 'セッションのセクションは NAME-SUFFIX。none なら NAME',
  'opt.source': 'go-aws-mfa 形式: 長期キーのあるセクション',
  'opt.destination': 'go-aws-mfa 形式: セッションを書き込むセクション',
  'opt.device': 'MFA デバイスの ARN、またはハードウェアトークンのシリアル番号',
  'opt.deviceAfter': 'プロファイルの aws_mfa_device か mfa_serial、ユーザーの唯一のデバイス',
  'opt.duration': 'セッションの有効期間（秒）: 900〜129600',
  'opt.durationDefault': '43200、ロールの場合は 3600 で最大 43200',
  'opt.assumeRole': 'MFA 付きで引き受けるロール',
  'opt.assumeRoleAfter': '長期キーのセクションにある assume_role の値',
  'opt.roleSessionName': 'ロールセッション名（既定値: OS のユーザー名）',
  'opt.externalId': 'ロールが要求する外部 ID',
  'opt.token': '6 桁の MFA コード（省略時は mfa_process、次にターミナルで入力、ターミナルがなければ標準入力の 1 行）',
  'opt.prompt':
    'MFA コードの尋ね方: terminal、zenity、kdialog、osascript、windows、ykman のいずれか。指定も環境変数もなければプロファイルの mfa_prompt、それもなければターミナル、' +
    'ターミナルがなければデスクトップのダイアログ',
  'opt.minTtl': '残り時間がこの秒数より短いセッションは更新する',
  'opt.force': 'セッションがまだ有効でも更新する',
  'opt.ecsServer': 'コマンドにはキーを渡さず、実行中にセッションを更新するループバックの認証情報エンドポイントを渡す',
  'opt.port': '127.0.0.1 上の認証情報エンドポイントのポート',
  'opt.portDefault': 'OS が選ぶ空きポート',
  'opt.region': 'STS のリージョン',
  'opt.regionAfter': 'プロファイルのリージョン、パーティションの既定',
  'opt.connectTimeout': '接続を待つ秒数',
  'opt.connectTimeoutAfter': '~/.aws/config の cli_connect_timeout',
  'opt.readTimeout': '応答を待つ秒数',
  'opt.readTimeoutAfter': '~/.aws/config の cli_read_timeout',
  'opt.logLevel': 'DEBUG、INFO、WARNING、ERROR、CRITICAL のいずれか',
  'opt.lang': 'メッセージの言語: en または ja',
  'opt.langAfter': 'Windows の表示言語',
  'opt.help': 'このヘルプを表示する',
  'opt.version': 'バージョンを表示する',
  'opt.setup': 'ターミナルでの回答から [NAME-long-term] を書き込む',
  'opt.formatDefault':
    'sh。fish や powershell から aws-mfa を実行したときはそのシェル用、Windows では powershell か cmd',
  'opt.format': 'sh、fish、powershell、cmd、json、dotenv のいずれか',
  'opt.json': 'テキストの代わりに JSON を出力する',
  'opt.print': 'ブラウザーを開かずに、サインイン URL を出力する',
  'opt.consoleDestination': 'サインイン後に開くコンソールのページ',
  'opt.cpName': '書き込むプロファイルの名前',
  'opt.user': 'IAM ユーザー（既定値: 長期キーの所有者）',
  'opt.deviceName': '仮想 MFA デバイスの名前',
  'opt.devicePath': 'デバイスの IAM パス。/ で始まり / で終わる',
  'opt.qrPng': 'QR コードをこの PNG ファイルにも書き込む（モード 0600）',
  'opt.showSecret': 'QR コードの代わりに、手入力用の Base32 シードを表示する',
  'opt.overwrite': '--qr-png のファイルがすでにあれば置き換える（指定しなければ、既存のファイルは拒否します）',
  'opt.code1': '連続する 2 つのコードの 1 つ目',
  'opt.code2': '連続する 2 つのコードの 2 つ目',
  'opt.serial': '有効化するデバイスの ARN',
  'opt.serialRemove': '削除するデバイスの ARN',
  'opt.yes': '確認せずに実行する',
  'opt.replaceKey': '[NAME-long-term] に別のキーがあるとき、そのキーを置き換える',
  'opt.accessKeyId': 'アクセスキー ID（AKIA...）',
  'opt.secretStdin': 'シークレットアクセスキーを標準入力の 1 行目から読み取る',
  'opt.completionProfiles': 'プロファイル名を出力する（補完スクリプト用）',
  'opt.keysTo': 'キーの移動先: keychain（OS のキーチェーン）または file（credentials ファイル）',
  'opt.keysNewEntry':
    '--to keychain と一緒に使います。セクションがエントリを指していても（aws_mfa_keychain_id）、キー用に新しいキーチェーンエントリを作ります',
  'opt.keysListProfile': 'このプロファイルのキーだけを表示する',
  'opt.keysAge': 'IAM の ListAccessKeys から各キーの経過日数と状態も表示する（90 日を超えると警告）',
  'opt.keepOld': '古いキーを削除せずに無効化する',
  'opt.rotateWait': 'AWS が新しいキーを受け付けるまで待つ時間',
  'default.iamUserName': 'IAM ユーザー名',
  'default.profileDevice': 'プロファイルの aws_mfa_device',

  // help
  'help.title': 'aws-mfa {version}: ターミナルから使う、MFA で保護された AWS セッション',
  'help.usage': '使い方',
  'help.options': 'オプション',
  'help.examples': '例',
  'help.commands': 'コマンド',
  'help.default': '既定値: {value}',
  'help.env': '省略時は環境変数 {names} の順に参照',
  'help.envOne': '省略時は環境変数 {name} を参照',
  'help.envThen': '省略時は環境変数 {names}、{after}の順に参照',
  'help.fromOne': '省略時は {name} を参照',
  'help.envSeparator': '、',
  'help.optionsArg': '[オプション]',
  'help.notes': '（{notes}）',
  'help.notesSeparator': '。',
  'help.more': 'コマンドごとにヘルプがあります: aws-mfa help COMMAND または aws-mfa COMMAND --help',
  'help.subMore': 'それぞれにヘルプがあります: aws-mfa {command} SUBCOMMAND --help',
  'help.exitCodes':
    '終了コード: 0 成功、1 想定外のエラー、2 使い方や入力の誤り、3 ファイルや設定、4 AWS による拒否、5 ネットワーク、75 別の aws-mfa が取得中、126/127 exec、130 中断。',

  // usage errors
  'usage.unknownCommand': '不明なコマンド「{command}」です。aws-mfa --help を参照してください',
  'usage.unknownSubcommand':
    '不明なコマンド「{command} {sub}」です。aws-mfa {command} {choices} を使ってください（aws-mfa {command} --help を参照）',
  'usage.unknownOption': '不明なオプション「{flag}」です。{help} を参照してください',
  'usage.commandFirst': '「{arg}」はコマンドです。オプションより前に書いてください: {command}',
  'usage.codeWithoutToken': 'MFA コードは --token の後に書いてください: {command}',
  'usage.didYouMean': '不明なコマンド「{arg}」です。次のコマンドのことですか: {command}',
  'usage.unexpectedArgument': '想定外の引数「{arg}」です。{help} を参照してください',
  'usage.missingValue': 'オプション {flag} の値がありません。{help} を参照してください',
  'usage.negativeNumber': '{flag} には 0 以上の整数を指定してください（「{value}」は使えません）',
  'usage.dashValue': '{flag} の値が「-」で始まっています。その値で正しければ {flag}=VALUE と書いてください',
  'usage.other': '{message}（{help} を参照してください）',
  'usage.sameOption': '{flags} は同じオプションです。1 回だけ指定してください',
  'usage.and': ' と ',
  'usage.lang': '--lang には en か ja を指定してください（「{value}」は使えません）',
  'usage.logLevel': '--log-level には {levels} のいずれかを指定してください（「{value}」は使えません）',
  'text.sentences': '{first}。{second}',
  'error.unexpected': '予期しない問題が発生しました: {message}',
  'error.unexpectedHint':
    '予期しない問題が発生しました: {message}（詳しくは --log-level DEBUG を付けて実行してください）',
  'prompt.yesNo': '[y/N]',

  // names and checks
  'names.sourceDestinationTogether':
    '-s SOURCE と -d DESTINATION は組で指定します。両方のプロファイル名を指定してください',
  'names.sourceIsDestination':
    '-s と -d が同じプロファイル [{name}] を指しています。セッションは別のプロファイルに書き込む必要があります',
  'names.badName':
    '{from} の「{name}」は AWS CLI と SDK が使えるプロファイル名ではありません（使える文字は英数字と _-/.%@:+ だけです）。' +
    '{like} のような名前にしてください',
  'names.sameSection':
    '長期キーのセクションとセッションのセクションがどちらも [{section}] になります。--long-term-suffix と --short-term-suffix には異なる値を指定してください',
  'check.seconds': '{what} は秒数を整数で指定してください（「{value}」は使えません）',
  'check.timeout': '{flag} は正の秒数で指定してください（「{value}」は使えません）',
  'check.deviceU2f':
    '{device}（{source}）は FIDO セキュリティキー（U2F）です。STS はこれでコードを受け取れないため、AWS CLI と aws-mfa では使えません。CLI 用には仮想またはハードウェアの ' +
    'TOTP デバイスを登録してください: {command}',
  'check.deviceArn':
    '{device}（{source}）は MFA デバイスの ARN（arn:aws:iam::123456789012:mfa/NAME）でも、ハードウェアトークンのシリアル番号（例: ' +
    'GAHT12345678）でもありません。デバイスの一覧は次で確認できます: {command}',
  'check.roleArn':
    '{role}（{source}）は IAM ロールの ARN ではありません。arn:aws:iam::123456789012:role/NAME の形式で指定してください',
  'check.durationRange': '有効期間 {seconds}（{source}）が範囲外です。{operation} に指定できるのは {min}〜{max} 秒です',
  'check.codeOfFlag': '{flag} の値: {message}',
  'check.codeEmpty': 'MFA コードは 6 桁の数字です（何も入力されていません）',
  'check.codeLetters': 'MFA コードは 6 桁の数字です（入力は {length} 文字で、数字以外の文字が含まれていました）',
  'check.codeLength': 'MFA コードは 6 桁の数字です（入力は {length} 文字でした）',
  'check.codeLetterOne': 'MFA コードは 6 桁の数字です（入力は 1 文字で、数字以外の文字でした）',
  'check.codeLengthOne': 'MFA コードは 6 桁の数字です（入力は 1 文字でした）',
  'check.codeAdvice': '認証アプリに表示されている 6 桁の数字を入力してください。',
  'check.codesEqual': '2 つのコードが同じです',
  'check.codesEqualAdvice': 'アプリに次のコードが表示されるまで（約 30 秒）待ち、それを 2 つ目として入力してください。',
  'check.codesEqualAgain':
    'アプリに次のコードが表示されるまで（約 30 秒）待ち、それを 2 つ目として入力し直してください（あと {left} 回）。',
  'check.externalId': '--external-id には英数字と +=,.@:/- からなる 2〜1224 文字を指定してください',
  'check.sessionName': '--role-session-name には英数字と +=,.@- からなる 2〜64 文字を指定してください',
  'check.accessKeyId':
    'アクセスキー ID は 16〜128 文字の英大文字と数字です（AKIA... のような形）。IAM コンソールからコピーしてください',
  'check.secret': 'シークレットアクセスキーが空か、空白を含んでいます。IAM コンソールからコピーしてください',
  'check.region': '{region}（{source}）はリージョン名ではありません。ap-northeast-1 や us-east-1 のような名前です',
  'check.deviceName':
    '--name「{name}」は MFA デバイス名に使えません。英数字と +=,.@_- からなる 1〜226 文字を指定してください',
  'check.devicePath': '--path「{path}」は「/」で始まり「/」で終わる必要があります（例: /engineering/）',

  // where values came from
  'source.lookup': 'IAM ユーザー {user} の唯一の MFA デバイス',
  'source.answer': '入力された値',

  // the profile and its files
  'files.noCredentials':
    'credentials ファイル {file} がありません。「{command}」を実行して作成してください（または AWS_SHARED_CREDENTIALS_FILE を設定してください）',
  'files.bomAfterWrite':
    '[{section}] にセッションを書き込みましたが、{file} を BOM なしで保存し直すまで AWS CLI では使えません（上の警告を参照）',
  'files.noFolder':
    '{file} に書き込めません: フォルダー {dir} がありません。作成する（mkdir -p {dir}）か、別のパスを指定してください',
  'files.folderNotWritable': '{file} に書き込めません: フォルダー {dir} に書き込めません。別のパスを指定してください',
  'files.isFolder': '{file} に書き込めません: これはフォルダーです。ファイル名を指定してください',
  'files.cannotWrite': '{file} に書き込めません（{code}）。別のパスを指定してください',
  'files.isAwsFile':
    '{file} は aws-mfa が読む {path} です。QR コードで上書きすることはありません。別の名前を指定してください',
  'files.exists':
    '{file} はすでにあります。aws-mfa は既存のファイルを置き換えません。別の名前を指定するか、置き換えるならこう実行してください: {command}',
  'files.danglingLink':
    '{file} は存在しない {target} へのシンボリックリンクです。aws-mfa はこれを置き換えません。別の名前を指定するか、' +
    'リンクを削除するか、置き換えるならこう実行してください: {command}',
  'file.notUtf8':
    '{path}:{line}: この行が UTF-8 ではありません（メモ帳などで「ANSI」（Shift-JIS）として保存されたのかもしれません）。' +
    'UTF-8 で保存し直してください（メモ帳では「名前を付けて保存」で文字コードを「UTF-8」にします）',
  'file.syntax': '{path}:{line}: {message}。この行を修正してください（AWS SDK もこのファイルを読めません）',
  'file.locked': '{path}: ほかの aws-mfa がまだ書き込んでいます。少し待ってから、もう一度試してください',
  'file.noPermission': '{path}: ファイルまたはフォルダーに書き込めません（{code}）。アクセス権を確認してください',
  'profile.longTermHoldsSession':
    '{file} の [{section}] には長期キーではなくセッション（aws_session_token があります）が入っています。IAM ユーザーの長期のアクセスキーをそこに入れてください（{command}）',
  'profile.sourceHoldsSession':
    '[{section}] には長期キーではなくセッションが入っています。-s と -d が逆ではありませんか？（-s は長期キーのあるセクション、-d はセッションを書き込むセクションです。たとえば: {command}）',
  'profile.sourceMovedBeside':
    '[{section}] には今はセッションが入っていて、長期キーは [{beside}] にあります（aws-mfa init が移しました）。' +
    '-s にはそのセクションを指定してください: {command}',
  'profile.longTermKeyMissing': '{file} の [{section}] に {key} がありません。追加してください（{command}）',
  'hint.missingLongTerm': '{file} に [{section}] がありません',
  'hint.join': '{problem}。{hint}',
  'hint.credentialProcessProfile':
    '[{given}] は AWS CLI や SDK が使うプロファイルです（その credential_process が [{meant}] の aws-mfa を実行します）。' +
    'aws-mfa 自身には [{meant}] を指定してください: {command}',
  'hint.longTermAsProfile': '{given} は長期キーのセクションそのものです。プロファイル名を指定してください: {command}',
  'hint.profilePrefixInCredentials':
    'credentials ファイルに [profile {section}] がありますが、このファイルのセクション名には「profile 」を付けません。{file} で [{section}] に名前を変えてください',
  'hint.keysInConfig':
    'キーが {file} にありますが、aws-mfa と AWS CLI はそこからはキーを読みません。{credentials} の [{section}] に移してください',
  'hint.nearMiss': '[{section}] のことですか？ それなら次を実行してください: {command}',
  'hint.sourceMissing': '-s の名前を確認してください。長期のアクセスキーが入っているセクションを指定します',
  'hint.keysInProfile':
    '[{profile}] に長期キーが入っています（「aws configure --profile {profile}」はキーをこのセクションに書き込みます）。' +
    'aws-mfa は [{profile}] にセッションを書き込むため、長期キーは [{section}] から読みます。' +
    'キーを [{section}] に移すには {init} を、[{profile}] に残したまま使うには {sourceDestination} を実行してください。',
  'hint.sourceDestinationSession':
    '[{profile}] には「aws-mfa -s {source} -d {profile}」で取得したセッションが入っています（長期キーは [{source}] にあります）。更新するには次を実行してください: ' +
    '{command}',
  'hint.noProfileNamed':
    'プロファイルが指定されていないため、aws-mfa は「default」を探しました。長期キーは {sections} にあります。' +
    'プロファイルを指定してください: {command}',
  'hint.noProfileNamedMany':
    'プロファイルが指定されていないため、aws-mfa は「default」を探しました。長期キーは {sections} にあります。' +
    '使うものを --profile で指定してください。例: {command}',
  'hint.nearMissVariable':
    '{variable} が {given} になっています。[{section}] のことですか？ それなら次で設定し直してください: {command}',
  'hint.destinationNearMiss':
    '{file} に [{section}] がありません。[{meant}] のことですか？ それなら次を実行してください: {command}',
  'hint.runInit': '次のコマンドでプロファイルを設定してください: {command}',

  // the session
  'session.success': '成功しました。認証情報の有効期限は {expiration} です（あと {seconds} 秒、{left}）。{use}。',
  'session.successUnreadable':
    'セッションを取得しました（有効期限 {expiration}、あと {seconds} 秒、{left}）。ただし AWS CLI はまだ credentials ファイルを読めません（上の警告を参照してください）。',
  'session.noneYet': '[{section}] にはまだセッションがありません。新しく取得します',
  'session.fetching': '[{section}] のセッションを取得しています: 有効期間 {seconds} 秒（{source}）',
  'session.assuming':
    'ロール {role} を引き受けて [{section}] のセッションを取得しています: 有効期間 {seconds} 秒（{source}）',
  'source.roleKey': '{section} の {key}',
  'source.chainedCap': 'ロールの連鎖（ロールチェーン）に対する AWS の 1 時間の上限',
  'session.useRole':
    '「aws-mfa exec --profile {profile} -- コマンド」で使うか、一度「aws-mfa setup-credential-process --profile {profile}」を実行してから ' +
    '--profile {profile}-auto で使ってください',
  'role.notOurs':
    '{file} の {section} には {key} が設定されていますが、aws-mfa はこれを扱いません（AWS CLI と SDK が自分で処理します）。プロファイルを直接使ってください。例: ' +
    '{command}',
  'role.badArn':
    '{file} の {section} の role_arn = {role} は IAM ロールの ARN ではありません。ロールの ARN を設定してください: {command}',
  'role.noSource':
    '{file} の {section} には role_arn がありますが、source_profile（ロールを引き受けるキーを持つプロファイル）がありません。追加してください: {command}',
  'role.selfWithoutKeys':
    '{section} は自分自身を source_profile にしていますが、{file} の [{profile}] にアクセスキーがありません。追加してください: aws configure --profile ' +
    '{profile}',
  'role.cycle':
    '{file} の source_profile の指定が循環しています（{loop}）。どれか 1 つをキーを持つプロファイルに向けてください: {command}',
  'role.missingSource':
    '{section} の source_profile = {source} ですが、{file} には [{longTerm}]（aws-mfa のプロファイル）も、キーを持つ [{source}] もありません。' +
    '設定してください: {command}',
  'role.assumeRoleFlag':
    '--profile {profile} は設定ファイルのロールプロファイル（role_arn）です。--assume-role とは一緒に使えないため、--assume-role を外してもう一度実行してください',
  'role.noPrivateFolder':
    'ロールのセッションを保存する専用フォルダーがありません（{dir} を作れないか、他のユーザーが変更できます）。自分専用にしてください: mkdir -p {dir} && chmod 700 {dir}',
  'role.storeRefused':
    '{profile} に保存されているものはセッションではありません。削除してください: aws-mfa clear --profile {profile}',
  'role.chained':
    '{profile} はロールの連鎖で引き受けます（ソース {source} がロールのセッションです）。AWS はこのセッションを 1 時間までに制限します',
  'role.chainedCapped':
    '{profile} はロールの連鎖で引き受けます（ソース {source} がロールのセッションです）。AWS はこのセッションを 1 時間までに制限するため、{asked} 秒ではなく 3600 秒を要求します',
  'role.assuming':
    '{source} のセッションでロール {role} を引き受けて {profile} のセッションを取得しています: 有効期間 {seconds} 秒（{from}）。MFA コードは送りません',
  'role.accessDeniedMfa':
    'AWS は {source} の MFA セッションで署名した {role}（プロファイル {profile}）の AssumeRole を拒否しました（MFA: あり）: {message}。' +
    'ロールの信頼ポリシーがこのユーザーを信頼している必要があります。次のコマンドで確認できます: {command}',
  'role.accessDeniedNoMfa':
    'AWS は {source} のキーで署名した {role}（プロファイル {profile}）の AssumeRole を拒否しました（MFA: なし。mfa_serial が設定されていません）: {message}。' +
    'ロールの信頼ポリシーが MFA を求める場合は、デバイスを設定してください: aws configure set mfa_serial arn:aws:iam::ACCOUNT:mfa/NAME --profile ' +
    '{profile}',
  'role.durationRefused':
    'ロール {role}（プロファイル {profile}）は {seconds} 秒（{from}）のセッションを受け付けません: {message}。短くしてください: {command}',
  'role.ready':
    '{profile} のロール {role} のセッションは、あと {seconds} 秒（{left}）、{expiration} まで有効です。保存先は {where} です。認証情報ファイルには書きません（そこに ' +
    '[{profile}] があると、AWS CLI からロールプロファイルが見えなくなるためです）。{use}。',
  'role.keptKeychain': 'OS のキーチェーン（{store}）',
  'role.cleared':
    'ロールプロファイル {profile} のセッションを削除しました（{where}）。次に使うときにロールを引き受け直します',
  'role.nothingToClear': 'ロールプロファイル {profile} のセッションは保存されていません。削除するものはありません',
  'status.roleFrom': '{role}（ソース: {source}）',
  'whoami.roleSigned': '{source} の MFA セッションで署名した AssumeRole で取得',
  'session.holdsLongTermKeys':
    '{file} の [{section}] には長期キー（セッショントークンなし）が入っており、aws-mfa はこれを上書きしません。キーをそのままにしてセッションを別のセクションに書き込むには、次を実行してください: ' +
    '{command}',
  'reason.missing': '[{section}] にはまだセッションがありません',
  'reason.forced': '--force が指定されたため、[{section}] のセッションを更新します',
  'reason.incomplete': '[{section}] のセッションが不完全です（{key} がありません）。新しいセッションを取得します',
  'reason.unreadableExpiration': '[{section}] の有効期限「{value}」を読み取れません。新しいセッションを取得します',
  'reason.tokensDiffer':
    '[{section}] の aws_security_token と aws_session_token が異なります。新しいセッションを取得します',
  'reason.otherRole':
    '[{section}] のセッションは {wanted} ではなくロール {current} のものです。新しいセッションを取得します',
  'reason.roleToPlain': '[{section}] のセッションはロール {current} のものです。ロールなしのセッションを取得します',
  'reason.plainToRole': '[{section}] のセッションはロール {wanted} のものではありません。ロールを引き受けます',
  'reason.expired': '[{section}] のセッションは {time} に期限切れになりました。新しいセッションを取得します',
  'reason.ending':
    '[{section}] のセッションの残り時間 {left} が --min-ttl {minTtl} より短いため、新しいセッションを取得します',
  // status calls nothing: each reason says what to run
  'due.missing': 'セッションはまだありません。{command} で取得してください',
  'due.incomplete': 'セッションが不完全です（{key} がありません）。{command} で取得し直してください',
  'due.unreadableExpiration': '有効期限「{value}」を読み取れません。{command} で取得し直してください',
  'due.tokensDiffer': 'aws_security_token と aws_session_token が一致しません。{command} で取得し直してください',
  'due.otherRole': 'ロール {current} のセッションです（必要なのは {wanted}）。{command} で取得し直してください',
  'due.roleToPlain':
    'ロール {current} のセッションですが、ロールは設定されていません。{command} でロールなしのセッションを取得してください',
  'due.plainToRole': 'ロール {wanted} のセッションではありません。{command} でロールを引き受けてください',
  'due.expired': '期限切れ（{time}）。{command} で更新してください',
  'due.renew': '{command} で更新してください',
  'region.copied':
    'AWS CLI がリージョンを使えるように、{file} の [profile {section}] に region = {region} を書き込みました（[{from}] の region をコピー）',
  'region.written':
    'AWS CLI がリージョンを使えるように、{file} の [profile {section}] に region = {region}（{source}）を書き込みました',
  'region.none':
    'AWS CLI には --profile {section} のリージョンがありません。次のコマンドで設定してください: aws configure set region {region} --profile ' +
    '{section}',

  // codes
  'code.prompt': 'MFA コード [{device}]（{seconds} 秒のセッション）: ',
  'code.noneEntered': 'キャンセルしました。MFA コードは入力されず、AWS にも送信していません',
  // the question follows at once (the prompt, or the dialog's text): this line asks nothing itself
  'code.tryAgain': 'あと {left} 回入力できます。',
  'code.triesLeft': 'あと {left} 回入力できます。',
  'code.lastTry':
    '{tries} 回とも正しく入力されませんでした。AWS には何も送信していません。もう一度コマンドを実行してください。',
  'code.noStdin':
    'MFA コードがありません: 標準入力がターミナルではなく、1 行も読み取れませんでした。--token CODE を指定するか、コードをパイプで渡してください',
  'code.noTerminal':
    '[{profile}] には新しい MFA セッションが必要ですが、コードを尋ねるターミナルがありません。先にターミナルで「{command}」を実行するか、--token CODE を付けるか、' +
    '~/.aws/config に mfa_process を設定してください',
  'code.mfaProcessRunning': 'mfa_process を実行しています（{source}）',
  'code.mfaProcessFailed': 'mfa_process（{source}）が失敗しました（{why}）。~/.aws/config のコマンドを修正してください',
  'code.dialogOk': 'OK',
  'code.dialogCancel': 'キャンセル',
  'code.mfaProcessOutput':
    'mfa_process（{source}）が 6 桁のコードを出力しませんでした。~/.aws/config のコマンドを修正してください',
  'prompt.unknownDriver':
    '不明なプロンプトの種類「{value}」です（{source}）。次のいずれかを指定してください: {drivers}',
  'prompt.title': 'aws-mfa: [{profile}] の MFA コード',
  'prompt.question': 'MFA デバイス {device} のコードを入力してください（{seconds} 秒間のセッションを取得します）。',
  'prompt.cancelled': 'MFA コードのダイアログがキャンセルされました。AWS には何も送信していません',
  'prompt.notFound': '{program} がインストールされていないか PATH にないため、{driver} のプロンプトで尋ねられません',
  'prompt.noDisplay': '{driver} のダイアログがディスプレイ「{display}」を開けません',
  'prompt.noDisplaySet':
    '{driver} のダイアログにはデスクトップが必要ですが、DISPLAY も WAYLAND_DISPLAY も設定されていません（SSH 接続や、デスクトップのないコンソールです）',
  'prompt.crashed': '{driver} のダイアログが失敗しました（{why}）',
  'prompt.another':
    '--prompt または AWS_MFA_PROMPT で別の種類（{drivers}）を指定するか、--token CODE を付けてください。',
  'prompt.errorTitle': 'aws-mfa: [{profile}] のエラー',
  'prompt.ykmanTouch': '{device} の MFA コードを出すため、YubiKey に触れてください。',
  'prompt.ykmanFailed':
    'ykman が OATH アカウント「{account}」のコードを出しませんでした（{why}）。YubiKey を差し込むか、YKMAN_OATH_CREDENTIAL_NAME に「ykman oath ' +
    'accounts list」が表示する名前を設定してください',
  'prompt.ykmanOutput': 'ykman が OATH アカウント「{account}」の 6 桁のコードを出力しませんでした',

  // devices
  'device.notAUser':
    '[{section}] に MFA デバイスが設定されておらず、そのキーは IAM ユーザーのものではありません（{arn}）。--device ARN を指定してください',
  'device.noneAtAll':
    '[{section}] に MFA デバイスが設定されておらず、IAM ユーザー {user} にもデバイスがありません。「{command}」で作成するか、' +
    '--device ARN を指定してください',
  'device.several':
    'IAM ユーザー {user} には MFA デバイスが {count} 個あります（{devices}）。--device または [{section}] の aws_mfa_device で 1 つ選んでください',
  'device.foundOnly':
    'IAM ユーザー {user} の唯一の MFA デバイス {arn} を使います（セッションと一緒に [{section}] に記録します。自分で選ぶには、' +
    '長期キーのセクションに aws_mfa_device を書いてください）',
  'device.keyNotAUser':
    '[{section}] のキーは IAM ユーザーのものではありません（{arn}）。ルートユーザーやロールの MFA デバイスは API では管理できません。別のユーザーであれば --user NAME ' +
    'を指定してください',
  'device.askFirst': '認証アプリに表示されている 1 つ目のコード（6 桁）: ',
  'device.askSecond': '次のコードが表示されるまで待ってから、2 つ目のコード（6 桁）を入力してください: ',
  'device.aborted': '中断しました',
  'device.codesLastTry': 'これが最後の試行でした。もう一度コマンドを実行してください。',
  'device.codesTogether': '--code1 と --code2 は組で指定します。アプリに表示される連続した 2 つのコードです',
  'device.codesNeeded':
    'デバイスの有効化には連続する 2 つのコードが必要です。ターミナルで実行するか、--code1 と --code2 を指定するか、標準入力から 2 行で渡してください',
  'device.notListed':
    'AWS はコードを受け付けましたが、{serial} は {user} の MFA デバイスに含まれていません。「aws-mfa device list」で確認してください',
  'device.orphan':
    '{name} という名前の仮想 MFA デバイスがすでにあり、誰にも割り当てられていません（以前の試行の残りかもしれません）。「aws-mfa device remove --serial {serial}」で削除するか、' +
    '別の --name を指定してください',
  'device.qrWritten':
    'QR コードを {file} に書き込みました（モード 0600）。デバイスのシークレットが含まれるため、アプリに登録したら削除してください',
  'device.secretForManualEntry': '認証アプリに手入力するためのシークレットキー（TOTP、6 桁、30 秒）:',
  'device.scanQr': 'この QR コードを認証アプリで読み取ってください（デバイス {serial}）:',
  'device.cleanedUp': '{message}。未割り当てのデバイス {serial} は削除したので、最初からやり直せます',
  'device.cleanupFailed':
    '{message}。未割り当てのデバイス {serial} の削除にも失敗しました。「aws-mfa device remove --serial {serial}」で削除してください',
  'device.created':
    'IAM ユーザー {user} の {serial} を有効化し、[{section}] に aws_mfa_device を書き込みました。次を実行してください: {command}',
  'device.enabled': 'IAM ユーザー {user} の {serial} を有効化し、[{section}] に aws_mfa_device を書き込みました',
  'device.enableNeedsSerial':
    'device enable には --serial ARN が必要です（未割り当てのデバイスは aws-mfa device list で表示されます）',
  'device.listTitle': 'IAM ユーザー {user} の MFA デバイス:',
  'device.listNone': '（ありません。作成するには: {command}）',
  'device.listUsedBy': '<- [{section}] で使用中',
  'device.headSerial': 'デバイス',
  'device.headEnabled': '有効化日時',
  'device.listUnassigned':
    'アカウント内の未割り当ての仮想 MFA デバイス（不要なものは aws-mfa device remove --serial ARN で削除できます）:',
  'device.usedNotAssigned': '[{section}] は {device} を使っていますが、これは {user} のデバイスではありません',
  'device.removeWhich':
    '削除するデバイスがありません: --serial ARN を指定してください（[{section}] に aws_mfa_device がありません）',
  'device.removeConfirm': 'デバイスの削除には確認が必要です。ターミナルで実行するか、--yes を指定してください',
  'device.removeQuestion':
    'MFA デバイス {serial} を無効化して削除しますか？ MFA が必要なサインインにこのデバイスは使えなくなります。',
  'device.removeAborted': '何も削除していません。{serial} はそのままです',
  'device.removeNeedsSession':
    'AWS は長期キーによる {operation} を拒否しました（通常、ポリシーで MFA が必要とされています）。aws-mfa が MFA セッションを使えるように先に「{command}」を実行し、' +
    'もう一度試してください',
  'device.removed': 'IAM ユーザー {user} から {serial} を削除しました',
  'device.removedAndUnset':
    'IAM ユーザー {user} から {serial} を削除し、[{section}] から aws_mfa_device を削除しました',

  // init and --setup
  'init.needsAnswer':
    '{what} が必要です。ターミナルで実行するか、フラグで指定してください（aws-mfa init --help を参照）',
  'init.aborted': 'init を中断しました',
  'init.roleProfile':
    '{file} の [profile {profile}] はロール（role_arn）で、自分のキーは持ちません。キーを持つのは元の [{source}] です。' +
    'そちらを設定してください: {command}',
  'init.askKeyId': 'AWS アクセスキー ID (AKIA...): ',
  'init.askSecret': 'AWS シークレットアクセスキー（入力は表示されません）: ',
  'init.askRegion': 'このプロファイルの既定のリージョン（例: ap-northeast-1。空欄なら設定しません）: ',
  'init.askRegionKept': 'このプロファイルの既定のリージョン（Enter で今の {region} のまま）: ',
  'init.regionKept': '{file} の [profile {section}] の region = {region} はそのままにしました',
  'init.noStdinSecret': '--secret-access-key-stdin: 標準入力から 1 行も読み取れませんでした',
  'init.otherKeyExists':
    '{file} の [{section}] にはすでに別のアクセスキーがあります。このキーに置き換えるには、次を実行してください: {command}',
  'init.replaceQuestion': '{file} の [{section}] にはすでに別のキーがあります。置き換えますか？',
  'init.unchanged': 'init を中止しました。[{section}] は変更していません',
  'init.keyBelongs': 'このキーはアカウント {account} の IAM ユーザー {user} のものです。',
  'init.movedKeys':
    '{file} の [{profile}] にあった長期キーを [{section}] に移しました（変えたのはセクション名だけです）。[{profile}] には MFA セッションを書き込みます。',
  'init.moveRaced':
    'init の実行中に別のプログラムが {file} の [{section}] を変更したため、何も移していません。もう一度実行してください: {command}',
  'init.keyKept': '[{section}] にはすでにこのキーがあるので、そのまま使います。',
  'init.wroteLongTerm': '{file} に [{section}] を書き込みました。',
  'init.severalDevices':
    'IAM ユーザー {user} には MFA デバイスが {count} 個あります。--device で 1 つ選んでください（{devices}）',
  'init.whichDevice': '[{profile}] で使うデバイスはどれですか？ [1-{count}] ',
  'init.noDeviceChosen':
    'init を中止しました: デバイスが選ばれませんでした。もう一度実行するか、--device を指定してください',
  'init.creatingDevice': 'IAM ユーザー {user} にはまだ MFA デバイスがありません。仮想 MFA デバイスを作成します。',
  'init.deviceFound': 'IAM ユーザー {user} の既存の MFA デバイス {device} を使います。',
  'init.deviceEnabled': '{device} を有効化しました。',
  'init.nextDevice': 'キーは保存しました。デバイスの設定をやり直すには、次を実行してください: {command}',
  'init.nextSession': 'デバイスの設定は完了しています。セッションを取得するには、次を実行してください: {command}',
  'init.waitForCode': '次は最初のセッションです。アプリに新しいコードが表示されるまで待ってください。',
  'init.done': '完了しました。[{section}] に MFA セッションがあります。有効期限は {until} です（あと {left}）。',
  'setup.offer': 'credentials ファイル {file} が見つかりません。作成して、今すぐ [{section}] を設定しますか？',
  'setup.needsTerminal':
    '--setup はターミナルで質問します。ターミナルで実行するか、次を使ってください: aws-mfa init --profile {profile} --access-key-id ID ' +
    '--secret-access-key-stdin',
  'setup.askProfile': '設定するプロファイル名 [{profile}]: ',
  'setup.aborted': 'setup を中断しました',
  'setup.replace': '{file} に [{section}] がすでにあります。キーを置き換えますか？',
  'setup.unchanged': 'setup を中止しました。[{section}] は変更していません',
  'setup.askKeyId': 'aws_access_key_id（アクセスキー ID）: ',
  'setup.askSecret': 'aws_secret_access_key（シークレットアクセスキー）: ',
  'setup.askDevice': 'aws_mfa_device（MFA デバイスの ARN、省略可）: ',
  'setup.askRegion': 'region（例: ap-northeast-1、省略可）: ',
  'setup.done': '{file} に [{section}] を書き込みました。次を実行してください: {command}',

  // consuming the session
  'export.badFormat': '--format には {formats} のいずれかを指定してください（「{value}」は使えません）',
  'exec.noCommand': 'exec には実行するコマンドが必要です: {command} COMMAND [ARGS...]',
  'exec.notFound': '{command}: コマンドが見つかりません。名前と PATH を確認してください',
  'exec.notExecutable': '{command}: 実行権限がありません。実行可能なファイルではありません',
  // the credentials endpoint (exec --ecs-server, serve)
  'endpoint.badPort': '--port には 1 から 65535 までのポート番号を指定してください（「{value}」は使えません）',
  'endpoint.portWithoutServer':
    '--port は認証情報エンドポイントのポートです。--ecs-server を付けるか、--port を外してください',
  'endpoint.portInUse':
    '127.0.0.1 のポート {port} は使用中です（別の aws-mfa serve?）。別の --port を指定するか、--port を外してください',
  'endpoint.portNotAllowed':
    '127.0.0.1 のポート {port} はこのユーザーでは使えません。1023 より大きい --port を指定するか、--port を外してください',
  'endpoint.refused.noToken':
    'トークンがありません。aws-mfa が渡したもの（AWS_CONTAINER_AUTHORIZATION_TOKEN か _FILE）を送ってください',
  'endpoint.refused.wrongToken':
    'トークンが違います。トークンはサーバーごとに異なります。このサーバーが渡したものを送ってください',
  'endpoint.refused.method': 'GET 以外には応答しません',
  'endpoint.refused.path': 'このパスはありません。AWS_CONTAINER_CREDENTIALS_FULL_URI に問い合わせてください',
  'endpoint.refusedLog': '認証情報のリクエストを拒否しました（何も更新していません）: {why}',
  'endpoint.failedLog': '認証情報のリクエストにセッションを返せませんでした: {message}',
  'endpoint.defaultHasKeys':
    '{file} の [default] にキーがあり、SDK はエンドポイントより先にそれを読みます。キーを外してください（aws-mfa が書いたセッションなら aws-mfa clear --profile ' +
    'default）',
  'endpoint.defaultIsTheSession':
    'セッションは {file} の [default] に書き込まれ、SDK はエンドポイントより先にそれを読みます（更新後のセッションは読みません）。別の名前にしてください: --short-term-suffix mfa',
  'endpoint.newSession': '認証情報エンドポイントのために [{section}] のセッションを更新しました',
  'serve.noPrivateFolder':
    'トークンファイルを置く専用フォルダーがありません。XDG_CACHE_HOME（Windows では LOCALAPPDATA）を自分だけが書き込めるフォルダーに設定してください',
  'serve.tokenFileFailed': 'トークンファイル {file} を書き込めません（{code}）。そのフォルダーを確認してください',
  'serve.listening':
    '[{section}] のセッションを {url} で提供しています\nトークンは {file} にあります（読めるのはあなただけです。サーバーを止めると削除します）。',
  'serve.forTool': 'このマシン上のツール（AWS CLI、Terraform、CDK、SDK）の場合:',
  'serve.forDocker':
    'コンテナ（Linux）の場合（SDK は平文の http をループバックでしか受け付けないため --network host を使います）:',
  'serve.stop': 'Ctrl-C で停止します。',
  'serve.stopped': '認証情報エンドポイントを停止し、トークンファイルを削除しました。',
  // the labels are padded so that the values line up (double-width characters count as two columns)
  'whoami.text':
    'プロファイル:  {profile}\nアカウント:    {account}\nARN:           {arn}\nユーザー ID:   {userId}\nMFA:           ' +
    '{mfa}\n有効期限:      {expiration}',
  'whoami.mfaYes': 'あり（{how}{device}）',
  'whoami.viaSessionToken': 'MFA 付きの GetSessionToken で取得',
  'whoami.viaAssumeRole': 'MFA 付きの AssumeRole で取得',
  'whoami.device': '、デバイス {device}',
  'whoami.mfaUnknown': '不明（このセッションは aws-mfa が書き込んだものではありません）',
  'console.needsRole':
    'AWS がコンソールへのサインインを許可するのは、ロールのセッション（AssumeRole）か GetFederationToken の認証情報だけですが、[{section}] は GetSessionToken ' +
    'のセッションです。引き受けられるロールを --assume-role ARN で指定してください',
  'console.refused':
    'フェデレーションエンドポイントがセッションを拒否しました（HTTP {status}）。コンソールへのサインインが許可されるのは、ロールの連鎖によらないロールのセッションだけです',
  'console.notAToken': 'フェデレーションエンドポイントの応答がサインイントークンではありません',
  'console.noToken': 'フェデレーションエンドポイントの応答にサインイントークンがありません',
  'console.opened':
    '[{section}] の AWS マネジメントコンソールをブラウザーで開きました（リンクの有効期間は 15 分です）。',
  'console.noBrowser':
    'ブラウザーを開けません（{command}）。「aws-mfa console --print」を実行して、表示されたリンクを開いてください',
  'console.browserFailed':
    'ブラウザーのコマンド {command} が失敗しました（終了コード {code}）。「aws-mfa console --print」を実行してください',
  'cp.badName': '--name「{name}」はプロファイル名に使えません（英数字と _-/.%@:+）',
  'cp.sessionProfile':
    '--name {name} は aws-mfa がセッションを書き込むプロファイルです。AWS CLI はコマンドを実行せずにそのセクションのキーを読んでしまうため、別の名前を指定してください',
  'cp.configUnsafe':
    'aws-mfa は {file} に credential_process を追加しません: このファイル（またはその上のフォルダー）はほかのユーザーが変更できるため、コマンドも書き換えられるおそれがあります。' +
    '自分だけが変更できるようにして（chmod go-w）から、もう一度実行してください',
  'cp.wrote': '{file} に [profile {name}] を書き込みました:',
  'cp.howToUse':
    'AWS CLI と SDK は --profile {name}（または AWS_PROFILE={name}）で MFA セッションを取得できるようになりました。コードが必要になると、ターミナルで尋ねます。',
  'cp.noRegion':
    '[{section}] にも環境変数にもリージョンが設定されていないため、[profile {name}] にはリージョンがなく、' +
    'AWS CLI と SDK は「You must specify a region」で止まります。使うリージョンを設定してください（例: {command}）',
  'cp.howToUseWindows':
    'AWS CLI と SDK は --profile {name}（または set AWS_PROFILE={name}）で MFA セッションを取得できるようになりました。' +
    'コードが必要になると Windows の小さなダイアログで尋ねます。1 日の始めにコンソールで {command} を実行しておくこともできます。',
  'cp.windowsConsole':
    'Windows ではコードが必要になると小さなダイアログで尋ねます。1 日の始めにコンソールで {command} を実行しておくこともできます。',
  'clear.nothing': '{file} に [{section}] はありません。削除するものはありません',
  'clear.notASession':
    '{file} の [{section}] にはセッショントークンのないキー（長期キー？）が入っています。aws-mfa が削除するのはセッションだけで、長期キーは削除しません。' +
    '削除したい場合はファイルを直接編集してください',
  'clear.done': '{file} から [{section}] を削除しました。次回の「{command}」でコードを尋ねます',
  'clear.keychainDone': '{store} から [{section}] の MFA セッションを削除しました。',
  'completion.usage': '使い方: aws-mfa completion bash|zsh|fish|powershell',
  'completion.badShell': 'completion に指定できるのは bash、zsh、fish、powershell です（「{shell}」は使えません）',

  // AWS and the network (AWS's own message text stays as AWS wrote it)
  'aws.tls':
    '{operation} で AWS との TLS 接続に失敗しました（{code}）。ネットワークが独自の CA で TLS を検査している場合は、AWS_CA_BUNDLE（または ~/.aws/config ' +
    'のプロファイルの ca_bundle）にその CA の PEM ファイルを指定してください',
  'aws.dns':
    '{host} の名前を解決できません（{code}）。ネットワークと DNS を確認してください。プロキシを経由する必要がある場合は HTTPS_PROXY を設定してください',
  'aws.theEndpoint': 'AWS のエンドポイント',
  'aws.connectTimeout':
    '{operation} のための AWS への接続が、接続タイムアウトまでに完了しませんでした。ネットワークとプロキシを確認するか、' +
    '--connect-timeout（cli_connect_timeout）を大きくしてください',
  'aws.readTimeout':
    'AWS が {operation} に読み取りタイムアウトまでに応答しませんでした。ネットワークとプロキシを確認するか、--read-timeout（cli_read_timeout）を大きくしてください',
  'aws.proxy':
    'プロキシが認証情報を拒否しました（HTTP {status}）。HTTPS_PROXY / HTTP_PROXY のユーザー名とパスワードを確認してください（http://USER:PASSWORD@HOST:PORT。' +
    '記号はパーセントエンコードします: @ は %40、# は %23）',
  'aws.network':
    '{operation} のために AWS に接続できません（{code}）。ネットワーク、プロキシ、--region を確認してください',
  'aws.networkAt':
    '{operation} のために AWS（{endpoint}）に接続できません（{code}）。エンドポイントの設定（AWS_ENDPOINT_URL、endpoint_url）、' +
    'ネットワーク、プロキシ、--region を確認してください',
  'aws.networkProxy':
    '{operation} のためにプロキシ {proxy} 経由で AWS に接続できません（{code}）。プロキシがそのアドレスで動いていること、' +
    'HTTPS_PROXY / HTTP_PROXY の設定（直接つなぐエンドポイントは NO_PROXY）を確認してください',
  'aws.throttled':
    'AWS が {operation} をスロットリングしました（{code}）。再試行でも解消しませんでした。1 分ほど待ってから、もう一度試してください',
  'aws.skew':
    'AWS がリクエストの時刻を拒否しました: {detail}。時計を正しく合わせて（時刻の自動設定をオンにして）、もう一度試してください',
  'aws.skewUnknown': 'コンピューターの時計が AWS と 5 分以上ずれています',
  'aws.skewAhead': 'コンピューターの時計が AWS より {amount} 進んでいます（サーバー時刻 {server}）',
  'aws.skewBehind': 'コンピューターの時計が AWS より {amount} 遅れています（サーバー時刻 {server}）',
  'aws.minSec': '{mins} 分 {secs} 秒',
  'aws.sec': '{secs} 秒',
  'aws.wrongCode':
    'AWS が {device} の MFA コードを拒否しました（誤りか、使用済みのコードです）。次のコードが表示されるまで待ってから、もう一度試してください',
  'aws.theDevice': 'デバイス',
  'aws.theMfaDevice': 'MFA デバイス',
  'aws.wrongDevice':
    'AWS はこのユーザーについて {device} のコードを検証できません。[{section}] のユーザーに割り当てられた MFA デバイスの ARN であるか確認してください（aws_mfa_device）',
  'aws.sessionAsLongTerm':
    '[{section}] には一時的な認証情報（セッション）が入っています。IAM ユーザーの長期のアクセスキーをそこに入れてください（aws-mfa --setup）',
  'aws.maxSessionDuration':
    'ロール {role} の最大セッション時間は --duration {duration} より短いです。もっと小さい --duration を指定してください（ロールの最大セッション時間以下。既定は 3600）',
  'aws.roleChaining':
    'ロールの連鎖で引き受けたロールのセッションは 1 時間までです。--duration には 3600 以下を指定してください',
  'aws.invalidCodes':
    'AWS は {device} の 2 つのコードを受け付けませんでした。アプリに表示される連続した 2 つのコードを、1 つ目が次に切り替わってから 2 つ目として入力してください',
  'aws.alreadyExists':
    '{operation}: {message}。別の --name を指定するか、古いデバイスを削除してください（未割り当てのデバイスは aws-mfa device list で表示されます）',
  'aws.unmodifiable': 'AWS がまだこのユーザーを変更しています（{message}）。1 分ほどしてから、もう一度試してください',
  'aws.limitExceeded':
    '{operation}: {message}。1 人のユーザーが持てる MFA デバイスは 8 個までです。先に 1 つ削除してください（aws-mfa device remove）',
  'aws.noSuchEntity':
    '{operation}: {message}。MFA デバイス {device} を確認してください（自分のデバイスの一覧: {command}）',
  'aws.noSuchUser':
    '{operation}: {message}。--user で指定した IAM ユーザー名を確認してください（[{section}] のキーのユーザーのデバイスの一覧: {command}）',
  'aws.deleteConflict':
    '{operation}: デバイスがまだユーザーに割り当てられています。先に無効化してください（aws-mfa device remove は両方を行います）',
  'aws.invalidKey':
    'AWS は [{section}] のアクセスキーを認識しません（削除済み、無効化済み、または別のパーティションのキーです）。有効なキーを設定してください（aws-mfa --setup）',
  'aws.wrongSecret':
    '[{section}] のシークレットアクセスキーがアクセスキー ID と一致しません。そのセクションの aws_secret_access_key を修正してください',
  'aws.expiredToken':
    '[{section}] の認証情報は一時的なもので、有効期限が切れています。IAM ユーザーの長期のアクセスキーをそこに入れてください',
  'aws.regionDisabled':
    'このアカウントではリージョン {region} の STS が有効になっていません。有効なリージョンを --region で指定してください',
  'aws.accessDenied':
    'AWS が {operation} を拒否しました: {message}。ポリシー（とロールの信頼ポリシー）が MFA 付きでこれを許可しているか確認してください',
  'aws.accessDeniedRole':
    'AWS が {role} の {operation} を拒否しました: {message}。ポリシー（とロールの信頼ポリシー）が MFA 付きでこれを許可しているか確認してください',
  'aws.validation': 'AWS が {operation} を拒否しました: {message}',
  'aws.other': '{operation} が失敗しました: {code}: {message}',
  'aws.badValue':
    '{operation} が、AWS が返すはずのない {field} を返しました（期待する形: {expected}）。何も表示・書き込みしていません。AWS 以外が応答した可能性があります。' +
    'AWS_ENDPOINT_URL、~/.aws/config のエンドポイント設定、プロキシを確認してください',
  'aws.expect.serial': 'MFA デバイスのシリアル番号',
  'aws.expect.virtualDevice': 'MFA デバイスの ARN',
  'aws.expect.seed': 'Base32 のシード',
  'aws.expect.callerArn': 'IAM か STS の ARN',
  'aws.expect.account': '12 桁のアカウント ID',
  'aws.expect.userId': 'ユーザー ID',
  'aws.expect.userName': 'IAM ユーザー名',
  'aws.expect.accessKeyId': 'アクセスキー ID',

  // status
  'status.headProfile': 'プロファイル',
  'status.headSession': 'セッション',
  'status.headDevice': 'MFA デバイス',
  'status.headKeys': 'キー',
  'status.headRole': 'ロール',
  'status.headKept': 'セッション保存先',
  'status.labelSession': 'セッション',
  'status.labelDevice': 'MFA デバイス',
  'status.labelKeys': 'キーの保存先',
  'status.labelRole': 'ロール',
  'status.labelKept': 'セッションの保存先',
  'status.left': '残り {left}、期限 {until}',
  'status.validFor': 'あと {left} 有効',
  'status.longTermKeys': '長期キーが入っています（セッショントークンなし）',
  'status.noDevice': '（デバイス未設定）',
  'status.keysFile': 'ファイル',
  'status.keysKeychain': 'キーチェーン',
  'status.none':
    '{file} には aws-mfa が管理するプロファイルがありません（[NAME-{suffix}] と組になるセクションがありません）。まずは次を実行してください: aws-mfa init（プロファイル ' +
    'default を作ります。別の名前にするには --profile と名前を付けます）',

  // output that must be safe in every shell, and answers that cannot be AWS's
  'export.controlCharacter':
    '{name} の値に制御文字（{char}）が含まれており、どのシェルの形式でも安全に出力できません。--format json で出力するか、値の出どころを直してください',
  'export.cmdUnsafe':
    '{name} の値に cmd.exe で安全に設定できない {char} が含まれています。--format powershell か json を使ってください',
  'export.dotenvUnsafe':
    '{name} の値に、dotenv の読み込み側と sh とで解釈が異なる {char} が含まれています。--format sh か json を使ってください',
  'export.notPortable':
    '{name} の値にはシェルによって引用の仕方が異なる {char} が含まれており、--format が指定されていません。出力を読むシェルを指定してください: --format sh、fish、powershell、' +
    'cmd、dotenv、json',
  'aws.deadline': '{seconds} 秒以内に完全な応答がありませんでした',
  'aws.tooLarge': '応答が {limit} を超えました',
  'aws.answerTooLarge':
    '{operation} への応答が、どの AWS の応答（数 KB）よりもはるかに大きくなりました。AWS 以外が応答しています。AWS_ENDPOINT_URL、~/.aws/config のエンドポイント設定、' +
    'プロキシを確認してください',
  'net.badEndpoint':
    'エンドポイント「{url}」（{source} で指定）は http:// または https:// の URL ではありません。正しく設定するか、削除してください',
  'net.proxyUnencoded':
    '{name} のプロキシ URL のユーザー名かパスワードに「/」「?」「#」が含まれています。AWS CLI と同じく、パーセントエンコードが必要です（@ は %40、# は %23、/ は %2F、? は %3F、: ' +
    'は %3A、% は %25）。PASSWORD をエンコードしたパスワードに置き換えて設定し直してください: {line}',
  'sts.badValue':
    '{operation} が、認証情報としてありえない {field} を返しました: {problem}。何も書き込んでいません。AWS 以外が応答した可能性があります。AWS_ENDPOINT_URL、' +
    '~/.aws/config のエンドポイント設定、プロキシを確認してください',
  'sts.problemEmpty': '空です',
  'sts.problemLong': '{length} 文字あり、上限の {max} 文字を超えています',
  'sts.problemCharacter': '{char} を含んでいます（使えるのは、空白・「#」・「;」を除く表示可能な ASCII 文字だけです）',
  'sts.problemKeyId': '16〜128 文字の英数字または「_」ではありません',
  'sts.badExpiration': '{operation} が、有効な有効期限のないセッションを返しました。何も書き込んでいません',
  'sts.expiredAnswer':
    '{operation} が、すでに {expiration} に期限切れになったセッションを返しました（このコンピューターの時計では現在 {now}）。何も書き込んでいません。このコンピューターの時計が間違っている場合は、' +
    '正しく合わせて（時刻の自動設定をオンにして）もう一度試してください',

  // the OS keychain
  'addon.unsupported':
    '{platform} 用の OS キーチェーンのアドオンはありません。キーは credentials ファイルに置いてください',
  'addon.keyring': 'キーチェーン用アドオン',
  'addon.dialog': 'ダイアログ用アドオン',
  'addon.notInstalled':
    '{package}（{what}）が {dir} にインストールされていません。インストールし直してください: npm install -g aws-mfa-cli',
  'addon.noBase':
    '{what}を置く専用フォルダーがありません。HOME か XDG_CACHE_HOME に自分のフォルダーの絶対パスを設定してください',
  'addon.noBaseWindows':
    '{what}を置く専用フォルダーがありません。LOCALAPPDATA はローカルドライブ上のフォルダーである必要があります',
  'addon.noFolder':
    '{dir} には{what}を置けません。自分だけのフォルダーで、上のフォルダーもほかのユーザーが変更できない必要があります。次を実行してください: chmod 700 "{dir}"',
  'addon.sharedFolder':
    '{dir} には{what}を置けません。このフォルダーか上位のフォルダーがほかのユーザーのもの、またはほかのユーザーが変更できます。' +
    '自分専用のキャッシュフォルダーを使ってください: export XDG_CACHE_HOME="$HOME/.cache"',
  'addon.tampered':
    '{path} は aws-mfa が展開した{what}ではありません（展開後に変更されています）。削除すれば次の実行で展開し直します: {remove}',
  'addon.dllMissing':
    'キーチェーン用アドオン {path} を読み込めませんでした。必要な DLL（bcryptprimitives.dll、または Visual C++ 再頒布可能パッケージの VCRUNTIME140.dll）がありません。' +
    'それまではキーをファイルに置いてください',
  'addon.loadFailed': '{what} {path} を読み込めませんでした: {detail}',
  'keychain.unusable':
    '{what}には OS のキーチェーンが必要ですが、使用できません: {missing}。何も変更していません。{fix}',
  'keychain.missing.noBus':
    'セッションバスに Secret Service がありません（DBUS_SESSION_BUS_ADDRESS が設定されていません）',
  'keychain.missing.busUnreachable': '{address} のセッションバスが応答しません',
  'keychain.missing.noSecretService':
    'セッションバスに Secret Service がありません（org.freedesktop.secrets を提供するものがありません）',
  'keychain.missing.noCollection': 'Secret Service に保存先となる既定のキーリングがありません',
  'keychain.missing.locked': 'キーリングがロックされており、ロック解除の画面を表示できませんでした',
  'keychain.missing.other': '{store} が拒否しました: {detail}',
  'keychain.fix.bus':
    'デスクトップのセッションで aws-mfa を実行してください。SSH やコンテナーの中では、先にロックを解除したキーリング付きのセッションバスを起動します: dbus-run-session -- bash を実行し、' +
    'その中で次を実行してキーリングのパスワードを入力し、Enter を押します（表示されません）: ' +
    KEYRING_UNLOCK,
  'keychain.fix.secretService':
    'Secret Service をインストールして起動してください: sudo apt-get install gnome-keyring（または KWallet か KeePassXC）のあと、ログインし直します',
  'keychain.fix.unlock':
    'キーリングのロックを解除してください: デスクトップにログインするか、次を実行してキーリングのパスワードを入力し、' +
    'Enter を押します（表示されません。ロックされたデーモンと置き換わります）: ' +
    KEYRING_UNLOCK.replace('--unlock', '--replace --unlock'),
  'keychain.fix.other':
    'キーチェーンのロックが解除されていること、aws-mfa による使用が許可されていることを確認してください',
  'keychain.what.move': '[{section}] のキーをキーチェーンに移す',
  'keychain.what.moveBack': '[{section}] のキーをファイルに戻す',
  'keychain.what.readKey': '[{section}] のキー（aws_mfa_keychain = true）を読む',
  'keychain.what.readSession': '[{section}] の MFA セッションを読む',
  'keychain.what.writeSession': '[{section}] の MFA セッションを保存する',
  'keychain.what.rotate': '[{section}] のキーをローテーションする',
  'keychain.what.clear': '[{section}] の MFA セッションを削除する',

  // where long-term keys live
  'keys.usage':
    '使い方: aws-mfa keys move --profile NAME --to keychain|file、または aws-mfa keys list [--age] [--json]',
  'keys.unknownSub':
    '不明な keys コマンド「{sub}」です。aws-mfa keys move --profile NAME --to keychain|file か aws-mfa keys list [--age] ' +
    '[--json] を使ってください',
  'keys.moveTo':
    '--to には keychain か file を指定してください（「{to}」は使えません）。例: aws-mfa keys move --profile work --to keychain',
  'keys.noFile': 'credentials ファイル {file} がありません。先に長期のアクセスキーを追加してください: aws-mfa --setup',
  'keys.noSection':
    '{file} に [{section}] がありません。「aws-mfa --setup --profile {profile}」で長期のアクセスキーを追加してください',
  'keys.missingInFile':
    '{file} の [{section}] に {key} がありません。追加してください（aws-mfa --setup --profile {profile}）',
  'keys.missingInKeychain':
    '[{section}] には aws_mfa_keychain = true とありますが、{store} にそのキーがありません（サービス aws-mfa、アカウント {account}）。[{section}] に ' +
    'aws_access_key_id と aws_secret_access_key を書き直し、aws_mfa_keychain と aws_mfa_keychain_id の行を削除してください',
  'keys.staleMarker':
    '{file} の [{section}] には aws_mfa_keychain = true とキーの両方があります。ファイルのキーを使います（キーチェーンに移すには: aws-mfa keys move ' +
    '--profile {profile} --to keychain）',
  'keys.changedMeanwhile':
    'aws-mfa の処理中に {file} の [{section}] が変更されました。何も書き込んでいません。もう一度コマンドを実行してください',
  'keys.badKeychainId':
    '{file} の [{section}] の {key} は aws-mfa が作った値ではありません（aws-mfa が作るのは 16 進数 24 桁です）。aws-mfa が書いた行に戻すか、' +
    '次のコマンドでキーを保存し直してください: aws-mfa --setup --profile {profile}',
  'keys.entryHoldsOther':
    'キーチェーンのエントリ {account}（{file} の [{section}] の {key} が指すもの）には、このファイルの {id} ではなく別のキー {other} が入っています（このファイルは、' +
    'そこにキーを置いている別のファイルのコピーです）。何も変更していません。このキー専用のエントリを作るには: aws-mfa keys move --profile {profile} --to keychain ' +
    '--new-entry',
  'keys.entryOfAnotherFile':
    '{file} の [{section}] が指すキーチェーンエントリ {account} は {owner} のもので、そのファイルは今もこのエントリを指しています。' +
    'このファイルはそのコピー（または ID を書き写したもの）で、コピーは元のファイルのエントリを使えません。何も変更していません。' +
    'このファイルで置き換えるなら、{owner} を削除してからもう一度実行してください（エントリはこのファイルに引き継がれます）。' +
    'そうでなければ、{fix}',
  'keys.fix.ownKey': '次のコマンドでこのファイル専用のキーを保存してください: aws-mfa --setup --profile {profile}',
  'keys.fix.newEntry':
    '次のコマンドでこのキー専用のエントリを作ってください: aws-mfa keys move --profile {profile} --to keychain --new-entry',
  'keys.entryAdopted':
    'キーチェーンエントリ {account} を {file} の [{section}] に引き継ぎました。元の持ち主 {owner} は、なくなったか、' +
    'もうこのエントリを指していません（移動または名前の変更）。',
  'keys.oldClaimed':
    '{file} の [{section}] にはキーがキーチェーンにあるとありますが、aws-mfa がすべてのファイル共通の旧名で保存していたキー {id} は、同じセクションを持つ別の credentials ファイル ' +
    '{other} がすでに引き取っています。何も変更していません。{id} がこのファイルのキーなら、そのファイルから取り戻してください。そうでなければ、このファイルのキーはエントリに ID ' +
    'がなかった頃に上書きされています。次のコマンドでキーを保存し直してください: aws-mfa --setup --profile {profile}',
  'keys.oldNotThisFile':
    'aws-mfa がすべてのファイル共通の旧名（{account}）で保存していたキー {id} は IAM ユーザー {user} のもので、{file} の [{section}] が使う MFA デバイス ' +
    '{device} をこのユーザーは持っていません。別の credentials ファイルのキーなので、そのまま残し、何も変更していません。このファイルのキーは、エントリに ID がなかった頃に上書きされています。' +
    '次のコマンドでキーを保存し直してください: aws-mfa --setup --profile {profile}',
  'keys.migrated':
    '{file} の [{section}] のキー {id} に専用のキーチェーンエントリ（{account}）を作りました。これまでは、このセクションを持つすべての credentials ファイルが共有する {old} ' +
    'に保存されていました。このファイルのキーで間違いないか確認するには: aws-mfa keys list',
  'keys.oldNotMarked':
    '{store} のエントリ {account} には、専用のエントリを作った後もキーが残っています。ほかのファイルが引き取らないよう、キーチェーンのツールで削除してください',
  'keys.list.badId': 'aws_mfa_keychain_id が aws-mfa の作った値ではありません',
  'keys.list.oldName': '共通の旧名 {account} で保存されています。次に使うときに専用のエントリを作ります',
  'keys.list.otherFile': 'エントリは {owner} のものです（このファイルはそのコピーです）',
  'keys.list.oldClaimed': 'キー {id} は {other} が引き取りました',
  'keys.alreadyKeychain': '[{section}] のキーはすでに {store} にあります。何もすることはありません。',
  'keys.alreadyFile': '[{section}] のキーはすでに {file} にあります。何もすることはありません。',
  'keys.movedToKeychain':
    '[{section}] のキー {id} を {store} に移しました（サービス aws-mfa、アカウント {account}）。{file} の [{section}] には {marker} = true ' +
    'とエントリの ID だけが残り、キーはありません。',
  'keys.sessionStillInFile':
    '{file} の [{short}] にはまだ MFA セッションがあります。credential-process、export、exec は今後セッションをキーチェーンに保存するので、次のコマンドで削除できます: ' +
    'aws-mfa clear --profile {profile}',
  'keys.moveUndone': 'キーは {file} の [{section}] に残っています。{store} に作ったコピーは削除しました',
  'keys.moveUndoFailed':
    'キーは {file} の [{section}] に残っています。{store} のコピーを削除できなかったので、キーチェーンのツールで削除してください（サービス aws-mfa、アカウント {account}）',
  'keys.moveKeptKeychain':
    'キーがもう {file} の [{section}] にないかもしれないため、{store} のコピー（サービス aws-mfa、アカウント {account}）は残しています。確認するには: aws-mfa keys ' +
    'list',
  'keys.movedToFile': '[{section}] のキー {id} を {file} に戻し、{store} から削除しました。',
  'keys.leftInKeychain':
    '{store} にはまだサービス {service} のエントリ（アカウント {accounts}）があります。キーはファイルに戻ったので、キーチェーンのツールで削除してください',
  'keys.list.noKey':
    '{file} にもキーチェーンにも [{section}] の長期キーがありません。次のコマンドでプロファイルを設定してください: {command}',
  'keys.list.none':
    '{file} には aws-mfa が管理するプロファイルがありません（[NAME-{suffix}] のセクションがありません）。まずは次を実行してください: aws-mfa --setup',
  'keys.list.headProfile': 'プロファイル',
  'keys.list.headKey': 'キー',
  'keys.list.headWhere': '保存先',
  'keys.list.headAge': '経過日数',
  'keys.list.keychain': 'キーチェーン{problem}',
  'keys.list.file': '{file}',
  'keys.list.age': '{days} 日、{status}',
  'keys.list.noEntry': '{store} にエントリがありません',
  'keys.list.notUsers': 'IAM ユーザー {user} のキーではありません',
  'keys.list.old':
    '[{section}] のキー {id} は作成から {days} 日経っています（AWS は {max} 日ごとのローテーションを推奨しています）。ローテーションするには: aws-mfa rotate ' +
    '--profile {profile}',

  // rotating a long-term key
  'rotate.badWait': '--wait には 0〜900 の秒数を指定してください（「{value}」は使えません）',
  'rotate.where.file': '{file} の [{section}]',
  'rotate.where.keychain': '{store}（[{section}] 用）',
  'rotate.needsMfa':
    'AWS は長期キーによる {op} を拒否しました（通常、ポリシーで MFA が必要とされています）。aws-mfa が MFA セッションを使えるように先に {command} を実行し、' +
    'もう一度試してください',
  'rotate.notUsers':
    '[{section}] のキー {id} は IAM ユーザー {user} のアクセスキー（{keys}）ではありません。別のユーザーのキーであれば --user NAME を指定してください',
  'rotate.twoKeys':
    'IAM ユーザー {user} にはすでに IAM の上限である 2 つのアクセスキーがあります: {id}（[{section}] のキー）と {other}（{status}、{created} 作成）。' +
    '{other} を使っているものがなければ削除してから（{exec} aws iam delete-access-key --user-name {user} --access-key-id {other}）、もう一度 ' +
    '{again} を実行してください。何も変更していません',
  'rotate.incomplete':
    'IAM ユーザー {user} の CreateAccessKey が不完全なキーを返しました。次のコマンドでキーを確認してください: {exec} aws iam list-access-keys --user-name ' +
    '{user}',
  'rotate.created': 'IAM ユーザー {user} の新しいアクセスキー {id} を作成しました。',
  'rotate.waiting': 'AWS が新しいキー {id} を受け付けるまで待っています（最大 {seconds} 秒）...',
  'rotate.neverWorked': '新しいキー {id} が {seconds} 秒以内に使えるようになりませんでした',
  'rotate.storeFailed': '新しいキー {id} を {where} に保存できませんでした',
  'rotate.undone': '新しいキー {id} は削除しました',
  'rotate.undoFailed':
    '新しいキー {id} の削除にも失敗しました（{reason}）。削除してください: {exec} aws iam delete-access-key ' +
    '--user-name {user} --access-key-id {id}',
  'rotate.oldKept': '{where} のキー {id} は変更されておらず、引き続き使えます',
  'rotate.limbo':
    '{store} は [{section}] の新しいキーを保存できず（{reason}）、古いキーも元に戻せませんでした。AWS では両方のキーが有効なままです: {old}（古いキー）と {new}（新しいキー）。' +
    '{store} がどちらを持っているかは次のコマンドで確認できます: aws-mfa keys list --age',
  'rotate.stored': '新しいキー {id} を {where} に保存しました。',
  'rotate.deleteOldFailed':
    '新しいキー {new} は {where} にあり、使えます。ただし古いキー {old} を削除できませんでした（{reason}）。古いキーはまだ有効です。次のコマンドで削除してください: ' +
    '{exec} aws iam delete-access-key --user-name {user} --access-key-id {old}',
  'rotate.deactivateOldFailed':
    '新しいキー {new} は {where} にあり、使えます。ただし古いキー {old} を無効化できませんでした（{reason}）。古いキーはまだ有効です: ' +
    '{exec} aws iam update-access-key --user-name {user} --access-key-id {old} --status Inactive',
  'rotate.done':
    '完了しました。新しいキー {new} は {where} にあります。IAM ユーザー {user} の古いキー {old} は削除しました。',
  'rotate.doneKept':
    '完了しました。新しいキー {new} は {where} にあります。IAM ユーザー {user} の古いキー {old} は削除せずに無効化しました。不要になったら' +
    '次のコマンドで削除してください: {exec} aws iam delete-access-key --user-name {user} --access-key-id {old}',
  'net.caBundle': 'CA バンドル {path}（{source} で指定）を読み込めません: {code}。PEM ファイルを指定してください',
  'lock.notOursLink':
    '{path} は aws-mfa が作ったロックではありません（シンボリックリンクです）。削除してから、もう一度実行してください',
  'lock.notOursFolder':
    '{path} は aws-mfa が作ったロックではありません（他のユーザーのフォルダーです）。削除してから、もう一度実行してください',
  'lock.notOursFile':
    '{path} は aws-mfa が作ったロックではありません（ファイルです）。削除してから、もう一度実行してください',
  'lock.waiting': '別の aws-mfa が [{name}] のセッションを取得中です。終わるまで待ちます（最大 {seconds} 秒）',
  'lock.waitCancelled':
    '[{name}] のセッションを取得中の別の aws-mfa を待っている間にキャンセルしました。AWS には何も送信していません',
  'lock.cancelledElsewhere':
    '待っていた別の aws-mfa（[{name}]）の MFA コードの入力がキャンセルされました。AWS には何も送信していません',
  'lock.waitedTooLong':
    '別の aws-mfa が [{name}] のセッションを取得し始めてから {seconds} 秒たちましたが、まだ終わっていません。その aws-mfa のコード入力（別のウィンドウやダイアログ）に答えるか閉じてから、' +
    'もう一度実行してください。aws-mfa が動いていないなら、ロックを削除してください: {command}',
};
