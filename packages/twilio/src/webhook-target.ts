import type { TaskEither } from 'fp-ts/lib/TaskEither.js';

/** An error as the Message Center reports it: a stable `code` and a human message. */
export interface TargetError {
  readonly code: string;
  readonly message: string;
}

export type OptOutType = 'STOP' | 'START' | 'HELP';

/** One file of an MMS (Twilio `MediaUrlN`, `MediaContentTypeN`). */
export interface InboundMedia {
  /** Where Twilio keeps the file (`https://api.twilio.com/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…`). */
  readonly url: string;
  /** Its MIME type, e.g. `image/jpeg`. */
  readonly contentType: string;
}

export interface InboundSms {
  /** The business number the SMS was sent to (Twilio `To`). */
  readonly to: string;
  /** The client's number (Twilio `From`). */
  readonly from: string;
  /** Empty for a media-only MMS. */
  readonly body: string;
  /** The MMS's files in Twilio's order (N = 0 … `NumMedia` − 1), at most 10; empty for an SMS. */
  readonly media: ReadonlyArray<InboundMedia>;
  /** Twilio `MessageSid`; the domain appends nothing for a sid it has already recorded (V2). */
  readonly providerMessageId: string;
  /** Twilio's `OptOutType`, authoritative when present (V3). */
  readonly optOutType: OptOutType | null;
}

export interface DeliveryStatusReport {
  readonly providerMessageId: string;
  /** Twilio `MessageStatus` as sent (`queued`, `sent`, `delivered`, `undelivered`, `failed`, …). */
  readonly status: string;
  /** Twilio `ErrorCode` on `failed`/`undelivered`, otherwise null. */
  readonly errorCode: number | null;
}

/**
 * What the webhook handler needs from the Message Center: the two commands a Twilio webhook can cause.
 * Kept this narrow so the adapter does not depend on the facade's full surface (the facade satisfies it).
 */
export interface WebhookTarget {
  readonly receiveInbound: (input: InboundSms) => TaskEither<TargetError, unknown>;
  readonly recordDeliveryStatus: (input: DeliveryStatusReport) => TaskEither<TargetError, unknown>;
}
