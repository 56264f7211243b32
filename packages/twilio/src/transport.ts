import twilio from 'twilio';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { MessageId, OutgoingSms, SmsAccepted, SmsTransport, TransportError } from '@message-center/core';
import { makeRedactor } from './redact.js';
import { backoffDelay, resolveRetry, type RetryOptions } from './retry.js';
import { isAuthenticationFailure, isRetryableFailure, readTwilioFailure, type TwilioFailure } from './twilio-error.js';
import { toProviderMessageId } from './provider-message-id.js';
import { MAX_TIMER_MS, withDeadline } from './deadline.js';

/** How long one `send` may take by default, attempts and waits between them included. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/** The parameters of `messages.create` that the transport sends. */
export interface CreateMessageParams {
  readonly to: string;
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly body: string;
  readonly statusCallback: string;
}

/** The slice of the twilio SDK client the transport uses; a `twilio.Twilio` satisfies it. */
export interface TwilioMessagesClient {
  readonly messages: {
    readonly create: (params: CreateMessageParams) => Promise<{ readonly sid: string; readonly status: string }>;
  };
}

export interface RetryEvent {
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  readonly delayMs: number;
  /** Already redacted, safe to log. */
  readonly error: TransportError;
}

export interface TwilioTransportOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** A preconfigured client (tests point one at a loopback stub); by default one is built from the credentials. */
  readonly client?: TwilioMessagesClient;
  /** Where Twilio posts this message's delivery status; usually the status route of the webhook handler. */
  readonly statusCallbackUrl: (messageId: MessageId) => string;
  /** Send through a Messaging Service instead of from the business number (`From` is then left out). */
  readonly messagingServiceSid?: string;
  readonly retry?: Partial<RetryOptions>;
  /**
   * The longest a `send` may take, every attempt and wait included (default 10 000 ms). A Twilio that has
   * not answered by then gives a `retryable` error: the message stays pending in the outbox. Because the
   * request may still reach Twilio, this is the same at-least-once edge as a dropped connection.
   */
  readonly timeoutMs?: number;
  /** Observability hook, called before each wait; the error in it never contains the auth token. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Twilio error codes with a meaning of their own (https://www.twilio.com/docs/api/errors/{code}). */
const mapFinal = (code: number | null): TransportError['code'] | null => {
  switch (code) {
    case 21610:
      return 'recipient-unsubscribed'; // "Attempt to send to unsubscribed recipient" (the client texted STOP)
    case 21211:
      return 'invalid-number'; // "Invalid 'To' Phone Number"
    case 21614: // "'To' number is not a valid mobile number"
    case 21635: // "'To' number cannot be a landline"
      return 'not-a-mobile-number';
    case 21408:
      return 'region-not-enabled'; // "Permission to send an SMS has not been enabled for the region"
    case 21606:
      return 'sender-not-sms-capable'; // "The 'From' phone number provided is not a valid message-capable Twilio phone number"
    default:
      return null;
  }
};

const describe = (f: TwilioFailure): string => {
  switch (f.kind) {
    case 'http':
      return `Twilio answered HTTP ${f.status}${f.code === null ? '' : ` with error ${f.code}`}: ${f.message}`;
    case 'network':
      return `could not reach Twilio (${f.code}): ${f.message}`;
    case 'timeout':
      return `Twilio did not answer within ${f.afterMs} ms`;
    case 'other':
      return `sending through Twilio failed: ${f.message}`;
  }
};

const toTransportError = (f: TwilioFailure, redact: (s: string) => string, attempts: number): TransportError => {
  const message = redact(describe(f));
  const providerCode = f.kind === 'http' ? f.code : null;
  const status = f.kind === 'http' ? f.status : null;
  if (isRetryableFailure(f)) {
    return { code: 'retryable', message: attempts > 1 ? `${message} (after ${attempts} attempts)` : message, providerCode, status };
  }
  if (isAuthenticationFailure(f)) {
    return {
      code: 'authentication-failed',
      message: `authentication failed: ${message}; the message stays pending until the account's credentials (account sid and auth token) are fixed`,
      providerCode,
    };
  }
  const code = mapFinal(providerCode);
  if (code === 'retryable' || code === 'rejected' || code === null) return { code: 'rejected', message, providerCode, status };
  return { code, message, providerCode };
};

/** A failure after which Twilio may have created the message all the same. */
const mayHaveReached = (f: TwilioFailure): boolean => f.kind === 'network' || f.kind === 'timeout' || (f.kind === 'http' && f.status >= 500);

/**
 * The failure a send reports. After an attempt that may have reached Twilio, a later rate limit or refused
 * credentials does not prove the message was not sent: it is reported as a failure with no answer
 * (`retryable` without a status), so the outbox keeps its claim instead of sending it again at once.
 */
