import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { timestampFromMillis, type DeliveryStatus, type Timestamp } from '@message-center/core';
import {
  clientDecider,
  conversationDecider,
  nextDeliveryStatus,
  type ClientEvent,
  type ConversationEvent,
  type DomainEvent,
} from '@message-center/core/internals';
import {
  contactHistoryAsOf,
  contactHistoryOf,
  emptyContactHistory,
  eventTime,
  foldContactHistory,
  type HistoryEntry,
} from '../../src/read-models/contact-history.js';
import { B1, B2, BUSINESSES, C1, CLIENTS, S1, STAFF, cutsArb, splitAt, viewerOf, worldArb, type World } from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

const conversationEvents = (events: ReadonlyArray<DomainEvent>): ConversationEvent[] =>
  events.flatMap((e) => (e.type === 'ClientProfileRecorded' || e.type === 'MessageCenterEnabled' || e.type === 'ReadStatusModeChanged' || e.type === 'PlanChanged' || e.type === 'NumbersSuggested' || e.type === 'BusinessNumberChanged' || e.type === 'NumberAssigned' || e.type === 'NumberReleased' || e.type === 'InboundClaimed' || e.type === 'PhoneUnsubscribed' || e.type === 'PhoneResubscribed' || e.type === 'OutboundReserved' || e.type === 'InboundCounted' ? [] : [e]));
const clientEvents = (events: ReadonlyArray<DomainEvent>): ClientEvent[] => events.flatMap((e) => (e.type === 'ClientProfileRecorded' ? [e] : []));

/** R5 written out from the events: messages and subscription changes in order, deliveries moved forward. */
const referenceEntries = (events: ReadonlyArray<DomainEvent>): ReadonlyArray<unknown> => {
  const entries: Array<Record<string, unknown>> = [];
  const delivery = new Map<string, { status: DeliveryStatus; errorCode: number | null; providerMessageId: string | null; updatedAt: string; failure: unknown }>();
  let clientId: string | null = null;
  for (const e of events) {
    switch (e.type) {
      case 'ConversationStarted':
        clientId = e.data.clientId;
        break;
      case 'InboundReceived':
        entries.push({ kind: 'inbound', messageId: e.data.messageId, seq: e.data.seq, at: e.data.at, author: { kind: 'client', clientId }, from: e.data.from, to: e.data.to, body: e.data.body, media: e.data.media, segments: e.data.segments, providerMessageId: e.data.providerMessageId });
        break;
      case 'OutboundSent': {
        const pending: DeliveryStatus = 'pending';
        const d = { status: pending, errorCode: null, providerMessageId: null, updatedAt: e.data.at, failure: null };
        delivery.set(e.data.messageId, d);
        entries.push({ kind: 'outbound', messageId: e.data.messageId, seq: e.data.seq, at: e.data.at, author: e.data.author, from: e.data.from, to: e.data.to, body: e.data.body, segments: e.data.segments, overage: e.data.overage, delivery: d });
        break;
      }
      case 'OutboundDispatched': {
        const d = delivery.get(e.data.messageId);
        if (d === undefined) break;
        d.providerMessageId = e.data.providerMessageId;
        d.status = nextDeliveryStatus(d.status, e.data.status);
        d.updatedAt = e.data.at;
        break;
      }
      case 'OutboundDispatchFailed': {
        const d = delivery.get(e.data.messageId);
        if (d === undefined) break;
        d.status = nextDeliveryStatus(d.status, 'failed');
        d.errorCode = e.data.providerCode;
        d.failure = { reason: e.data.reason, message: e.data.message };
        d.updatedAt = e.data.at;
        break;
      }
      case 'DeliveryStatusUpdated': {
        const d = delivery.get(e.data.messageId);
        if (d === undefined) break;
        d.status = nextDeliveryStatus(d.status, e.data.status);
        if (e.data.errorCode !== null) d.errorCode = e.data.errorCode;
        d.updatedAt = e.data.at;
        break;
      }
      case 'ClientUnsubscribed':
      case 'ClientResubscribed':
        entries.push({ kind: e.type === 'ClientUnsubscribed' ? 'unsubscribed' : 'resubscribed', at: e.data.at, source: e.data.source, keyword: e.data.keyword, messageId: e.data.messageId });
        break;
      default:
        break;
    }
  }
  return JSON.parse(JSON.stringify(entries));
};

