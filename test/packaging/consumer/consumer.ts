// Type-checked by the consumer test under `moduleResolution` nodenext and bundler: the published declarations
// resolve, name every type a caller needs, and are not `any` (each @ts-expect-error below must hold).
import {
  createInMemoryNumberProvisioning,
  createInMemoryEventStore,
  createMessageCenter,
  type InboxPage,
  type MessageCenter,
  type MessageCenterError,
  type SendMessageInput,
} from '@message-center/core';
import { conversationDecider } from '@message-center/core/internals';
import { createEventStoreDbEventStore } from '@message-center/eventstoredb';
import { createTwilioWebhookHandler } from '@message-center/twilio';

// The types a consumer sees: an account in memory that already holds the business's number.
const mc: MessageCenter = createMessageCenter({ numbers: createInMemoryNumberProvisioning({ account: ['+12015550123'] }), store: createInMemoryEventStore() });
const dana = { kind: 'staff', businessId: 'salon-42', staffId: 'dana', permissions: ['send-email-sms'] } as const;
export const send: SendMessageInput = { businessId: 'salon-42', clientId: 'ana', actor: dana, body: 'Hello' };

export const firstPage = async (): Promise<InboxPage | MessageCenterError> => {
  const result = await mc.inbox({ businessId: 'salon-42', viewer: dana })();
  return result._tag === 'Right' ? result.right : result.left;
};

export const errorCode = async (): Promise<MessageCenterError['code'] | null> => {
  const result = await mc.sendMessage(send)();
  return result._tag === 'Left' ? result.left.code : null;
};

// @ts-expect-error a staff actor names its permissions
export const missingPermissions: SendMessageInput = { ...send, actor: { kind: 'staff', businessId: 'salon-42', staffId: 'dana' } };
// @ts-expect-error the facade has no such command
mc.sendGroupMessage(send);

export const adapters = [conversationDecider.decide, createEventStoreDbEventStore, createTwilioWebhookHandler] as const;
