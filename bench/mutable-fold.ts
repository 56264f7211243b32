import { type DeliveryStatus } from '@message-center/core';
import { nextDeliveryStatus, type ConversationEvent } from '@message-center/core/internals';

/**
 * The same fold as the conversation decider, hand-written with plain mutation: the baseline the real
 * (immer) fold is measured against. It keeps the same facts so the comparison is fair.
 */
interface Mark {
  readUpToSeq: number;
  markedUnread: boolean;
}
interface Delivery {
  seq: number;
  claim: { claimId: string; expiresAt: string } | null;
  providerMessageId: string | null;
  status: DeliveryStatus;
  errorCode: number | null;
}
export interface MutableConversation {
  identity: { conversationId: string; phone: string; startedAt: string } | null;
  lastSeq: number;
  lastInboundSeq: number;
  lastOutboundSeq: number;
  lastActivityAt: string | null;
  archived: boolean;
  pinned: boolean;
  muted: boolean;
  sharedRead: Mark;
  staffRead: Map<string, Mark>;
  subscription: { subscribed: boolean; keyword: string | null; changedAt: string | null };
  seenInbound: Map<string, string>;
  outbound: Map<string, Delivery>;
  outboundByProvider: Map<string, string>;
}

export const mutableFold = (events: ReadonlyArray<ConversationEvent>): MutableConversation => {
  const s: MutableConversation = {
    identity: null,
    lastSeq: 0,
    lastInboundSeq: 0,
    lastOutboundSeq: 0,
    lastActivityAt: null,
    archived: false,
    pinned: false,
    muted: false,
    sharedRead: { readUpToSeq: 0, markedUnread: false },
    staffRead: new Map(),
    subscription: { subscribed: true, keyword: null, changedAt: null },
    seenInbound: new Map(),
    outbound: new Map(),
    outboundByProvider: new Map(),
  };
  for (const e of events) {
    switch (e.type) {
      case 'ConversationStarted':
        s.identity = { conversationId: e.data.conversationId, phone: e.data.phone, startedAt: e.data.at };
        break;
      case 'InboundReceived':
        s.lastSeq = e.data.seq;
        s.lastInboundSeq = e.data.seq;
        s.lastActivityAt = e.data.at;
        s.archived = false;
        s.seenInbound.set(e.data.providerMessageId, e.data.messageId);
        break;
      case 'OutboundSent':
        s.lastSeq = e.data.seq;
        s.lastOutboundSeq = e.data.seq;
        s.lastActivityAt = e.data.at;
        s.archived = false;
        s.sharedRead.markedUnread = false;
        for (const m of s.staffRead.values()) m.markedUnread = false;
        s.outbound.set(e.data.messageId, { seq: e.data.seq, claim: null, providerMessageId: null, status: 'pending', errorCode: null });
        break;
      case 'OutboundClaimed': {
        const d = s.outbound.get(e.data.messageId);
        if (d !== undefined) d.claim = { claimId: e.data.claimId, expiresAt: e.data.expiresAt };
        break;
      }
      case 'OutboundClaimReleased': {
        const d = s.outbound.get(e.data.messageId);
        if (d !== undefined && d.claim?.claimId === e.data.claimId) d.claim = null;
        break;
      }
      case 'OutboundDispatched': {
        const d = s.outbound.get(e.data.messageId);
        if (d === undefined) break;
        d.providerMessageId = e.data.providerMessageId;
        d.status = nextDeliveryStatus(d.status, e.data.status);
        d.claim = null;
        s.outboundByProvider.set(e.data.providerMessageId, e.data.messageId);
        break;
      }
      case 'OutboundDispatchFailed': {
        const d = s.outbound.get(e.data.messageId);
        if (d === undefined) break;
        d.status = nextDeliveryStatus(d.status, 'failed');
        d.errorCode = e.data.providerCode;
        d.claim = null;
        break;
      }
      case 'DeliveryStatusUpdated': {
        const d = s.outbound.get(e.data.messageId);
        if (d === undefined) break;
        d.status = nextDeliveryStatus(d.status, e.data.status);
        if (e.data.errorCode !== null) d.errorCode = e.data.errorCode;
        break;
      }
      case 'ClientUnsubscribed':
        s.subscription = { subscribed: false, keyword: e.data.keyword, changedAt: e.data.at };
        break;
      case 'ClientResubscribed':
        s.subscription = { subscribed: true, keyword: e.data.keyword, changedAt: e.data.at };
        break;
      case 'ConversationRead': {
        const own = s.staffRead.get(e.data.staffId);
        s.staffRead.set(e.data.staffId, { readUpToSeq: Math.max(own?.readUpToSeq ?? 0, e.data.upToSeq), markedUnread: false });
        s.sharedRead = { readUpToSeq: Math.max(s.sharedRead.readUpToSeq, e.data.upToSeq), markedUnread: false };
        break;
      }
      case 'ConversationMarkedUnread': {
        const own = s.staffRead.get(e.data.staffId);
        s.staffRead.set(e.data.staffId, { readUpToSeq: own?.readUpToSeq ?? 0, markedUnread: true });
        s.sharedRead.markedUnread = true;
        break;
      }
      case 'ConversationArchived':
        s.archived = true;
        break;
      case 'ConversationUnarchived':
        s.archived = false;
        break;
      case 'ConversationMuted':
        s.muted = true;
        break;
      case 'ConversationUnmuted':
        s.muted = false;
        break;
      case 'ConversationPinned':
        s.pinned = true;
        break;
      case 'ConversationUnpinned':
        s.pinned = false;
        break;
    }
  }
  return s;
};
