/**
 * The container credentials endpoint (`exec --ecs-server`, `serve`): a loopback HTTP server that
 * answers GET on one path with the session as the ECS/EKS protocol gives it, to a client that sends
 * the server's own random token in `Authorization` (botocore's ContainerProvider, the JS SDK's
 * fromHttp/fromContainerMetadata, the other SDKs read AWS_CONTAINER_CREDENTIALS_FULL_URI and
 * AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]). Everything else is refused before the session is
 * asked for, so a request without the token never refreshes anything. Plain http, which the SDKs
 * accept only for loopback hosts; bound to 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CliError, EXIT, isCliError } from '../errors.js';
import { t } from '../messages/index.js';

export const ENDPOINT_HOST = '127.0.0.1';
/** The one path answered (any path works for the SDKs; a fixed one makes a stray request plain). */
export const ENDPOINT_PATH = '/aws-mfa/credentials';

/** Why a request was refused (logged in the server's words, never with what the client sent). */
export type Refusal = 'noToken' | 'wrongToken' | 'method' | 'path';

export interface EndpointParts {
  /** 0: a port the OS chooses. */
  port: number;
  /** The answer's body for a good request (the session, refreshed when due). */
  answer: () => Promise<string>;
  refused: (why: Refusal) => void;
  /** A session could not be had: the one line, logged; the client gets it with a 500. */
  failed: (message: string) => void;
}

export interface Endpoint {
  url: string;
  port: number;
  /** The token a client must send; never in argv (a variable of the child, or a 0600 file). */
  token: string;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** Start listening on 127.0.0.1; a port in use (or not allowed) is one clear error, nothing started. */
export async function startEndpoint(parts: EndpointParts): Promise<Endpoint> {
  const token = randomBytes(32).toString('base64url');
  const wanted = digest(token);
  // one refresh at a time: callers that ask while one is under way get its answer
  let inFlight: Promise<string> | undefined;
  const answer = () => (inFlight ??= parts.answer().finally(() => (inFlight = undefined)));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const given = req.headers.authorization;
    // compared as digests: the same length whatever was sent, in constant time
    if (given === undefined || given === '') return refuse(res, 'noToken', 401);
    if (!timingSafeEqual(digest(given), wanted)) return refuse(res, 'wrongToken', 403);
    if (req.method !== 'GET') return refuse(res, 'method', 405, { Allow: 'GET' });
    // the path as sent, without a query (no URL parsing: nothing a client sends can throw here)
    if ((req.url ?? '').split('?')[0] !== ENDPOINT_PATH) return refuse(res, 'path', 404);
    try {
      send(res, 200, await answer());
    } catch (e) {
      const message = isCliError(e)
        ? e.message.split('\n')[0]!
        : t('error.unexpected', { message: (e as Error)?.message ?? String(e) });
      parts.failed(message);
      send(res, 500, { code: 'CredentialsUnavailable', message });
    }
  };
  const refuse = (res: ServerResponse, why: Refusal, status: number, headers?: Record<string, string>) => {
    parts.refused(why);
    send(res, status, { code: 'AccessDenied', message: t(`endpoint.refused.${why}` as const) }, headers);
  };

  const server = createServer((req, res) => {
    req.resume(); // a body, if any, is not read
    handle(req, res).catch(() => res.destroy());
  });
  // a client that holds a connection open does not keep the server up when it stops
  server.keepAliveTimeout = 1000;
  // a local client that sends its request slowly (or never) gives its connection up in seconds, not
  // Node's 60: the SDKs send a few hundred bytes at once (the answer, a refresh, may take longer)
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = { EADDRINUSE: 'endpoint.portInUse', EACCES: 'endpoint.portNotAllowed' } as const;
      const key = why[e.code as keyof typeof why];
      reject(key ? new CliError(t(key, { port: parts.port }), EXIT.CONFIG) : e);
    });
    server.listen(parts.port, ENDPOINT_HOST, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://${ENDPOINT_HOST}:${port}${ENDPOINT_PATH}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves when the user stops a server that runs alone: Ctrl-C, SIGTERM, or the terminal closing. */
export async function untilStopped(): Promise<void> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  await new Promise<void>((resolve) => {
    // taken off after this signal's other listeners ran: signal-exit (proper-lockfile's, loaded by a
    // refresh) kills the process again when it finds itself the signal's last listener
    const stop = () => {
      setImmediate(() => {
        for (const s of signals) process.off(s, stop);
      });
      resolve();
    };
    for (const s of signals) process.on(s, stop);
  });
}
