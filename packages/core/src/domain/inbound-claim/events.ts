import * as t from 'io-ts';
import { ConversationId } from '../conversation/events.js';
import { BusinessId, MessageId, ProviderMessageId } from '../values/ids.js';
import { Timestamp } from '../values/timestamp.js';

/**
 * V2 (issue 12): webhooks are delivered at least once, and routing may change between two deliveries (the
 * client's phone changed, a client was recorded with the number). So a provider message id is claimed once
 * per business, in its own stream `mc-inbound-{business}-{provider id}` appended with `no-stream`: the first
 * delivery names the conversation and message id, and every redelivery goes there, whatever routing says now.
 */
export const InboundClaimed = t.readonly(
  t.type({
    type: t.literal('InboundClaimed'),
    data: t.readonly(
      t.type({ businessId: BusinessId, providerMessageId: ProviderMessageId, conversationId: ConversationId, messageId: MessageId, at: Timestamp }),
    ),
  }),
  'InboundClaimed',
);
export type InboundClaimed = t.TypeOf<typeof InboundClaimed>;
export const InboundClaimEvent = InboundClaimed;
export type InboundClaimEvent = InboundClaimed;
