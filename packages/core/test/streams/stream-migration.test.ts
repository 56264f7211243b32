/**
 * DESIGN §2 Streams: logs written with the old names (ids joined by a bare "-") are moved to the encoded
 * names before this version serves them (docs/architecture.md, "Logs written with the old names"). The
 * plan is pure: each client or conversation stream's ids come from its own first event; the copy keeps
 * every event's id, type, data, metadata and log order.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  createInMemoryNumberProvisioning,
  BusinessId,
  ClientId,
  E164,
  createInMemoryEventStore,
  createMessageCenter,
  type EventStore,
  type InMemoryEventStore,
  type MessageCenter,
} from '@message-center/core';
import {
  DomainEvent,
  legacyStreamName,
  migrateStreamNames,
  parseStreamName,
  planStreamMigration,
  streamName,
  type LoggedEvent,
  type StreamAddress,
} from '@message-center/core/internals';
import { adversarialBusinessIdArb, adversarialClientIdArb } from '@message-center/testing';
import { counterIds, globalLog, must, newWorld, ok, staffOf, tickingClock, type World } from '../facade/support.js';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

const host = (businessId: BusinessId) => ({ kind: 'host' as const, businessId });
const event = (value: unknown): DomainEvent => must(DomainEvent.is, value);
const AT = '2026-03-01T08:00:00.000Z';

const enabled = (businessId: string, number: string) =>
  event({
    type: 'MessageCenterEnabled',
    data: { businessId, country: 'US', number, numberCountry: 'US', allotment: { messagesPerPeriod: 100, overage: 'refuse' }, individualReadStatus: false, at: AT },
  });
const profile = (businessId: string, clientId: string) =>
  event({
    type: 'ClientProfileRecorded',
    data: { businessId, clientId, uid: 'u', name: 'n', email: null, cellPhone: { raw: null, e164: null, problem: 'none' }, clientType: '', groups: [], homeLocation: null, at: AT },
  });
const started = (businessId: string, conversationId: string, clientId: string | null) =>
  event({ type: 'ConversationStarted', data: { businessId, conversationId, clientId, phone: '+14155552671', at: AT } });
const muted = event({ type: 'ConversationMuted', data: { by: { kind: 'staff', staffId: 's1' }, at: AT } });
const planChanged = event({ type: 'PlanChanged', data: { allotment: { messagesPerPeriod: 5, overage: 'allow' }, at: AT } });

const logged = (streamId: string, ...events: ReadonlyArray<DomainEvent>): ReadonlyArray<LoggedEvent> => events.map((e) => ({ streamId, event: e }));

describe('Streams migration plan (pure)', () => {
  it('Streams ids with "-" move to encoded names taken from their events; other streams keep their names', () => {
    const plan = planStreamMigration([
      ...logged('mc-business-acme', enabled('acme', '+12015550123')),
      ...logged('mc-business-acme-eu', enabled('acme-eu', '+12015550124'), planChanged),
      ...logged('mc-client-acme-eu-7', profile('acme', 'eu-7')),
      ...logged('mc-conversation-acme-eu-7', started('acme', 'eu-7', 'eu-7'), muted),
      ...logged('mc-client-acme-eu-8', profile('acme-eu', '8')),
      ...logged('mc-conversation-acme-tel:+14155552671', started('acme', 'tel:+14155552671', null)),
      ...logged('mc-client-acme-c1', profile('acme', 'c1')),
      ...logged('mc-number-+12015550123', event({ type: 'NumberAssigned', data: { number: '+12015550123', businessId: 'acme', at: AT } })),
      { streamId: 'mc-future-1', event: null },
    ]);
    expect(plan.problems).toEqual([]);
    expect(plan.renames).toEqual([
      { from: 'mc-business-acme-eu', to: 'mc-business-acme%2Deu' },
      { from: 'mc-client-acme-eu-7', to: 'mc-client-acme-eu%2D7' },
      { from: 'mc-conversation-acme-eu-7', to: 'mc-conversation-acme-eu%2D7' },
      { from: 'mc-client-acme-eu-8', to: 'mc-client-acme%2Deu-8' },
    ]);
    expect(plan.names.get('mc-client-acme-c1')).toBe('mc-client-acme-c1');
    expect(plan.names.get('mc-future-1')).toBe('mc-future-1');
    // Under the old names acme-eu's staff asking for client 7 reached acme's eu-7, and acme's staff asking
    // for client eu-8 reached acme-eu's 8: listed for review.
    expect(plan.ambiguous).toEqual([
      { streamId: 'mc-client-acme-eu-7', owner: 'acme', alsoReachableBy: ['acme-eu'] },
      { streamId: 'mc-conversation-acme-eu-7', owner: 'acme', alsoReachableBy: ['acme-eu'] },
      { streamId: 'mc-client-acme-eu-8', owner: 'acme-eu', alsoReachableBy: ['acme'] },
    ]);
  });

  it('Streams a plan refuses what it cannot move safely: no identity, foreign events, two streams onto one name', () => {
    const plan = planStreamMigration([
      ...logged('mc-conversation-a-b', muted),
      ...logged('mc-client-a-b', profile('x', 'y')),
      ...logged('mc-conversation-p-q', started('p', 'q', 'q'), started('other', 'q', 'q')),
      // Already moved, next to its old spelling: both would become the same stream.
      ...logged('mc-client-m-n%2Do', profile('m', 'n-o')),
      ...logged('mc-client-m-n-o', profile('m', 'n-o')),
    ]);
    expect(plan.problems.map((p) => p.streamId)).toEqual(['mc-conversation-a-b', 'mc-client-a-b', 'mc-conversation-p-q', 'mc-client-m-n%2Do', 'mc-client-m-n-o']);
  });

  const tupleArb = fc.tuple(adversarialBusinessIdArb, adversarialClientIdArb);
  test.prop([fc.uniqueArray(tupleArb, { minLength: 1, maxLength: 8, selector: ([b, c]) => `${b}\u0000${c}` })])(
    'Streams for old logs of adversarial ids, every stream moves to the encoded name of the ids its events name, and a moved log plans no move',
    (tuples) => {
      // The old names of two tuples may coincide (that was the defect): keep one tuple per old name.
      const byOldName = new Map<string, readonly [BusinessId, ClientId]>();
      for (const [b, c] of tuples) byOldName.set(legacyStreamName({ kind: 'conversation', businessId: b, conversationId: c }), [b, c]);
      const log = [...byOldName.values()].flatMap(([b, c]) => [
        ...logged(legacyStreamName({ kind: 'client', businessId: b, clientId: c }), profile(b, c)),
        ...logged(legacyStreamName({ kind: 'conversation', businessId: b, conversationId: c }), started(b, c, c), muted),
      ]);
      const plan = planStreamMigration(log);
      // Client old names of two tuples coincide exactly when their conversation old names do.
      expect(plan.problems).toEqual([]);
      for (const [b, c] of byOldName.values()) {
        const address: StreamAddress = { kind: 'conversation', businessId: b, conversationId: c };
        expect(plan.names.get(legacyStreamName(address))).toBe(streamName(address));
        expect(parseStreamName(streamName(address))).toEqual(address);
      }
      const moved = log.map((e) => ({ ...e, streamId: plan.names.get(e.streamId) ?? e.streamId }));
      expect(planStreamMigration(moved).renames).toEqual([]);
    },
  );
});

// ------------------------------------------------------------------------------------------- end to end

const ACME = must(BusinessId.is, 'acme');
const ACME_EU = must(BusinessId.is, 'acme-eu');
const N_ACME = must(E164.is, '+12015550123');
const N_ACME_EU = must(E164.is, '+12015550124');
const P7 = must(E164.is, '+14155552671');
const P8 = must(E164.is, '+16465550123');
const STRANGER = must(E164.is, '+13105550142');

/** Two businesses whose ids share a prefix, with dashed client ids, plans, read modes and every kind of stream. */
const history = async (world: World): Promise<void> => {
  const { mc } = world;
  await ok(mc.enableMessageCenter({ businessId: ACME, actor: host(ACME), country: 'US', number: N_ACME, allotment: { messagesPerPeriod: 100, overage: 'refuse' } }));
  await ok(mc.enableMessageCenter({ businessId: ACME_EU, actor: host(ACME_EU), country: 'US', number: N_ACME_EU, allotment: { messagesPerPeriod: 100, overage: 'refuse' } }));
  await ok(mc.setIndividualReadStatus({ businessId: ACME_EU, actor: host(ACME_EU), individual: true }));
  await ok(mc.changePlan({ businessId: ACME_EU, actor: host(ACME_EU), allotment: { messagesPerPeriod: 3, overage: 'allow' } }));
  await ok(mc.recordClient({ businessId: ACME, actor: host(ACME), clientId: 'eu-7', uid: 'u7', name: 'Ann Seven', cellPhone: P7 }));
  await ok(mc.recordClient({ businessId: ACME_EU, actor: host(ACME_EU), clientId: '8', uid: 'u8', name: 'Bo Eight', cellPhone: P8 }));
  await ok(mc.sendMessage({ businessId: ACME, actor: staffOf(ACME, 's-1'), clientId: 'eu-7', body: 'Your class moved to 6pm' }));
  await ok(mc.receiveInbound({ to: N_ACME, from: P7, body: 'ok thanks', providerMessageId: 'SM-1' }));
  await ok(mc.sendMessage({ businessId: ACME_EU, actor: staffOf(ACME_EU, 's-2'), clientId: '8', body: 'Welcome' }));
  await ok(mc.receiveInbound({ to: N_ACME_EU, from: STRANGER, body: 'who is this?', providerMessageId: 'SM-2' }));
  await ok(mc.mute({ businessId: ACME, actor: staffOf(ACME, 's-1'), conversationId: 'eu-7' }));
  await ok(mc.pin({ businessId: ACME_EU, actor: staffOf(ACME_EU, 's-2'), conversationId: '8' }));
  await ok(mc.markRead({ businessId: ACME_EU, actor: staffOf(ACME_EU, 's-2'), conversationId: `tel:${STRANGER}` }));
};

