/**
 * Quickstart: a short day in the Message Center, on the embedded in-memory store.
 *
 *   npx -y pnpm@10 install && npx -y pnpm@10 quickstart
 *
 * A salon in the US enables the Message Center, records two clients, and staff and clients exchange
 * texts. After each step the conversations are printed as each staff member sees them.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  createInMemoryNumberProvisioning,
  createInMemorySmsTransport,
  createMessageCenter,
  timestampFromMillis,
  type Clock,
  type MessageCenterError,
} from '@message-center/core';
import { storeFromEnvironment } from '../shared/store.js';

// A clock that moves five minutes per reading makes the output the same on every run.
let now = Date.UTC(2026, 10, 23, 9, 0);
const clock: Clock = {
  now: () => {
    now += 5 * 60_000;
    return timestampFromMillis(now);
  },
};
const transport = createInMemorySmsTransport();
const persistence = await storeFromEnvironment();
console.log(`Store: ${persistence.describe}`);
// The salon's SMS provider account, in memory: it holds no number yet (issue 13: numbers come from suggestions).
const numbers = createInMemoryNumberProvisioning({ account: [] });
const mc = createMessageCenter({ store: persistence.store, transport, clock, numbers, ...(persistence.ids === undefined ? {} : { ids: persistence.ids }) });

const businessId = 'salon-42';
const dana = { kind: 'staff', businessId, staffId: 'dana', permissions: ['send-email-sms'] } as const;
const eli = { kind: 'staff', businessId, staffId: 'eli', permissions: ['send-email-sms'] } as const;
const frontDesk = { kind: 'staff', businessId, staffId: 'front-desk', permissions: [] } as const;
const viewers = [dana, eli, frontDesk];
// The salon's own back end: it sets the business up, records clients and reads the plan's usage (B0).
const host = { kind: 'host', businessId } as const;
const clients = ['ana', 'ben'];

/** Runs a step and stops the program on an unexpected error: this is a demo of the happy paths. */
const run = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

/** Runs a step that the rules refuse, and shows the refusal. */
const refused = async (what: string, task: TE.TaskEither<MessageCenterError, unknown>): Promise<void> => {
  const result = await task();
  console.log(E.isLeft(result) ? `   ✗ ${what} → refused: ${result.left.code} (${result.left.message})` : `   ✓ ${what} (unexpectedly accepted)`);
};

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

const show = async (): Promise<void> => {
  const rows: string[][] = [['conversation', ...viewers.map((v) => v.staffId)]];
  for (const clientId of clients) {
    const cells: string[] = [clientId];
    for (const viewer of viewers) {
      const view = await mc.conversation({ businessId, conversationId: clientId, viewer })();
      if (E.isLeft(view)) {
        cells.push(view.left.code === 'forbidden' ? 'forbidden' : '—');
        continue;
      }
      const v = view.right;
      if (v.subscription.status === 'unsubscribed') cells[0] = `${clientId} (opted out)`;
      cells.push(v.folder === 'unread' ? `unread (${v.unreadCount})` : v.folder);
    }
    rows.push(cells);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  for (const [i, row] of rows.entries()) {
    console.log(`   │ ${row.map((c, j) => pad(c, widths[j] ?? 0)).join(' │ ')} │`);
    if (i === 0) console.log(`   ├─${widths.map((w) => '─'.repeat(w)).join('─┼─')}─┤`);
  }
};

const step = async (title: string, action: () => Promise<void>, table = true): Promise<void> => {
  console.log(`\n▸ ${title}`);
  await action();
  if (table) await show();
};

// The salon's Message Center number, once chosen; clients' texts are addressed to it.
let salonNumber = '';
const inbound = (from: string, body: string, sid: string) => mc.receiveInbound({ to: salonNumber, from, body, providerMessageId: sid });

console.log('Message Center quickstart — one day at a salon (each cell: the folder as that staff member sees it, with the unread count)');

await step('The salon chooses a local number among those the system suggests, and enables the Message Center with a plan of 500 messages a month', async () => {
  await refused('enable with the salon’s own phone', mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: '(201) 555-0188', allotment: { messagesPerPeriod: 500, overage: 'refuse' } }));
  const suggested = await run(mc.suggestNumbers({ businessId, actor: host, country: 'US', areaCode: '201', limit: 3 }));
  console.log(`   suggested: ${suggested.map((s) => s.number).join(', ')}`);
  const chosen = suggested[0]?.number;
  if (chosen === undefined) throw new Error('no number was suggested');
  const { number } = await run(mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: chosen, allotment: { messagesPerPeriod: 500, overage: 'refuse' } }));
  salonNumber = number;
  console.log(`   chose ${number}; the account took it: ${numbers.acquired().join(', ')}`);
  await refused('a business in France enables it', mc.enableMessageCenter({ businessId: 'bistro', actor: { kind: 'host', businessId: 'bistro' }, country: 'FR', number: '+33612345678', allotment: { messagesPerPeriod: 500, overage: 'refuse' } }));
}, false);

