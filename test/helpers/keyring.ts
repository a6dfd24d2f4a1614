/**
 * A real Secret Service for a test file: a private dbus-daemon (its own socket, no service
 * activation, so nothing starts behind the test's back) and Debian's gnome-keyring-daemon on it,
 * its login keyring created and unlocked with a password on stdin. Both are started before the
 * file's tests and stopped by PID after them. `secretTool` looks at the keyring from outside.
 *
 * Without gnome-keyring on the machine the tests are skipped with a line naming the package
 * (needTool), except under CI=true, where that is a failure.
 */
import { before, after } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { needTool } from './tools.js';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The tools a private Secret Service needs, with their Debian packages. */
const TOOLS: Array<[string, string]> = [
  ['dbus-daemon', 'dbus-daemon'],
  ['dbus-send', 'dbus-bin'],
  ['gnome-keyring-daemon', 'gnome-keyring'],
  ['secret-tool', 'libsecret-tools'],
];

/** Why the keyring tests cannot run here (false: they can); under CI=true a missing tool throws. */
export function keyringMissing(): string | false {
  for (const [tool, pkg] of TOOLS) {
    const missing = needTool(tool, pkg);
    if (missing) return missing;
  }
  return false;
}

export interface Keyring {
  /** DBUS_SESSION_BUS_ADDRESS of the private bus. */
  address: string;
  /** The folder holding the keyring files (encrypted with the password). */
  dir: string;
  /** secret-tool against this keyring: stdout, and the exit status. */
  secretTool(args: string[]): { status: number | null; stdout: string };
  /** Lock the login keyring (as a screen lock would). */
  lock(): void;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid!, 'SIGTERM');
  const t = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A bus without any Secret Service on it (for the "nothing provides it" failure). */
export async function startBus(dir: string): Promise<{ address: string; child: ChildProcess; stop: () => Promise<void> }> {
  const conf = join(dir, 'bus.conf');
  writeFileSync(
    conf,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const child = spawn('dbus-daemon', [`--config-file=${conf}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.resume();
  await until('dbus-daemon did not print its address', () => out.includes('\n') || child.exitCode !== null);
  if (child.exitCode !== null) throw new Error(`dbus-daemon exited with ${child.exitCode}`);
  return { address: out.split('\n')[0]!.trim(), child, stop: () => stopChild(child) };
}

/** `unlock: false`: the daemon runs without a login keyring (only its in-memory session collection). */
export async function startKeyring(o: { unlock?: boolean } = {}): Promise<Keyring> {
  const password = o.unlock === false ? undefined : 'test-keyring-password';
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-keyring-'));
  for (const d of ['data', 'run', 'home']) mkdirSync(join(dir, d), { mode: 0o700 });
  const bus = await startBus(dir);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
    DBUS_SESSION_BUS_ADDRESS: bus.address,
  };
  const daemon = spawn('gnome-keyring-daemon', ['--foreground', ...(password === undefined ? [] : ['--unlock']), '--components=secrets'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  process.once('exit', () => daemon.exitCode === null && daemon.kill('SIGKILL'));
  let log = '';
  daemon.stdout!.on('data', (d) => (log += d));
  daemon.stderr!.on('data', (d) => (log += d));
  daemon.stdin!.end(password ?? '');
  const stop = async () => {
    await stopChild(daemon);
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const send = (...args: string[]) => spawnSync('dbus-send', ['--session', '--print-reply', ...args], { env, encoding: 'utf8' });
  try {
    await until(`gnome-keyring-daemon did not take org.freedesktop.secrets (${log.trim()})`, () => {
      if (daemon.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with ${daemon.exitCode}: ${log}`);
      return /boolean true/.test(send('--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets').stdout);
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    address: bus.address,
    dir,
    secretTool: (args) => {
      const r = spawnSync('secret-tool', args, { env, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout };
    },
    lock: () => {
      const r = send('--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login');
      if (r.status !== 0) throw new Error(`locking the keyring failed: ${r.stderr}`);
    },
    stop,
  };
}

/** One keyring for this test file, started before its tests and stopped after them. */
export function useKeyring(): { readonly keyring: Keyring; skip: string | false } {
  const skip = keyringMissing();
  let kr: Keyring | undefined;
  if (!skip) {
    before(async () => {
      kr = await startKeyring();
    });
    after(async () => {
      await kr?.stop();
    });
  }
  return {
    skip,
    get keyring() {
      if (!kr) throw new Error('the keyring is not started yet');
      return kr;
    },
  };
}
