/**
 * DESIGN §2 Streams, defence in depth: every loaded aggregate's own ids are checked against the ones asked
 * for. Events of business A are planted (written straight to the store) under the stream names of business
 * B; every command and query of B that reads those streams refuses with `stream-owner-mismatch`, appends
 * nothing and returns nothing of A. The read-model queries (inbox, badge, alerts, usage) never show A's data to B.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { BusinessId, ClientId, E164, type MessageCenterError } from '@message-center/core';
import {
  DomainEvent,
  businessStream,
  clientStream,
  conversationStream,
  encodeEvent,
  numberStream,
} from '@message-center/core/internals';
import { globalLog, must, newWorld, ok, staffOf, type World } from '../facade/support.js';

const host = (businessId: BusinessId) => ({ kind: 'host' as const, businessId });
const event = (value: unknown): DomainEvent => must(DomainEvent.is, value);

const N_A = must(E164.is, '+12015550123');
const N_B = must(E164.is, '+12015550124');
const N_FREE = must(E164.is, '+12125550199');
const PHONE = must(E164.is, '+14155552671');
const C1 = must(ClientId.is, 'c1');
const AT = '2026-03-01T08:00:00.000Z';
const SECRET = 'the planted secret of business A';

let ids = 0xa000;
const plant = async (world: World, streamId: string, events: ReadonlyArray<DomainEvent>): Promise<void> => {
  const encoded = events.map((e) => encodeEvent(e, `00000000-0000-4000-9000-${(ids += 1).toString(16).padStart(12, '0')}`));
  const appended = await world.store.appendToStream(streamId, encoded, { expectedRevision: 'any' })();
  if (E.isLeft(appended)) throw new Error(appended.left.message);
};

const enabled = (businessId: BusinessId, number: E164) =>
  event({
    type: 'MessageCenterEnabled',
    data: { businessId, country: 'US', number, numberCountry: 'US', allotment: { messagesPerPeriod: 100, overage: 'refuse' }, individualReadStatus: false, at: AT },
  });
const profile = (businessId: BusinessId, clientId: ClientId) =>
  event({
    type: 'ClientProfileRecorded',
    data: { businessId, clientId, uid: 'uid-of-a', name: 'Secret Person', email: 'secret@a.example', cellPhone: { raw: PHONE, e164: PHONE, problem: null }, clientType: '', groups: [], homeLocation: null, at: AT },
  });
const started = (businessId: BusinessId, conversationId: ClientId) =>
  event({ type: 'ConversationStarted', data: { businessId, conversationId, clientId: conversationId, phone: PHONE, at: AT } });
const inbound = event({
  type: 'InboundReceived',
  data: { messageId: 'planted-1', seq: 1, providerMessageId: 'SM-planted', from: PHONE, to: N_A, body: SECRET, media: [], segments: 1, at: AT },
});

type Call = (world: World, b: BusinessId) => Promise<E.Either<MessageCenterError, unknown>>;

const leaksNothing = (outcome: E.Either<MessageCenterError, unknown>): void => {
  const text = JSON.stringify(outcome, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  for (const secret of [SECRET, 'Secret Person', 'secret@a.example', 'uid-of-a', PHONE]) expect(text).not.toContain(secret);
};

/** Runs a call that must refuse with `stream-owner-mismatch`, appending nothing and answering nothing of A. */
const refusesForeign = async (world: World, b: BusinessId, call: Call): Promise<void> => {
  const before = await globalLog(world.store);
  const sent = world.transport.sent.length;
  const outcome = await call(world, b);
  leaksNothing(outcome);
  expect(E.isLeft(outcome) ? outcome.left.code : 'success').toBe('stream-owner-mismatch');
  expect(await globalLog(world.store)).toEqual(before);
  expect(world.transport.sent.length).toBe(sent);
};

const staff = (b: BusinessId) => staffOf(b, 'staff-of-b');

