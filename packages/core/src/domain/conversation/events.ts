import * as t from 'io-ts';
import { Author } from '../actor.js';
import { BusinessId, ClientId, MessageId, ProviderMessageId, StaffId } from '../values/ids.js';
import { MediaList } from '../values/media.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';
import { isDeliveryStatus, type DeliveryStatus } from '../policies/delivery-status.js';

/** A conversation with a number that matches no client (V2): `tel:+E164`. */
export interface TelConversationIdBrand {
  readonly TelConversationId: unique symbol;
}
export const TelConversationId = t.brand(
  t.string,
  (s): s is t.Branded<string, TelConversationIdBrand> => s.startsWith('tel:') && E164.is(s.slice(4)),
  'TelConversationId',
);
export type TelConversationId = t.TypeOf<typeof TelConversationId>;

/** One conversation per (business, client): its id is the client id, or `tel:+E164` for an unknown number. */
export const ConversationId = t.union([ClientId, TelConversationId], 'ConversationId');
export type ConversationId = t.TypeOf<typeof ConversationId>;

export const telConversationId = (phone: E164): TelConversationId | null => {
  const id = `tel:${phone}`;
  return TelConversationId.is(id) ? id : null;
};

/** V10: Twilio's outbound statuses, plus `pending` (recorded, not yet handed to the provider). */
export const DeliveryStatusCodec = new t.Type<DeliveryStatus, string, unknown>(
  'DeliveryStatus',
  (u): u is DeliveryStatus => typeof u === 'string' && isDeliveryStatus(u),
  (u, c) => (typeof u === 'string' && isDeliveryStatus(u) ? t.success(u) : t.failure(u, c)),
  (s) => s,
);

const event = <T extends string, D extends t.Props>(type: T, data: D) =>
  t.readonly(t.type({ type: t.literal(type), data: t.readonly(t.type(data)) }), type);

/** Opened with the first message, in the same append: says whose conversation the stream holds. */
export const ConversationStarted = event('ConversationStarted', {
  businessId: BusinessId,
  conversationId: ConversationId,
  clientId: t.union([ClientId, t.null]),
  phone: E164,
  at: Timestamp,
});

/**
 * A client's SMS or MMS reached the business number. `seq` counts the conversation's messages from 1.
 * Schema version 2 (issue 13): `media` is the MMS's files in the provider's order (empty for an SMS);
 * version 1 had no `media` and is upcast to `media: []` (`application/event-codec.ts`).
 */
export const InboundReceived = event('InboundReceived', {
  messageId: MessageId,
  seq: t.number,
  providerMessageId: ProviderMessageId,
  from: E164,
  to: E164,
  body: t.string,
  media: MediaList,
  segments: t.number,
  at: Timestamp,
});

/**
 * A message to the client was accepted and recorded: this is the outbox entry the dispatcher hands to
 * the SMS transport. `overage` marks a message sent beyond the allotment under the overage policy (B4).
 */
export const OutboundSent = event('OutboundSent', {
  messageId: MessageId,
  seq: t.number,
  author: Author,
  from: E164,
  to: E164,
  body: t.string,
  segments: t.number,
  overage: t.boolean,
  at: Timestamp,
});

/**
 * The outbox (issue 12): a dispatcher took the message for one hand-over, decided again just before it:
 * `from` and `to` are the numbers it hands over (the business's current number, the client's current
 * phone). Appended at the revision the dispatcher read, so of two dispatchers only one claims; until
 * `expiresAt` no other dispatcher sends the message. A claim that ends with no outcome (a crash, a hand-over
 * with no answer) expires, and the message is handed over again: the outbox's one at-least-once edge.
 */
export const OutboundClaimed = event('OutboundClaimed', {
  messageId: MessageId,
  claimId: MessageId,
  from: E164,
  to: E164,
  expiresAt: Timestamp,
  at: Timestamp,
});

/** The provider answered that it could not take the message now: the claim ends and the message waits for the next sweep. */
export const OutboundClaimReleased = event('OutboundClaimReleased', {
  messageId: MessageId,
  claimId: MessageId,
  reason: t.string,
  at: Timestamp,
});

/** The transport accepted the message and gave its id. */
export const OutboundDispatched = event('OutboundDispatched', {
  messageId: MessageId,
  providerMessageId: ProviderMessageId,
  status: DeliveryStatusCodec,
  at: Timestamp,
});

/** The transport refused the message for good (retryable failures are retried, not recorded). */
export const OutboundDispatchFailed = event('OutboundDispatchFailed', {
  messageId: MessageId,
  reason: t.string,
  providerCode: t.union([t.number, t.null]),
  message: t.string,
  at: Timestamp,
});

/** V10: a status callback moved the message's delivery status forward. */
export const DeliveryStatusUpdated = event('DeliveryStatusUpdated', {
  messageId: MessageId,
  providerMessageId: ProviderMessageId,
  status: DeliveryStatusCodec,
  errorCode: t.union([t.number, t.null]),
  at: Timestamp,
});

/** How a subscription change came about (V3). */
export const SubscriptionChangeSource = t.keyof(
  { keyword: null, 'opt-out-type': null, 'provider-error': null },
  'SubscriptionChangeSource',
);

export const ClientUnsubscribed = event('ClientUnsubscribed', {
  source: SubscriptionChangeSource,
  keyword: t.union([t.string, t.null]),
  /** The inbound message that said STOP, or the outbound that Twilio refused with 21610. */
  messageId: t.union([MessageId, t.null]),
  at: Timestamp,
});

export const ClientResubscribed = event('ClientResubscribed', {
  source: SubscriptionChangeSource,
  keyword: t.union([t.string, t.null]),
  messageId: t.union([MessageId, t.null]),
  at: Timestamp,
});

/** V6–V7: a staff member opened the conversation, up to message `upToSeq`. */
export const ConversationRead = event('ConversationRead', { staffId: StaffId, upToSeq: t.number, at: Timestamp });
export const ConversationMarkedUnread = event('ConversationMarkedUnread', { staffId: StaffId, at: Timestamp });
export const ConversationArchived = event('ConversationArchived', { by: Author, at: Timestamp });
export const ConversationUnarchived = event('ConversationUnarchived', { by: Author, at: Timestamp });
export const ConversationMuted = event('ConversationMuted', { by: Author, at: Timestamp });
export const ConversationUnmuted = event('ConversationUnmuted', { by: Author, at: Timestamp });
export const ConversationPinned = event('ConversationPinned', { by: Author, at: Timestamp });
export const ConversationUnpinned = event('ConversationUnpinned', { by: Author, at: Timestamp });

export const ConversationEvent = t.union(
  [
    ConversationStarted,
    InboundReceived,
    OutboundSent,
    OutboundClaimed,
    OutboundClaimReleased,
    OutboundDispatched,
    OutboundDispatchFailed,
    DeliveryStatusUpdated,
    ClientUnsubscribed,
    ClientResubscribed,
    ConversationRead,
    ConversationMarkedUnread,
    ConversationArchived,
    ConversationUnarchived,
    ConversationMuted,
    ConversationUnmuted,
    ConversationPinned,
    ConversationUnpinned,
  ],
  'ConversationEvent',
);
export type ConversationEvent = t.TypeOf<typeof ConversationEvent>;
export type { DeliveryStatus };