/** What the facade answers about the history, to every staff member involved. */
const answers = async (mc: MessageCenter) => ({
  acmeConversation: await mc.conversation({ businessId: ACME, viewer: staffOf(ACME, 's-1'), conversationId: 'eu-7' })(),
  acmeEuConversation: await mc.conversation({ businessId: ACME_EU, viewer: staffOf(ACME_EU, 's-2'), conversationId: '8' })(),
  strangerConversation: await mc.conversation({ businessId: ACME_EU, viewer: staffOf(ACME_EU, 's-2'), conversationId: `tel:${STRANGER}` })(),
  acmeHistory: await mc.contactHistory({ businessId: ACME, viewer: staffOf(ACME, 's-1'), clientId: 'eu-7' })(),
  acmeEuHistory: await mc.contactHistory({ businessId: ACME_EU, viewer: staffOf(ACME_EU, 's-2'), clientId: '8' })(),
  acmeInbox: await mc.inbox({ businessId: ACME, viewer: staffOf(ACME, 's-1') })(),
  acmeEuInbox: await mc.inbox({ businessId: ACME_EU, viewer: staffOf(ACME_EU, 's-2') })(),
  acmeEuBadge: await mc.unreadBadge({ businessId: ACME_EU, viewer: staffOf(ACME_EU, 's-3') })(),
  acmeUsage: await mc.usage({ businessId: ACME, viewer: host(ACME) })(),
  acmeEuUsage: await mc.usage({ businessId: ACME_EU, viewer: host(ACME_EU) })(),
});

