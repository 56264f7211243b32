import * as E from 'fp-ts/lib/Either.js';
import { isValidTwilioSignature, signedUrlCandidates, type FormParams } from './signature.js';
import type { TargetError, WebhookTarget } from './webhook-target.js';
import type { DomainErrorCode } from '@message-center/core';
import { ACCOUNT_SID, readInboundWebhook, readStatusWebhook, type WebhookExpectations } from './webhook-grammar.js';

export type WebhookRoute = 'inbound' | 'status';

export interface WebhookRefusal {
  readonly route: WebhookRoute;
  readonly providerMessageId: string;
  readonly error: TargetError;
}

export interface WebhookFailure {
  readonly route: WebhookRoute;
  readonly providerMessageId: string;
  /** A `TargetError` the handler does not know as a domain refusal, or whatever the target threw. */
  readonly error: unknown;
}

export interface WebhookUnauthorized {
  readonly route: WebhookRoute;
  readonly reason: 'missing-signature' | 'bad-signature';
  /** The URL the signature was checked against: compare it with the URL configured at Twilio. */
  readonly signedUrl: string;
}

export interface TwilioWebhookOptions {
  readonly authToken: string;
  readonly target: WebhookTarget;
  /**
   * The account the webhooks must be for (`AC…`): a webhook with another `AccountSid` is answered 400.
   * Absent: any well-formed `AccountSid` is accepted; the signature already ties the request to the
   * account whose auth token signed it, so this is a second check, against a mixed-up configuration.
   */
  readonly accountSid?: string;
  /**
   * Scheme, host (and port) and any path prefix under which Twilio reaches this server, e.g.
   * `https://sms.example.com`. Twilio signs the URL it calls, so behind a proxy or load balancer this must
   * be the public URL; the signed URL is `publicUrl` + request path + query. Absent: the request's own origin.
   */
  readonly publicUrl?: string;
  /** Request paths of the two webhooks. Defaults: `/twilio/sms` and `/twilio/status`. */
  readonly paths?: { readonly inbound?: string; readonly status?: string };
  /** Largest accepted body in bytes (default 64 KiB); larger ones are answered 413 without reading on. */
  readonly maxBodyBytes?: number;
  /**
   * Whether an error of the target is a domain refusal (answered 200 so Twilio does not retry it) rather
   * than an infrastructure failure (answered 500 so Twilio retries). Default: `isDomainRefusal`.
   */
  readonly isRefusal?: (error: TargetError) => boolean;
  /** A refused inbound SMS or status (e.g. `number-retired`, `unknown-number`), answered 200. */
  readonly onRejected?: (event: WebhookRefusal) => void;
  /** A failure answered 500. */
  readonly onError?: (event: WebhookFailure) => void;
  /** A request answered 403. */
  readonly onUnauthorized?: (event: WebhookUnauthorized) => void;
}

/** Extra facts a server adapter knows about the request. */
export interface WebhookRequestContext {
  /** The request target exactly as received (`/twilio/sms?x=1`), before any URL normalisation. */
  readonly rawTarget?: string;
}

export type TwilioWebhookHandler = (request: Request, context?: WebhookRequestContext) => Promise<Response>;

export const DEFAULT_WEBHOOK_PATHS = { inbound: '/twilio/sms', status: '/twilio/status' } as const;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

// Every core `DomainError` code. They are final: were Twilio to retry the webhook, it would be refused the
// same way. Any other code (store unavailable, concurrency conflict after retries, an event that cannot
// be decoded, or a code this list does not know) is answered 500, so an inbound SMS is never dropped by
// mistake.
const REFUSALS = [
  'invalid-input',
  'forbidden',
  'country-not-supported',
  'number-country-not-allowed',
  'number-in-use',
  'number-not-offered',
  'invalid-phone-number',
  'message-center-not-enabled',
  'message-center-already-enabled',
  'number-retired',
  'unknown-number',
  'client-not-found',
  'client-has-no-valid-cell-phone',
  'empty-body',
  'body-too-long',
  'client-unsubscribed',
  'allotment-exhausted',
  'conversation-not-found',
  'message-not-found',
] as const satisfies ReadonlyArray<DomainErrorCode>;

// Does not compile when the core adds a DomainError code this list lacks.
type AllListed<Unlisted extends never> = Unlisted;
export type EveryDomainErrorIsARefusal = AllListed<Exclude<DomainErrorCode, (typeof REFUSALS)[number]>>;

/** The domain refusals (answered 200, reported to `onRejected`): the core's `DomainError` codes. */
export const DOMAIN_REFUSAL_CODES: ReadonlySet<string> = new Set<string>(REFUSALS);

export const isDomainRefusal = (error: TargetError): boolean => DOMAIN_REFUSAL_CODES.has(error.code);

const twiml = (): Response =>
  new Response(EMPTY_TWIML, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });

const plain = (status: number, text: string, headers: Readonly<Record<string, string>> = {}): Response =>
  new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

type BodyRead = { readonly kind: 'ok'; readonly bytes: Uint8Array } | { readonly kind: 'too-large' } | { readonly kind: 'unreadable' };

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

const isFormContentType = (header: string | null): boolean =>
  header !== null && (header.split(';')[0] ?? '').trim().toLowerCase() === 'application/x-www-form-urlencoded';

