import { createMessageCenter, createInMemoryEventStore, createInMemorySmsTransport, createInMemoryNumberProvisioning } from '@message-center/core';

// The salon's SMS account already holds its number for two-way SMS; a new business would pick one of
// `mc.suggestNumbers({ businessId, actor: host, country: 'US' })` instead.
const numbers = createInMemoryNumberProvisioning({ account: ['+12015550123'] });
const mc = createMessageCenter({ store: createInMemoryEventStore(), transport: createInMemorySmsTransport(), numbers });
const dana = { kind: 'staff', businessId: 'salon-42', staffId: 'dana', permissions: ['send-email-sms'] } as const;
const host = { kind: 'host', businessId: 'salon-42' } as const; // the salon's back end (B0: who may do what)

await mc.enableMessageCenter({ businessId: 'salon-42', actor: host, country: 'US', number: '(201) 555-0123',
  allotment: { messagesPerPeriod: 500, overage: 'refuse' } })();
await mc.recordClient({ businessId: 'salon-42', actor: host, clientId: 'ana', uid: 'A-1', name: 'Ana Lima', cellPhone: '415.555.2671' })();
await mc.sendMessage({ businessId: 'salon-42', clientId: 'ana', actor: dana, body: 'See you tomorrow at 10!' })();
await mc.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'STOP', providerMessageId: 'SM123' })();
const view = await mc.conversation({ businessId: 'salon-42', conversationId: 'ana', viewer: dana })();
// view: Right({ folder: 'unread', unreadCount: 1, subscription: { status: 'unsubscribed', keyword: 'STOP', … }, … })
console.log(JSON.stringify(view));
