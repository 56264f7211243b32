import * as t from 'io-ts';
import { BusinessEvent } from './business/events.js';
import { ClientEvent } from './client/events.js';
import { ConversationEvent } from './conversation/events.js';
import { NumberEvent } from './number/events.js';
import { InboundClaimEvent } from './inbound-claim/events.js';
import { PhoneSubscriptionEvent } from './phone-subscription/events.js';
import { UsageLedgerEvent } from './usage-ledger/events.js';

/** Every event of the Message Center, whatever its stream. */
export const DomainEvent = t.union([BusinessEvent, NumberEvent, ClientEvent, ConversationEvent, InboundClaimEvent, PhoneSubscriptionEvent, UsageLedgerEvent], 'DomainEvent');
export type DomainEvent = t.TypeOf<typeof DomainEvent>;
export type DomainEventType = DomainEvent['type'];

// Every conversation event type, once; the mapped type makes a missing or unknown one a compile error.
const CONVERSATION_EVENT_TYPES: { readonly [K in ConversationEvent['type']]: true } = {
  ConversationStarted: true,
  InboundReceived: true,
  OutboundSent: true,
  OutboundClaimed: true,
  OutboundClaimReleased: true,
  OutboundDispatched: true,
  OutboundDispatchFailed: true,
  DeliveryStatusUpdated: true,
  ClientUnsubscribed: true,
  ClientResubscribed: true,
  ConversationRead: true,
  ConversationMarkedUnread: true,
  ConversationArchived: true,
  ConversationUnarchived: true,
  ConversationMuted: true,
  ConversationUnmuted: true,
  ConversationPinned: true,
  ConversationUnpinned: true,
};

/** The type of every conversation event (for a projection that names the types it reads). */
export const CONVERSATION_EVENT_TYPE_NAMES: ReadonlyArray<DomainEventType> = Object.keys(CONVERSATION_EVENT_TYPES).filter((type): type is DomainEventType => Object.hasOwn(CONVERSATION_EVENT_TYPES, type));

/** An event of a conversation stream, by its type alone (cheap enough for a fold's inner loop). */
export const isConversationEvent = (event: DomainEvent): event is ConversationEvent => Object.hasOwn(CONVERSATION_EVENT_TYPES, event.type);

/**
 * The current schema version of each event type, written into every stored event's metadata. When an
 * event's data changes shape, its version goes up and an upcaster turns the older data into the new
 * shape at the store boundary (see `application/event-codec.ts`), so the domain only ever sees the
 * current shape.
 */
export const EVENT_SCHEMA_VERSIONS: { readonly [K in DomainEventType]: number } = {
  MessageCenterEnabled: 1,
  BusinessNumberChanged: 1,
  ReadStatusModeChanged: 1,
  PlanChanged: 1,
  NumbersSuggested: 1,
  NumberAssigned: 1,
  NumberReleased: 1,
  InboundClaimed: 1,
  PhoneUnsubscribed: 1,
  PhoneResubscribed: 1,
  OutboundReserved: 1,
  InboundCounted: 1,
  ClientProfileRecorded: 1,
  ConversationStarted: 1,
  InboundReceived: 2,
  OutboundSent: 1,
  OutboundClaimed: 1,
  OutboundClaimReleased: 1,
  OutboundDispatched: 1,
  OutboundDispatchFailed: 1,
  DeliveryStatusUpdated: 1,
  ClientUnsubscribed: 1,
  ClientResubscribed: 1,
  ConversationRead: 1,
  ConversationMarkedUnread: 1,
  ConversationArchived: 1,
  ConversationUnarchived: 1,
  ConversationMuted: 1,
  ConversationUnmuted: 1,
  ConversationPinned: 1,
  ConversationUnpinned: 1,
};

export const isDomainEventType = (type: string): type is DomainEventType => Object.hasOwn(EVENT_SCHEMA_VERSIONS, type);
