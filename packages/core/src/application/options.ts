/**
 * The facade's numeric options, checked once when it is created. An option out of range is a programming
 * error of the host, found at start-up: `createMessageCenter` throws a `RangeError` naming it, as Node's
 * own timers do, rather than every later call failing (or a timer silently firing at once).
 */
import { DEFAULT_DISPATCH_LEASE_MS, DEFAULT_TRANSPORT_TIMEOUT_MS } from './guarded-transport.js';

/** The longest delay `setTimeout` honours; a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** A claim longer than a day would keep a crashed dispatcher's message from every sweep for that long. */
export const MAX_DISPATCH_LEASE_MS = 86_400_000;
const MAX_ATTEMPTS = 1_000;

export interface CheckedOptions {
  readonly transportTimeoutMs: number;
  readonly dispatchLeaseMs: number;
  readonly maxAttempts: number;
}

const wholeNumber = (name: string, value: number, min: number, max: number): number => {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  return value;
};

export const checkOptions = (options: { readonly transportTimeoutMs?: number; readonly dispatchLeaseMs?: number; readonly maxAttempts?: number }): CheckedOptions => {
  const transportTimeoutMs = wholeNumber('transportTimeoutMs', options.transportTimeoutMs ?? DEFAULT_TRANSPORT_TIMEOUT_MS, 1, MAX_TIMER_MS);
  const lease = wholeNumber('dispatchLeaseMs', options.dispatchLeaseMs ?? DEFAULT_DISPATCH_LEASE_MS, 1, MAX_DISPATCH_LEASE_MS);
  return {
    transportTimeoutMs,
    // A claim must outlive the hand-over it covers, or a second dispatcher could send while the first waits.
    dispatchLeaseMs: Math.max(lease, 2 * transportTimeoutMs),
    maxAttempts: wholeNumber('maxAttempts', options.maxAttempts ?? 10, 1, MAX_ATTEMPTS),
  };
};
