import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { DELIVERY_STATUSES, type DeliveryStatus, type MessageId } from '@message-center/core';
import type { ConversationState } from '@message-center/core/internals';
import { conversationDecider, deliveryRank, nextDeliveryStatus } from '@message-center/core/internals';
import { deciderSpec, historyArb, messageIdArb } from '@message-center/testing';
import {
  accepted,
  at,
  callback,
  decide,
  dispatchFailed,
  dispatched,
  inbound,
  initial,
  messageId,
  outcome,
  recorded,
  run,
  send,
  step,
  types,
} from './support.js';
import { HEAVY_TIMEOUT } from '../heavy-property.js';

const spec = deciderSpec(conversationDecider);

const M = 'm-v10';
const SID = `SM-${M}`;

/** A conversation with one outbound message, handed to the provider with status `first`. */
const dispatchedMessage = (first: DeliveryStatus = 'queued'): ConversationState =>
  run([inbound({ sid: 'SM-hello' }), send({ id: M }), dispatched(M, SID, first)]);

const statusOf = (state: ConversationState, id: MessageId = messageId(M)): DeliveryStatus | undefined => state.outbound.get(id)?.status;

const deliver = (state: ConversationState, statuses: ReadonlyArray<DeliveryStatus>): ConversationState =>
  statuses.reduce((s, status) => step(s, callback(SID, status)).state, state);

/** Real lifecycles of a message as Twilio reports it. */
const LIFECYCLES: ReadonlyArray<ReadonlyArray<DeliveryStatus>> = [
  ['queued', 'sending', 'sent', 'delivered'],
  ['queued', 'sending', 'sent', 'delivered', 'read'],
  ['accepted', 'queued', 'sending', 'sent', 'delivered'],
  ['queued', 'sending', 'sent', 'undelivered'],
  ['queued', 'sending', 'failed'],
  ['scheduled', 'queued', 'sent', 'canceled'],
];

/** Some callbacks of one lifecycle, in any order, any of them possibly redelivered. */
const arrivalsArb = fc.constantFrom(...LIFECYCLES).chain((path) =>
  fc.record({
    path: fc.constant(path),
    arrivals: fc.array(fc.nat({ max: path.length - 1 }), { minLength: 1, maxLength: 12 }),
  }),
);

const statusArb = fc.constantFrom(...DELIVERY_STATUSES);

/** The non-final callbacks in rank order, then the terminal ones (final or read) as they arrived (a stable sort). */
const inRankOrder = (xs: ReadonlyArray<DeliveryStatus>): ReadonlyArray<DeliveryStatus> =>
  xs
    .map((s, i) => ({ s, i, key: Math.min(deliveryRank(s), 5) }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ s }) => s);

