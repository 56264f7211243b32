/** The facade's read-model queries (R1–R7) end to end on the in-memory store. */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { createInMemoryNumberProvisioning, createInMemoryEventStore, createMessageCenter, type Alert, type MessageCenterError } from '@message-center/core';
import { B1, B2, counterIds, staffOf, tickingClock } from './support.js';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

const ok = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

const dana = staffOf(B1, 'dana');
const eli = staffOf(B1, 'eli');
const stranger = staffOf(B2, 'mallory');
const allotment = { messagesPerPeriod: 100, overage: 'refuse' as const };

const world = async () => {
  const alerts: Alert[] = [];
  const mc = createMessageCenter({ numbers: everyNumber(), store: createInMemoryEventStore(), clock: tickingClock(), ids: counterIds(), onAlert: (a) => alerts.push(a) });
  await ok(mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: 'US', number: '+12015550123', allotment }));
  await ok(mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'ana', uid: 'A-1', name: 'Ana Lima', cellPhone: '415 555 2671', clientType: 'member', groups: ['colour'] }));
  await ok(mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'ben', uid: 'B-2', name: 'Bén Okafor', cellPhone: '646 555 0142', clientType: 'prospect' }));
  return { mc, alerts };
};

describe('facade queries', () => {
  it('R1/R2/R3/V9 the inbox answers views, searches and filters, with pinned rows only in "all"', async () => {
    const { mc } = await world();
    await ok(mc.sendMessage({ businessId: B1, clientId: 'ana', actor: dana, body: 'Your colour appointment is at 10' }));
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+16465550142', body: 'Any openings Saturday?', providerMessageId: 'SM1' }));
    await ok(mc.pin({ businessId: B1, conversationId: 'ana', actor: dana }));

    const all = await ok(mc.inbox({ businessId: B1, viewer: dana }));
    expect(all.rows.map((r) => [r.conversationId, r.folder, r.pinned])).toEqual([
      ['ana', 'replied', true],
      ['ben', 'unread', false],
    ]);
    const unread = await ok(mc.inbox({ businessId: B1, viewer: dana, view: 'unread' }));
    expect(unread.rows.map((r) => r.conversationId)).toEqual(['ben']);
    // Accent-insensitive name, any phone formatting, message words; a pinned row never under a search.
    expect((await ok(mc.inbox({ businessId: B1, viewer: dana, search: 'ben' }))).rows.map((r) => r.conversationId)).toEqual(['ben']);
    expect((await ok(mc.inbox({ businessId: B1, viewer: dana, search: '(646) 555-0142' }))).rows.map((r) => r.conversationId)).toEqual(['ben']);
    expect((await ok(mc.inbox({ businessId: B1, viewer: dana, search: 'saturday' }))).rows.map((r) => r.conversationId)).toEqual(['ben']);
    expect((await ok(mc.inbox({ businessId: B1, viewer: dana, search: 'ana' }))).rows).toEqual([]);
    expect((await ok(mc.inbox({ businessId: B1, viewer: dana, filters: { clientTypes: ['prospect'] } }))).rows.map((r) => r.conversationId)).toEqual(['ben']);
  });

  it('R4/R7/V8 the badge counts unread inbound of unmuted conversations; alerts arrive for unmuted ones only', async () => {
    const { mc, alerts } = await world();
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'Hi', providerMessageId: 'SM1' }));
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+16465550142', body: 'Hello', providerMessageId: 'SM2' }));
    expect(await ok(mc.unreadBadge({ businessId: B1, viewer: eli }))).toBe(2);
    await ok(mc.mute({ businessId: B1, conversationId: 'ben', actor: dana }));
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+16465550142', body: 'Still there?', providerMessageId: 'SM3' }));
    expect(await ok(mc.unreadBadge({ businessId: B1, viewer: eli }))).toBe(1);
    const page = await ok(mc.alerts({ businessId: B1, viewer: eli }));
    expect(page.alerts.map((a) => a.conversationId)).toEqual(['ana', 'ben']);
    // onAlert saw the same alerts as the read models caught up.
    expect(alerts.map((a) => a.conversationId)).toEqual(['ana', 'ben']);
  });

  it('R5 contact history now and as of a past moment', async () => {
    const { mc } = await world();
    await ok(mc.sendMessage({ businessId: B1, clientId: 'ana', actor: dana, body: 'Hello Ana' }));
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'Hi!', providerMessageId: 'SM1' }));
    const before = await ok(mc.contactHistory({ businessId: B1, viewer: eli, clientId: 'ana' }));
    const asOf = before.entries[before.entries.length - 1]?.at;
    if (asOf === undefined) throw new Error('no entries');
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'STOP', providerMessageId: 'SM2' }));
    const now = await ok(mc.contactHistory({ businessId: B1, viewer: eli, clientId: 'ana' }));
    expect(now.entries.map((e) => e.kind)).toEqual(['outbound', 'inbound', 'inbound', 'unsubscribed']);
    expect(now.conversation.subscription.status).toBe('unsubscribed');
    const then = await ok(mc.contactHistory({ businessId: B1, viewer: eli, clientId: 'ana', asOf }));
    expect(then.entries).toEqual(before.entries);
    expect(then.conversation.subscription.status).toBe('subscribed');
  });

  it('R1 a viewer of another business is refused by every query', async () => {
    const { mc } = await world();
    for (const task of [
      mc.inbox({ businessId: B1, viewer: stranger }),
      mc.unreadBadge({ businessId: B1, viewer: stranger }),
      mc.alerts({ businessId: B1, viewer: stranger }),
      mc.usage({ businessId: B1, viewer: stranger }),
      mc.contactHistory({ businessId: B1, viewer: stranger, clientId: 'ana' }),
    ]) {
      expect(await task()).toMatchObject({ left: { code: 'forbidden' } });
    }
  });
});

