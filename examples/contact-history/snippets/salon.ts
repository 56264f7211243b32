/**
 * The salon the guides' snippets share: four clients and a morning of texts, on the in-memory store with
 * a clock that only moves when told to (so every snippet prints the same on every run).
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createInMemorySmsTransport,
  createMessageCenter,
  timestampFromMillis,
  type Alert,
  type Clock,
  type IdGenerator,
  type MessageCenterError,
} from '@message-center/core';

/** Runs a task and throws on a refusal: the snippets show the happy paths. */
export const run = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

export const businessId = 'salon-42';
export const dana = { kind: 'staff', businessId, staffId: 'dana', permissions: ['send-email-sms'] } as const;
export const eli = { kind: 'staff', businessId, staffId: 'eli', permissions: ['send-email-sms'] } as const;
export const reminders = { kind: 'automation', businessId, name: 'reminders' } as const;
/** The salon's own back end: it sets the business up, records clients and reads the usage (B0). */
export const host = { kind: 'host', businessId } as const;
export const salonNumber = '+12015550123';

export const openSalon = async (options: { readonly onAlert?: (alert: Alert) => void } = {}) => {
  let now = Date.UTC(2026, 10, 23, 9, 0);
  const clock: Clock = { now: () => timestampFromMillis(now) };
  /** Moves the clock on; every command after it happens that much later. */
  const later = (minutes: number): void => {
    now += minutes * 60_000;
  };
  // Counted ids instead of random ones, so message ids print the same on every run too.
  let counter = 0;
  const ids: IdGenerator = { uuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` };
  const store = createInMemoryEventStore();
  const transport = createInMemorySmsTransport();
  // The salon's Twilio account already holds its number for two-way SMS (issue 13: no suggestion needed).
  const numbers = createInMemoryNumberProvisioning({ account: [salonNumber] });
  const mc = createMessageCenter({ store, transport, clock, ids, numbers, ...(options.onAlert === undefined ? {} : { onAlert: options.onAlert }) });

  await run(mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: salonNumber, allotment: { messagesPerPeriod: 500, overage: 'refuse' } }));
  const clients = [
    { clientId: 'cl-1001', uid: 'A-1001', name: 'Ana Lima', email: 'ana.lima@example.com', cellPhone: '415.555.2671', clientType: 'member', groups: ['colour'], homeLocation: 'Downtown' },
    { clientId: 'cl-1002', uid: 'A-1002', name: 'Ben Okafor', email: 'ben@okafor.dev', cellPhone: '(646) 555-0142', clientType: 'member', groups: ['cuts'], homeLocation: 'Uptown' },
    { clientId: 'cl-1003', uid: 'A-1003', name: 'Zoë Ørsted', email: 'zoe@example.org', cellPhone: '+1 628 555 0107', clientType: 'guest', groups: ['colour', 'cuts'], homeLocation: 'Downtown' },
    { clientId: 'cl-1004', uid: 'A-1004', name: 'Chloé Dubois', email: 'chloe.d@example.net', cellPhone: '212-555-0199', clientType: 'guest', groups: ['nails'], homeLocation: 'Uptown' },
  ] as const;
  for (const client of clients) await run(mc.recordClient({ businessId, actor: host, ...client }));
  const inbound = (from: string, body: string, sid: string) => run(mc.receiveInbound({ to: salonNumber, from, body, providerMessageId: sid }));

  // 09:10 Dana texts Ana, who answers (unread).
  later(10);
  await run(mc.sendMessage({ businessId, clientId: 'cl-1001', actor: dana, body: 'Hi Ana, your colour appointment is tomorrow at 10.' }));
  later(5);
  await inbound('+14155552671', 'Perfect, see you then!', 'SM-a1');
  // 09:25 Ben asks about Saturday; Eli reads it, Dana answers (replied), and Dana pins it.
  later(10);
  await inbound('+16465550142', 'Do you have openings on Saturday?', 'SM-b1');
  later(5);
  await run(mc.markRead({ businessId, conversationId: 'cl-1002', actor: eli }));
  await run(mc.sendMessage({ businessId, clientId: 'cl-1002', actor: dana, body: 'We have 2pm free on Saturday!' }));
  await run(mc.pin({ businessId, conversationId: 'cl-1002', actor: dana }));
  // 09:40 Zoë asks about a trim; Eli reads it (read).
  later(10);
  await inbound('+16285550107', 'Can I bring my daughter for a trim?', 'SM-z1');
  later(5);
  await run(mc.markRead({ businessId, conversationId: 'cl-1003', actor: eli }));
  // 09:50 The reminder automation texts Chloé, she thanks, Dana archives it (archived).
  later(5);
  await run(mc.sendMessage({ businessId, clientId: 'cl-1004', actor: reminders, body: 'Reminder: nails on Friday at 3pm. Reply C to confirm.' }));
  later(5);
  await inbound('+12125550199', 'C thanks!', 'SM-c1');
  await run(mc.archive({ businessId, conversationId: 'cl-1004', actor: dana }));

  return { mc, store, transport, clock, later, inbound };
};
