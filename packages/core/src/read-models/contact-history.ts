/**
 * R5: the contact history of a client — every message in and out with its time, author and delivery
 * status, and every opt-out / opt-in — now or as of any past moment.
 *
 * It is folded from the client's two streams (`mc-client-…` and `mc-conversation-…`, which the facade
 * reads on demand) rather than kept for every client in memory: a history is small, and a replay up to a
 * time needs the events anyway.
 *
 * Time of an event: `data.at`, the domain time every event carries (for an inbound message the time it
 * was received, which the webhook may give; for the rest the time of the decision). `asOf(t)` folds the
 * events with `at <= t`, in stream order — exactly what was known to have happened by `t`, even when a
 * provider delivered a message late. Entries keep stream order.
 */
import * as E from 'fp-ts/lib/Either.js';
import { produce } from 'immer';
import type { Author, StaffActor } from '../domain/actor.js';
import { authorize } from '../domain/authorization.js';
import { clientDecider } from '../domain/client/decider.js';
import type { ClientEvent } from '../domain/client/events.js';
import type { ClientProfile } from '../domain/client/state.js';
import { conversationDecider } from '../domain/conversation/decider.js';
import type { ConversationEvent, DeliveryStatus } from '../domain/conversation/events.js';
import type { ConversationState } from '../domain/conversation/state.js';
import { conversationFacts, type ConversationFacts } from './conversation-facts.js';
import type { DomainError } from '../domain/errors.js';
import { isConversationEvent, type DomainEvent } from '../domain/events.js';
import { nextDeliveryStatus } from '../domain/policies/delivery-status.js';
import type { BusinessId, ClientId, MessageId, ProviderMessageId } from '../domain/values/ids.js';
import type { MediaList } from '../domain/values/media.js';
import type { E164 } from '../domain/values/phone-number.js';
import { Timestamp } from '../domain/values/timestamp.js';

export interface InboundEntry {
  readonly kind: 'inbound';
  readonly messageId: MessageId;
  readonly seq: number;
  readonly at: Timestamp;
  readonly author: { readonly kind: 'client'; readonly clientId: ClientId | null };
  readonly from: E164;
  readonly to: E164;
  /** Empty for a media-only MMS. */
  readonly body: string;
  /** V2 (issue 13): the MMS's files in the provider's order; empty for an SMS (and for messages recorded before media were kept). */
  readonly media: MediaList;
  readonly segments: number;
  readonly providerMessageId: ProviderMessageId;
}

/** V10: where an outbound message stands with the provider. */
export interface Delivery {
  readonly status: DeliveryStatus;
  readonly errorCode: number | null;
  readonly providerMessageId: ProviderMessageId | null;
  /** Time of the last delivery event (the send itself until the provider answers). */
  readonly updatedAt: Timestamp;
  /** Why the provider refused it for good, when it did. */
  readonly failure: { readonly reason: string; readonly message: string } | null;
}

export interface OutboundEntry {
  readonly kind: 'outbound';
  readonly messageId: MessageId;
  readonly seq: number;
  readonly at: Timestamp;
  /** A staff member (id) or an automation (name). */
  readonly author: Author;
  readonly from: E164;
  readonly to: E164;
  readonly body: string;
  readonly segments: number;
  readonly overage: boolean;
  readonly delivery: Delivery;
}

/** V3: an opt-out (STOP…, OptOutType, Twilio 21610) or an opt-in (START…). */
export interface SubscriptionEntry {
  readonly kind: 'unsubscribed' | 'resubscribed';
  readonly at: Timestamp;
  readonly source: 'keyword' | 'opt-out-type' | 'provider-error';
  readonly keyword: string | null;
  /** The inbound message that said it, or the outbound message the provider refused. */
  readonly messageId: MessageId | null;
}

export type HistoryEntry = InboundEntry | OutboundEntry | SubscriptionEntry;

export interface ContactHistory {
  /** C1: the profile as last recorded (by the time of the history). */
  readonly client: ClientProfile | null;
  /** The conversation decider's state, exactly as a decision would have seen it. */
  readonly conversation: ConversationState;
  readonly entries: ReadonlyArray<HistoryEntry>;
  /** Where each outbound message is in `entries`, so delivery events find it. */
  readonly outboundAt: ReadonlyMap<MessageId, number>;
}

export const emptyContactHistory: ContactHistory = {
  client: null,
  conversation: conversationDecider.initialState,
  entries: [],
  outboundAt: new Map(),
};

/** The domain time of any event (see the module comment). */
export const eventTime = (event: DomainEvent): Timestamp => event.data.at;

const split = (events: ReadonlyArray<DomainEvent>): { readonly client: ClientEvent[]; readonly conversation: ConversationEvent[] } => {
  const client: ClientEvent[] = [];
  const conversation: ConversationEvent[] = [];
  for (const e of events) {
    if (e.type === 'ClientProfileRecorded') client.push(e);
    else if (isConversationEvent(e)) conversation.push(e);
  }
  return { client, conversation };
};

/**
 * Folds events of the client's streams (in stream order; the two streams may be interleaved) into the
 * history: one `produce` for the entries, and the deciders' own folds for the profile and the state.
 */
