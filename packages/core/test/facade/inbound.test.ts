/**
 * Inbound SMS through the facade: Twilio's OptOutType (V3), and concurrent webhooks on one conversation
 * (V2 with the command handler's optimistic concurrency: load → decide → append, retry on conflict).
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { E164, type Actor } from '@message-center/core';
import { ConversationEvent, conversationStream } from '@message-center/core/internals';
import { staff } from '@message-center/testing';
import { B1, clientId, must, newWorld, ok, refusedAppendingNothing, storedEvents, type World } from './support.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

const BUSINESS_NUMBER = must(E164.is, '+12015550123');
const CLIENT_PHONE = must(E164.is, '+14155552671');
const C1 = clientId('c1');

const withClient = async (options: { readonly maxAttempts?: number } = {}): Promise<World> => {
  const world = newWorld(options);
  await ok(world.mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: 'US', number: BUSINESS_NUMBER, allotment: { messagesPerPeriod: 1_000_000, overage: 'refuse' } }));
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: C1, uid: 'u1', name: 'Ann', cellPhone: CLIENT_PHONE }));
  return world;
};

/** The events of c1's conversation, in order. */
const conversationEvents = async (world: World): Promise<ReadonlyArray<ConversationEvent>> =>
  (await storedEvents(world.store)).flatMap((s) => (s.recorded.streamId === conversationStream(B1, C1) && ConversationEvent.is(s.event) ? [s.event] : []));

describe('V3 OptOutType', () => {
  const OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'];
  const OPT_IN = ['START', 'YES', 'UNSTOP'];

  /** V3 as the rule states it: OptOutType when present, else the whole trimmed body as a keyword. */
  const intentOf = (body: string, optOutType: 'STOP' | 'START' | 'HELP' | null): 'out' | 'in' | 'none' => {
    if (optOutType === 'STOP') return 'out';
    if (optOutType === 'START') return 'in';
    if (optOutType === 'HELP') return 'none';
    const word = body.trim().toUpperCase();
    return OPT_OUT.includes(word) ? 'out' : OPT_IN.includes(word) ? 'in' : 'none';
  };

  const inboundArb = fc.record({
    body: fc.constantFrom('hello', 'STOP', ' stop ', 'Quit', 'end', 'START', 'yes', 'Unstop', 'HELP', 'stop please', 'arrêt', 'BAJA'),
    optOutType: fc.constantFrom(null, null, 'STOP' as const, 'START' as const, 'HELP' as const),
    thenSend: fc.boolean(),
    automation: fc.boolean(),
  });

  test.prop([fc.array(inboundArb, { minLength: 1, maxLength: 10 })], { numRuns: heavyRuns(30) })(
    'V3 inbound with an OptOutType: the field is authoritative over the body (STOP unsubscribes, START resubscribes, HELP changes nothing); while unsubscribed every send is client-unsubscribed and appends nothing',
    async (inbounds) => {
      const world = await withClient();
      let subscribed = true;
      for (const [i, { body, optOutType, thenSend, automation }] of inbounds.entries()) {
        const received = await ok(world.mc.receiveInbound({ to: BUSINESS_NUMBER, from: CLIENT_PHONE, body, providerMessageId: `SM${i}`, optOutType }));
        const intent = intentOf(body, optOutType);
        const changes = (intent === 'out' && subscribed) || (intent === 'in' && !subscribed);
        if (intent === 'out') subscribed = false;
        if (intent === 'in') subscribed = true;
        expect({ body, optOutType, status: received.subscription.status }).toEqual({ body, optOutType, status: subscribed ? 'subscribed' : 'unsubscribed' });
        if (changes) expect(received.subscription.source).toBe(optOutType === null ? 'keyword' : 'opt-out-type');
        if (!thenSend) continue;
        // V3: whoever sends, staff or an automation.
        const actor: Actor = automation ? { kind: 'automation', businessId: B1, name: 'reminders' } : staff('s1');
        const send = world.mc.sendMessage({ businessId: B1, clientId: C1, actor, body: 'Your appointment is tomorrow' });
        if (subscribed) await ok(send);
        else expect((await refusedAppendingNothing(world.store, send)).code).toBe('client-unsubscribed');
      }
      // The inbound messages were all recorded, whatever they meant.
      expect((await conversationEvents(world)).filter((e) => e.type === 'InboundReceived')).toHaveLength(inbounds.length);
    },
    HEAVY_TIMEOUT,
  );
});

