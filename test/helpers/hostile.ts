/**
 * Loopback stand-ins for servers that answer badly on purpose: slowly (a byte a second), without
 * end, or with credentials no real STS would give. Each is an HTTP server on 127.0.0.1 that the
 * test stops (open connections included) when it is done.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Hostile {
  endpoint: string;
  /** How many requests arrived. */
  requests: number;
  /** Bytes written to all answers so far. */
  sent: number;
  /**
   * When (Date.now()) the last request arrived and when the client let its connection go: a cut-off
   * measured where it happens, so a loaded machine's slow start of the binary does not count.
   */
  arrivedAt?: number;
  closedAt?: number;
  close(): Promise<void>;
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, count: (n: number) => void) => void;

/** `withBody`: the request body is kept on the request (`req.body`) before `behaviour` answers. */
export async function startHostile(behaviour: Behaviour, withBody = false): Promise<Hostile> {
  const h: Hostile = {
    endpoint: '',
    requests: 0,
    sent: 0,
    close: async () => {
      server.closeAllConnections(); // each answer's timer stops when its connection closes
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    h.requests++;
    h.arrivedAt = Date.now();
    res.on('close', () => (h.closedAt = Date.now()));
    let body = '';
    if (withBody) req.on('data', (d) => (body += d));
    else req.resume();
    req.on('end', () => behaviour(Object.assign(req, { body }), res, (n) => (h.sent += n)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return h;
}

/** A 200 with a plausible start, then one byte a second, for as long as the client listens. */
export const trickle: Behaviour = (_req, res, count) => {
  res.writeHead(200, { 'content-type': 'text/xml' });
  const text = '<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult>';
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(text[i++ % text.length]!);
    count(1);
  }, 1000);
  res.on('close', () => clearInterval(timer));
};

/** A 200 whose body never ends, written as fast as the client reads it. */
export const endless: Behaviour = (_req, res, count) => {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.write('<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Padding>');
  const chunk = Buffer.alloc(64 * 1024, 'A');
  const pump = () => {
    while (!res.destroyed) {
      count(chunk.length);
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
  };
  pump();
};

/** A GetSessionToken answer with these credentials, as given (XML-escaped only). */
export function credentialsAnswer(c: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; expiration?: string }): Behaviour {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  return (_req, res) => {
    const creds =
      `<Credentials><AccessKeyId>${x(c.accessKeyId ?? 'ASIAHOSTILE000000000')}</AccessKeyId>` +
      `<SecretAccessKey>${x(c.secretAccessKey ?? `secret${randomUUID()}`)}</SecretAccessKey>` +
      `<SessionToken>${x(c.sessionToken ?? `token${randomUUID()}`)}</SessionToken>` +
      `<Expiration>${c.expiration ?? new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials>`;
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult>${creds}</GetSessionTokenResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetSessionTokenResponse>`,
    );
  };
}

/**
 * The peak resident memory (kB) of a running process, sampled until it exits; past `killAtKb` the
 * process is killed (so a regression shows as a failed test, not as a machine out of memory).
 */
export function watchRss(pid: number | undefined, killAtKb: number): { peakKb: () => number; stop: () => void } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
      if (peak > killAtKb && pid) process.kill(pid, 'SIGKILL');
    } catch {
      clearInterval(timer);
    }
  }, 20);
  return { peakKb: () => peak, stop: () => clearInterval(timer) };
}

/**
 * A proxy that answers CONNECT with a status line and then never finishes its headers: a byte a
 * second ('trickle') or as fast as the client reads ('endless').
 */
export async function startHostileProxy(mode: 'trickle' | 'endless'): Promise<Hostile> {
  const sockets = new Set<Socket>();
  const h: Hostile = {
    endpoint: '',
    requests: 0,
    sent: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createTcpServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => {});
    c.on('close', () => (h.closedAt = Date.now()));
    c.once('data', () => {
      h.requests++;
      h.arrivedAt = Date.now();
      c.write('HTTP/1.1 200 Connection established\r\nX-Padding: ');
      if (mode === 'trickle') {
        const timer = setInterval(() => (c.destroyed ? clearInterval(timer) : (c.write('x'), h.sent++)), 1000);
        return;
      }
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!c.destroyed) {
          h.sent += chunk.length;
          if (!c.write(chunk)) return void c.once('drain', pump);
        }
      };
      pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return h;
}

/** What a scripted IAM + STS stand-in answers (every value as given, control characters included). */
export interface AwsScript {
  /** GetCallerIdentity. */
  arn?: string;
  account?: string;
  userId?: string;
  /** CreateVirtualMFADevice: the new device's serial and its seed (sent base64-encoded, as IAM does). */
  serial?: string;
  seed?: string;
  /** ListMFADevices: the user's devices (default: the created serial once it was enabled). */
  listed?: string[];
  /** ListAccessKeys: the user's access key ids (default: none). */
  accessKeys?: string[];
  /** Called with each request's Action as it arrives, before it is answered (a test acts in between). */
  onAction?: (action: string) => void;
}

export interface FakeAws extends Hostile {
  /** The Action of every request, in order. */
  actions: string[];
}

/**
 * One loopback server standing in for both IAM and STS (AWS_ENDPOINT_URL), query protocol: the
 * device lifecycle (create, enable, list, delete), GetCallerIdentity and GetSessionToken, with
 * values a hostile or broken endpoint might send.
 */
export async function startFakeAws(script: AwsScript = {}): Promise<FakeAws> {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  const serial = script.serial ?? 'arn:aws:iam::123456789012:mfa/alice';
  let enabled = false;
  const actions: string[] = [];
  const result = (action: string): string => {
    switch (action) {
      case 'GetCallerIdentity':
        return `<Arn>${x(script.arn ?? 'arn:aws:iam::123456789012:user/alice')}</Arn><UserId>${x(script.userId ?? 'AIDAFAKEUSER000000000')}</UserId><Account>${x(script.account ?? '123456789012')}</Account>`;
      case 'CreateVirtualMFADevice': {
        const seed = Buffer.from(script.seed ?? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP').toString('base64');
        return `<VirtualMFADevice><SerialNumber>${x(serial)}</SerialNumber><Base32StringSeed>${seed}</Base32StringSeed></VirtualMFADevice>`;
      }
      case 'EnableMFADevice':
        enabled = true;
        return '';
      case 'ListMFADevices': {
        const listed = script.listed ?? (enabled ? [serial] : []);
        const members = listed.map((s) => `<member><UserName>alice</UserName><SerialNumber>${x(s)}</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>`);
        return `<MFADevices>${members.join('')}</MFADevices><IsTruncated>false</IsTruncated>`;
      }
      case 'ListAccessKeys': {
        const keys = (script.accessKeys ?? []).map((k) => `<member><UserName>alice</UserName><AccessKeyId>${x(k)}</AccessKeyId><Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`);
        return `<AccessKeyMetadata>${keys.join('')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`;
      }
      case 'ListVirtualMFADevices':
        return '<VirtualMFADevices></VirtualMFADevices><IsTruncated>false</IsTruncated>';
      case 'GetSessionToken':
        return (
          `<Credentials><AccessKeyId>ASIAFAKEAWS000000000</AccessKeyId><SecretAccessKey>secret${randomUUID()}</SecretAccessKey>` +
          `<SessionToken>token${randomUUID()}</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials>`
        );
      default:
        return '';
    }
  };
  const h = (await startHostile((req, res) => {
    const action = (req as IncomingMessage & { body?: string }).body?.match(/(?:^|&)Action=([A-Za-z]+)/)?.[1] ?? '?';
    actions.push(action);
    script.onAction?.(action);
    const ns = /Session|Caller/.test(action) ? 'https://sts.amazonaws.com/doc/2011-06-15/' : 'https://iam.amazonaws.com/doc/2010-05-08/';
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`<${action}Response xmlns="${ns}"><${action}Result>${result(action)}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
  }, true)) as FakeAws;
  h.actions = actions;
  return h;
}
