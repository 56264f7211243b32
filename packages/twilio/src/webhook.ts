import * as E from 'fp-ts/lib/Either.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import { sequenceS } from 'fp-ts/lib/Apply.js';
import { pipe } from 'fp-ts/lib/function.js';
import { isValidTwilioSignature, signedUrlCandidates, type FormParams } from './signature.js';
import type { DeliveryStatusReport, InboundSms, OptOutType, TargetError, WebhookTarget } from './webhook-target.js';
import type { DomainErrorCode } from '@message-center/core';
import { toProviderMessageId } from './provider-message-id.js';

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

type Checked<A> = E.Either<ReadonlyArray<string>, A>;

// Collects every problem of a request instead of stopping at the first, for one clear 400 message.
const allChecks = sequenceS(E.getApplicativeValidation(RA.getSemigroup<string>()));

/** The value of a parameter that may appear at most once. */
const single = (params: FormParams, name: string): Checked<string | null> => {
  const values = params.filter(([n]) => n === name).map(([, v]) => v);
  return values.length > 1 ? E.left([`${name} appears ${values.length} times`]) : E.right(values[0] ?? null);
};

const required = (params: FormParams, name: string): Checked<string> =>
  pipe(
    single(params, name),
    E.chain((v): Checked<string> => (v === null || v === '' ? E.left([`${name} is missing`]) : E.right(v))),
  );

const messageSid = (params: FormParams): Checked<string> =>
  pipe(
    required(params, 'MessageSid'),
    E.chain((sid): Checked<string> => (toProviderMessageId(sid) === null ? E.left(['MessageSid is not a valid message id']) : E.right(sid))),
  );

const OPT_OUT_TYPES: ReadonlyArray<OptOutType> = ['STOP', 'START', 'HELP'];

// A value Twilio may add in future is not an error: the domain then reads the body's keywords (V3).
const toOptOutType = (raw: string | null): OptOutType | null => {
  const upper = raw?.trim().toUpperCase();
  return OPT_OUT_TYPES.find((t) => t === upper) ?? null;
};

const parseInbound = (params: FormParams): Checked<InboundSms> =>
  pipe(
    allChecks({
      providerMessageId: messageSid(params),
      from: required(params, 'From'),
      to: required(params, 'To'),
      body: single(params, 'Body'),
      optOutType: single(params, 'OptOutType'),
    }),
    E.map((f): InboundSms => ({
      to: f.to,
      from: f.from,
      // Twilio always sends Body; it is empty for a media-only message.
      body: f.body ?? '',
      providerMessageId: f.providerMessageId,
      optOutType: toOptOutType(f.optOutType),
    })),
  );

const errorCode = (params: FormParams): Checked<number | null> =>
  pipe(
    single(params, 'ErrorCode'),
    E.chain((raw): Checked<number | null> => {
      const trimmed = raw?.trim() ?? '';
      if (trimmed === '') return E.right(null);
      return /^\d{1,9}$/.test(trimmed) ? E.right(Number(trimmed)) : E.left(['ErrorCode is not a number']);
    }),
  );

const parseStatus = (params: FormParams): Checked<DeliveryStatusReport> =>
  pipe(
    allChecks({
      providerMessageId: messageSid(params),
      status: required(params, 'MessageStatus'),
      errorCode: errorCode(params),
    }),
    E.map((f): DeliveryStatusReport => ({ ...f, status: f.status.trim().toLowerCase() })),
  );

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
 * over URL + parameters, then field validation; only a request that passes all of them reaches the target.
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
      const inbound = parseInbound(params);
      if (E.isLeft(inbound)) return plain(400, `Bad Request: ${inbound.left.join('; ')}`);
      return call(route, inbound.right.providerMessageId, () => options.target.receiveInbound(inbound.right)());
    }
    const status = parseStatus(params);
    if (E.isLeft(status)) return plain(400, `Bad Request: ${status.left.join('; ')}`);
    return call(route, status.right.providerMessageId, () => options.target.recordDeliveryStatus(status.right)());
  };
};
