/**
 * Issue 14: the send decided once and reused when the conversation state object is
 * the same one the load handed out. Concurrent sends and inbound messages, in one facade and in two facades
 * on one store ("processes"), with a tiny state cache (evictions between the loads): B4 is never exceeded,
 * every answered send is recorded exactly once with its place in the ledger, and nothing else is appended.
 */
import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createInMemoryEventStore, createInMemoryNumberProvisioning, createInMemorySmsTransport, createMessageCenter } from '@message-center/core';
import { B1, clientId, counterIds, must, staffOf, storedEvents, tickingClock, type World } from './facade/support.js';
import { E164 } from '@message-center/core';

const NUMBER = must(E164.is, '+12015550123');
const PHONES = ['+14155552671', '+14155552672'];
const dana = staffOf(B1, 'dana');

const facade = (store: World['store'], cachedStates: number, offset: number, transport: boolean) =>
  createMessageCenter({
    numbers: createInMemoryNumberProvisioning({ account: 'any' }),
    store,
    ...(transport ? { transport: createInMemorySmsTransport() } : {}),
    clock: tickingClock(),
    ids: (() => {
      const ids = counterIds();
      // Distinct ids per facade: two processes never mint the same uuid.
      return { uuid: () => ids.uuid().replace(/^00000000/, `0000000${offset}`) };
    })(),
    cachedStates,
  });

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), who: fc.nat(1), by: fc.nat(1) }),
  fc.record({ kind: fc.constant('inbound' as const), who: fc.nat(1), by: fc.nat(1), stop: fc.boolean() }),
);

test.prop([fc.array(opArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(0, 1, 2, 10_000), fc.boolean()], { numRuns: 150 })(
  'concurrent sends and inbound messages keep B4 and record each answered send once',
  async (ops, allotment, cachedStates, transport) => {
    const store = createInMemoryEventStore();
    const a = facade(store, cachedStates, 1, transport);
    const b = facade(store, cachedStates, 2, transport);
    const host = { kind: 'host', businessId: B1 } as const;
    expect(E.isRight(await a.enableMessageCenter({ businessId: B1, actor: host, country: 'US', number: NUMBER, allotment: { messagesPerPeriod: allotment, overage: 'refuse' } })())).toBe(true);
    for (const [i, phone] of PHONES.entries())
      expect(E.isRight(await a.recordClient({ businessId: B1, actor: host, clientId: clientId(`c${i}`), uid: `U${i}`, name: `C ${i}`, cellPhone: phone })())).toBe(true);
    const results = await Promise.all(
      ops.map((op, n) => {
        const mc = op.by === 0 ? a : b;
        return op.kind === 'send'
          ? mc.sendMessage({ businessId: B1, clientId: clientId(`c${op.who}`), actor: dana, body: `m${n}` })().then((r) => ({ op, r }))
          : mc.receiveInbound({ to: NUMBER, from: PHONES[op.who]!, body: op.stop ? 'STOP' : `in${n}`, providerMessageId: `SM${n}` })().then((r) => ({ op, r }));
      }),
    );
    for (const { r } of results) if (E.isLeft(r)) expect(['allotment-exhausted', 'client-unsubscribed', 'concurrency-conflict']).toContain(r.left.code);
    const events = (await storedEvents(store)).map((s) => s.event);
    const sent = events.filter((e) => e.type === 'OutboundSent');
    const reserved = events.filter((e) => e.type === 'OutboundReserved');
    const inbound = events.filter((e) => e.type === 'InboundCounted');
    const okSends = results.filter(({ op, r }) => op.kind === 'send' && r._tag === 'Right');
    // Each answered send: one OutboundSent; each OutboundSent has its place in the ledger.
    expect(sent.length).toBe(okSends.length);
    expect(new Set(sent.map((e) => (e.type === 'OutboundSent' ? e.data.messageId : ''))).size).toBe(sent.length);
    for (const e of sent) if (e.type === 'OutboundSent') expect(reserved.some((r) => r.type === 'OutboundReserved' && r.data.messageId === e.data.messageId)).toBe(true);
    // B4: outbound never beyond the allotment (inbound counts too, and may go beyond).
    const overage = sent.filter((e) => e.type === 'OutboundSent' && e.data.overage);
    expect(overage.length).toBe(0);
    expect(reserved.length).toBeLessThanOrEqual(Math.max(allotment, 0));
    expect(inbound.length).toBe(ops.filter((o) => o.kind === 'inbound').length);
  },
);