describe('onAlert after a restart', () => {
  it('R7 a new facade over an existing log pushes only alerts for messages recorded after it was created', async () => {
    const store = createInMemoryEventStore();
    const clock = tickingClock();
    const first = createMessageCenter({ numbers: everyNumber(), store, clock, ids: counterIds() });
    await ok(first.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: 'US', number: '+12015550123', allotment }));
    await ok(first.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'old news', providerMessageId: 'SM1' }));
    const pushed: Alert[] = [];
    const restarted = createMessageCenter({ numbers: everyNumber(), store, clock, ids: counterIds(), onAlert: (a) => pushed.push(a) });
    await ok(restarted.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'fresh', providerMessageId: 'SM2' }));
    expect(await ok(restarted.unreadBadge({ businessId: B1, viewer: eli }))).toBe(2);
    expect(pushed.map((a) => a.preview)).toEqual(['fresh']);
  });
});

describe('phone searches', () => {
  it('R2 the last four digits find a number ending in them even with a leading zero; a formatted number is matched as a number only', async () => {
    const mc = createMessageCenter({ numbers: everyNumber(), store: createInMemoryEventStore(), clock: tickingClock(), ids: counterIds() });
    await ok(mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: 'US', number: '+12015550123', allotment }));
    // Numeric client ids: "1" would be a prefix of all of them if the formatted query were searched word by word.
    await ok(mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: '100001', uid: '100001', name: 'Zoe', cellPhone: '+1 415 555 0212' }));
    await ok(mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: '100002', uid: '100002', name: 'Yan', cellPhone: '+1 212 555 1234' }));
    for (const [clientId, body, sid] of [['100001', 'hi', 'SM1'], ['100002', 'hello', 'SM2']] as const)
      await ok(mc.sendMessage({ businessId: B1, clientId, actor: dana, body, messageId: sid }));
    const found = async (search: string) => (await ok(mc.inbox({ businessId: B1, viewer: dana, search }))).rows.map((r) => r.conversationId);
    expect(await found('0212')).toEqual(['100001']);
    expect(await found('+1 415 555 0212')).toEqual(['100001']);
    expect(await found('(212) 555-1234')).toEqual(['100002']);
    // Digits alone may be an id as well as a number.
    expect(await found('100002')).toEqual(['100002']);
  });
});
