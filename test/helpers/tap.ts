/**
 * A loopback relay in front of moto_server that keeps every answer it passes on. moto's recorder
 * keeps only requests; a test that must compare what the tool showed with what AWS answered (the
 * seed of a new virtual MFA device) points the tool at this relay instead. Stopped after the file.
 */
import { createServer, request as httpRequest } from 'node:http';
import { after } from 'node:test';

export interface Answered {
  /** The query-protocol Action of the request. */
  action: string;
  status: number;
  body: string;
}

export interface Tap {
  endpoint: string;
  answers: Answered[];
  /** The seeds (base32 text) of the virtual MFA devices AWS created through this relay, in order. */
  seeds(): string[];
}

export async function startTap(target: string): Promise<Tap> {
  const t = new URL(target);
  const answers: Answered[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? new URL(req.url ?? '/', target).searchParams.get('Action') ?? '';
      const up = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        const out: Buffer[] = [];
        r.on('data', (d: Buffer) => out.push(d));
        r.on('end', () => {
          const text = Buffer.concat(out);
          answers.push({ action, status: r.statusCode ?? 0, body: text.toString('utf8') });
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(text);
        });
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  after(async () => {
    server.closeAllConnections?.();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    answers,
    // IAM's query protocol answers the seed as a base64 blob of the base32 text
    seeds: () =>
      answers
        .filter((a) => a.action === 'CreateVirtualMFADevice')
        .map((a) => /<Base32StringSeed>([^<]*)<\/Base32StringSeed>/.exec(a.body)?.[1])
        .filter((s): s is string => s !== undefined)
        .map((b64) => Buffer.from(b64, 'base64').toString('utf8')),
  };
}