await step('The host application records two clients (phones in any formatting)', async () => {
  for (const [clientId, name, phone] of [['ana', 'Ana Lima', '415.555.2671'], ['ben', 'Ben Okafor', '(646) 555-0142']] as const) {
    const c = await run(mc.recordClient({ businessId, actor: host, clientId, uid: clientId.toUpperCase(), name, cellPhone: phone, clientType: 'member', groups: ['colour'], homeLocation: 'Downtown' }));
    console.log(`   ${name}: ${phone} → ${c.cellPhone ?? c.phoneProblem}`);
  }
}, false);

await step('Dana finds Ana under To: (the picker knows every client, with or without a conversation) and texts her', async () => {
  const picked = await run(mc.findClients({ businessId, viewer: dana, query: 'ana l' }));
  for (const c of picked.clients)
    console.log(`   To: ${c.name} ${c.cellPhone ?? ''} (${c.match} match, ${c.canText ? 'can be texted' : `cannot be texted: ${c.reason?.code ?? ''}`}, ${c.conversationId === null ? 'no conversation yet' : 'has a conversation'})`);
  const ana = picked.clients[0];
  if (ana === undefined) throw new Error('the picker did not find Ana');
  const sent = await run(mc.sendMessage({ businessId, clientId: ana.clientId, actor: dana, body: 'Hi Ana, your colour appointment is tomorrow at 10. Reply to confirm!' }));
  console.log(`   sent ${sent.messageId.slice(0, 8)}…, delivery status: ${sent.status}`);
  await refused('front desk (no send-email-sms permission) texts Ana', mc.sendMessage({ businessId, clientId: 'ana', actor: frontDesk, body: 'Hello' }));
});

await step('Dana texts a client with a UK mobile: it is sent, with a notice that replies may not arrive', async () => {
  await run(mc.recordClient({ businessId, actor: host, clientId: 'chloe', uid: 'CHLOE', name: 'Chloé Martin', cellPhone: '+44 7400 123456' }));
  const sent = await run(mc.sendMessage({ businessId, clientId: 'chloe', actor: dana, body: 'Hi Chloé, your gift card is ready.' }));
  console.log(`   delivery status: ${sent.status}; ${sent.international?.notice ?? 'no notice'}`);
}, false);

await step('Ana answers twice; Twilio redelivers the first webhook', async () => {
  await run(inbound('+14155552671', 'Yes, see you then!', 'SM-ana-1'));
  const again = await run(inbound('+14155552671', 'Yes, see you then!', 'SM-ana-1'));
  console.log(`   redelivery recorded again? ${again.duplicate ? 'no (duplicate ignored)' : 'yes'}`);
  await run(inbound('+14155552671', 'Can I bring my sister?', 'SM-ana-2'));
});

await step('Eli opens Ana’s conversation (individual read status is off: it counts for everyone)', async () => {
  await run(mc.markRead({ businessId, conversationId: 'ana', actor: eli }));
});

