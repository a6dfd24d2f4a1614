/**
 * Proxy credentials never reach the output: not with DEBUG=* (the proxy agents' `debug` package
 * printed the proxy URL with its password), not in aws-mfa's own DEBUG lines when the user part
 * is a bare token, and not when an unencoded "/" or "#" makes the URL unparseable. Against a real
 * authenticating proxy (tinyproxy) in front of moto_server, both on loopback.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useMoto } from '../helpers/hooks.js';
import { makeHome, runCli, type Home } from '../helpers/cli.js';
import { createUser, writeLongTerm, type OnboardedUser } from '../helpers/onboard.js';
import { startTinyproxy, type Proxy } from '../helpers/net.js';
import { IniDocument } from '../../src/ini/document.js';

const emu = useMoto();
let user: OnboardedUser;
let proxy: Proxy;
before(async () => {
  await emu.ready;
  user = await createUser(emu.moto.endpoint);
  proxy = await startTinyproxy();
});
after(() => proxy?.stop());

function home(env: Record<string, string>): Home {
  const h = makeHome({ AWS_ENDPOINT_URL: emu.moto.endpoint, AWS_MFA_RETRY_BASE_MS: '5', ...env });
  writeLongTerm(h, 'net', user);
  return h;
}

test('DEBUG=* through an authenticating proxy: it works, and no password, Proxy-Authorization or signature is printed', async () => {
  const h = home({ HTTP_PROXY: `http://${proxy.user}:${proxy.password}@127.0.0.1:${proxy.port}`, DEBUG: '*', NODE_DEBUG: '' });
  const r = await runCli(['--profile', 'net', '--token', '123456', '--log-level', 'DEBUG'], { env: h.env });
  assert.equal(r.code, 0, r.stderr);
  const session = IniDocument.parse(h.read());
  assert.ok(session.get('net', 'aws_session_token'), 'the session went through the proxy');
  const out = r.stdout + r.stderr;
  for (const secret of [proxy.password, Buffer.from(`${proxy.user}:${proxy.password}`).toString('base64'), 'Proxy-Authorization', 'Signature=', 'X-Amz-Signature', user.secretAccessKey, session.get('net', 'aws_secret_access_key')!]) {
    assert.ok(!out.includes(secret), `${secret} is not printed`);
  }
  assert.ok(!/https?-proxy-agent|agent-base/.test(out), 'the proxy agents print nothing of their own');
});

test('a token as the proxy user part (http://TOKEN@host) is not printed in DEBUG lines', async () => {
  const token = 'ghp_ProxyTokenThatIsSecret0123';
  const h = home({ HTTP_PROXY: `http://${token}@127.0.0.1:${proxy.port}` });
  const r = await runCli(['--profile', 'net', '--token', '123456', '--log-level', 'DEBUG'], { env: h.env });
  assert.equal(r.code, 5, r.stderr); // tinyproxy wants alice's password
  assert.match(r.stderr, new RegExp(`through the proxy http://\\*\\*\\*@127\\.0\\.0\\.1:${proxy.port}`));
  assert.ok(!r.stderr.includes(token), 'the token is not printed');
});

test('an unencoded "/" or "#" in the proxy password: refused (exit 3) with the line that sets it encoded, and the password not printed', async () => {
  for (const password of ['pa/ss', 'pa#ss', 'p?a/ss']) {
    const h = home({ HTTP_PROXY: `http://alice:${password}@127.0.0.1:${proxy.port}` });
    const before = h.read();
    const r = await runCli(['--profile', 'net', '--token', '123456', '--log-level', 'DEBUG'], { env: h.env });
    assert.equal(r.code, 3, `${password}: ${r.stderr}`);
    assert.match(r.stderr, /the proxy URL in HTTP_PROXY has a "\/", "\?" or "#" in its user name or password; percent-encode them/);
    assert.ok(r.stderr.includes(`export HTTP_PROXY='http://alice:PASSWORD@127.0.0.1:${proxy.port}'`), r.stderr);
    for (const part of [password, `//${password.split(/[/#?]/)[0]}`]) assert.ok(!r.stderr.includes(part), `${password}: ${part} is not shown`);
    assert.equal(h.read(), before);
  }
});

test('a proxy URL with an unencoded "@" and "#" in the password is refused before the code is asked for (exit 3), in English and Japanese', async () => {
  const { startPty } = await import('../helpers/tmux.js');
  const { CLI_COMMAND } = await import('../helpers/cli.js');
  const url = 'http://suzuki:p@ss#word@proxy.example.co.jp:8080';
  const expected = [
    ['en', /the proxy URL in HTTPS_PROXY has a "\/", "\?" or "#" in its user name or password/],
    ['ja', /HTTPS_PROXY のプロキシ URL のユーザー名かパスワードに「\/」「\?」「#」が含まれています/],
  ] as const;
  for (const [lang, message] of expected) {
    const h = home({ HTTPS_PROXY: url, AWS_MFA_LANG: lang });
    const before = h.read();
    await emu.moto.resetRecording();
    const pty = startPty([...CLI_COMMAND, '--profile', 'net', '--force'], h.env);
    // a prompt (the code asked for first) or the end, whichever comes
    await pty.waitFor(/\[exit=\d+\]|Enter AWS MFA code|のコードを入力/);
    assert.doesNotMatch(pty.screen(), /Enter AWS MFA code|のコードを入力/, 'no code was asked for');
    const code = await pty.exitCode();
    const screen = pty.screen();
    assert.equal(code, 3, screen);
    assert.match(screen, message);
    assert.ok(screen.replace(/\n/g, '').includes("export HTTPS_PROXY='http://suzuki:PASSWORD@proxy.example.co.jp:8080'"), screen);
    assert.ok(!screen.includes('p@ss') && !screen.includes('ss#word'), 'the password is not shown');
    assert.deepEqual(await emu.moto.requests(), [], 'nothing was sent');
    assert.equal(h.read(), before);
  }
});
