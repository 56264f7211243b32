/**
 * The Twilio webhooks' logic with no transport in it: a request is a method, a URL, a header lookup and a
 * body reader; the answer is a status, headers and a text. `webhook.ts` serves it on the web-standard
 * `Request`/`Response`, `node-http.ts` straight on `node:http`, so neither pays for the other's objects.
 */
import * as E from 'fp-ts/lib/Either.js';
import { isValidTwilioSignature, signedUrlCandidates, type FormParams } from './signature.js';
import type { TargetError } from './webhook-target.js';
import { ACCOUNT_SID, readInboundWebhook, readStatusWebhook, type WebhookExpectations } from './webhook-grammar.js';
import { isDomainRefusal } from './webhook-refusals.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_WEBHOOK_PATHS, EMPTY_TWIML, type TwilioWebhookOptions, type WebhookRoute } from './webhook-options.js';

export type BodyRead = { readonly kind: 'ok'; readonly bytes: Uint8Array } | { readonly kind: 'too-large' } | { readonly kind: 'unreadable' };

/** One webhook request, as any transport can give it. */
export interface WebhookExchangeRequest {
  readonly method: string;
  /** The request URL, absolute. */
  readonly url: URL;
  /** The request target exactly as received (`/twilio/sms?x=1`), when the transport knows it. */
  readonly rawTarget: string | undefined;
  /** A header by lower-case name, several values joined with ", " as `Headers.get` joins them; null if absent. */
  readonly header: (name: string) => string | null;
  /** At most `limit` bytes of the body: `too-large` as soon as more arrive (reading stops there). */
  readonly readBody: (limit: number) => Promise<BodyRead>;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type WebhookExchange = (request: WebhookExchangeRequest) => Promise<WebhookAnswer>;

const TWIML: WebhookAnswer = { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: EMPTY_TWIML };

export const plainAnswer = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): WebhookAnswer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

// `decode` without `{ stream: true }` starts afresh on every call, so one fatal decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

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
 * `signedUrlCandidates` kept per URL: a server's webhook URLs are a handful, the same on every request.
 * Bounded, since the query (and without `publicUrl` the Host) is the client's to vary.
 */
const candidatesMemo = (): ((url: string) => ReadonlyArray<string>) => {
  const known = new Map<string, ReadonlyArray<string>>();
  return (url) => {
    const hit = known.get(url);
    if (hit !== undefined) return hit;
    if (known.size >= 64) known.clear();
    const candidates = signedUrlCandidates(url);
    known.set(url, candidates);
    return candidates;
  };
};

/**
 * The Twilio webhooks (inbound SMS and message status callbacks). Order of checks: route and method,
 * signature header present, form content type, body size, signature over URL + parameters, then Twilio's
 * grammar (`webhook-grammar.ts`); only a request that passes all of them reaches the target.
 * Redelivered webhooks are passed on every time: deduplication by `MessageSid` is the domain's (V2), and
 * status order is the domain's too (V10), so the handler keeps no state of its own.
 * Throws `RangeError` on a misconfiguration, at construction.
 */
export const createWebhookExchange = (options: TwilioWebhookOptions): WebhookExchange => {
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
  const candidatesOf = candidatesMemo();

  const call = async (route: WebhookRoute, providerMessageId: string, run: () => Promise<E.Either<TargetError, unknown>>): Promise<WebhookAnswer> => {
    let result: E.Either<TargetError, unknown>;
    try {
      result = await run();
    } catch (error: unknown) {
      safely(options.onError, { route, providerMessageId, error });
      return plainAnswer(500, 'Internal Server Error');
    }
    if (E.isRight(result)) return TWIML;
    if (isRefusal(result.left)) {
      safely(options.onRejected, { route, providerMessageId, error: result.left });
      return TWIML;
    }
    safely(options.onError, { route, providerMessageId, error: result.left });
    return plainAnswer(500, 'Internal Server Error');
  };

  return async (request) => {
    const { url } = request;
    const route: WebhookRoute | null = url.pathname === paths.inbound ? 'inbound' : url.pathname === paths.status ? 'status' : null;
    if (route === null) return plainAnswer(404, 'Not Found');
    if (request.method !== 'POST') return plainAnswer(405, 'Method Not Allowed', { allow: 'POST' });

    const base = publicBase ?? url.origin;
    // Path and query as serialized, which keeps a bare trailing `?` that `url.search` would drop.
    const serialized = url.username === '' && url.password === '' ? url.href.slice(url.origin.length).replace(/#.*$/s, '') : url.pathname + url.search;
    const targets = [serialized];
    const raw = request.rawTarget;
    if (raw !== undefined && raw.startsWith('/') && raw !== serialized) targets.push(raw);
    const signedUrl = base + serialized;

    const signature = request.header('x-twilio-signature');
    if (signature === null || signature === '') {
      safely(options.onUnauthorized, { route, reason: 'missing-signature', signedUrl });
      return plainAnswer(403, 'Forbidden');
    }
    if (!isFormContentType(request.header('content-type'))) {
      return plainAnswer(400, 'Bad Request: expected application/x-www-form-urlencoded');
    }
    const declared = request.header('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBodyBytes) return plainAnswer(413, 'Payload Too Large');
    const read = await request.readBody(maxBodyBytes);
    if (read.kind === 'too-large') return plainAnswer(413, 'Payload Too Large');
    if (read.kind === 'unreadable') return plainAnswer(400, 'Bad Request: unreadable body');
    let text: string;
    try {
      text = UTF8.decode(read.bytes);
    } catch {
      return plainAnswer(400, 'Bad Request: body is not UTF-8');
    }
    const params: FormParams = [...new URLSearchParams(text)];

    const signed = targets.some((t) => candidatesOf(base + t).some((candidate) => isValidTwilioSignature(options.authToken, signature, candidate, params)));
    if (!signed) {
      safely(options.onUnauthorized, { route, reason: 'bad-signature', signedUrl });
      return plainAnswer(403, 'Forbidden');
    }

    if (route === 'inbound') {
      const inbound = readInboundWebhook(params, expected);
      if (E.isLeft(inbound)) return plainAnswer(400, `Bad Request: ${inbound.left.join('; ')}`);
      const sms = inbound.right.sms;
      return call(route, sms.providerMessageId, () => options.target.receiveInbound(sms)());
    }
    const status = readStatusWebhook(params, expected);
    if (E.isLeft(status)) return plainAnswer(400, `Bad Request: ${status.left.join('; ')}`);
    const report = status.right.report;
    return call(route, report.providerMessageId, () => options.target.recordDeliveryStatus(report)());
  };
};
