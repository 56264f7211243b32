/**
 * fast-check arbitraries for fault plans. Rates are drawn in thousandths and shrink towards zero, so a
 * failing run shrinks to the fewest faults that still break it; latency shrinks towards none.
 */
import fc from 'fast-check';
import { ProviderMessageId } from '@message-center/core';
import type { StoreFaultPlan } from './faulty-event-store.js';
import type { TransportBehaviour, TransportFaultPlan } from './faulty-transport.js';

const seedArb = fc.integer({ min: 0, max: 0x7fffffff });
const rateArb = (maxPerMille: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: maxPerMille }).map((n) => n / 1000);

export interface StoreFaultBounds {
  /** Default 2 ms (the latency of the measurements). */
  readonly maxLatencyMs?: number;
  /** Upper bounds of each rate, in thousandths (default: conflicts 100, unavailable 50 each, reads 30). */
  readonly conflictPerMille?: number;
  readonly unavailableBeforePerMille?: number;
  readonly unavailableAfterPerMille?: number;
  readonly readUnavailablePerMille?: number;
}

export const storeFaultPlanArb = (bounds: StoreFaultBounds = {}): fc.Arbitrary<StoreFaultPlan> =>
  fc.record({
    seed: seedArb,
    maxLatencyMs: fc.integer({ min: 0, max: bounds.maxLatencyMs ?? 2 }),
    conflictRate: rateArb(bounds.conflictPerMille ?? 100),
    unavailableBeforeRate: rateArb(bounds.unavailableBeforePerMille ?? 50),
    unavailableAfterRate: rateArb(bounds.unavailableAfterPerMille ?? 50),
    readUnavailableRate: rateArb(bounds.readUnavailablePerMille ?? 30),
  });

export interface TransportFaultBounds {
  readonly maxLatencyMs?: number;
  readonly slowMs?: number;
  /** Upper bound of each behaviour's weight (`ok` weighs 20 unless given); 0 leaves a behaviour out. */
  readonly maxWeights?: Partial<Readonly<Record<TransportBehaviour, number>>>;
}

const DEFAULT_MAX_WEIGHTS: Readonly<Record<TransportBehaviour, number>> = {
  ok: 20, slow: 3, retryable: 3, unsubscribed: 0, 'invalid-number': 1, throw: 1, reject: 1, hang: 1,
};

export const transportFaultPlanArb = (bounds: TransportFaultBounds = {}): fc.Arbitrary<TransportFaultPlan> => {
  const maxWeights = { ...DEFAULT_MAX_WEIGHTS, ...bounds.maxWeights };
  // `ok` keeps its full weight (a constant) so that shrinking removes faults rather than successes.
  const weight = (b: TransportBehaviour): fc.Arbitrary<number> => (b === 'ok' ? fc.constant(maxWeights.ok) : fc.integer({ min: 0, max: maxWeights[b] }));
  return fc.record({
    seed: seedArb,
    minLatencyMs: fc.constant(0),
    maxLatencyMs: fc.integer({ min: 0, max: bounds.maxLatencyMs ?? 50 }),
    slowMs: fc.constant(bounds.slowMs ?? 500),
    weights: fc.record({
      ok: weight('ok'),
      slow: weight('slow'),
      retryable: weight('retryable'),
      unsubscribed: weight('unsubscribed'),
      'invalid-number': weight('invalid-number'),
      throw: weight('throw'),
      reject: weight('reject'),
      hang: weight('hang'),
    }),
  });
};

/** A Twilio message sid: `SM` (SMS) or `MM` (MMS) and 32 lower-case hex digits. */
export const twilioMessageSidArb = (prefix: 'SM' | 'MM' = 'SM'): fc.Arbitrary<ProviderMessageId> =>
  fc
    .array(fc.constantFrom(...'0123456789abcdef'), { minLength: 32, maxLength: 32 })
    .map((digits) => `${prefix}${digits.join('')}`)
    .filter(ProviderMessageId.is);

/** The n-th of a run's inbound sids, deterministic and in Twilio's grammar (`SM` + 32 hex). */
export const inboundSid = (n: number): ProviderMessageId => {
  const sid = `SM1b0d${n.toString(16).padStart(28, '0')}`;
  if (!ProviderMessageId.is(sid)) throw new RangeError(`not a provider message id: ${sid}`);
  return sid;
};