/** Every command and query of B that reads B's client or conversation stream of c1. */
const conversationCalls: ReadonlyArray<readonly [string, Call]> = [
  ['contactHistory', (w, b) => w.mc.contactHistory({ businessId: b, viewer: staff(b), clientId: C1 })()],
  ['conversation', (w, b) => w.mc.conversation({ businessId: b, viewer: staff(b), conversationId: C1 })()],
  ['sendMessage', (w, b) => w.mc.sendMessage({ businessId: b, actor: staff(b), clientId: C1, body: 'hello' })()],
  ['recordClient', (w, b) => w.mc.recordClient({ businessId: b, actor: host(b), clientId: C1, uid: 'u', name: 'B’s own client', cellPhone: PHONE })()],
  ['markRead', (w, b) => w.mc.markRead({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['markUnread', (w, b) => w.mc.markUnread({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['archive', (w, b) => w.mc.archive({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['unarchive', (w, b) => w.mc.unarchive({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['mute', (w, b) => w.mc.mute({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['unmute', (w, b) => w.mc.unmute({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['pin', (w, b) => w.mc.pin({ businessId: b, actor: staff(b), conversationId: C1 })()],
  ['unpin', (w, b) => w.mc.unpin({ businessId: b, actor: staff(b), conversationId: C1 })()],
];

/** Every command and query of B that loads B's business stream. */
const businessCalls: ReadonlyArray<readonly [string, Call]> = [
  ['enableMessageCenter', (w, b) => w.mc.enableMessageCenter({ businessId: b, actor: host(b), country: 'US', number: N_FREE, allotment: { messagesPerPeriod: 10, overage: 'refuse' } })()],
  ['changeNumber', (w, b) => w.mc.changeNumber({ businessId: b, actor: host(b), number: N_FREE })()],
  ['setIndividualReadStatus', (w, b) => w.mc.setIndividualReadStatus({ businessId: b, actor: host(b), individual: true })()],
  ['changePlan', (w, b) => w.mc.changePlan({ businessId: b, actor: host(b), allotment: { messagesPerPeriod: 5, overage: 'allow' } })()],
  ['recordClient', (w, b) => w.mc.recordClient({ businessId: b, actor: host(b), clientId: C1, uid: 'u', name: 'n', cellPhone: PHONE })()],
  ['sendMessage', (w, b) => w.mc.sendMessage({ businessId: b, actor: staff(b), clientId: C1, body: 'hello' })()],
  ['conversation', (w, b) => w.mc.conversation({ businessId: b, viewer: staff(b), conversationId: C1 })()],
];

/** Read-model queries: they fold the whole log by the ids events carry, so they answer, but never with A's data. */
const readModelCalls: ReadonlyArray<readonly [string, Call]> = [
  ['inbox', (w, b) => w.mc.inbox({ businessId: b, viewer: staff(b) })()],
  ['unreadBadge', (w, b) => w.mc.unreadBadge({ businessId: b, viewer: staff(b) })()],
  ['alerts', (w, b) => w.mc.alerts({ businessId: b, viewer: staff(b) })()],
  ['usage', (w, b) => w.mc.usage({ businessId: b, viewer: staff(b) })()],
];

// Plain look-alikes, and an old name: before encoding, business `%2Dx` was written to `mc-business-%2Dx`,
// which is now the name of business `-x`.
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['acme', 'bravo'],
  ['%2Dx', '-x'],
];

describe('Streams defence in depth: a stream holding another business’s events is refused', () => {
  for (const [a, b] of PAIRS.map(([x, y]) => [must(BusinessId.is, x), must(BusinessId.is, y)] as const)) {
    /** B enabled for real; A's client profile and conversation planted under B's names for client c1. */
    const plantedConversation = async (): Promise<World> => {
      const world = newWorld();
      await ok(world.mc.enableMessageCenter({ businessId: b, actor: host(b), country: 'US', number: N_B, allotment: { messagesPerPeriod: 100, overage: 'refuse' } }));
      await plant(world, clientStream(b, C1), [profile(a, C1)]);
      await plant(world, conversationStream(b, C1), [started(a, C1), inbound]);
      return world;
    };

    for (const [name, call] of conversationCalls)
      it(`B0/R1 ${name} of ${b} on a conversation and profile of ${a} under ${b}’s names: stream-owner-mismatch, nothing appended`, async () => {
        await refusesForeign(await plantedConversation(), b, call);
      });

    for (const [name, call] of readModelCalls)
      it(`B0/R1 ${name} of ${b} never shows the planted events of ${a}`, async () => {
        const world = await plantedConversation();
        leaksNothing(await call(world, b));
      });

    for (const [name, call] of businessCalls)
      it(`B0 ${name} of ${b} on ${a}’s MessageCenterEnabled under ${b}’s business stream: stream-owner-mismatch, nothing appended`, async () => {
        const world = newWorld();
        await plant(world, businessStream(b), [enabled(a, N_A)]);
        await refusesForeign(world, b, call);
      });
  }

  it('Streams a client or conversation stream holding another client’s or conversation’s events of the same business is refused', async () => {
    const world = newWorld();
    const b = must(BusinessId.is, 'bravo');
    const c2 = must(ClientId.is, 'c2');
    await ok(world.mc.enableMessageCenter({ businessId: b, actor: host(b), country: 'US', number: N_B, allotment: { messagesPerPeriod: 100, overage: 'refuse' } }));
    await plant(world, clientStream(b, C1), [profile(b, c2)]);
    await plant(world, conversationStream(b, C1), [started(b, c2), inbound]);
    for (const [, call] of conversationCalls) await refusesForeign(world, b, call);
  });

  it('B1 a number stream holding another number’s registry events is refused, and nothing is claimed', async () => {
    const world = newWorld();
    const b = must(BusinessId.is, 'bravo');
    await plant(world, numberStream(N_FREE), [event({ type: 'NumberAssigned', data: { number: N_A, businessId: 'acme', at: AT } })]);
    const before = await globalLog(world.store);
    const outcome = await world.mc.enableMessageCenter({ businessId: b, actor: host(b), country: 'US', number: N_FREE, allotment: { messagesPerPeriod: 10, overage: 'refuse' } })();
    expect(E.isLeft(outcome) ? outcome.left.code : 'success').toBe('stream-owner-mismatch');
    expect(await globalLog(world.store)).toEqual(before);
  });
});
