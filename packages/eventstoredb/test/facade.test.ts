import { randomBytes } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import {
  BusinessId,
  ConversationEvent,
  ConversationId,
  ProviderMessageId,
  SEND_PERMISSION,
  conversationStream,
  createInMemoryEventStore,
  createMessageCenter,
  encodeEvent,
  makeEventDecoder,
  parsePhone,
  timestampFromMillis,
  type Clock,
  type EventStore,
  type IdGenerator,
  type MessageCenter,
  type MessageCenterError,
  type RecordedEvent,
  type SmsTransport,
  type UnknownEventPolicy,
} from '@message-center/core/internals';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { deterministicIds } from '../src/index.js';
import { right } from './support/helpers.js';
import { describeUrl, loopbackTarget, describeRealServer, realServerTarget, useAdapterTarget, type AdapterTarget } from './support/targets.js';
import { createInMemoryNumberProvisioning } from '@message-center/core';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

// The whole library through the facade on this adapter, over gRPC, with `deterministicIds`. Every run
// uses its own business id and number, so it also runs against a real server that keeps earlier runs.

const CLIENT_PHONE = '+14155552671';
const decodeConversation = makeEventDecoder(ConversationEvent);

const fromKey = (key: string): string => {
  const derive = deterministicIds.uuidFromKey;
  if (derive === undefined) throw new Error('deterministicIds has no uuidFromKey');
  return derive(key);
};

