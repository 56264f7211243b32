import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { BusinessId } from '@message-center/core';
import type { EventEnvelope } from '@message-center/core/internals';
import { alertsAfter, emptyAlerts, foldAlerts, foldAlertsWith, newAlerts, type Alert, type AlertsState } from '../../src/read-models/alerts.js';
import { B1, B2, BUSINESSES, S1, cutsArb, expectedPreviewText, splitAt, viewerOf, worldArb } from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

/** R7/V8 from the log: one alert per inbound message while its conversation is not muted. */
const reference = (log: ReadonlyArray<EventEnvelope>, businessId: BusinessId) => {
  const conversations = new Map<string, { businessId: string; conversationId: string; clientId: string | null; muted: boolean }>();
  const names = new Map<string, string>();
  const alerts: Array<Record<string, unknown>> = [];
  for (const { streamId, event, position } of log) {
    if (event.type === 'ClientProfileRecorded') names.set(`${event.data.businessId}/${event.data.clientId}`, event.data.name);
    if (event.type === 'ConversationStarted') conversations.set(streamId, { ...event.data, muted: false });
    const c = conversations.get(streamId);
    if (c === undefined) continue;
    if (event.type === 'ConversationMuted') c.muted = true;
    if (event.type === 'ConversationUnmuted') c.muted = false;
    if (event.type === 'InboundReceived' && !c.muted && c.businessId === businessId)
      alerts.push({
        position,
        messageId: event.data.messageId,
        conversationId: c.conversationId,
        client: c.clientId === null ? null : { clientId: c.clientId, name: names.get(`${c.businessId}/${c.clientId}`) ?? '' },
        from: event.data.from,
        preview: expectedPreviewText(event.data.body, event.data.media),
        at: event.data.at,
      });
  }
  return alerts;
};

const view = (a: Alert): Record<string, unknown> => ({
  position: a.position,
  messageId: a.messageId,
  conversationId: a.conversationId,
  client: a.client,
  from: a.from,
  preview: a.preview,
  at: a.at,
});


/** Every alert after a cursor, following the cursors `limit` at a time. */
const poll = (state: AlertsState, businessId: BusinessId, limit: number): ReadonlyArray<Alert> => {
  const all: Alert[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = alertsAfter(state, { viewer: viewerOf(businessId, S1), businessId, after, limit });
    if (E.isLeft(page)) return expect.fail(page.left.message);
    if (page.right.alerts.length === 0) return all;
    all.push(...page.right.alerts);
    after = page.right.cursor ?? undefined;
  }
  return all;
};

describe('R7 alerts', () => {
  test.prop([worldArb(), cutsArb, fc.integer({ min: 1, max: 4 })], { numRuns: heavyRuns(50) })(
    'R7 V8 one alert per inbound message in a conversation that was not muted at the time, oldest first, through cursors',
    (world, cuts, limit) => {
      const state = splitAt(world.log, cuts).reduce((s, b) => foldAlerts(s, b, 10_000), emptyAlerts);
      for (const businessId of BUSINESSES) expect(poll(state, businessId, limit).map(view)).toEqual(reference(world.log, businessId));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(), cutsArb, fc.integer({ min: 1, max: 6 })], { numRuns: heavyRuns(30) })(
    'R7 only the latest alerts are kept; each batch reports the alerts it raised',
    (world, cuts, retain) => {
      let state = emptyAlerts;
      const raised: Alert[] = [];
      for (const batch of splitAt(world.log, cuts)) {
        const next = foldAlertsWith(state, batch, retain);
        raised.push(...next.raised);
        // What a runner's onUpdate can push: what the new state holds and the old one did not.
        const kept = next.raised.filter((a) => (next.state.recent.get(a.businessId) ?? []).includes(a));
        expect(newAlerts(state, next.state)).toEqual([...kept].sort((a, b) => (a.position.commit < b.position.commit ? -1 : 1)));
        state = next.state;
      }
      for (const businessId of BUSINESSES) {
        const expected = reference(world.log, businessId);
        expect(poll(state, businessId, 100).map(view)).toEqual(expected.slice(Math.max(0, expected.length - retain)));
        expect(raised.filter((a) => a.businessId === businessId).map(view)).toEqual(expected);
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(30)], { numRuns: heavyRuns(10) })('R1 R7 alerts are refused to another business\'s staff; a bad cursor is invalid-input', (world) => {
    const state = foldAlerts(emptyAlerts, world.log);
    const [b1, b2] = [B1, B2];
    const outsider = alertsAfter(state, { viewer: viewerOf(b2, S1), businessId: b1 });
    expect(E.isLeft(outsider) && outsider.left.code).toBe('forbidden');
    const bad = alertsAfter(state, { viewer: viewerOf(b1, S1), businessId: b1, after: 'nope' });
    expect(E.isLeft(bad) && bad.left.code).toBe('invalid-input');
  }, HEAVY_TIMEOUT);
});
