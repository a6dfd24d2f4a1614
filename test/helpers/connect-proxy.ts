/**
 * A loopback HTTPS proxy (CONNECT tunnels) with Basic authentication whose password may hold
 * ':' and '@'. tinyproxy, the real proxy the other network tests use, cannot hold either in a
 * BasicAuth password, yet corporate passwords often do (the Windows guide's HTTPS_PROXY form
 * carries `p%40ss`). It checks the Proxy-Authorization header byte for byte, records every request,
 * answers 407 to wrong credentials, and tunnels only to 127.0.0.1. Stopped by the test file.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ConnectProxy {
  port: number;
  /** Every CONNECT seen: its target and the Basic credentials decoded ('' when none). */
  seen: Array<{ target: string; credentials: string; allowed: boolean }>;
  stop(): Promise<void>;
}

export async function startConnectProxy(user: string, password: string): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const seen: ConnectProxy['seen'] = [];
  const expected = `${user}:${password}`;
  const server = createServer((_req, res) => {
    res.writeHead(405, { connection: 'close' });
    res.end('only CONNECT');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'] ?? '';
    const m = /^Basic (.+)$/i.exec(auth);
    const credentials = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const target = req.url ?? '';
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const allowed = credentials === expected && host === '127.0.0.1';
    seen.push({ target, credentials, allowed });
    if (!allowed) {
      client.end(`HTTP/1.1 ${credentials === expected ? 403 : 407} Denied\r\nProxy-Authenticate: Basic realm="test"\r\nConnection: close\r\n\r\n`);
      return;
    }
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    seen,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
