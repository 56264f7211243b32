// A log for R7 with hostile text (NUL, lone surrogates) in ids, client names and bodies, a media-only message,
// a client renamed between two messages, and a message while the conversation was muted (V8).
import {
  BusinessId,
  ClientId,
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  timestampFromMillis,
  type InMemoryEventStore,
  type MessageCenter,
} from '@message-center/core';
import { must } from './codec-values.js';
import { right } from './migration-fixtures.js';

export interface HostileAlertsWorld {
  readonly store: InMemoryEventStore;
  readonly mc: MessageCenter;
  /** Two businesses whose ids differ only by a lone surrogate; only the first hears from anyone. */
  readonly businesses: ReadonlyArray<BusinessId>;
  /** The first business's alerts, oldest first: the client's name as of the message (null: a stranger) and the preview. */
  readonly expected: ReadonlyArray<readonly [string | null, string]>;
}

const NUMBERS = ['+12015550123', '+12015550124'];
const LONG = `${'é'.repeat(99)}\uD83D\uDE00 and more`;

export const hostileWorld = async (): Promise<HostileAlertsWorld> => {
  const store = createInMemoryEventStore();
  let now = Date.parse('2026-11-02T10:00:00.000Z');
  const mc = createMessageCenter({ store, numbers: createInMemoryNumberProvisioning({ account: NUMBERS }), clock: { now: () => timestampFromMillis((now += 1000)) } });
  const businesses = ['b\uD800', 'b\uD801'].map((id) => must(BusinessId.is, id));
  const [b1, b2] = businesses;
  if (b1 === undefined || b2 === undefined) throw new Error('fixtures missing');
  const clients = [
    { id: must(ClientId.is, 'a'), name: 'Zoë \u0000 nul', phone: '+14155550001' },
    { id: must(ClientId.is, '😀'), name: 'lone \uD83D high', phone: '+14155550002' },
    { id: must(ClientId.is, 'x\uD800'), name: 'lone \uDC00 low', phone: '+14155550003' },
  ];
  for (const [b, businessId] of businesses.entries()) {
    const host = { kind: 'host' as const, businessId };
    await right(mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: NUMBERS[b] ?? '', allotment: { messagesPerPeriod: 100, overage: 'allow' } }));
    for (const c of clients) await right(mc.recordClient({ businessId, actor: host, clientId: c.id, uid: `U${c.id}`, name: c.name, cellPhone: c.phone }));
  }
  const host = { kind: 'host' as const, businessId: b1 };
  const automation = { kind: 'automation' as const, businessId: b1, name: 'test' };
  let sms = 0;
  const inbound = (from: string, body: string, media: ReadonlyArray<{ readonly url: string; readonly contentType: string }> = []) =>
    right(mc.receiveInbound({ to: NUMBERS[0] ?? '', from, body, media: [...media], providerMessageId: `SM${(sms += 1)}` }));
  const [a, smiley, x] = clients;
  if (a === undefined || smiley === undefined || x === undefined) throw new Error('fixtures missing');
  await inbound(a.phone, 'hello \u0000 and a lone \uD83D');
  // Renamed after its first message: that alert keeps the name it had, the next shows the new one.
  await right(mc.recordClient({ businessId: b1, actor: host, clientId: a.id, uid: `U${a.id}`, name: 'Renamed \uDC00', cellPhone: a.phone }));
  await inbound(a.phone, LONG);
  await inbound(smiley.phone, '', [{ url: 'https://example.com/p.jpg', contentType: 'image/jpeg' }]);
  await inbound(x.phone, 'first');
  // V8: muted as of the message: no alert for it, even once unmuted.
  await right(mc.mute({ businessId: b1, conversationId: x.id, actor: automation }));
  await inbound(x.phone, 'while muted \u0000');
  await right(mc.unmute({ businessId: b1, conversationId: x.id, actor: automation }));
  await inbound(x.phone, 'after unmute \uDFFF');
  await inbound('+14155550999', 'a stranger');
  return {
    store,
    mc,
    businesses,
    expected: [
      ['Zoë \u0000 nul', 'hello \u0000 and a lone \uD83D'],
      ['Renamed \uDC00', `${'é'.repeat(99)}\uD83D\uDE00`],
      ['lone \uD83D high', '📷 Photo'],
      ['lone \uDC00 low', 'first'],
      ['lone \uDC00 low', 'after unmute \uDFFF'],
      [null, 'a stranger'],
    ],
  };
};
