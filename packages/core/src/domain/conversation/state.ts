import type { BusinessId, ClientId, MessageId, ProviderMessageId, StaffId } from '../values/ids.js';
import type { E164 } from '../values/phone-number.js';
import type { Timestamp } from '../values/timestamp.js';
import type { ConversationId, DeliveryStatus } from './events.js';
import { PersistentMap } from '../collections/persistent-map.js';

/** One viewer's read position (V6): read up to message `readUpToSeq`, and whether marked unread since. */
export interface ReadMark {
  readonly readUpToSeq: number;
  readonly markedUnread: boolean;
}

export const UNREAD_MARK: ReadMark = Object.freeze({ readUpToSeq: 0, markedUnread: false });

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
 * read models, not here, so a long conversation stays small to fold. What grows with the conversation
 * (provider ids seen, deliveries) is in persistent maps, so a command costs the same on its 10,000th
 * message as on its first (issue 14).
 */
export interface ConversationState {
  readonly identity: ConversationIdentity | null;
  /** Sequence numbers count the conversation's messages, in and out, from 1. */
  readonly lastSeq: number;
  readonly lastInboundSeq: number;
  readonly lastOutboundSeq: number;
  readonly lastActivityAt: Timestamp | null;
  readonly archived: boolean;
  readonly pinned: boolean;
  readonly muted: boolean;
  /** V7 with B3 off: one read status shared by all staff (the last read or mark-unread by anyone). */
  readonly sharedRead: ReadMark;
  /** V7: every staff member's own read status, always recorded so that B3 can be switched on later. */
  readonly staffRead: PersistentMap<StaffId, ReadMark>;
  readonly subscription: SubscriptionStatus;
  /** V2: provider ids of inbound messages already recorded, so a redelivered webhook appends nothing. */
  readonly seenInbound: PersistentMap<ProviderMessageId, MessageId>;
  readonly outbound: PersistentMap<MessageId, OutboundDelivery>;
  readonly outboundByProvider: PersistentMap<ProviderMessageId, MessageId>;
}

export const initialConversationState: ConversationState = {
  identity: null,
  lastSeq: 0,
  lastInboundSeq: 0,
  lastOutboundSeq: 0,
  lastActivityAt: null,
  archived: false,
  pinned: false,
  muted: false,
  sharedRead: UNREAD_MARK,
  staffRead: PersistentMap.empty(),
  subscription: Object.freeze({ status: 'subscribed' as const, keyword: null, source: null, changedAt: null }),
  seenInbound: PersistentMap.empty(),
  outbound: PersistentMap.empty(),
  outboundByProvider: PersistentMap.empty(),
};
