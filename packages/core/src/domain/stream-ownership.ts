import type { DomainEvent } from './events.js';
import { sameStream, type StreamAddress } from './streams.js';

/**
 * The streams an event's own data says it belongs to: the business of `MessageCenterEnabled`, the business
 * and client of `ClientProfileRecorded`, the business and conversation (and client) of `ConversationStarted`,
 * the number of the number registry's events. Events that carry no ids name none.
 */
export const streamsNamedBy = (event: DomainEvent): ReadonlyArray<StreamAddress> => {
  switch (event.type) {
    case 'MessageCenterEnabled':
    case 'NumbersSuggested':
      return [{ kind: 'business', businessId: event.data.businessId }];
    case 'ClientProfileRecorded':
      return [{ kind: 'client', businessId: event.data.businessId, clientId: event.data.clientId }];
    case 'ConversationStarted': {
      const { businessId, conversationId, clientId } = event.data;
      // A client's conversation is keyed by the client id: both must name the same stream.
      return [{ kind: 'conversation', businessId, conversationId }, ...(clientId === null ? [] : [{ kind: 'conversation' as const, businessId, conversationId: clientId }])];
    }
    case 'NumberAssigned':
    case 'NumberReleased':
      return [{ kind: 'number', number: event.data.number }];
    case 'PhoneUnsubscribed':
    case 'PhoneResubscribed':
      return [{ kind: 'phone-subscription', businessId: event.data.businessId, phone: event.data.phone }];
    case 'OutboundReserved':
    case 'InboundCounted':
      return [{ kind: 'usage-ledger', businessId: event.data.businessId, period: event.data.period }];
    case 'InboundClaimed':
      return [{ kind: 'inbound-claim', businessId: event.data.businessId, providerMessageId: event.data.providerMessageId }];
    default:
      return [];
  }
};

/**
 * Defence in depth (DESIGN §2 Streams): an event may sit only in the stream its own ids name. Whatever
 * a stream name resolves to, data of another business, client or conversation is never folded as if it
 * were the one asked for.
 */
export const belongsToStream = (event: DomainEvent, address: StreamAddress): boolean =>
  streamsNamedBy(event).every((named) => sameStream(named, address));