describe('V2 concurrent webhooks', () => {
  test.prop([fc.integer({ min: 2, max: 10 }), fc.boolean()], { numRuns: 15 })(
    'V2 N concurrent receiveInbound calls with distinct provider ids on one conversation all land exactly once (retrying on conflict)',
    async (n, conversationExists) => {
      const world = await withClient();
      if (conversationExists) await ok(world.mc.sendMessage({ businessId: B1, clientId: C1, actor: staff('s1'), body: 'hello' }));
      const ids = Array.from({ length: n }, (_, i) => `SM-concurrent-${i}`);
      const results = await Promise.all(
        ids.map((providerMessageId) => world.mc.receiveInbound({ to: BUSINESS_NUMBER, from: CLIENT_PHONE, body: `message ${providerMessageId}`, providerMessageId })()),
      );
      expect(results.map((r) => (E.isLeft(r) ? `${r.left.code}: ${r.left.message}` : r.right.duplicate))).toEqual(ids.map(() => false));
      const events = await conversationEvents(world);
      const inbound = events.flatMap((e) => (e.type === 'InboundReceived' ? [e.data] : []));
      expect(inbound.map((d) => d.providerMessageId).sort()).toEqual([...ids].sort());
      // Sequence numbers count every message exactly once.
      const seqs = events.flatMap((e) => (e.type === 'InboundReceived' || e.type === 'OutboundSent' ? [e.data.seq] : []));
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(events.filter((e) => e.type === 'ConversationStarted')).toHaveLength(1);
    },
  );

  test.prop([fc.integer({ min: 2, max: 10 }), fc.boolean()], { numRuns: 15 })(
    'V2 N concurrent deliveries of the SAME provider id land exactly once; the others are duplicates of the same message',
    async (n, conversationExists) => {
      const world = await withClient();
      if (conversationExists) await ok(world.mc.sendMessage({ businessId: B1, clientId: C1, actor: staff('s1'), body: 'hello' }));
      const results = await Promise.all(
        Array.from({ length: n }, () => world.mc.receiveInbound({ to: BUSINESS_NUMBER, from: CLIENT_PHONE, body: 'see you', providerMessageId: 'SM-once' })()),
      );
      const answers = results.map((r) => (E.isLeft(r) ? null : r.right));
      expect(answers.map((a) => (a === null ? 'refused' : a.duplicate)).filter((d) => d === false)).toHaveLength(1);
      expect(answers.every((a) => a !== null)).toBe(true);
      expect(new Set(answers.map((a) => a?.messageId)).size).toBe(1);
      const inbound = (await conversationEvents(world)).filter((e) => e.type === 'InboundReceived');
      expect(inbound).toHaveLength(1);
    },
  );

  // Sends load the facts of other streams (business, client, usage) before reading the conversation, so
  // only the conversation's own load→append window races; with the default attempts, eight concurrent
  // writers (each send also records its dispatch) all land, and nothing is lost or duplicated.
  test.prop([fc.array(fc.boolean(), { minLength: 2, maxLength: 8 })], { numRuns: 15 })(
    'V1/V2 concurrent sends and inbound messages on one conversation all land exactly once, numbered 1..N (default attempts)',
    async (kinds) => {
      const world = await withClient();
      const results = await Promise.all(
        kinds.map((isSend, i) =>
          isSend
            ? world.mc.sendMessage({ businessId: B1, clientId: C1, actor: staff('s1'), body: `out ${i}` })()
            : world.mc.receiveInbound({ to: BUSINESS_NUMBER, from: CLIENT_PHONE, body: `in ${i}`, providerMessageId: `SM-${i}` })(),
        ),
      );
      expect(results.filter(E.isLeft).map((r) => (E.isLeft(r) ? `${r.left.code}: ${r.left.message}` : ''))).toEqual([]);
      const events = await conversationEvents(world);
      const seqs = events.flatMap((e) => (e.type === 'InboundReceived' || e.type === 'OutboundSent' ? [e.data.seq] : []));
      expect(seqs).toEqual(kinds.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'OutboundSent')).toHaveLength(kinds.filter((k) => k).length);
      expect(world.transport.sent).toHaveLength(kinds.filter((k) => k).length);
    },
  );
});