const reportedFailure = (last: TransportError, mayHaveReachedTwilio: boolean): TransportError =>
  mayHaveReachedTwilio && ((last.code === 'retryable' && last.status !== null && last.status < 500) || last.code === 'authentication-failed')
    ? { code: 'retryable', message: `${last.message}; an earlier attempt may have reached Twilio`, providerCode: last.providerCode, status: null }
    : last;

const rejected = (message: string): TransportError => ({ code: 'rejected', message, providerCode: null, status: null });

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * `SmsTransport` on Twilio's Messages API. Rate limits and server/network failures are retried here with
 * bounded jittered backoff and then reported as `retryable`, so the outbox dispatcher can try again later;
 * Twilio's own error codes map to the typed errors of the port. Note that a 5xx or a dropped connection
 * can happen after Twilio accepted the message, so a retry may send it twice (Twilio's Messages API has
 * no idempotency key); this is the at-least-once edge of the outbox.
 */
export const createTwilioTransport = (options: TwilioTransportOptions): SmsTransport => {
  const retry = resolveRetry(options.retry);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) {
    throw new RangeError(`timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${timeoutMs}`);
  }
  const redact = makeRedactor(options.accountSid, options.authToken);
  // The SDK's own 429 auto-retry stays off: retries are ours, bounded and observable. Its own timeout
  // closes the socket of a request we stopped waiting for.
  const client: TwilioMessagesClient =
    options.client ?? twilio(options.accountSid, options.authToken, { autoRetry: false, lazyLoading: true, timeout: timeoutMs });

  const attemptOnce = async (params: CreateMessageParams): Promise<E.Either<TwilioFailure, { sid: string; status: string }>> => {
    try {
      const created = await client.messages.create(params);
      return E.right({ sid: created.sid, status: created.status });
    } catch (error: unknown) {
      return E.left(readTwilioFailure(error));
    }
  };

  const sendNow = async (sms: OutgoingSms): Promise<E.Either<TransportError, SmsAccepted>> => {
    let statusCallback: string;
    try {
      statusCallback = options.statusCallbackUrl(sms.messageId);
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      return E.left(rejected(redact(`statusCallbackUrl failed: ${reason}`)));
    }
    if (!isHttpUrl(statusCallback)) {
      return E.left(rejected('statusCallbackUrl must return an absolute http(s) URL'));
    }
    const params: CreateMessageParams =
      options.messagingServiceSid === undefined
        ? { to: sms.to, from: sms.from, body: sms.body, statusCallback }
        : { to: sms.to, messagingServiceSid: options.messagingServiceSid, body: sms.body, statusCallback };

    const deadline = performance.now() + timeoutMs;
    const timedOut = (): E.Either<TwilioFailure, never> => E.left({ kind: 'timeout', afterMs: timeoutMs });
    // Whether an attempt may have created the message although it failed (no answer, a 5xx): then no later
    // answer of this send proves the message was not sent.
    let mayHaveReachedTwilio = false;
    for (let attempt = 1; ; attempt += 1) {
      const result = await withDeadline(attemptOnce(params), deadline - performance.now(), timedOut);
      if (E.isRight(result)) {
        const providerMessageId = toProviderMessageId(result.right.sid);
        if (providerMessageId === null) {
          return E.left(rejected('Twilio accepted the message but answered without a usable message sid'));
        }
        return E.right({ providerMessageId, status: result.right.status });
      }
      const failure = result.left;
      const delayMs = backoffDelay(retry, attempt);
      // No retry once the deadline has passed, or when the wait alone would pass it.
      if (!isRetryableFailure(failure) || attempt >= retry.maxAttempts || failure.kind === 'timeout' || performance.now() + delayMs >= deadline) {
        return E.left(reportedFailure(toTransportError(failure, redact, attempt), mayHaveReachedTwilio));
      }
      mayHaveReachedTwilio ||= mayHaveReached(failure);
      try {
        options.onRetry?.({ attempt, delayMs, error: toTransportError(failure, redact, attempt) });
      } catch {
        // an observability hook must not change the outcome of a send
      }
      await retry.sleep(delayMs);
    }
  };

  const send = (sms: OutgoingSms): TE.TaskEither<TransportError, SmsAccepted> => () =>
    sendNow(sms).catch(
      // Only reachable if an injected `sleep` throws; the task still never rejects.
      (error: unknown): E.Either<TransportError, SmsAccepted> =>
        E.left(rejected(redact(`sending through Twilio failed: ${error instanceof Error ? error.message : String(error)}`))),
    );

  return { send };
};
