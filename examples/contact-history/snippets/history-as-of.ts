// A client's contact history (R5) now, and as of a past moment: messages, authors, delivery, opt-out/in.
import * as E from 'fp-ts/lib/Either.js';
import { timestampFromMillis, type ContactHistoryView, type HistoryEntry } from '@message-center/core';
import { businessId, dana, eli, openSalon, reminders, run } from './salon.js';

const { mc, later, inbound, transport } = await openSalon();
const ben = 'cl-1002';

// Twilio reports on Dana's 09:30 text to Ben; then Ben opts out, a reminder is refused, and he opts back in.
const [, toBen] = transport.sent;
if (toBen === undefined) throw new Error('the salon sent no text to Ben');
later(1);
await run(mc.recordDeliveryStatus({ providerMessageId: toBen.providerMessageId, status: 'sent' }));
later(30);
await inbound('+16465550142', 'STOP', 'SM-b2');
later(1);
await run(mc.recordDeliveryStatus({ providerMessageId: toBen.providerMessageId, status: 'delivered' }));
const refused = await mc.sendMessage({ businessId, clientId: ben, actor: reminders, body: 'Reminder: Saturday at 2pm.' })();
console.log(`reminder while opted out: ${E.isLeft(refused) ? refused.left.code : 'sent'}`);
later(60);
await inbound('+16465550142', 'start', 'SM-b3');
later(2);
await run(mc.sendMessage({ businessId, clientId: ben, actor: eli, body: 'Welcome back, Ben! Still on for Saturday?' }));

const line = (e: HistoryEntry): string => {
  const at = e.at.slice(11, 19);
  switch (e.kind) {
    case 'inbound':
      return `${at} ← client   "${e.body}"`;
    case 'outbound': {
      const author = e.author.kind === 'staff' ? `staff ${e.author.staffId}` : `automation ${e.author.name}`;
      return `${at} → ${author}   "${e.body}"   [${e.delivery.status}]`;
    }
    case 'unsubscribed':
    case 'resubscribed':
      return `${at} ${e.kind} (${e.source}${e.keyword === null ? '' : ` ${e.keyword}`})`;
  }
};
const print = (title: string, h: ContactHistoryView): void => {
  console.log(`\n${title}: ${h.conversation.lastSeq} messages, ${h.conversation.subscription.status}, profile of ${h.client?.name ?? '—'}`);
  for (const e of h.entries) console.log(`  ${line(e)}`);
};

const now = await run(mc.contactHistory({ businessId, viewer: dana, clientId: ben }));
print('now', now);
const stop = now.entries.find((e) => e.kind === 'unsubscribed');
if (stop === undefined) throw new Error('Ben never opted out');
// Events with at <= asOf: one millisecond before the STOP, it has not happened, and the text was only `sent`.
const asOf = timestampFromMillis(Date.parse(stop.at) - 1);
print(`as of ${asOf}`, await run(mc.contactHistory({ businessId, viewer: dana, clientId: ben, asOf })));
