/**
 * B4 — the plan's message allotment per billing period.
 *
 * Every outbound and every inbound message counts 1 against the period it happened in. Only outbound is
 * checked here: inbound is always recorded (a client's message is never lost) and merely counted.
 */
import { Timestamp } from '../values/timestamp.js';

export interface Allotment {
  /** Messages (outbound + inbound) included per billing period; a non-negative integer (validated by the plan). */
  readonly messagesPerPeriod: number;
  /** What happens to outbound once the allotment is used up: refused, or sent and billed as overage. */
  readonly overage: 'refuse' | 'allow';
}

/**
 * The billing period an instant falls in, as `YYYY-MM`. Billing periods are calendar months in UTC — the same
 * for every business whatever its time zone, and readable straight off the domain's timestamps
 * (`2026-11-30T23:30:00.000Z` is in `2026-11` even where it is already December locally).
 *
 * Takes the domain's one timestamp format (`Timestamp`: `Date#toISOString`, always UTC); anything else is a
 * programming error (every timestamp is decoded at the boundary), so it throws rather than guess an offset.
 */
export const billingPeriodOf = (at: string): string => {
  if (!Timestamp.is(at)) throw new RangeError(`not a UTC timestamp like 2026-11-23T17:06:00.000Z: ${JSON.stringify(at)}`);
  return at.slice(0, 7);
};

export type AllotmentDecision =
  | { readonly allowed: true; readonly overage: boolean }
  | { readonly allowed: false; readonly limit: number; readonly used: number };

/**
 * B4 for one more outbound message, given the messages (both directions) already counted in the period.
 * Within the allotment it is allowed; beyond it (`used >= limit`, this message would be number `used + 1`)
 * it is refused — `allotment-exhausted` — unless the plan allows overage, in which case it is allowed and
 * flagged as overage so usage can bill it.
 */
export const checkOutboundAllotment = (allotment: Allotment, usedInPeriod: number): AllotmentDecision => {
  if (usedInPeriod < allotment.messagesPerPeriod) return { allowed: true, overage: false };
  if (allotment.overage === 'allow') return { allowed: true, overage: true };
  return { allowed: false, limit: allotment.messagesPerPeriod, used: usedInPeriod };
};
