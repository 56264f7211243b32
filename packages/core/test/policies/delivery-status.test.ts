import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  DELIVERY_STATUSES,
  deliveryRank,
  isDeliveryStatus,
  nextDeliveryStatus,
  type DeliveryStatus,
} from '../../src/domain/policies/delivery-status.js';

const FAILURES: ReadonlyArray<DeliveryStatus> = ['undelivered', 'failed', 'canceled'];
const isTerminal = (s: DeliveryStatus): boolean => deliveryRank(s) >= 5;

const status = fc.constantFrom(...DELIVERY_STATUSES);
const nonTerminal = fc.constantFrom<DeliveryStatus>('pending', 'accepted', 'scheduled', 'queued', 'sending', 'sent');
const terminal = fc.constantFrom<DeliveryStatus>('delivered', 'undelivered', 'failed', 'canceled', 'read');
const callbacks = fc.array(status, { maxLength: 20 });

const fold = (xs: ReadonlyArray<DeliveryStatus>, start: DeliveryStatus = 'pending'): DeliveryStatus =>
  xs.reduce(nextDeliveryStatus, start);

/** Non-terminal statuses in rank order, then the terminal ones (final or read) in arrival order (a stable sort). */
const inRankOrder = (xs: ReadonlyArray<DeliveryStatus>): ReadonlyArray<DeliveryStatus> =>
  xs
    .map((s, i) => ({ s, i, key: Math.min(deliveryRank(s), 5) }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ s }) => s);

/** The rule written out directly, for callbacks applied to a `pending` message. */
const expected = (xs: ReadonlyArray<DeliveryStatus>): DeliveryStatus => {
  const firstTerminal = xs.find(isTerminal);
  if (firstTerminal !== undefined) {
    if (FAILURES.includes(firstTerminal)) return firstTerminal;
    return xs.includes('read') ? 'read' : 'delivered';
  }
  const top = Math.max(0, ...xs.map(deliveryRank));
  return xs.find((s) => deliveryRank(s) === top) ?? 'pending';
};

describe('delivery status', () => {
  test('V10 ranks: pending < accepted = scheduled < queued < sending < sent < finals < read', () => {
    const ranks = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, deliveryRank(s)]));
    expect(ranks).toEqual({
      pending: 0, accepted: 1, scheduled: 1, queued: 2, sending: 3, sent: 4,
      delivered: 5, undelivered: 5, failed: 5, canceled: 5, read: 6,
    });
  });

  test.prop([fc.oneof(status, fc.string({ maxLength: 20 }), fc.constantFrom('Delivered', 'received', 'receiving', 'partially_delivered', ' sent'))])(
    'V10 isDeliveryStatus accepts exactly the listed statuses',
    (s) => {
      expect(isDeliveryStatus(s)).toBe(new Set<string>(DELIVERY_STATUSES).has(s));
    },
  );

  test.prop([callbacks])('V10 the result follows the rule: first terminal wins, read may follow delivered, else the highest rank', (xs) => {
    expect(fold(xs)).toBe(expected(xs));
  });

  test.prop([callbacks, status])(
    'V10 any arrival order gives the result of the non-final statuses in rank order, then the terminal ones as they arrived',
    (xs, start) => {
      expect(fold(xs, start)).toBe(fold(inRankOrder(xs), start));
    },
  );

  test.prop([callbacks.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })))])(
    'V10 permutations that keep the arrival order of the terminal statuses end in the same status',
    ([xs, shuffled]) => {
      // Put the terminal statuses back in their original arrival order, at the shuffled positions.
      const terminals = xs.filter(isTerminal);
      let next = 0;
      const permuted = shuffled.map((s) => (isTerminal(s) ? (terminals[next++] ?? s) : s));
      const [a, b] = [fold(xs), fold(permuted)];
      // The one residual order dependence: when nothing beyond rank 1 arrived, the first of accepted/scheduled stays.
      if (deliveryRank(a) === 1) expect(deliveryRank(b)).toBe(1);
      else expect(b).toBe(a);
    },
  );

  test.prop([callbacks, status])('V10 the rank never decreases along any sequence', (xs, start) => {
    let current = start;
    for (const incoming of xs) {
      const next = nextDeliveryStatus(current, incoming);
      expect(deliveryRank(next)).toBeGreaterThanOrEqual(deliveryRank(current));
      current = next;
    }
  });

  test.prop([status, status])('V10 applying the same callback twice equals applying it once', (current, incoming) => {
    const once = nextDeliveryStatus(current, incoming);
    expect(nextDeliveryStatus(once, incoming)).toBe(once);
    expect(nextDeliveryStatus(current, current)).toBe(current);
  });

  test.prop([callbacks.filter((xs) => xs.length > 0).chain((xs) => fc.tuple(fc.constant(xs), fc.nat(xs.length - 1), fc.nat()))])(
    'V10 a redelivered callback (a copy of an earlier one, arriving later) changes nothing',
    ([xs, which, where]) => {
      const copy = xs[which];
      if (copy === undefined) return;
      const at = which + 1 + (where % (xs.length - which));
      expect(fold([...xs.slice(0, at), copy, ...xs.slice(at)])).toBe(fold(xs));
    },
  );

  test.prop([status, status])('V10 a status of equal rank never replaces the current one (the first of two finals wins)', (current, incoming) => {
    fc.pre(deliveryRank(current) === deliveryRank(incoming));
    expect(nextDeliveryStatus(current, incoming)).toBe(current);
  });

  test.prop([terminal, nonTerminal])('V10 a late non-final status never overwrites a final one', (current, incoming) => {
    expect(nextDeliveryStatus(current, incoming)).toBe(current);
  });

  test('V10 examples', () => {
    expect(fold(['queued', 'delivered', 'sent'])).toBe('delivered');
    expect(fold(['sent', 'queued', 'sending'])).toBe('sent');
    expect(fold(['failed', 'delivered'])).toBe('failed');
    expect(fold(['delivered', 'undelivered'])).toBe('delivered');
    expect(fold(['delivered', 'read', 'delivered'])).toBe('read');
    expect(fold(['read', 'delivered', 'failed'])).toBe('read');
    expect(fold(['undelivered', 'read'])).toBe('undelivered');
    expect(fold(['scheduled', 'accepted'])).toBe('scheduled');
    expect(fold([])).toBe('pending');
  });
});