export const foldContactHistory = (history: ContactHistory, events: ReadonlyArray<DomainEvent>): ContactHistory => {
  if (events.length === 0) return history;
  const { client: clientEvents, conversation: conversationEvents } = split(events);
  const conversation = conversationDecider.fold(history.conversation, conversationEvents);
  const client = clientEvents.length === 0 ? history.client : clientDecider.fold({ profile: history.client }, clientEvents).profile;
  const clientId = conversation.identity?.clientId ?? null;
  const { entries, outboundAt } = produce({ entries: history.entries, outboundAt: history.outboundAt }, (d) => {
    const outboundOf = (messageId: MessageId) => {
      const i = d.outboundAt.get(messageId);
      const entry = i === undefined ? undefined : d.entries[i];
      return entry?.kind === 'outbound' ? entry : undefined;
    };
    const deliveryOf = (messageId: MessageId) => outboundOf(messageId)?.delivery;
    for (const e of conversationEvents)
      switch (e.type) {
        case 'InboundReceived':
          d.entries.push({
            kind: 'inbound',
            messageId: e.data.messageId,
            seq: e.data.seq,
            at: e.data.at,
            author: { kind: 'client', clientId },
            from: e.data.from,
            to: e.data.to,
            body: e.data.body,
            media: [...e.data.media],
            segments: e.data.segments,
            providerMessageId: e.data.providerMessageId,
          });
          break;
        case 'OutboundSent':
          d.outboundAt.set(e.data.messageId, d.entries.length);
          d.entries.push({
            kind: 'outbound',
            messageId: e.data.messageId,
            seq: e.data.seq,
            at: e.data.at,
            author: e.data.author,
            from: e.data.from,
            to: e.data.to,
            body: e.data.body,
            segments: e.data.segments,
            overage: e.data.overage,
            delivery: { status: 'pending', errorCode: null, providerMessageId: null, updatedAt: e.data.at, failure: null },
          });
          break;
        // The outbox decided the numbers again before the hand-over (issue 12): the entry shows the ones used.
        case 'OutboundClaimed': {
          const entry = outboundOf(e.data.messageId);
          if (entry === undefined) break;
          entry.from = e.data.from;
          entry.to = e.data.to;
          break;
        }
        // V10, as the decider: statuses only move forward (`nextDeliveryStatus`).
        case 'OutboundDispatched': {
          const delivery = deliveryOf(e.data.messageId);
          if (delivery === undefined) break;
          delivery.providerMessageId = e.data.providerMessageId;
          delivery.status = nextDeliveryStatus(delivery.status, e.data.status);
          delivery.updatedAt = e.data.at;
          break;
        }
        case 'OutboundDispatchFailed': {
          const delivery = deliveryOf(e.data.messageId);
          if (delivery === undefined) break;
          delivery.status = nextDeliveryStatus(delivery.status, 'failed');
          delivery.errorCode = e.data.providerCode;
          delivery.failure = { reason: e.data.reason, message: e.data.message };
          delivery.updatedAt = e.data.at;
          break;
        }
        case 'DeliveryStatusUpdated': {
          const delivery = deliveryOf(e.data.messageId);
          if (delivery === undefined) break;
          delivery.status = nextDeliveryStatus(delivery.status, e.data.status);
          if (e.data.errorCode !== null) delivery.errorCode = e.data.errorCode;
          delivery.updatedAt = e.data.at;
          break;
        }
        case 'ClientUnsubscribed':
        case 'ClientResubscribed':
          d.entries.push({
            kind: e.type === 'ClientUnsubscribed' ? 'unsubscribed' : 'resubscribed',
            at: e.data.at,
            source: e.data.source,
            keyword: e.data.keyword,
            messageId: e.data.messageId,
          });
          break;
        default:
          break;
      }
  });
  return { client, conversation, entries, outboundAt };
};

/** R5: the history as it was at `asOf` (null: everything), from the events of the client's streams. */
export const contactHistoryAsOf = (events: ReadonlyArray<DomainEvent>, asOf: Timestamp | null): ContactHistory =>
  foldContactHistory(emptyContactHistory, asOf === null ? events : events.filter((e) => eventTime(e) <= asOf));

export interface ContactHistoryQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
  readonly clientId: ClientId;
  /** A past moment; absent: now. */
  readonly asOf?: Timestamp | undefined;
}

export interface ContactHistoryView {
  readonly clientId: ClientId;
  readonly asOf: Timestamp | null;
  readonly client: ClientProfile | null;
  readonly conversation: ConversationFacts;
  readonly entries: ReadonlyArray<HistoryEntry>;
}

/**
 * R1 + R5 for the facade: `events` are the decoded events of `clientStream(businessId, clientId)` and
 * `conversationStream(businessId, clientId)`. A client with neither is `client-not-found`; asked as of a
 * time before they existed, the history is simply empty.
 */
export const contactHistoryOf = (query: ContactHistoryQuery, events: ReadonlyArray<DomainEvent>): E.Either<DomainError, ContactHistoryView> => {
  const authorized = authorize('contactHistory', query.viewer, query.businessId);
  if (E.isLeft(authorized)) return authorized;
  const asOf = query.asOf ?? null;
  if (asOf !== null && !Timestamp.is(asOf))
    return E.left({ code: 'invalid-input', message: 'asOf: an instant like 2026-11-23T17:06:00.000Z', problems: ['asOf'] });
  if (!events.some((e) => e.type === 'ClientProfileRecorded' || e.type === 'ConversationStarted'))
    return E.left({ code: 'client-not-found', message: `no client ${query.clientId} in business ${query.businessId}` });
  const h = contactHistoryAsOf(events, asOf);
  return E.right({ clientId: query.clientId, asOf, client: h.client, conversation: conversationFacts(h.conversation), entries: h.entries });
};
