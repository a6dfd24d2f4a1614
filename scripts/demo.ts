/**
 * `npm run demo`: the daily job, end to end, on this machine, with no AWS account. It starts a
 * local moto_server, creates an IAM user with an access key and a virtual MFA device in it, writes
 * [demo-long-term] the way `aws configure` and broamski's README leave it, then runs the built
 * aws-mfa: a first run fetches a session (the emulator accepts any code), the AWS CLI uses it,
 * a second run answers from the cache without calling AWS, `status` lists it, `exec` hands it to
 * a command, and `setup-credential-process` lets the AWS CLI get it by itself. Everything lives
 * in a temporary HOME that is removed at the end. It speaks the user's language by the tool's own
 * rules (--lang, AWS_MFA_LANG, LC_ALL, LC_MESSAGES, LANG, Windows' UI language), and so does aws-mfa in it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, mkdirSync, openSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto } from '../test/helpers/moto.js';
import { findTool } from '../test/helpers/tools.js';
import { createUser, writeLongTerm } from '../test/helpers/onboard.js';
import type { Home } from '../test/helpers/cli.js';
import { chooseLanguage } from '../src/messages/lang.js';

// The demo's own lines, in both languages (not in the tool's catalog: the program carries that, and the
// demo is not part of it); {name} placeholders as in the catalog.
const TEXT = {
  en: {
    moto: 'moto_server (a local AWS emulator) is listening at {endpoint}; HOME={home}',
    created: 'Created IAM user demo-user with MFA device {device} and wrote [demo-long-term].',
    masked: '(secrets masked here)',
    stillValid: '(still valid: no AWS call)',
    viaProcess: '(the AWS CLI runs aws-mfa credential-process)',
    failed: 'The demo FAILED.',
    worked: 'The demo worked: a session was fetched, used by the AWS CLI, reused, run with exec, and served to the AWS CLI through credential_process.',
  },
  ja: {
    moto: 'moto_server（ローカルの AWS エミュレーター）が {endpoint} で待ち受けています。HOME={home}',
    created: 'IAM ユーザー demo-user と MFA デバイス {device} を作成し、[demo-long-term] を書き込みました。',
    masked: '（ここではシークレットを伏せています）',
    stillValid: '（セッションはまだ有効なので、AWS は呼び出しません）',
    viaProcess: '（AWS CLI が aws-mfa credential-process を実行します）',
    failed: 'デモは失敗しました。',
    worked: 'デモは成功しました。セッションを取得し、AWS CLI で使い、再利用し、exec で実行し、credential_process で AWS CLI に渡しました。',
  },
} as const;
const lang = chooseLanguage(process.argv.slice(2), process.env, process.platform === 'win32', () => Intl.DateTimeFormat().resolvedOptions().locale);
const t = (key: keyof (typeof TEXT)['en'], params: Record<string, string> = {}) =>
  TEXT[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

const BIN = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'dist', 'aws-mfa.cjs');
const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-demo-'));
const moto = await startMoto();
const mask = (s: string) => s.replace(/(aws_secret_access_key|aws_session_token|aws_security_token)( = ).*/g, '$1$2****');

/** Run a step and print what it said as a terminal shows it: stdout and stderr in the order they were written. */
function show(title: string, cmd: string, args: string[], env: Record<string, string>, input?: string): number {
  console.log(`\n$ ${title}`);
  const said = join(dir, 'said');
  const fd = openSync(said, 'w', 0o600);
  try {
    const r = spawnSync(cmd, args, { env, input, stdio: ['pipe', fd, fd] });
    process.stdout.write(readFileSync(said, 'utf8'));
    return r.status ?? 1;
  } finally {
    closeSync(fd);
  }
}

try {
  mkdirSync(join(dir, '.aws'), { mode: 0o700 });
  const home = { credentials: join(dir, '.aws', 'credentials') } as Home;
  // aws-mfa speaks the language the demo chose (on Windows that may come from the UI language, not a variable)
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, AWS_ENDPOINT_URL: moto.endpoint, AWS_EC2_METADATA_DISABLED: 'true', AWS_MFA_LANG: lang };
  if (process.env.NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
  console.log(t('moto', { endpoint: moto.endpoint, home: dir }));
  const user = await createUser(moto.endpoint, { userName: 'demo-user' });
  writeLongTerm(home, 'demo', user);
  // the profile has a region, as `aws configure` gives it: the AWS CLI steps need no warning about one
  writeFileSync(join(dir, '.aws', 'config'), '[profile demo]\nregion = us-east-1\n');
  console.log(t('created', { device: user.deviceArn }));

  let failed = 0;
  failed |= show('aws-mfa --profile demo --token 123456', process.execPath, [BIN, '--profile', 'demo', '--token', '123456'], env);
  console.log(`\n$ cat ~/.aws/credentials   ${t('masked')}\n${mask(readFileSync(home.credentials, 'utf8'))}`);
  failed |= show('aws sts get-caller-identity --profile demo', findTool('aws'), ['sts', 'get-caller-identity', '--profile', 'demo', '--region', 'us-east-1'], env);
  failed |= show(`echo 123456 | aws-mfa --profile demo   ${t('stillValid')}`, process.execPath, [BIN, '--profile', 'demo'], env, '123456\n');
  failed |= show('aws-mfa status', process.execPath, [BIN, 'status'], env);
  failed |= show('aws-mfa exec --profile demo -- aws sts get-caller-identity --query Arn', process.execPath, [BIN, 'exec', '--profile', 'demo', '--', findTool('aws'), 'sts', 'get-caller-identity', '--query', 'Arn', '--region', 'us-east-1'], env);
  failed |= show('aws-mfa setup-credential-process --profile demo', process.execPath, [BIN, 'setup-credential-process', '--profile', 'demo'], env);
  failed |= show(`aws sts get-caller-identity --profile demo-auto   ${t('viaProcess')}`, findTool('aws'), ['sts', 'get-caller-identity', '--profile', 'demo-auto'], env);
  process.exitCode = failed ? 1 : 0;
  console.log(`\n${failed ? t('failed') : t('worked')}`);
} finally {
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
