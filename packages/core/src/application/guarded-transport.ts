import * as E from 'fp-ts/lib/Either.js';
import { ProviderMessageId } from '../domain/values/ids.js';
import type { OutgoingSms, SmsAccepted, SmsTransport, TransportError } from './ports/sms-transport.js';

/** How long a hand-over may take before it counts as a retryable failure (DESIGN §3). */
export const DEFAULT_TRANSPORT_TIMEOUT_MS = 30_000;

/** How long a dispatcher's claim on an outbox entry holds other dispatchers back (issue 12; docs/outbox.md). */
export const DEFAULT_DISPATCH_LEASE_MS = 300_000;

/**
 * Hands one message to the transport and always answers: a transport that throws, rejects or does not
 * answer within `timeoutMs` is a `retryable` failure, so the message stays in the outbox and one bad
 * message never blocks the others. A late answer after the timeout is ignored: the message may then
 * have left while it is still pending (the documented at-least-once edge of the outbox).
 *
 * The global `setTimeout` is used on purpose: tests drive it with fake timers.
 */
export const handOverGuarded = (transport: SmsTransport, sms: OutgoingSms, timeoutMs: number): Promise<E.Either<TransportError, SmsAccepted>> =>
  new Promise((resolve) => {
    let settled = false;
    const settle = (answer: E.Either<TransportError, SmsAccepted>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const timer = setTimeout(
      () => settle(E.left({ code: 'retryable', message: `the SMS transport did not answer within ${timeoutMs} ms`, providerCode: null, status: null })),
      timeoutMs,
    );
    const failed = (cause: unknown): void =>
      // Only the kind of error: a transport's message may carry credentials or a request.
      settle(E.left({ code: 'retryable', message: `the SMS transport threw (${cause instanceof Error ? cause.name : typeof cause})`, providerCode: null, status: null }));
    try {
      transport
        .send(sms)()
        // A transport written in plain JavaScript may answer anything: only a well-formed Either is an answer.
        .then((answer: unknown) => settle(wellFormed(answer)), failed);
    } catch (cause) {
      failed(cause);
    }
  });

/**
 * Whether a failed hand-over may have reached the provider all the same: no answer at all (a timeout, a
 * throw, a dropped connection: `retryable` without an HTTP status) or a server error after the request
 * was sent. Such a message keeps its claim until it expires; one the provider certainly did not take (a
 * rate limit, refused credentials) is released for the next sweep at once.
 */
export const mayHaveLeft = (error: TransportError): boolean => error.code === 'retryable' && (error.status === null || error.status >= 500);

const field = (u: object, key: string): unknown => (Object.hasOwn(u, key) ? Reflect.get(u, key) : undefined);
const numberOrNull = (u: unknown): number | null => (typeof u === 'number' && Number.isFinite(u) ? u : null);

/**
 * The transport's answer as the outbox can record it. Something that is no Either, or a failure of no known
 * kind, says nothing of whether the SMS left: a failure with no answer (the claim is kept, docs/outbox.md).
 * An acceptance without a usable provider id cannot be recorded as sent (the id would poison the
 * conversation's stream): a final `rejected`, so the message is never handed over again.
 */
const wellFormed = (answer: unknown): E.Either<TransportError, SmsAccepted> => {
  const noAnswer = E.left<TransportError>({ code: 'retryable', message: 'the SMS transport answered something that is not a result', providerCode: null, status: null });
  if (typeof answer !== 'object' || answer === null) return noAnswer;
  const tag = field(answer, '_tag');
  const value = tag === 'Left' ? field(answer, 'left') : tag === 'Right' ? field(answer, 'right') : undefined;
  if (typeof value !== 'object' || value === null) return tag === 'Right' ? unusableAcceptance : noAnswer;
  if (tag === 'Right') {
    const providerMessageId = field(value, 'providerMessageId');
    const status = field(value, 'status');
    return ProviderMessageId.is(providerMessageId) && typeof status === 'string' ? E.right({ providerMessageId, status }) : unusableAcceptance;
  }
  const code = field(value, 'code');
  const message = field(value, 'message');
  if (typeof code !== 'string' || typeof message !== 'string') return noAnswer;
  return E.left(transportError(code, message, numberOrNull(field(value, 'providerCode')), numberOrNull(field(value, 'status'))));
};

const unusableAcceptance = E.left<TransportError>({
  code: 'rejected',
  message: 'the SMS transport accepted the message without a usable provider message id; it is not handed over again',
  providerCode: null,
  status: null,
});

/** Rebuilds a failure from its parts, so nothing else the transport put in it travels on. */
const transportError = (code: string, message: string, providerCode: number | null, status: number | null): TransportError => {
  switch (code) {
    case 'retryable':
    case 'rejected':
      return { code, message, providerCode, status };
    case 'recipient-unsubscribed':
    case 'invalid-number':
    case 'not-a-mobile-number':
    case 'region-not-enabled':
    case 'sender-not-sms-capable':
    case 'authentication-failed':
      return { code, message, providerCode };
    default:
      return { code: 'retryable', message: 'the SMS transport answered a failure of no known kind', providerCode: null, status: null };
  }
};
