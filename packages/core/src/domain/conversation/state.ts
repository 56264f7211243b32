import type { BusinessId, ClientId, MessageId, ProviderMessageId, StaffId } from '../values/ids.js';
import type { E164 } from '../values/phone-number.js';
import type { Timestamp } from '../values/timestamp.js';
import type { ConversationId, DeliveryStatus } from './events.js';

/** One viewer's read position (V6): read up to message `readUpToSeq`, and whether marked unread since. */
export interface ReadMark {
  readonly readUpToSeq: number;
  readonly markedUnread: boolean;
}

export const UNREAD_MARK: ReadMark = { readUpToSeq: 0, markedUnread: false };

/** The outbox (issue 12): the dispatcher holding a message for its hand-over, until `expiresAt`. */
export interface OutboundClaim {
  readonly claimId: MessageId;
  readonly expiresAt: Timestamp;
}

/** V10: what is known of one outbound message's delivery. */
export interface OutboundDelivery {
  readonly seq: number;
  /** Set while a dispatcher hands the message over; an expired claim holds nobody back. */
  readonly claim: OutboundClaim | null;
  readonly providerMessageId: ProviderMessageId | null;
  readonly status: DeliveryStatus;
  readonly errorCode: number | null;
}

/** V3: subscribed unless the client opted out; the last change, with its keyword and time. */
export interface SubscriptionStatus {
  readonly status: 'subscribed' | 'unsubscribed';
  readonly keyword: string | null;
  readonly source: 'keyword' | 'opt-out-type' | 'provider-error' | null;
  readonly changedAt: Timestamp | null;
}

export interface ConversationIdentity {
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly clientId: ClientId | null;
  readonly phone: E164;
  readonly startedAt: Timestamp;
}

/**
 * Everything a decision or a folder needs, and nothing more: message bodies live in the events and in
 * read models, not here, so a long conversation stays small to fold.
 */
export interface ConversationState {
  readonly identity: ConversationIdentity | null;
  /** Sequence numbers count the conversation's messages, in and out, from 1. */
  readonly lastSeq: number;
  readonly lastInboundSeq: number;
  readonly lastOutboundSeq: number;
  readonly lastActivityAt: Timestamp | null;
  /** V6: sequence numbers of the inbound messages after the last outbound one. */
  readonly inboundSinceLastOutbound: ReadonlyArray<number>;
  readonly archived: boolean;
  readonly pinned: boolean;
  readonly muted: boolean;
  /** V7 with B3 off: one read status shared by all staff (the last read or mark-unread by anyone). */
  readonly sharedRead: ReadMark;
  /** V7: every staff member's own read status, always recorded so that B3 can be switched on later. */
  readonly staffRead: ReadonlyMap<StaffId, ReadMark>;
  readonly subscription: SubscriptionStatus;
  /** V2: provider ids of inbound messages already recorded, so a redelivered webhook appends nothing. */
  readonly seenInbound: ReadonlyMap<ProviderMessageId, MessageId>;
  readonly outbound: ReadonlyMap<MessageId, OutboundDelivery>;
  readonly outboundByProvider: ReadonlyMap<ProviderMessageId, MessageId>;
}

export const initialConversationState: ConversationState = {
  identity: null,
  lastSeq: 0,
  lastInboundSeq: 0,
  lastOutboundSeq: 0,
  lastActivityAt: null,
  inboundSinceLastOutbound: [],
  archived: false,
  pinned: false,
  muted: false,
  sharedRead: UNREAD_MARK,
  staffRead: new Map(),
  subscription: { status: 'subscribed', keyword: null, source: null, changedAt: null },
  seenInbound: new Map(),
  outbound: new Map(),
  outboundByProvider: new Map(),
};
