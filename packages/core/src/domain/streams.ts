import type { BusinessId, ClientId } from './values/ids.js';
import type { E164 } from './values/phone-number.js';
import type { ConversationId } from './conversation/events.js';

/** Every stream of the Message Center starts with this prefix; read models subscribe to it. */
export const STREAM_PREFIX = 'mc-';
export const BUSINESS_STREAM_PREFIX = 'mc-business-';
export const NUMBER_STREAM_PREFIX = 'mc-number-';
export const CLIENT_STREAM_PREFIX = 'mc-client-';
export const CONVERSATION_STREAM_PREFIX = 'mc-conversation-';

export const businessStream = (businessId: BusinessId): string => `${BUSINESS_STREAM_PREFIX}${businessId}`;
export const clientStream = (businessId: BusinessId, clientId: ClientId): string =>
  `${CLIENT_STREAM_PREFIX}${businessId}-${clientId}`;
export const conversationStream = (businessId: BusinessId, conversationId: ConversationId): string =>
  `${CONVERSATION_STREAM_PREFIX}${businessId}-${conversationId}`;
export const numberStream = (number: E164): string => `${NUMBER_STREAM_PREFIX}${number}`;
