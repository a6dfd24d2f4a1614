/**
 * A loopback stand-in for STS that answers like STS does (query protocol XML), for the answers
 * the emulator cannot give: wrong codes, expired keys, clock skew, throttling. Each request takes
 * the next scripted answer; the last one repeats.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';

export type Answer =
  | { error: string; message: string; status?: number; date?: Date }
  | { ok: 'GetSessionToken' | 'AssumeRole'; expiresInSeconds?: number };

export interface FakeSts {
  endpoint: string;
  /** The Action of every request received. */
  actions: string[];
  bodies: string[];
  script(...answers: Answer[]): void;
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startFakeSts(): Promise<FakeSts> {
  let answers: Answer[] = [];
  const actions: string[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? '?';
      actions.push(action);
      const a = answers.length > 1 ? answers.shift()! : answers[0];
      if (!a) {
        res.writeHead(500).end();
        return;
      }
      if ('error' in a) {
        const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${a.error}</Code><Message>${xmlEscape(a.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
        res.writeHead(a.status ?? 403, { 'content-type': 'text/xml', date: (a.date ?? new Date()).toUTCString() });
        res.end(xml);
        return;
      }
      const exp = new Date(Date.now() + (a.expiresInSeconds ?? 3600) * 1000).toISOString();
      const creds = `<Credentials><AccessKeyId>ASIAFAKESTS000000000</AccessKeyId><SecretAccessKey>fakeSecret${randomUUID()}</SecretAccessKey><SessionToken>fakeToken${randomUUID()}</SessionToken><Expiration>${exp}</Expiration></Credentials>`;
      const extra = a.ok === 'AssumeRole' ? '<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>' : '';
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<${a.ok}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${a.ok}Result>${creds}${extra}</${a.ok}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${a.ok}Response>`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    actions,
    bodies,
    script: (...a) => {
      answers = a;
      actions.length = 0;
      bodies.length = 0;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