describe('V10 delivery status', () => {
  test.prop([arrivalsArb])(
    'V10 out-of-order (and redelivered) status callbacks end in the same final status as in-order ones',
    ({ path, arrivals }) => {
      const start = dispatchedMessage(path[0]);
      const outOfOrder = deliver(start, arrivals.map((i) => path[i] ?? 'queued'));
      const inOrder = deliver(start, [...new Set(arrivals)].sort((a, b) => a - b).map((i) => path[i] ?? 'queued'));
      const furthest = path[Math.max(...arrivals)];
      expect(statusOf(outOfOrder)).toBe(statusOf(inOrder));
      expect(statusOf(outOfOrder)).toBe(furthest);
    },
  );

  test.prop([statusArb, fc.array(statusArb, { maxLength: 12 })])(
    'V10 whatever arrives in whatever order, the status is nextDeliveryStatus over the arrivals, and the same as with the non-final ones in rank order first',
    (first, arrivals) => {
      const start = dispatchedMessage(first);
      const expected = arrivals.reduce(nextDeliveryStatus, nextDeliveryStatus('pending', first));
      expect(statusOf(deliver(start, arrivals))).toBe(expected);
      expect(statusOf(deliver(start, inRankOrder(arrivals)))).toBe(expected);
    },
  );

  test.prop([fc.constantFrom<DeliveryStatus>('queued', 'sending', 'sent'), fc.array(statusArb.filter((s) => s !== 'read'), { maxLength: 6 })])(
    'V10 a late sent (or any status but read) never overwrites delivered, and decides nothing',
    (before, late) => {
      const delivered = deliver(dispatchedMessage(), [before, 'delivered']);
      for (const status of late) expect(outcome(decide(callback(SID, status), delivered))).toEqual([]);
      expect(statusOf(deliver(delivered, late))).toBe('delivered');
      expect(types(step(delivered, callback(SID, 'read')).events)).toEqual(['DeliveryStatusUpdated']);
    },
  );

  test.prop([statusArb])('V10 a redelivered callback decides nothing the second time', (status) => {
    const once = deliver(dispatchedMessage(), [status]);
    expect(outcome(decide(callback(SID, status), once))).toEqual([]);
  });

  test.prop([historyArb(50)])(
    'V10 over whole histories every DeliveryStatusUpdated moves its message’s status forward, and the state holds the last one',
    (history) => {
      const statuses = new Map<string, DeliveryStatus>();
      for (const e of history.events) {
        switch (e.type) {
          case 'OutboundSent':
            statuses.set(e.data.messageId, 'pending');
            break;
          case 'OutboundDispatched':
            statuses.set(e.data.messageId, nextDeliveryStatus(statuses.get(e.data.messageId) ?? 'pending', e.data.status));
            break;
          case 'OutboundDispatchFailed':
            statuses.set(e.data.messageId, nextDeliveryStatus(statuses.get(e.data.messageId) ?? 'pending', 'failed'));
            break;
          case 'DeliveryStatusUpdated': {
            const current = statuses.get(e.data.messageId);
            expect(current).toBeDefined();
            if (current === undefined) break;
            expect(e.data.status).not.toBe(current);
            expect(deliveryRank(e.data.status) > deliveryRank(current) || (current === 'delivered' && e.data.status === 'read')).toBe(true);
            expect(deliveryRank(current)).toBeLessThanOrEqual(5);
            statuses.set(e.data.messageId, e.data.status);
            break;
          }
          default:
            break;
        }
      }
      expect(new Map([...history.state.outbound].map(([id, d]) => [id, d.status]))).toEqual(statuses);
    },
    HEAVY_TIMEOUT,
  );

  test.prop([historyArb(40), fc.oneof(messageIdArb, fc.constant(messageId('m-unknown'))), statusArb])(
    'V10 a callback for an unknown provider id is refused message-not-found and decides nothing; so are dispatch reports of unknown messages',
    (history, id, status) => {
      const dispatchedSids = new Set<string>(history.events.flatMap((e) => (e.type === 'OutboundDispatched' ? [e.data.providerMessageId] : [])));
      const sentIds = new Set(history.events.flatMap((e) => (e.type === 'OutboundSent' ? [e.data.messageId] : [])));
      const cb = decide(callback(`SM-${id}`, status), history.state);
      if (!dispatchedSids.has(`SM-${id}`)) expect(outcome(cb)).toBe('message-not-found');
      else expect(outcome(cb)).not.toBe('message-not-found');
      if (!sentIds.has(id)) {
        expect(outcome(decide(dispatched(id), history.state))).toBe('message-not-found');
        expect(outcome(decide(dispatchFailed(id, 30003), history.state))).toBe('message-not-found');
      }
      expect(outcome(decide(callback('SM-never-sent', status), history.state))).toBe('message-not-found');
    },
  );
});

describe('V10 specs', () => {
  const sent = recorded(inbound({ sid: 'SM1' }), send({ id: 'm1' }));
  const queued = recorded(inbound({ sid: 'SM1' }), send({ id: 'm1' }), dispatched('m1'));
  const delivered = recorded(inbound({ sid: 'SM1' }), send({ id: 'm1' }), dispatched('m1'), callback('SM-m1', 'delivered'));

  it('V10 the transport’s id and first status are recorded on dispatch', () =>
    spec.given(sent).when(dispatched('m1')).then([
      { type: 'OutboundDispatched', data: { messageId: messageId('m1'), providerMessageId: dispatched('m1').providerMessageId, status: 'queued', at: at() } },
    ]));
  it('V10 a delivered callback moves the status forward', () =>
    spec.given(queued).when(callback('SM-m1', 'delivered')).then([
      {
        type: 'DeliveryStatusUpdated',
        data: { messageId: messageId('m1'), providerMessageId: dispatched('m1').providerMessageId, status: 'delivered', errorCode: null, at: at() },
      },
    ]));
  it('V10 a late sent after delivered decides nothing', () => spec.given(delivered).when(callback('SM-m1', 'sent')).then([]));
  it('V10 a late failure after delivered decides nothing', () => spec.given(delivered).when(callback('SM-m1', 'undelivered', 30003)).then([]));
  it('V10 a callback for a message we never sent is refused', () => spec.given(queued).when(callback('SM-other', 'delivered')).then({ code: 'message-not-found' }));
  it('V10 undelivered records the error code', () => {
    const state = conversationDecider.fold(initial, [...queued, ...accepted(decide(callback('SM-m1', 'undelivered', 30003), conversationDecider.fold(initial, queued)))]);
    expect(state.outbound.get(messageId('m1'))).toMatchObject({ status: 'undelivered', errorCode: 30003 });
  });
});
