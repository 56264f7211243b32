import { produce } from 'immer';
import type { DomainEvent } from '../domain/events.js';
import type { BusinessId, ClientId, MessageId, ProviderMessageId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import type { ConversationId } from '../domain/conversation/events.js';
import { billingPeriodOf } from '../domain/policies/allotment.js';
import type { LogPosition } from '../application/ports/event-store.js';

/** A decoded event with where it was stored. */
export interface EventEnvelope {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: LogPosition;
  readonly event: DomainEvent;
}

export interface ConversationEntry {
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly clientId: ClientId | null;
  readonly lastOutboundAt: Timestamp | null;
}

export interface PendingOutbound {
  readonly streamId: string;
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly messageId: MessageId;
  readonly from: E164;
  readonly to: E164;
  readonly body: string;
}

export interface Usage {
  readonly inbound: number;
  readonly outbound: number;
}

/**
 * The lookups the application layer needs across streams: which business a number belongs to (B2),
 * which client a phone is (V2), which conversation a provider message id is in (V10), the usage of each
 * billing period (B4/R6) and the outbox of messages not yet handed to the transport.
 */
export interface Directory {
  /** Current numbers win over retired ones: a number can move to another business. */
  readonly numbers: ReadonlyMap<E164, { readonly businessId: BusinessId; readonly current: boolean }>;
  readonly clientPhones: ReadonlyMap<BusinessId, ReadonlyMap<ClientId, E164 | null>>;
  readonly conversations: ReadonlyMap<string, ConversationEntry>;
  readonly providerMessages: ReadonlyMap<ProviderMessageId, string>;
  /** business → billing period (`YYYY-MM`) → counts. */
  readonly usage: ReadonlyMap<BusinessId, ReadonlyMap<string, Usage>>;
  /** Keyed by `outboxKey(streamId, messageId)`: a host may reuse its own message ids across conversations. */
  readonly pendingOutbound: ReadonlyMap<string, PendingOutbound>;
  readonly position: LogPosition | null;
}

export const emptyDirectory: Directory = {
  numbers: new Map(),
  clientPhones: new Map(),
  conversations: new Map(),
  providerMessages: new Map(),
  usage: new Map(),
  pendingOutbound: new Map(),
  position: null,
};

// Ids and stream names never contain control characters, so NUL cannot occur inside either part.
export const outboxKey = (streamId: string, messageId: MessageId): string => `${streamId}\u0000${messageId}`;

const businessOfStream = (d: Directory, streamId: string): BusinessId | null => d.conversations.get(streamId)?.businessId ?? null;

/** Folds a batch of events into the directory in one immer `produce`. */
export const foldDirectory = (directory: Directory, batch: ReadonlyArray<EventEnvelope>): Directory =>
  batch.length === 0
    ? directory
    : produce(directory, (d) => {
        for (const { streamId, position, event } of batch) {
          d.position = position;
          switch (event.type) {
            case 'MessageCenterEnabled':
              d.numbers.set(event.data.number, { businessId: event.data.businessId, current: true });
              break;
            case 'BusinessNumberChanged': {
              const owner = d.numbers.get(event.data.previousNumber);
              if (owner !== undefined) {
                d.numbers.set(event.data.previousNumber, { businessId: owner.businessId, current: false });
                d.numbers.set(event.data.number, { businessId: owner.businessId, current: true });
              }
              break;
            }
            case 'ClientProfileRecorded': {
              const phones = d.clientPhones.get(event.data.businessId) ?? new Map<ClientId, E164 | null>();
              phones.set(event.data.clientId, event.data.cellPhone.e164);
              d.clientPhones.set(event.data.businessId, phones);
              break;
            }
            case 'ConversationStarted':
              d.conversations.set(streamId, {
                businessId: event.data.businessId,
                conversationId: event.data.conversationId,
                clientId: event.data.clientId,
                lastOutboundAt: null,
              });
              break;
            case 'InboundReceived':
            case 'OutboundSent': {
              const businessId = businessOfStream(d, streamId);
              if (businessId === null) break;
              const periods = d.usage.get(businessId) ?? new Map<string, Usage>();
              const period = billingPeriodOf(event.data.at);
              const used = periods.get(period) ?? { inbound: 0, outbound: 0 };
              periods.set(
                period,
                event.type === 'InboundReceived' ? { ...used, inbound: used.inbound + 1 } : { ...used, outbound: used.outbound + 1 },
              );
              d.usage.set(businessId, periods);
              const conversation = d.conversations.get(streamId);
              if (event.type === 'OutboundSent' && conversation !== undefined) {
                conversation.lastOutboundAt = event.data.at;
                d.pendingOutbound.set(outboxKey(streamId, event.data.messageId), {
                  streamId,
                  businessId,
                  conversationId: conversation.conversationId,
                  messageId: event.data.messageId,
                  from: event.data.from,
                  to: event.data.to,
                  body: event.data.body,
                });
              }
              break;
            }
            case 'OutboundDispatched':
              d.providerMessages.set(event.data.providerMessageId, streamId);
              d.pendingOutbound.delete(outboxKey(streamId, event.data.messageId));
              break;
            case 'OutboundDispatchFailed':
              d.pendingOutbound.delete(outboxKey(streamId, event.data.messageId));
              break;
            default:
              break;
          }
        }
      });

/** V2: the clients of a business with this cell phone. */
export const clientsWithPhone = (d: Directory, businessId: BusinessId, phone: E164): ReadonlyArray<ClientId> => {
  const found: ClientId[] = [];
  for (const [clientId, p] of d.clientPhones.get(businessId) ?? []) if (p === phone) found.push(clientId);
  return found;
};

export const usageIn = (d: Directory, businessId: BusinessId, period: string): Usage =>
  d.usage.get(businessId)?.get(period) ?? { inbound: 0, outbound: 0 };