/** Deterministic UUIDs that are still unique per run: `{tag}-0000-4000-8000-{counter}`; keyed ids as in production. */
const countingIds = (tag: string): IdGenerator => {
  let n = 0;
  return {
    uuid: () => {
      n += 1;
      return `${tag}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    },
    uuidFromKey: fromKey,
  };
};

const tickingClock = (): Clock => {
  let now = Date.UTC(2026, 2, 2, 9, 0);
  return { now: () => timestampFromMillis((now += 1000)) };
};

/** Accepts every SMS; provider ids carry the run's tag, so they are unique on a shared server too. */
const taggedTransport = (tag: string): SmsTransport => {
  let n = 0;
  return {
    send: () => {
      n += 1;
      const id = `SM${tag}${n.toString(16).padStart(24, '0')}`;
      return ProviderMessageId.is(id) ? TE.right({ providerMessageId: id, status: 'queued' }) : TE.left({ code: 'rejected', message: 'bad id', providerCode: null, status: null });
    },
  };
};

/** A valid US number nobody else's run is likely to hold (numbers are unique across businesses, B2). */
const randomUsNumber = (): string => {
  for (;;) {
    const candidate = `+1201${2 + (randomBytes(1).readUInt8(0) % 8)}${randomBytes(4).readUInt32BE(0).toString().padStart(6, '0').slice(-6)}`;
    const parsed = parsePhone(candidate);
    if (E.isRight(parsed) && parsed.right.country === 'US') return candidate;
  }
};

/** Narrows a fixture value with its codec's guard; a value the codec refuses is a bug in the test. */
const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};

const ok = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

interface World {
  readonly mc: MessageCenter;
  readonly businessId: BusinessId;
  readonly number: string;
  readonly tag: string;
}

const describeFacade = (name: string, create: () => Promise<AdapterTarget>, unknownEvents: UnknownEventPolicy): void => {
  describe(`Message Center on EventStoreDB (${name})`, () => {
    const theStore = useAdapterTarget(create);

    /** A business with the Message Center enabled and one client, `ana`. */
    const newWorld = async (
      options: { readonly store?: EventStore; readonly maxAttempts?: number; readonly tag?: string; readonly businessId?: string; readonly number?: string } = {},
    ): Promise<World> => {
      const tag = options.tag ?? randomBytes(4).toString('hex');
      const businessId = options.businessId ?? `esdb-${tag}`;
      const number = options.number ?? randomUsNumber();
      const mc = createMessageCenter({ numbers: everyNumber(),
        store: options.store ?? theStore(),
        transport: taggedTransport(tag),
        clock: tickingClock(),
        ids: countingIds(tag),
        unknownEvents,
        ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      });
      const enabled = await ok(mc.enableMessageCenter({ businessId, actor: { kind: 'host', businessId: businessId }, country: 'US', number, allotment: { messagesPerPeriod: 1_000, overage: 'refuse' } }));
      await ok(mc.recordClient({ businessId, actor: { kind: 'host', businessId: businessId }, clientId: 'ana', uid: 'A1', name: 'Ana Lima', cellPhone: CLIENT_PHONE }));
      return { mc, businessId: must(BusinessId.is, businessId), number: enabled.number, tag };
    };

    const staff = (businessId: string, staffId = 'dana') => ({ kind: 'staff', businessId, staffId, permissions: [SEND_PERMISSION] }) as const;

    const conversationOf = async (world: World, conversationId = 'ana'): Promise<ReadonlyArray<{ readonly recorded: RecordedEvent; readonly event: ConversationEvent }>> => {
      const recorded = await right(theStore().readStream(conversationStream(world.businessId, must(ConversationId.is, conversationId))));
      return recorded.map((r) => {
        const decoded = decodeConversation(r);
        if (E.isLeft(decoded)) throw new Error(decoded.left.message);
        return { recorded: r, event: decoded.right };
      });
    };

    it('enables a business, records a client, ignores a redelivered webhook (once in the domain, once at the server), sends, and shows the conversation as the in-memory store does', async () => {
      const world = await newWorld();
      const { mc, businessId, number } = world;
      const sid = `SM${world.tag}ana1`;

      const first = await ok(mc.receiveInbound({ to: number, from: CLIENT_PHONE, body: 'Yes, see you then!', providerMessageId: sid }));
      expect(first.duplicate).toBe(false);
      const again = await ok(mc.receiveInbound({ to: number, from: CLIENT_PHONE, body: 'Yes, see you then!', providerMessageId: sid }));
      expect(again).toEqual({ ...first, duplicate: true });

      const afterInbound = await conversationOf(world);
      expect(afterInbound.map((e) => e.event.type)).toEqual(['ConversationStarted', 'InboundReceived']);
      // The event ids come from the command's key, so the same webhook always maps to the same ids.
      const key = `inbound:${businessId}:${sid}`;
      expect(afterInbound.map((e) => e.recorded.id)).toEqual([fromKey(`${key}/0`), fromKey(`${key}/1`)]);

      // A second writer that decided on the same (empty) stream appends the same ids at the same
      // expected revision: the server acknowledges it with the original revision and writes nothing.
      const replay = afterInbound.map((e) => encodeEvent(e.event, e.recorded.id));
      const replayed = await right(theStore().appendToStream(afterInbound[0]?.recorded.streamId ?? '', replay, { expectedRevision: 'no-stream' }));
      expect(replayed.nextExpectedRevision).toBe(1n);
      expect((await conversationOf(world)).map((e) => e.recorded.id)).toEqual(afterInbound.map((e) => e.recorded.id));

      const sent = await ok(mc.sendMessage({ businessId, clientId: 'ana', actor: staff(businessId), body: 'Great, 10am tomorrow.' }));
      expect(sent.status).toBe('queued');
      const afterSend = await conversationOf(world);
      expect(afterSend.map((e) => e.event.type)).toEqual(['ConversationStarted', 'InboundReceived', 'OutboundSent', 'OutboundClaimed', 'OutboundDispatched']);
      // The send claimed its message in the same append; the claim is part of the key (docs/outbox.md).
      const claimed = afterSend.find((e) => e.event.type === 'OutboundClaimed');
      const claimId = claimed?.event.type === 'OutboundClaimed' ? claimed.event.data.claimId : '';
      expect(afterSend.map((e) => e.recorded.id).slice(2, 4)).toEqual([0, 1].map((i) => fromKey(`outbound:${businessId}:${sent.messageId}:claim:${claimId}/${i}`)));

      const status = await ok(mc.recordDeliveryStatus({ providerMessageId: `SM${world.tag}${(1).toString(16).padStart(24, '0')}`, status: 'delivered' }));
      expect(status).toEqual({ status: 'delivered', changed: true });
      await ok(mc.markRead({ businessId, conversationId: 'ana', actor: staff(businessId, 'eli') }));

      const view = await ok(mc.conversation({ businessId, conversationId: 'ana', viewer: staff(businessId) }));
      expect(view).toMatchObject({ businessId, conversationId: 'ana', clientId: 'ana', phone: CLIENT_PHONE, messageCount: 2, lastMessageDirection: 'outbound', unreadCount: 0 });
      expect(view.deliveries).toEqual([expect.objectContaining({ messageId: sent.messageId, status: 'delivered' })]);
      expect(await ok(mc.usage({ businessId, viewer: { kind: 'host', businessId } }))).toMatchObject({ inbound: 1, outbound: 1, used: 2 });

      // The same story on the in-memory store gives the same view.
      const memory = await newWorld({ store: createInMemoryEventStore(), tag: world.tag, businessId, number });
      await ok(memory.mc.receiveInbound({ to: number, from: CLIENT_PHONE, body: 'Yes, see you then!', providerMessageId: sid }));
      await ok(memory.mc.receiveInbound({ to: number, from: CLIENT_PHONE, body: 'Yes, see you then!', providerMessageId: sid }));
      await ok(memory.mc.sendMessage({ businessId, clientId: 'ana', actor: staff(businessId), body: 'Great, 10am tomorrow.' }));
      await ok(memory.mc.recordDeliveryStatus({ providerMessageId: `SM${world.tag}${(1).toString(16).padStart(24, '0')}`, status: 'delivered' }));
      await ok(memory.mc.markRead({ businessId, conversationId: 'ana', actor: staff(businessId, 'eli') }));
      expect(await ok(memory.mc.conversation({ businessId, conversationId: 'ana', viewer: staff(businessId) }))).toEqual(view);
    });

    // Each racer loads, decides and appends; a conflict sends it back to load. Every round lets at least
    // one racer through, so N attempts are enough for N writers (the default of 5 is not, for N > 5).
    test.prop([fc.integer({ min: 2, max: 12 }), fc.boolean()], { numRuns: 6 })(
      'N concurrent receiveInbound with distinct provider ids on one conversation all land exactly once',
      async (n, conversationExists) => {
        const world = await newWorld({ maxAttempts: n });
        const { mc, businessId, number } = world;
        if (conversationExists) await ok(mc.sendMessage({ businessId, clientId: 'ana', actor: staff(businessId), body: 'hello' }));
        const sids = Array.from({ length: n }, (_, i) => `SM${world.tag}c${i}`);
        const results = await Promise.all(sids.map((providerMessageId) => mc.receiveInbound({ to: number, from: CLIENT_PHONE, body: `message ${providerMessageId}`, providerMessageId })()));
        expect(results.map((r) => (E.isLeft(r) ? `${r.left.code}: ${r.left.message}` : r.right.duplicate))).toEqual(sids.map(() => false));

        const events = await conversationOf(world);
        const inbound = events.flatMap((e) => (e.event.type === 'InboundReceived' ? [{ id: e.recorded.id, data: e.event.data }] : []));
        expect(inbound.map((i) => i.data.providerMessageId).sort()).toEqual([...sids].sort());
        for (const { id, data } of inbound) {
          const key = `inbound:${businessId}:${data.providerMessageId}`;
          expect([fromKey(`${key}/0`), fromKey(`${key}/1`)]).toContain(id);
        }
        const seqs = events.flatMap((e) => (e.event.type === 'InboundReceived' || e.event.type === 'OutboundSent' ? [e.event.data.seq] : []));
        expect(seqs).toEqual(Array.from({ length: n + (conversationExists ? 1 : 0) }, (_, i) => i + 1));
        expect(events.filter((e) => e.event.type === 'ConversationStarted')).toHaveLength(1);
        expect(new Set(events.map((e) => e.recorded.id)).size).toBe(events.length);
      },
    );
  });
};

describeFacade('loopback gRPC server', () => loopbackTarget(), 'fail');

// A shared server may hold `mc-` events of other versions or test runs: read models skip unknown types.
describeRealServer('facade tests', (url) => describeFacade(`real server ${describeUrl(url)}`, () => realServerTarget(url), 'skip'));
