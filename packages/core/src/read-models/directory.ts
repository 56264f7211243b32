import type { ConversationId } from '../domain/conversation/events.js';
import { compareLogPositions, type EventEnvelope, type LogPosition } from '../domain/log.js';
import type { ClientCandidate, NumberOwner } from '../domain/policies/inbound-routing.js';
import { conversationStream } from '../domain/streams.js';
import type { BusinessId, ClientId, MessageId, ProviderMessageId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import { PHashMap, withEdit } from './persistent.js';
import type { Projection } from './projection.js';
import { pairKey } from './stream-ids.js';

export interface ConversationEntry {
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly clientId: ClientId | null;
  readonly lastOutboundAt: Timestamp | null;
}

export interface PendingOutbound {
  /** Where its OutboundSent is in the log: messages are handed over in the order they were recorded. */
  readonly position: LogPosition;
  readonly streamId: string;
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly messageId: MessageId;
  readonly from: E164;
  readonly to: E164;
  readonly body: string;
}

/**
 * The write side's lookup index: what commands need to know across streams — which business a number
 * belongs to (B2), which clients have a phone (V2), which conversation a provider message id is in (V10),
 * and the outbox of messages not yet handed to the transport. (B4 is decided by the usage ledger stream of
 * each period, not from here.) The application layer keeps it current with the same
 * projection runner as the read models, and catches it up before each command that needs it.
 *
 * Every map grows with the log (one entry per outbound message, per client, per conversation), so they
 * are persistent maps: a fold copies a few small nodes, never a whole map, and each returned state stays
 * immutable (see `persistent.ts`). With immer's copy-on-write `Map`s each command cost O(messages ever sent).
 */
export interface Directory {
  /** Current numbers win over retired ones: a number can move to another business. */
  readonly numbers: PHashMap<NumberOwner>;
  /** `key(businessId, clientId)` → the client's cell phone. */
  readonly clientPhone: PHashMap<E164 | null>;
  /** `key(businessId, phone)` → the clients with that cell phone. */
  readonly phoneClients: PHashMap<ReadonlyArray<ClientId>>;
  readonly conversations: PHashMap<ConversationEntry>;
  /** Provider message id → conversation stream. */
  readonly providerMessages: PHashMap<string>;
  /** `outboxKey(streamId, messageId)` → the message: a host may reuse its own message ids across conversations. */
  readonly pendingOutbound: PHashMap<PendingOutbound>;
}

export const emptyDirectory: Directory = {
  numbers: PHashMap.empty(),
  clientPhone: PHashMap.empty(),
  phoneClients: PHashMap.empty(),
  conversations: PHashMap.empty(),
  providerMessages: PHashMap.empty(),
  pendingOutbound: PHashMap.empty(),
};

const key = pairKey;
export const outboxKey = (streamId: string, messageId: MessageId): string => key(streamId, messageId);

/** Folds a batch of events into the directory, in one edit for the whole batch. */
export const foldDirectory = (directory: Directory, batch: ReadonlyArray<EventEnvelope>): Directory =>
  batch.length === 0 ? directory : foldLookups(directory, batch);

const foldLookups = (directory: Directory, batch: ReadonlyArray<EventEnvelope>): Directory =>
  withEdit((edit) => {
    let d = directory;
    for (const { streamId, position, event } of batch) {
      switch (event.type) {
        case 'MessageCenterEnabled':
          d = { ...d, numbers: d.numbers.set(event.data.number, { businessId: event.data.businessId, current: true }, edit) };
          break;
        case 'BusinessNumberChanged': {
          const owner = d.numbers.get(event.data.previousNumber);
          if (owner !== undefined)
            d = {
              ...d,
              numbers: d.numbers
                .set(event.data.previousNumber, { businessId: owner.businessId, current: false }, edit)
                .set(event.data.number, { businessId: owner.businessId, current: true }, edit),
            };
          break;
        }
        case 'ClientProfileRecorded': {
          const { businessId, clientId } = event.data;
          const previous = d.clientPhone.get(key(businessId, clientId)) ?? null;
          const phone = event.data.cellPhone.e164;
          let phoneClients = d.phoneClients;
          if (previous !== null && previous !== phone) {
            const rest = (phoneClients.get(key(businessId, previous)) ?? []).filter((c) => c !== clientId);
            phoneClients = rest.length === 0 ? phoneClients.delete(key(businessId, previous), edit) : phoneClients.set(key(businessId, previous), rest, edit);
          }
          if (phone !== null && previous !== phone)
            phoneClients = phoneClients.set(key(businessId, phone), [...(phoneClients.get(key(businessId, phone)) ?? []), clientId], edit);
          d = { ...d, phoneClients, clientPhone: d.clientPhone.set(key(businessId, clientId), phone, edit) };
          break;
        }
        case 'ConversationStarted':
          d = {
            ...d,
            conversations: d.conversations.set(
              streamId,
              { businessId: event.data.businessId, conversationId: event.data.conversationId, clientId: event.data.clientId, lastOutboundAt: null },
              edit,
            ),
          };
          break;
        case 'OutboundSent': {
          const conversation = d.conversations.get(streamId);
          if (conversation === undefined) break;
          d = {
            ...d,
            conversations: d.conversations.set(streamId, { ...conversation, lastOutboundAt: event.data.at }, edit),
            pendingOutbound: d.pendingOutbound.set(
              outboxKey(streamId, event.data.messageId),
              {
                position,
                streamId,
                businessId: conversation.businessId,
                conversationId: conversation.conversationId,
                messageId: event.data.messageId,
                from: event.data.from,
                to: event.data.to,
                body: event.data.body,
              },
              edit,
            ),
          };
          break;
        }
        case 'OutboundDispatched':
          d = {
            ...d,
            providerMessages: d.providerMessages.set(event.data.providerMessageId, streamId, edit),
            pendingOutbound: d.pendingOutbound.delete(outboxKey(streamId, event.data.messageId), edit),
          };
          break;
        case 'OutboundDispatchFailed':
          d = { ...d, pendingOutbound: d.pendingOutbound.delete(outboxKey(streamId, event.data.messageId), edit) };
          break;
        default:
          break;
      }
    }
    return d;
  });

/** The directory as a projection of the log, for the projection runner. */
export const directoryProjection: Projection<Directory> = {
  name: 'directory',
  initial: emptyDirectory,
  fold: foldDirectory,
  // Every command catches the directory up, and most events are none of its business (inbound, ledger, reads).
  handles: new Set(['MessageCenterEnabled', 'BusinessNumberChanged', 'ClientProfileRecorded', 'ConversationStarted', 'OutboundSent', 'OutboundDispatched', 'OutboundDispatchFailed']),
};

/** V2: the clients of a business with this cell phone. */
export const clientsWithPhone = (d: Directory, businessId: BusinessId, phone: E164): ReadonlyArray<ClientId> =>
  d.phoneClients.get(key(businessId, phone)) ?? [];

/** V2: the clients with this cell phone, each with when staff last wrote to them (the routing policy picks one). */
export const clientCandidates = (d: Directory, businessId: BusinessId, phone: E164): ReadonlyArray<ClientCandidate> =>
  clientsWithPhone(d, businessId, phone).map((clientId) => ({
    clientId,
    lastOutboundAt: d.conversations.get(conversationStream(businessId, clientId))?.lastOutboundAt ?? null,
  }));

/** V10: the conversation an outbound message handed to the provider is in, by the provider's id. */
export const conversationOfProviderMessage = (d: Directory, providerMessageId: ProviderMessageId): ConversationEntry | undefined => {
  const streamId = d.providerMessages.get(providerMessageId);
  return streamId === undefined ? undefined : d.conversations.get(streamId);
};

/** The outbox: messages recorded and not yet handed to the transport. */
export const pendingMessages = (d: Directory): ReadonlyArray<PendingOutbound> => {
  const pending: PendingOutbound[] = [];
  d.pendingOutbound.forEach((_, message) => pending.push(message));
  return pending.sort((a, b) => compareLogPositions(a.position, b.position));
};
