import { createWebhookExchange, plainAnswer, type BodyRead, type WebhookAnswer, type WebhookExchange } from './webhook-exchange.js';
import type { TwilioWebhookOptions } from './webhook-options.js';

export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_WEBHOOK_PATHS,
  EMPTY_TWIML,
  type TwilioWebhookOptions,
  type WebhookFailure,
  type WebhookRefusal,
  type WebhookRoute,
  type WebhookUnauthorized,
} from './webhook-options.js';
export { DOMAIN_REFUSAL_CODES, isDomainRefusal } from './webhook-refusals.js';

/** Extra facts a server adapter knows about the request. */
export interface WebhookRequestContext {
  /** The request target exactly as received (`/twilio/sms?x=1`), before any URL normalisation. */
  readonly rawTarget?: string;
}

export type TwilioWebhookHandler = (request: Request, context?: WebhookRequestContext) => Promise<Response>;

/** Reads at most `limit` bytes, chunk by chunk, and stops (cancelling the stream) as soon as it is exceeded. */
const readLimited = async (body: ReadableStream<Uint8Array> | null, limit: number): Promise<BodyRead> => {
  if (body === null) return { kind: 'ok', bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Array<Uint8Array> = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { kind: 'unreadable' };
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: 'ok', bytes };
};

const toResponse = (answer: WebhookAnswer): Response => new Response(answer.body, { status: answer.status, headers: answer.headers });

// The exchange behind each handler this module made: `toNodeListener` serves those without building a web
// `Request`/`Response` (about a fifth of a webhook's CPU). Not public; any other handler goes the web way.
const exchanges = new WeakMap<TwilioWebhookHandler, WebhookExchange>();

/** The transport-neutral exchange behind a handler of `createTwilioWebhookHandler`; undefined for any other function. */
export const webhookExchangeOf = (handler: TwilioWebhookHandler): WebhookExchange | undefined => exchanges.get(handler);

/**
 * The Twilio webhooks (inbound SMS and message status callbacks) on the web-standard `Request`/`Response`.
 * Order of checks: route and method, signature header present, form content type, body size, signature
 * over URL + parameters, then Twilio's grammar (`webhook-grammar.ts`); only a request that passes all of
 * them reaches the target.
 * Redelivered webhooks are passed on every time: deduplication by `MessageSid` is the domain's (V2), and
 * status order is the domain's too (V10), so the handler keeps no state of its own.
 */
export const createTwilioWebhookHandler = (options: TwilioWebhookOptions): TwilioWebhookHandler => {
  const exchange = createWebhookExchange(options);
  const handler: TwilioWebhookHandler = async (request, context) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return toResponse(plainAnswer(400, 'Bad Request'));
    }
    const answer = await exchange({
      method: request.method,
      url,
      rawTarget: context?.rawTarget,
      header: (name) => request.headers.get(name),
      readBody: (limit) => readLimited(request.body, limit),
    });
    return toResponse(answer);
  };
  exchanges.set(handler, exchange);
  return handler;
};