await step('Ben texts out of the blue, then replies STOP', async () => {
  await run(inbound('+16465550142', 'Do you have openings on Saturday?', 'SM-ben-1'));
  const stop = await run(inbound('+16465550142', ' stop ', 'SM-ben-2'));
  console.log(`   Ben is now ${stop.subscription.status} (keyword ${stop.subscription.keyword ?? '—'})`);
  await refused('Dana texts Ben', mc.sendMessage({ businessId, clientId: 'ben', actor: dana, body: 'We have 2pm free!' }));
});

await step('Dana archives Ana’s conversation, then Ana writes again (archived → unread)', async () => {
  await run(mc.archive({ businessId, conversationId: 'ana', actor: dana }));
  await show();
  await run(inbound('+14155552671', 'Actually, could we do 11 instead?', 'SM-ana-3'));
});

await step('Dana replies, archives it, and replies once more (archived → replied)', async () => {
  await run(mc.sendMessage({ businessId, clientId: 'ana', actor: dana, body: '11 works, see you then.' }));
  await run(mc.archive({ businessId, conversationId: 'ana', actor: dana }));
  await run(mc.sendMessage({ businessId, clientId: 'ana', actor: dana, body: 'PS: parking is free after 10.' }));
});

await step('The salon turns on “Display individual read/unread status for staff members”', async () => {
  await run(mc.setIndividualReadStatus({ businessId, actor: host, individual: true }));
  await run(inbound('+14155552671', 'Thank you!!', 'SM-ana-4'));
  await run(inbound('+14155552671', 'See you tomorrow', 'SM-ana-5'));
  await run(mc.markRead({ businessId, conversationId: 'ana', actor: eli }));
  console.log('   Ana sent two more texts and only Eli has read them');
});

await step('Dana reads Ben’s conversation (only for her now)', async () => {
  await run(mc.markRead({ businessId, conversationId: 'ben', actor: dana }));
});

await step('…and marks it unread again: it shows the client responses since the last outbound message', async () => {
  await run(mc.markUnread({ businessId, conversationId: 'ben', actor: dana }));
});

await step('Eli replies to Ana, then marks it unread as a reminder: no client responses since, so it shows 0', async () => {
  await run(mc.sendMessage({ businessId, clientId: 'ana', actor: eli, body: 'You are welcome!' }));
  await run(mc.markUnread({ businessId, conversationId: 'ana', actor: eli }));
});

await step('Dana’s inbox (all view, pinned first) and her unread badge', async () => {
  await run(mc.pin({ businessId, conversationId: 'ben', actor: dana }));
  const page = await run(mc.inbox({ businessId, viewer: dana }));
  for (const row of page.rows)
    console.log(
      `   ${row.pinned ? '📌' : '  '} ${pad(row.client?.name ?? row.phone, 12)} ${pad(row.folder, 8)} ${pad(String(row.unreadCount), 2)} ${row.lastMessage?.direction === 'inbound' ? '←' : '→'} ${row.lastMessage?.text ?? ''}`,
    );
  console.log(`   badge: ${await run(mc.unreadBadge({ businessId, viewer: dana }))} unread`);
  const found = await run(mc.inbox({ businessId, viewer: dana, search: '415.555.2671' }));
  console.log(`   search "415.555.2671" finds: ${found.rows.map((r) => r.client?.name ?? r.phone).join(', ')} (pinned rows never show under a search)`);
}, false);

await step('Delivery reports arrive out of order (a late “sent” does not overwrite “delivered”)', async () => {
  const first = transport.sent[0];
  if (first === undefined) throw new Error('nothing was sent');
  await run(mc.recordDeliveryStatus({ providerMessageId: first.providerMessageId, status: 'delivered' }));
  const late = await run(mc.recordDeliveryStatus({ providerMessageId: first.providerMessageId, status: 'sent' }));
  console.log(`   first message to Ana: ${late.status}`);
  const usage = await run(mc.usage({ businessId, viewer: host }));
  console.log(`   usage ${usage.period}: ${usage.used} of ${usage.limit} messages (${usage.inbound} in, ${usage.outbound} out)`);
}, false);

await persistence.close();
