import type { ConversationIdentity, ConversationState, OutboundDelivery, ReadMark, SubscriptionStatus } from '../domain/conversation/state.js';
import type { MessageId, ProviderMessageId, StaffId } from '../domain/values/ids.js';
import type { Timestamp } from '../domain/values/timestamp.js';

/**
 * A conversation's decision state as the contact history shows it: plain data with native `Map`s. The
 * decider keeps its growing parts in persistent maps (issue 14), which are its own business; hosts see
 * the same shape as before, including V6's client responses since the last outbound message.
 */
export interface ConversationFacts {
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
  /** V7 with B3 off: one read status shared by all staff. */
  readonly sharedRead: ReadMark;
  /** V7: every staff member's own read status. */
  readonly staffRead: ReadonlyMap<StaffId, ReadMark>;
  readonly subscription: SubscriptionStatus;
  /** V2: provider ids of the inbound messages recorded. */
  readonly seenInbound: ReadonlyMap<ProviderMessageId, MessageId>;
  /** V10: what is known of each outbound message's delivery. */
  readonly outbound: ReadonlyMap<MessageId, OutboundDelivery>;
  readonly outboundByProvider: ReadonlyMap<ProviderMessageId, MessageId>;
}

/** Every message after the last outbound one is inbound, so they are the sequence numbers after it. */
const seqsAfter = (lastOutboundSeq: number, lastSeq: number): ReadonlyArray<number> =>
  Array.from({ length: Math.max(0, lastSeq - lastOutboundSeq) }, (_, i) => lastOutboundSeq + 1 + i);

export const conversationFacts = (s: ConversationState): ConversationFacts => ({
  identity: s.identity,
  lastSeq: s.lastSeq,
  lastInboundSeq: s.lastInboundSeq,
  lastOutboundSeq: s.lastOutboundSeq,
  lastActivityAt: s.lastActivityAt,
  inboundSinceLastOutbound: seqsAfter(s.lastOutboundSeq, s.lastSeq),
  archived: s.archived,
  pinned: s.pinned,
  muted: s.muted,
  sharedRead: s.sharedRead,
  staffRead: new Map(s.staffRead),
  subscription: s.subscription,
  seenInbound: new Map(s.seenInbound),
  outbound: new Map(s.outbound),
  outboundByProvider: new Map(s.outboundByProvider),
});
