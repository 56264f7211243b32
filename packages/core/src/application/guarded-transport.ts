import * as E from 'fp-ts/lib/Either.js';
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
        // A transport written in plain JavaScript may answer anything: only an Either is an answer.
        .then((answer: unknown) => (isEither(answer) ? settle(answer) : failed(new TypeError('the transport did not answer an Either'))), failed);
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

const isEither = (u: unknown): u is E.Either<TransportError, SmsAccepted> =>
  typeof u === 'object' && u !== null && '_tag' in u && (u._tag === 'Left' || u._tag === 'Right');
