import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { E164 } from '../../domain/values/phone-number.js';
import type { MessageId, ProviderMessageId } from '../../domain/values/ids.js';

export interface OutgoingSms {
  /** Our id of the message; the transport may pass it on (e.g. in the status callback URL). */
  readonly messageId: MessageId;
  readonly from: E164;
  readonly to: E164;
  readonly body: string;
}

export interface SmsAccepted {
  readonly providerMessageId: ProviderMessageId;
  /** The provider's first status (`queued`, `accepted`, …). */
  readonly status: string;
}

/**
 * Why a send failed. `recipient-unsubscribed` (Twilio 21610) also records the opt-out (V3);
 * `retryable` failures (rate limits, 5xx, timeouts) may be tried again later, and so may
 * `authentication-failed` (the provider refused the credentials, e.g. while a token is rotated: the
 * message is not at fault); the others are final.
 */
export type TransportError =
  | { readonly code: 'recipient-unsubscribed'; readonly message: string; readonly providerCode: number | null }
  | { readonly code: 'invalid-number'; readonly message: string; readonly providerCode: number | null }
  | { readonly code: 'not-a-mobile-number'; readonly message: string; readonly providerCode: number | null }
  | { readonly code: 'region-not-enabled'; readonly message: string; readonly providerCode: number | null }
  | { readonly code: 'sender-not-sms-capable'; readonly message: string; readonly providerCode: number | null }
  | { readonly code: 'retryable'; readonly message: string; readonly providerCode: number | null; readonly status: number | null }
  | { readonly code: 'authentication-failed'; readonly message: string; readonly providerCode: number | null }
  | { readonly code: 'rejected'; readonly message: string; readonly providerCode: number | null; readonly status: number | null };

export interface SmsTransport {
  readonly send: (sms: OutgoingSms) => TE.TaskEither<TransportError, SmsAccepted>;
}