const trimTrailingSlash = (s: string): string => s.replace(/\/+$/, '');

/** A hook that throws must not change the answer Twilio gets. */
const safely = <A>(hook: ((a: A) => void) | undefined, a: A): void => {
  try {
    hook?.(a);
  } catch {
    // ignored on purpose
  }
};

/**
 * The Twilio webhooks (inbound SMS and message status callbacks) on the web-standard `Request`/`Response`.
 * Order of checks: route and method, signature header present, form content type, body size, signature
 * over URL + parameters, then Twilio's grammar (`webhook-grammar.ts`); only a request that passes all of
 * them reaches the target.
 * Redelivered webhooks are passed on every time: deduplication by `MessageSid` is the domain's (V2), and
 * status order is the domain's too (V10), so the handler keeps no state of its own.
 */
export const createTwilioWebhookHandler = (options: TwilioWebhookOptions): TwilioWebhookHandler => {
  if (options.authToken === '') throw new RangeError('authToken must not be empty');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  const paths = {
    inbound: options.paths?.inbound ?? DEFAULT_WEBHOOK_PATHS.inbound,
    status: options.paths?.status ?? DEFAULT_WEBHOOK_PATHS.status,
  };
  if (paths.inbound === paths.status) throw new RangeError('the inbound and status paths must differ');
  let publicBase: string | null = null;
  if (options.publicUrl !== undefined) {
    const parsed = new URL(options.publicUrl); // throws early on a misconfigured URL
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RangeError('publicUrl must be an http(s) URL');
    if (parsed.search !== '' || parsed.hash !== '') throw new RangeError('publicUrl must not have a query or fragment');
    publicBase = trimTrailingSlash(options.publicUrl);
  }
  const isRefusal = options.isRefusal ?? isDomainRefusal;
  if (options.accountSid !== undefined && !ACCOUNT_SID.test(options.accountSid)) {
    throw new RangeError('accountSid must be "AC" followed by 32 lower-case hexadecimal digits');
  }
  const expected: WebhookExpectations = { accountSid: options.accountSid ?? null };

  const call = async (route: WebhookRoute, providerMessageId: string, run: () => Promise<E.Either<TargetError, unknown>>): Promise<Response> => {
    let result: E.Either<TargetError, unknown>;
    try {
      result = await run();
    } catch (error: unknown) {
      safely(options.onError, { route, providerMessageId, error });
      return plain(500, 'Internal Server Error');
    }
    if (E.isRight(result)) return twiml();
    if (isRefusal(result.left)) {
      safely(options.onRejected, { route, providerMessageId, error: result.left });
      return twiml();
    }
    safely(options.onError, { route, providerMessageId, error: result.left });
    return plain(500, 'Internal Server Error');
  };

  return async (request, context) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad Request');
    }
    const route: WebhookRoute | null = url.pathname === paths.inbound ? 'inbound' : url.pathname === paths.status ? 'status' : null;
    if (route === null) return plain(404, 'Not Found');
    if (request.method !== 'POST') return plain(405, 'Method Not Allowed', { allow: 'POST' });

    const base = publicBase ?? url.origin;
    // Path and query as serialized, which keeps a bare trailing `?` that `url.search` would drop.
    const serialized = url.username === '' && url.password === '' ? url.href.slice(url.origin.length).replace(/#.*$/s, '') : url.pathname + url.search;
    const targets = [serialized];
    const raw = context?.rawTarget;
    if (raw !== undefined && raw.startsWith('/') && raw !== targets[0]) targets.push(raw);
    const signedUrl = base + (targets[0] ?? '');

    const signature = request.headers.get('x-twilio-signature');
    if (signature === null || signature === '') {
      safely(options.onUnauthorized, { route, reason: 'missing-signature', signedUrl });
      return plain(403, 'Forbidden');
    }
    if (!isFormContentType(request.headers.get('content-type'))) {
      return plain(400, 'Bad Request: expected application/x-www-form-urlencoded');
    }
    const declared = request.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBodyBytes) return plain(413, 'Payload Too Large');
    const read = await readLimited(request.body, maxBodyBytes);
    if (read.kind === 'too-large') return plain(413, 'Payload Too Large');
    if (read.kind === 'unreadable') return plain(400, 'Bad Request: unreadable body');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
    } catch {
      return plain(400, 'Bad Request: body is not UTF-8');
    }
    const params: FormParams = [...new URLSearchParams(text)];

    const signed = targets.some((t) =>
      signedUrlCandidates(base + t).some((candidate) => isValidTwilioSignature(options.authToken, signature, candidate, params)),
    );
    if (!signed) {
      safely(options.onUnauthorized, { route, reason: 'bad-signature', signedUrl });
      return plain(403, 'Forbidden');
    }

    if (route === 'inbound') {
      const inbound = readInboundWebhook(params, expected);
      if (E.isLeft(inbound)) return plain(400, `Bad Request: ${inbound.left.join('; ')}`);
      const sms = inbound.right.sms;
      return call(route, sms.providerMessageId, () => options.target.receiveInbound(sms)());
    }
    const status = readStatusWebhook(params, expected);
    if (E.isLeft(status)) return plain(400, `Bad Request: ${status.left.join('; ')}`);
    const report = status.right.report;
    return call(route, report.providerMessageId, () => options.target.recordDeliveryStatus(report)());
  };
};
