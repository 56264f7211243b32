import type { ConversationIdentity, ConversationState, OutboundDelivery, ReadMark, SubscriptionStatus } from '../domain/conversation/state.js';
import type { MessageId, ProviderMessageId, StaffId } from '../domain/values/ids.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import { inboundSinceLastOutbound } from '../domain/policies/folder.js';

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
  /** V2: provider ids of the inbound messages recorded (in no particular order). */
  readonly seenInbound: ReadonlyMap<ProviderMessageId, MessageId>;
  /** V10: what is known of each outbound message's delivery, in the order the messages were written. */
  readonly outbound: ReadonlyMap<MessageId, OutboundDelivery>;
  readonly outboundByProvider: ReadonlyMap<ProviderMessageId, MessageId>;
}

/**
 * Every message after the last outbound one is inbound, so they are the sequence numbers after it (V6, as
 * the folder policy counts them). A log this library wrote numbers messages one by one; an odd one (seq
 * numbers that jump) is still answered with at most as many numbers as inbound messages were recorded.
 */
const seqsAfter = (s: ConversationState): ReadonlyArray<number> => {
  const count = Math.min(inboundSinceLastOutbound(s), s.seenInbound.size);
  return Array.from({ length: count }, (_, i) => s.lastSeq - count + 1 + i);
};

/** Deliveries in the order their messages were written (the persistent map keeps no order). */
const bySeq = (s: ConversationState): Array<readonly [MessageId, OutboundDelivery]> => [...s.outbound].sort(([, a], [, b]) => a.seq - b.seq);

export const conversationFacts = (s: ConversationState): ConversationFacts => ({
  identity: s.identity,
  lastSeq: s.lastSeq,
  lastInboundSeq: s.lastInboundSeq,
  lastOutboundSeq: s.lastOutboundSeq,
  lastActivityAt: s.lastActivityAt,
  inboundSinceLastOutbound: seqsAfter(s),
  archived: s.archived,
  pinned: s.pinned,
  muted: s.muted,
  sharedRead: s.sharedRead,
  staffRead: new Map(s.staffRead),
  subscription: s.subscription,
  seenInbound: new Map(s.seenInbound),
  outbound: new Map(bySeq(s)),
  outboundByProvider: new Map([...s.outboundByProvider].sort(([, a], [, b]) => seqOf(s, a) - seqOf(s, b))),
});

const seqOf = (s: ConversationState, messageId: MessageId): number => s.outbound.get(messageId)?.seq ?? 0;
