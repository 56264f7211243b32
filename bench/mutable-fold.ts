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
export interface MutableConversation {
  started: boolean;
  lastSeq: number;
  lastInboundSeq: number;
  lastOutboundSeq: number;
  lastActivityAt: string | null;
  inboundSinceLastOutbound: number[];
  archived: boolean;
  pinned: boolean;
  muted: boolean;
  sharedRead: Mark;
  staffRead: Map<string, Mark>;
  subscribed: boolean;
  seenInbound: Map<string, string>;
  outbound: Map<string, { seq: number; providerMessageId: string | null; status: DeliveryStatus; errorCode: number | null }>;
  outboundByProvider: Map<string, string>;
}

export const mutableFold = (events: ReadonlyArray<ConversationEvent>): MutableConversation => {
  const s: MutableConversation = {
    started: false,
    lastSeq: 0,
    lastInboundSeq: 0,
    lastOutboundSeq: 0,
    lastActivityAt: null,
    inboundSinceLastOutbound: [],
    archived: false,
    pinned: false,
    muted: false,
    sharedRead: { readUpToSeq: 0, markedUnread: false },
    staffRead: new Map(),
    subscribed: true,
    seenInbound: new Map(),
    outbound: new Map(),
    outboundByProvider: new Map(),
  };
  for (const e of events) {
    switch (e.type) {
      case 'ConversationStarted':
        s.started = true;
        break;
      case 'InboundReceived':
        s.lastSeq = e.data.seq;
        s.lastInboundSeq = e.data.seq;
        s.lastActivityAt = e.data.at;
        s.inboundSinceLastOutbound.push(e.data.seq);
        s.archived = false;
        s.seenInbound.set(e.data.providerMessageId, e.data.messageId);
        break;
      case 'OutboundSent':
        s.lastSeq = e.data.seq;
        s.lastOutboundSeq = e.data.seq;
        s.lastActivityAt = e.data.at;
        s.inboundSinceLastOutbound = [];
        s.archived = false;
        s.sharedRead.markedUnread = false;
        for (const m of s.staffRead.values()) m.markedUnread = false;
        s.outbound.set(e.data.messageId, { seq: e.data.seq, providerMessageId: null, status: 'pending', errorCode: null });
        break;
      case 'OutboundDispatched': {
        const d = s.outbound.get(e.data.messageId);
        if (d === undefined) break;
        d.providerMessageId = e.data.providerMessageId;
        d.status = nextDeliveryStatus(d.status, e.data.status);
        s.outboundByProvider.set(e.data.providerMessageId, e.data.messageId);
        break;
      }
      case 'OutboundDispatchFailed': {
        const d = s.outbound.get(e.data.messageId);
        if (d === undefined) break;
        d.status = nextDeliveryStatus(d.status, 'failed');
        d.errorCode = e.data.providerCode;
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
        s.subscribed = false;
        break;
      case 'ClientResubscribed':
        s.subscribed = true;
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
