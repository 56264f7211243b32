/**
 * Where injected latency comes from. The fault wrappers never read a clock or call a timer directly, so a
 * test decides whether latency is real time or virtual time.
 */
export interface FaultScheduler {
  /** Resolves after `ms` milliseconds of whatever time this scheduler keeps. */
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Latency on `setTimeout`, looked up at each call (not captured at import), so a test that installs fake
 * timers (`vi.useFakeTimers()`) turns every injected delay into virtual time and stays fast.
 */
export const timerScheduler: FaultScheduler = {
  sleep: (ms) => new Promise<void>((resolve) => globalThis.setTimeout(resolve, ms)),
};
