/**
 * Bounds on every answer. The SDK's Node handler times out only until the response headers
 * arrive, and collects a body of any size: a server (or anything between) that trickles a byte a
 * second holds aws-mfa forever, and an endless body grows its memory, long-term secret included,
 * until the machine gives out. Here every request has a deadline that covers the body too, and
 * every body a size limit; an AbortSignal from the caller (the deadline of the whole call) ends
 * both the request and its body. The proxy's answer to CONNECT is bounded too (see
 * BoundedHttpsProxyAgent).
 */
import { Transform, pipeline, type Readable } from 'node:stream';
import { channel } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { ClientRequest } from 'node:http';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { AgentConnectOpts } from 'agent-base';
import { t } from '../messages/index.js';

/** STS and IAM answers are a few KB (a device list, a QR code PNG); 1 MiB is plenty. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** A proxy's answer to CONNECT is a status line and a few headers (Node allows 16 KiB of headers). */
const MAX_CONNECT_ANSWER_BYTES = 64 * 1024;

/** The error of a request or call that ran out of time: the SDK and toFailure read it as a read timeout. */
export function deadlineError(ms: number): Error {
  return Object.assign(new Error(t('aws.deadline', { seconds: ms / 1000 })), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}

export function tooLargeError(limit: number): Error {
  return Object.assign(new Error(t('aws.tooLarge', { limit: `${Math.round(limit / 1024)} KiB` })), {
    name: 'ResponseTooLargeError',
    code: 'ERR_RESPONSE_TOO_LARGE',
  });
}

/**
 * `body`, passed through while it stays within `limit` bytes; `done` is called once it ended or
 * failed. The returned stream is the one to destroy (with an error) to end the body early.
 */
export function limitBody(body: Readable, limit: number, done: (err?: Error | null) => void): Transform {
  let seen = 0;
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) cb(tooLargeError(limit));
      else cb(null, chunk);
    },
  });
  pipeline(body, out, (err) => done(err));
  return out;
}

type Handle = NodeHttpHandler['handle'];
type HandleOptions = NonNullable<Parameters<Handle>[1]>;

/** The SDK's Node handler with a deadline per request (headers and body) and a size limit per body. */
export class BoundedHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  constructor(
    private readonly inner: NodeHttpHandler,
    private readonly deadlineMs: number,
    private readonly limit: number = MAX_ANSWER_BYTES,
  ) {}

  async handle(request: Parameters<Handle>[0], options: HandleOptions = {}): ReturnType<Handle> {
    const ctl = new AbortController();
    const deadline = deadlineError(this.deadlineMs);
    let body: Transform | undefined;
    const stop = (reason: Error) => {
      if (!ctl.signal.aborted) ctl.abort(reason);
      body?.destroy(reason);
    };
    const timer = setTimeout(() => stop(deadline), this.deadlineMs);
    timer.unref(); // an open request keeps the process alive, never this timer alone
    const outer = options.abortSignal as AbortSignal | undefined;
    const onOuter = () => stop(outer?.reason instanceof Error ? outer.reason : deadline);
    if (outer?.aborted) onOuter();
    else outer?.addEventListener?.('abort', onOuter, { once: true });
    const finish = () => {
      clearTimeout(timer);
      outer?.removeEventListener?.('abort', onOuter);
    };
    try {
      const { response } = await this.inner.handle(request, { ...options, abortSignal: ctl.signal });
      if (ctl.signal.aborted) {
        (response.body as Readable | undefined)?.destroy?.();
        throw ctl.signal.reason;
      }
      body = limitBody(response.body as Readable, this.limit, finish);
      response.body = body;
      return { response };
    } catch (e) {
      finish();
      // the SDK's handler wraps the abort's reason in its own AbortError
      throw ctl.signal.aborted && ctl.signal.reason instanceof Error ? ctl.signal.reason : e;
    }
  }

  destroy(): void {
    this.inner.destroy();
  }

  updateHttpClientConfig(...a: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.inner.updateHttpClientConfig(...a);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }
}

/** An AbortSignal that fires after `ms` (the deadline of one call, retries included), and its clean-up. */
export function callDeadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(deadlineError(ms)), ms);
  timer.unref();
  return { signal: ctl.signal, clear: () => clearTimeout(timer) };
}

const clientSockets = channel('net.client.socket');

/**
 * https-proxy-agent reads the proxy's answer to CONNECT with no deadline and no size limit, on a
 * socket of its own that nothing else can reach: a proxy that trickles or never ends that answer
 * keeps aws-mfa alive (after it has reported the timeout) and growing. The socket is caught as it
 * is made (Node's net.client.socket channel, published synchronously by net.connect) and
 * destroyed when the answer takes longer than the deadline or grows past 64 KiB. (A proxy URL
 * with https:// is connected by tls.connect, which Node does not publish: the deadline of the
 * call still ends the request, but not that socket.)
 */
export class BoundedHttpsProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    opts: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly deadlineMs: number,
  ) {
    super(proxy, opts);
  }

  override async connect(req: ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
    let socket: Socket | undefined;
    const grab = (message: unknown) => {
      socket ??= (message as { socket: Socket }).socket;
    };
    clientSockets.subscribe(grab);
    let answer: Promise<Socket>;
    try {
      answer = super.connect(req, opts) as Promise<Socket>; // runs up to its first await: net.connect
    } finally {
      clientSockets.unsubscribe(grab);
    }
    const started = Date.now();
    const watch = setInterval(() => {
      if (!socket || socket.destroyed) return;
      if (Date.now() - started >= this.deadlineMs) socket.destroy(deadlineError(this.deadlineMs));
      else if (socket.bytesRead > MAX_CONNECT_ANSWER_BYTES) socket.destroy(tooLargeError(MAX_CONNECT_ANSWER_BYTES));
    }, 50);
    watch.unref();
    try {
      return await answer;
    } finally {
      clearInterval(watch);
    }
  }
}
