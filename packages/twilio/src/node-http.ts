import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHeader, readNodeBody } from './node-request.js';
import type { WebhookExchange } from './webhook-exchange.js';
import { webhookExchangeOf, type TwilioWebhookHandler } from './webhook.js';

export interface NodeListenerOptions {
  /** Called when answering fails (the client went away, the handler threw); the request is answered 500 if still possible. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The request body as a web stream, with backpressure (the socket is paused while the reader is behind).
 * Cancelling it (the handler stops at the body limit) discards the rest instead of destroying the
 * socket, so the client still receives the 413; the response then closes the connection.
 */
const bodyStream = (req: IncomingMessage): ReadableStream<Uint8Array> => {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: unknown) => {
          if (finished) return;
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk instanceof Uint8Array ? chunk : null;
          if (bytes === null) return;
          controller.enqueue(bytes);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        req.once('error', (error: unknown) => {
          if (finished) return;
          finished = true;
          controller.error(error);
        });
        // A connection cut before the body ended (the server's request timeout, a client gone) must end the
        // read too, or the handler would wait for the rest forever.
        req.once('close', () => {
          if (finished) return;
          finished = true;
          controller.error(new Error('the connection closed before the request body ended'));
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        finished = true;
        req.resume();
      },
    },
    { highWaterMark: 4 },
  );
};

const toHeaders = (req: IncomingMessage): Headers => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
};

const isTlsSocket = (req: IncomingMessage): boolean => 'encrypted' in req.socket && req.socket.encrypted === true;

/** What goes back on the wire: the adapter adds `content-length`, and `connection: close` when needed. */
interface NodeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

type Answerer = (req: IncomingMessage, url: URL, rawTarget: string) => Promise<NodeAnswer>;

/** A handler of `createTwilioWebhookHandler`: its exchange, on node's own request and response. */
const direct =
  (exchange: WebhookExchange): Answerer =>
  (req, url, rawTarget) =>
    exchange({
      method: req.method ?? 'GET',
      url,
      rawTarget,
      header: (name) => nodeHeader(req.headers, name),
      readBody: (limit) => readNodeBody(req, limit),
    });

/** Any other handler: a web `Request` in, its `Response` read back. */
const viaWeb =
  (handler: TwilioWebhookHandler): Answerer =>
  async (req, url, rawTarget) => {
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const request = new Request(url, {
      method,
      headers: toHeaders(req),
      ...(hasBody ? { body: bodyStream(req), duplex: 'half' as const } : {}),
    });
    const response = await handler(request, { rawTarget });
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body };
  };

/**
 * Adapts a webhook handler to `node:http` (`http.createServer(toNodeListener(handler))`). The request URL
 * given to the handler uses the Host header; set `publicUrl` on the handler when Twilio reaches the server
 * through a proxy, since the signature covers the public URL. A handler made by `createTwilioWebhookHandler`
 * is served without web `Request`/`Response` objects, with the same answers; any other function gets them.
 */
export const toNodeListener = (handler: TwilioWebhookHandler, options: NodeListenerOptions = {}) => {
  const exchange = webhookExchangeOf(handler);
  const answerer = exchange === undefined ? viaWeb(handler) : direct(exchange);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const answer = async (): Promise<void> => {
      const rawTarget = req.url ?? '/';
      let url: URL;
      try {
        url = new URL(rawTarget, `${isTlsSocket(req) ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Bad Request');
        req.resume();
        return;
      }
      const { status, headers, body } = await answerer(req, url, rawTarget);
      const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
      // A body the handler did not read to the end (413, early 403) is not drained: close the connection.
      res.writeHead(status, { ...headers, 'content-length': String(length), ...(req.complete ? {} : { connection: 'close' }) }).end(body);
    };
    answer().catch((error: unknown) => {
      try {
        options.onError?.(error);
      } catch {
        // a failing hook must not turn into an unhandled rejection
      }
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Internal Server Error');
      } else {
        res.destroy();
      }
    });
  };
};
