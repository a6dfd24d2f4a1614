/**
 * A real Secret Service for a test file, started as a desktop session starts it: a private
 * dbus-daemon (its own socket and config) that activates Debian's gnome-keyring-daemon on the
 * first call for org.freedesktop.secrets, its login keyring created (or unlocked) with a password
 * from a 0600 file, as PAM does at login. The harness activates it before the file's tests and
 * stops both by PID after them. `secretTool` looks at the keyring from outside.
 *
 * Why activation: gnome-keyring 42 can abort while answering (a g_variant_new g_error on a client
 * it lost track of, seen here as `trap int3` in dmesg and upstream as gnome-keyring#196). A desktop
 * bus starts it again on the next call, with the same keyring files; so does this one, and the
 * daemon's own log is printed when it dies by itself, so a run shows why.
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
  ['dbus-monitor', 'dbus-bin'],
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
  /** The environment the bus starts the daemon in (its HOME, XDG folders and the bus address). */
  env: NodeJS.ProcessEnv;
  /** The login keyring's password, as a user would type it. */
  password: string;
  /** secret-tool against this keyring: stdout, and the exit status. */
  secretTool(args: string[]): { status: number | null; stdout: string };
  /** Lock the login keyring (as a screen lock would). */
  lock(): void;
  /** Kill the daemon as a crash would (SIGKILL); the bus starts it again on the next call. */
  crash(): Promise<void>;
  /**
   * The daemon dies while answering the first call of the process `start` starts, as gnome-keyring#196
   * aborts: the daemon is stopped (SIGSTOP) and a dbus-monitor watches the bus before `start` runs;
   * once the monitor has seen a call to the Secret Service waiting (the caller's: it is its only client
   * then), the daemon is killed (SIGKILL) and the bus tells the caller its recipient left. A caller that
   * never calls fails this.
   */
  dieDuringCallOf(start: () => unknown): Promise<void>;
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

interface Bus {
  address: string;
  child: ChildProcess;
  /** What the bus and the services it started printed (gnome-keyring's log among them). */
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * A private session bus. Without `services` nothing is on it (for the "nothing provides it"
 * failure); with a folder of .service files, it starts those services on demand, in `env`.
 */
export async function startBus(dir: string, o: { services?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Bus> {
  const conf = join(dir, 'bus.conf');
  writeFileSync(
    conf,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
${o.services ? `  <servicedir>${o.services}</servicedir>\n` : ''}  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const child = spawn('dbus-daemon', [`--config-file=${conf}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(o.env ? { env: o.env } : {}),
  });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  let out = '';
  let log = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (log += d));
  await until('dbus-daemon did not print its address', () => out.includes('\n') || child.exitCode !== null);
  if (child.exitCode !== null) throw new Error(`dbus-daemon exited with ${child.exitCode}: ${log}`);
  return { address: out.split('\n')[0]!.trim(), child, log: () => log, stop: () => stopChild(child) };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `unlock: false`: the daemon runs without a login keyring (only its in-memory session collection). */
export async function startKeyring(o: { unlock?: boolean } = {}): Promise<Keyring> {
  const password = o.unlock === false ? undefined : 'test-keyring-password';
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-keyring-'));
  for (const d of ['data', 'run', 'home', 'services']) mkdirSync(join(dir, d), { mode: 0o700 });
  // as PAM hands the login password to the daemon it starts: on stdin, from a file only we can read
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, password ?? '', { mode: 0o600 });
  const daemon = `gnome-keyring-daemon --foreground ${password === undefined ? '' : '--unlock '}--components=secrets`;
  writeFileSync(
    join(dir, 'services', 'org.freedesktop.secrets.service'),
    `[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sh -c 'exec ${daemon} < ${passwordFile}'\n`,
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
  };
  const bus = await startBus(dir, { services: join(dir, 'services'), env });
  const busEnv = { ...env, DBUS_SESSION_BUS_ADDRESS: bus.address };
  const send = (...args: string[]) => spawnSync('dbus-send', ['--session', '--print-reply', ...args], { env: busEnv, encoding: 'utf8' });
  /** The PID of the daemon that owns the name now (undefined: none). */
  const owner = () => {
    const r = send('--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.secrets');
    const m = /uint32 (\d+)/.exec(r.stdout);
    return m ? Number(m[1]) : undefined;
  };
  /** How many times the bus has started the daemon (more than once: one died by itself). */
  const starts = () => bus.log().split('Activating service name=\'org.freedesktop.secrets\'').length - 1;
  let crashes = 0;
  const stop = async () => {
    const pid = owner();
    if (starts() > 1 + crashes) process.stderr.write(`gnome-keyring-daemon died by itself and was started again:\n${bus.log()}\n`);
    if (pid !== undefined) {
      process.kill(pid, 'SIGTERM');
      await until(`gnome-keyring-daemon ${pid} did not stop`, () => !alive(pid), 5000).catch(() => process.kill(pid, 'SIGKILL'));
    }
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const r = send('--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.StartServiceByName', 'string:org.freedesktop.secrets', 'uint32:0');
    if (r.status !== 0) throw new Error(`the bus could not start gnome-keyring-daemon: ${r.stderr}${bus.log()}`);
    await until(`gnome-keyring-daemon did not take org.freedesktop.secrets (${bus.log().trim()})`, () => owner() !== undefined);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    address: bus.address,
    dir,
    env: busEnv,
    password: password ?? '',
    secretTool: (args) => {
      // the daemon gone mid-call (gnome-keyring#196, as src/io/keychain.ts says): once more, after the bus restarted it
      for (let tries = 1; ; tries++) {
        const r = spawnSync('secret-tool', args, { env: busEnv, encoding: 'utf8' });
        if (tries === 3 || !/disconnected from message bus without replying/i.test(r.stderr)) {
          return { status: r.status, stdout: r.stdout };
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500 * tries);
      }
    },
    lock: () => {
      const r = send('--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login');
      if (r.status !== 0) throw new Error(`locking the keyring failed: ${r.stderr}`);
    },
    crash: async () => {
      const pid = owner();
      if (pid === undefined) throw new Error('no gnome-keyring-daemon to crash');
      crashes++;
      process.kill(pid, 'SIGKILL');
      await until(`gnome-keyring-daemon ${pid} did not die`, () => !alive(pid) && owner() === undefined);
    },
    dieDuringCallOf: async (start) => {
      const daemon = owner();
      if (daemon === undefined) throw new Error('no gnome-keyring-daemon to stop');
      process.kill(daemon, 'SIGSTOP');
      crashes++;
      // calls to the (stopped) daemon, seen on the bus: it is killed only once the caller's call waits on it
      const monitor = spawn('dbus-monitor', ['--address', bus.address, "type='method_call',destination='org.freedesktop.secrets'"], { env: busEnv, stdio: ['ignore', 'pipe', 'ignore'] });
      let seen = '';
      monitor.stdout!.on('data', (d) => (seen += d));
      try {
        // ready once it has become a monitor: the bus takes its name back (it prints that NameLost)
        await until('dbus-monitor did not become a monitor', () => seen.includes('member=NameLost'));
        // the caller is the only client of the Secret Service on this private bus now: its first call
        // seen is killed at once (the add-on gives a call 2 s before it stops waiting by itself)
        start();
        await until('the caller made no call to the Secret Service', () => /^method call /m.test(seen));
      } finally {
        monitor.kill('SIGKILL');
        process.kill(daemon, 'SIGKILL');
        process.kill(daemon, 'SIGCONT');
      }
      await until(`gnome-keyring-daemon ${daemon} did not die`, () => !alive(daemon) && owner() !== daemon);
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