const plain = (entries: ReadonlyArray<HistoryEntry>): unknown => JSON.parse(JSON.stringify(entries));

const clientsWithHistory = (world: World) =>
  BUSINESSES.flatMap((businessId) => CLIENTS.map((clientId) => ({ businessId, clientId, events: world.clientEvents(businessId, clientId) }))).filter((c) => c.events.length > 0);

/** Moments worth asking about: every event's time, a moment before each, and one before everything. */
const momentsOf = (events: ReadonlyArray<DomainEvent>): ReadonlyArray<Timestamp> => {
  const times = events.map(eventTime);
  const first = times.reduce((a, b) => (a < b ? a : b), times[0] ?? timestampFromMillis(0));
  return [timestampFromMillis(Date.parse(first) - 1), ...times, ...times.map((t) => timestampFromMillis(Date.parse(t) - 1))];
};

describe('R5 contact history', () => {
  test.prop([worldArb(), fc.nat()], { numRuns: heavyRuns(30) })(
    'R5 asOf(t) equals the fold of the events up to t: the conversation state, the profile and every entry',
    (world, pick) => {
      const clients = clientsWithHistory(world);
      const c = clients[pick % Math.max(1, clients.length)];
      if (c === undefined) return;
      for (const t of momentsOf(c.events)) {
        const upTo = c.events.filter((e) => eventTime(e) <= t);
        const h = contactHistoryAsOf(c.events, t);
        expect(h.conversation).toEqual(conversationDecider.fold(conversationDecider.initialState, conversationEvents(upTo)));
        expect(h.client).toEqual(clientDecider.fold(clientDecider.initialState, clientEvents(upTo)).profile);
        expect(plain(h.entries)).toEqual(referenceEntries(upTo));
        // V10: the history's delivery statuses are the decider's.
        for (const entry of h.entries)
          if (entry.kind === 'outbound') expect(entry.delivery.status).toBe(h.conversation.outbound.get(entry.messageId)?.status);
      }
      expect(plain(contactHistoryAsOf(c.events, null).entries)).toEqual(referenceEntries(c.events));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(), fc.nat(), cutsArb], { numRuns: heavyRuns(30) })('R5 folding a history in any split equals folding it at once', (world, pick, cuts) => {
    const clients = clientsWithHistory(world);
    const c = clients[pick % Math.max(1, clients.length)];
    if (c === undefined) return;
    const whole = foldContactHistory(emptyContactHistory, c.events);
    const split = splitAt(c.events, cuts).reduce(foldContactHistory, emptyContactHistory);
    expect(split).toEqual(whole);
  }, HEAVY_TIMEOUT);

  test.prop([worldArb(40), fc.constantFrom(...STAFF)], { numRuns: heavyRuns(20) })('R1 R5 contact history is refused to a viewer of another business', (world, staffId) => {
    const [b1, b2] = [B1, B2];
    for (const clientId of CLIENTS) {
      const events = world.clientEvents(b1, clientId);
      const outsider = contactHistoryOf({ viewer: viewerOf(b2, staffId), businessId: b1, clientId }, events);
      expect(E.isLeft(outsider) && outsider.left.code).toBe('forbidden');
      const member = contactHistoryOf({ viewer: viewerOf(b1, staffId), businessId: b1, clientId }, events);
      expect(E.isLeft(member) ? member.left.code : 'found').toBe(events.length === 0 ? 'client-not-found' : 'found');
    }
  }, HEAVY_TIMEOUT);

  it('R5 a time before the client existed gives an empty history', () => {
    const world = fc.sample(worldArb(30), { numRuns: 1, seed: 11 })[0];
    if (world === undefined) return;
    const events = world.clientEvents(B1, C1);
    const early = contactHistoryOf({ viewer: viewerOf(B1, S1), businessId: B1, clientId: C1, asOf: timestampFromMillis(0) }, events);
    expect(E.isRight(early) ? early.right.entries.length + (early.right.client === null ? 0 : 1) : early.left.code).toBe(events.length === 0 ? 'client-not-found' : 0);
  });
});