/** The log as the old version wrote it: the same events, in the same order, under the old names. */
const asOldLog = async (store: InMemoryEventStore): Promise<InMemoryEventStore> => {
  const old = createInMemoryEventStore();
  for (const r of await globalLog(store)) {
    const address = parseStreamName(r.streamId);
    if (address === null) throw new Error(`not a stream of this version: ${r.streamId}`);
    const appended = await old.appendToStream(legacyStreamName(address), [{ id: r.id, type: r.type, data: r.data, metadata: { schemaVersion: 1 } }], { expectedRevision: 'any' })();
    if (E.isLeft(appended)) throw new Error(appended.left.message);
  }
  return old;
};

const facadeOn = (store: EventStore): MessageCenter => createMessageCenter({ numbers: everyNumber(), store, clock: tickingClock(Date.UTC(2026, 2, 2)), ids: counterIds() });

describe('Streams migration of a stored log', () => {
  it('Streams an old log with "-" in ids, moved by migrateStreamNames, answers exactly as before; unmoved, it does not', async () => {
    const world = newWorld();
    await history(world);
    const before = await answers(facadeOn(world.store));
    const old = await asOldLog(world.store);
    expect((await globalLog(old)).map((r) => r.streamId)).toContain('mc-conversation-acme-eu-7');

    // Unmoved, the old names are not where this version looks: the dashed ids' data is missing.
    const unmoved = await answers(facadeOn(old));
    expect(unmoved.acmeConversation).not.toEqual(before.acmeConversation);

    const target = createInMemoryEventStore();
    const report = await migrateStreamNames(old, target, { pageSize: 7 })();
    if (E.isLeft(report)) throw new Error(report.left.message);
    expect(report.right.copied).toBe((await globalLog(old)).length);
    expect(report.right.plan.renames.map((r) => r.from)).toEqual(
      expect.arrayContaining(['mc-business-acme-eu', 'mc-client-acme-eu-7', 'mc-conversation-acme-eu-7', 'mc-client-acme-eu-8', 'mc-conversation-acme-eu-8']),
    );

    // Same events, ids and order, each under the name this version writes.
    const moved = await globalLog(target);
    expect(moved.map((r) => [r.streamId, r.id, r.type, r.data])).toEqual((await globalLog(world.store)).map((r) => [r.streamId, r.id, r.type, r.data]));
    expect(await answers(facadeOn(target))).toEqual(before);
  });

  it('Streams the copy refuses to start when the plan has a problem, and copies nothing', async () => {
    const old = createInMemoryEventStore();
    await old.appendToStream('mc-conversation-a-b', [{ id: '00000000-0000-4000-8000-000000000001', type: 'ConversationMuted', data: muted.data, metadata: { schemaVersion: 1 } }], { expectedRevision: 'no-stream' })();
    const target = createInMemoryEventStore();
    const report = await migrateStreamNames(old, target)();
    expect(E.isLeft(report) ? report.left.code : 'copied').toBe('migration-refused');
    expect(await globalLog(target)).toEqual([]);
  });

  it('Streams copying again repeats every append exactly (acknowledged, nothing doubled); a target holding other events refuses', async () => {
    const world = newWorld();
    await history(world);
    const old = await asOldLog(world.store);
    const target = createInMemoryEventStore();
    expect(E.isRight(await migrateStreamNames(old, target)())).toBe(true);
    const copied = await globalLog(target);
    expect(E.isRight(await migrateStreamNames(old, target)())).toBe(true);
    expect(await globalLog(target)).toEqual(copied);

    const occupied = createInMemoryEventStore();
    await occupied.appendToStream('mc-business-acme%2Deu', [{ id: '00000000-0000-4000-8000-0000000000ff', type: 'PlanChanged', data: planChanged.data, metadata: { schemaVersion: 1 } }], { expectedRevision: 'no-stream' })();
    const refused = await migrateStreamNames(old, occupied)();
    expect(E.isLeft(refused) ? refused.left.code : 'copied').toBe('concurrency-conflict');
  });

  it('Streams a copy interrupted by a store failure resumes when run again, and ends with the same log as one run', async () => {
    const world = newWorld();
    await history(world);
    const old = await asOldLog(world.store);
    const whole = createInMemoryEventStore();
    expect(E.isRight(await migrateStreamNames(old, whole, { pageSize: 5 })())).toBe(true);

    const target = createInMemoryEventStore();
    let appends = 0;
    const failing: EventStore = {
      ...target,
      appendToStream: (streamId, events, options) =>
        (appends += 1) > 4 ? async () => E.left({ code: 'store-unavailable' as const, message: 'down' }) : target.appendToStream(streamId, events, options),
    };
    const interrupted = await migrateStreamNames(old, failing, { pageSize: 5 })();
    expect(E.isLeft(interrupted) ? interrupted.left.code : 'copied').toBe('store-unavailable');
    expect(E.isRight(await migrateStreamNames(old, target, { pageSize: 5 })())).toBe(true);
    const shape = (log: Awaited<ReturnType<typeof globalLog>>) => log.map((r) => [r.streamId, r.revision, r.id, r.type, r.data]);
    expect(shape(await globalLog(target))).toEqual(shape(await globalLog(whole)));
  });
});
