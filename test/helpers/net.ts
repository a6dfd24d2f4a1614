/**
 * Real network parts for the corporate-network tests, all on loopback and all stopped after the
 * test file: tinyproxy (from Debian) with basic authentication, a TLS front for moto_server with a
 * certificate from a CA made for the run (openssl), and a fault-injecting relay.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { freePort } from './moto.js';
import { findTool } from './tools.js';

export interface Proxy {
  url: string; // without credentials
  port: number;
  user: string;
  password: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startTinyproxy(): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-proxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  const user = 'alice';
  const password = 's3cret';
  writeFileSync(
    join(dir, 'tinyproxy.conf'),
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', `LogFile "${logFile}"`, 'LogLevel Info', 'MaxClients 50', 'Allow 127.0.0.1', `BasicAuth ${user} ${password}`, 'DisableViaHeader Yes', ''].join('\n'),
  );
  const child = spawn(findTool('tinyproxy'), ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited: ${out}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: 'http://127.0.0.1:1/', method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode === 407);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`tinyproxy did not answer on ${port}: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, port, user, password, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''), stop };
}

export interface Tls {
  caFile: string;
  endpoint: string;
  stop(): Promise<void>;
}

/** A CA made for this run, and an HTTPS front (certificate for 127.0.0.1) relaying to `target`. */
export async function startTlsFront(target: string): Promise<Tls> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-tls-'));
  const openssl = findTool('openssl');
  const run = (args: string[]) => {
    const r = spawnSync(openssl, args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=aws-mfa test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
  const server = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, relayTo(target));
  const port = await listen(server);
  const stop = async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  };
  return { caFile: join(dir, 'ca.pem'), endpoint: `https://127.0.0.1:${port}`, stop };
}

function relayTo(target: string) {
  const t = new URL(target);
  return (req: IncomingMessage, res: ServerResponse) => {
    const up = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((r) => server.close(() => r()));
}

export type Fault = 'drop' | 'throttle' | 'hang' | 'pass';

export interface Relay {
  endpoint: string;
  /** Faults for the next requests, in order; afterwards requests pass. */
  script(...faults: Fault[]): void;
  requests: number;
  /** From now on, drop each request with this probability (after the scripted faults). */
  setDropRate(p: number): void;
  dropped: number;
  stop(): Promise<void>;
}

/** An HTTP relay in front of moto_server that drops, throttles or never answers on request. */
export async function startFaultRelay(target: string): Promise<Relay> {
  let queue: Fault[] = [];
  let dropRate = 0;
  const relay: Relay = {
    endpoint: '',
    requests: 0,
    dropped: 0,
    setDropRate: (p) => (dropRate = p),
    script: (...f) => {
      queue = f;
      relay.requests = 0;
    },
    stop: async () => close(server),
  };
  const pass = relayTo(target);
  const server = createHttpServer((req, res) => {
    relay.requests++;
    const fault = queue.shift() ?? (Math.random() < dropRate ? 'drop' : 'pass');
    if (fault === 'drop') {
      relay.dropped++;
      req.resume();
      req.on('end', () => req.socket.destroy());
      return;
    }
    if (fault === 'throttle') {
      req.resume();
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>');
      return;
    }
    if (fault === 'hang') {
      req.resume();
      return; // never answers; closeAllConnections ends it at stop
    }
    pass(req, res);
  });
  relay.endpoint = `http://127.0.0.1:${await listen(server)}`;
  return relay;
}

/** Register a stop for after the test file. */
export function stopAfter(x: { stop(): Promise<void> }): void {
  after(() => x.stop());
}
