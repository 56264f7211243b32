import { createServer, request as httpRequest, type Server } from 'node:http';
import twilio from 'twilio';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { toNodeListener, type TwilioWebhookHandler } from '../../src/index.js';
import type { DeliveryStatusReport, InboundSms, TargetError, WebhookTarget } from '../../src/index.js';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly close: () => Promise<void>;
}

export const listen = async (handler: TwilioWebhookHandler): Promise<LoopbackServer> => {
  const server: Server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e === undefined ? resolve() : reject(e)));
        server.closeAllConnections();
      }),
  };
};

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;
  readonly body: string;
}

/**
 * One HTTP request with node:http, so the exact bytes, headers and framing (Content-Length or chunked) are
 * under the test's control, as Twilio's would be.
 */
export const send = (
  origin: string,
  options: {
    readonly method?: string;
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    /** Sent as one piece with Content-Length, or as several chunks (`Transfer-Encoding: chunked`). */
    readonly body?: string | ReadonlyArray<string>;
  },
): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const url = new URL(options.path, origin);
    const chunked = Array.isArray(options.body);
    const single = typeof options.body === 'string' ? options.body : null;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        // As given, not normalised by URL: the bytes Twilio would put on the request line.
        path: options.path,
        headers: {
          ...(single === null ? {} : { 'content-length': String(Buffer.byteLength(single)) }),
          ...options.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Array<Buffer> = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before the whole body is written; the answer still counts.
    req.on('error', (e) => reject(e));
    if (chunked && Array.isArray(options.body)) {
      for (const piece of options.body) req.write(piece);
      req.end();
    } else {
      req.end(single ?? undefined);
    }
  });

export const TOKEN = '7c0ffee0ddba11decade0fbeefcafe12';
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

export type Params = ReadonlyArray<readonly [string, string]>;

/** The fields of Twilio's inbound-SMS webhook, in the order Twilio sends them. */
export const inboundParams = (m: {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly optOutType?: string;
}): Params => [
  ['ToCountry', 'US'],
  ['ToState', 'CA'],
  ['SmsMessageSid', m.sid],
  ['NumMedia', '0'],
  ['ToCity', 'SAN FRANCISCO'],
  ['FromZip', '94105'],
  ['SmsSid', m.sid],
  ['FromState', 'CA'],
  ['SmsStatus', 'received'],
  ['FromCity', 'SAN FRANCISCO'],
  ['Body', m.body],
  ['FromCountry', 'US'],
  ['To', m.to],
  ['MessagingServiceSid', 'MG0123456789abcdef0123456789abcdef'],
  ['ToZip', '94105'],
  ...(m.optOutType === undefined ? [] : [['OptOutType', m.optOutType] as const]),
  ['NumSegments', '1'],
  ['MessageSid', m.sid],
  ['AccountSid', ACCOUNT_SID],
  ['From', m.from],
  ['ApiVersion', '2010-04-01'],
];

/** The fields of Twilio's message status callback. */
export const statusParams = (m: { readonly sid: string; readonly status: string; readonly errorCode?: number; readonly to?: string; readonly from?: string }): Params => [
  ['SmsSid', m.sid],
  ['SmsStatus', m.status],
  ['MessageStatus', m.status],
  ['To', m.to ?? '+14155552671'],
  ['MessageSid', m.sid],
  ['AccountSid', ACCOUNT_SID],
  ['From', m.from ?? '+14155550100'],
  ['ApiVersion', '2010-04-01'],
  ...(m.errorCode === undefined ? [] : [['ErrorCode', String(m.errorCode)] as const]),
];

/** `application/x-www-form-urlencoded` as Twilio writes it (spaces as `+`, UTF-8 percent-encoding). */
export const formBody = (params: Params): string => new URLSearchParams(params.map(([n, v]): [string, string] => [n, v])).toString();

/** Signs with the twilio SDK's own function, as Twilio's servers would. */
export const sign = (url: string, params: Params, token: string = TOKEN): string => {
  // A repeated name is one key with several values, as the SDK expects it.
  const grouped = new Map<string, Array<string>>();
  for (const [n, v] of params) grouped.set(n, [...(grouped.get(n) ?? []), v]);
  const record = Object.fromEntries([...grouped].map(([n, vs]) => [n, vs.length === 1 ? (vs[0] ?? '') : vs]));
  return twilio.getExpectedTwilioSignature(token, url, record);
};

/** Posts `params` to `url` through `handler`, signed as Twilio signs them: the status and the text answered. */
export const postSigned = async (handler: TwilioWebhookHandler, url: string, params: Params): Promise<{ readonly status: number; readonly text: string }> => {
  const response = await handler(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(url, params) },
      body: formBody(params),
    }),
  );
  return { status: response.status, text: await response.text() };
};

/** A request exactly as Twilio sends it to `origin + path`, signed for `signedUrl` (default: the same URL). */
export const twilioRequest = (path: string, params: Params, signedUrl: string, token: string = TOKEN) => ({
  path,
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': sign(signedUrl, params, token),
    'i-twilio-idempotency-token': `${Date.now()}-idem`,
    'user-agent': 'TwilioProxy/1.1',
    accept: '*/*',
  },
  body: formBody(params),
});

/**
 * A stand-in for the Message Center, with the domain's guarantees the handler relies on: a `MessageSid`
 * seen before appends nothing (V2), and statuses only move forward (V10). It records every call so tests
 * can tell what the handler passed on.
 */
export const fakeTarget = (options: { readonly inboundError?: (i: InboundSms) => TargetError | null; readonly throwOn?: string } = {}) => {
  const inboundCalls: Array<InboundSms> = [];
  const statusCalls: Array<DeliveryStatusReport> = [];
  const messages = new Map<string, InboundSms>();
  const statuses = new Map<string, string>();
  const rank: Readonly<Record<string, number>> = { accepted: 1, queued: 2, sending: 3, sent: 4, delivered: 5, undelivered: 5, failed: 5 };
  const target: WebhookTarget = {
    receiveInbound: (input) => {
      inboundCalls.push(input);
      if (options.throwOn === input.providerMessageId) return () => Promise.reject(new Error('boom'));
      const error = options.inboundError?.(input) ?? null;
      if (error !== null) return TE.left(error);
      if (!messages.has(input.providerMessageId)) messages.set(input.providerMessageId, input);
      return TE.right(undefined);
    },
    recordDeliveryStatus: (input) => {
      statusCalls.push(input);
      const current = statuses.get(input.providerMessageId);
      if ((rank[input.status] ?? 0) > (current === undefined ? 0 : (rank[current] ?? 0))) statuses.set(input.providerMessageId, input.status);
      return TE.right(undefined);
    },
  };
  return { target, inboundCalls, statusCalls, messages, statuses };
};
