/**
 * Virtual time for fault tests. Vitest's fake timers replace `setTimeout`/`setInterval`/`Date` (never
 * `setImmediate`, which the facade and the stores use to yield), so injected latency, slow providers and
 * whatever deadlines or backoff the facade sets on `setTimeout` cost no wall-clock time.
 *
 * `settle` drives one piece of work to its end: it lets real work run first and moves virtual time to
 * the next timer only when nothing progressed, so a timer (a deadline) never fires ahead of work that
 * was about to finish. Work that has no timer left and makes no progress, even after a short real-time
 * grace (for a wait on a timer vitest does not fake, such as `node:timers/promises`), is reported as
 * hung: today's answer to a transport that never answers.
 */
import { vi } from 'vitest';

/** 1 March 2026, 09:00 UTC: runs stay inside one billing period. */
export const VIRTUAL_START = Date.UTC(2026, 2, 1, 9, 0, 0);

export const useVirtualTime = (): void => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: VIRTUAL_START });
};

export const useRealTime = (): void => {
  vi.useRealTimers();
};

export type Settled<A> =
  | { readonly kind: 'resolved'; readonly value: A }
  | { readonly kind: 'rejected'; readonly error: unknown }
  /** Not settled: no timer left and no progress (hung for ever), or still running after `maxVirtualMs`. */
  | { readonly kind: 'hung'; readonly afterVirtualMs: number; readonly timersPending: number };

export interface SettleOptions {
  /** A counter that moves while the work makes progress (store and transport calls). */
  readonly progress?: () => number;
  /** Virtual time after which running work counts as hung (default 10 minutes). */
  readonly maxVirtualMs?: number;
}

const realTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
// Captured at import, before any test fakes it.
const realSetTimeout = globalThis.setTimeout;
const realSleep = (ms: number): Promise<void> => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

// Real turns without progress before virtual time moves; enough for a chain of microtasks and immediates.
const QUIET_TURNS = 3;
// Real turns without progress and without timers, then real milliseconds, before the work is declared hung.
const IDLE_TURNS = 50;
const REAL_GRACE_MS = 100;
const REAL_STEP_MS = 10;

export const settle = async <A>(work: Promise<A>, options: SettleOptions = {}): Promise<Settled<A>> => {
  let outcome: Settled<A> | null = null;
  work.then(
    (value) => {
      outcome = { kind: 'resolved', value };
    },
    (error: unknown) => {
      outcome = { kind: 'rejected', error };
    },
  );
  const progress = options.progress ?? (() => 0);
  const maxVirtualMs = options.maxVirtualMs ?? 600_000;
  const start = Date.now();
  let seen = progress();
  let quiet = 0;
  let waitedRealMs = 0;
  for (;;) {
    await realTurn();
    const settled: Settled<A> | null = outcome;
    if (settled !== null) return settled;
    const now = progress();
    if (now !== seen) {
      seen = now;
      quiet = 0;
      waitedRealMs = 0;
      continue;
    }
    quiet += 1;
    const timers = vi.getTimerCount();
    const elapsed = Date.now() - start;
    if (timers > 0 && quiet >= QUIET_TURNS) {
      if (elapsed >= maxVirtualMs) return { kind: 'hung', afterVirtualMs: elapsed, timersPending: timers };
      await vi.advanceTimersToNextTimerAsync();
      quiet = 0;
    } else if (timers === 0 && quiet >= IDLE_TURNS) {
      if (waitedRealMs >= REAL_GRACE_MS) return { kind: 'hung', afterVirtualMs: elapsed, timersPending: 0 };
      await realSleep(REAL_STEP_MS);
      waitedRealMs += REAL_STEP_MS;
      quiet = 0;
    }
  }
};

/** Settles work that must not throw or hang, and returns its value; anything else fails the test with what happened. */
export const settled = async <A>(label: string, work: Promise<A>, options: SettleOptions = {}): Promise<A> => {
  const result = await settle(work, options);
  if (result.kind === 'resolved') return result.value;
  throw new Error(`${label}: ${describeUnsettled(result)}`);
};

export const describeUnsettled = (result: Exclude<Settled<unknown>, { readonly kind: 'resolved' }>): string =>
  result.kind === 'rejected'
    ? `threw ${result.error instanceof Error ? `${result.error.name}: ${result.error.message}` : String(result.error)} (the facade must answer with a Left, never throw)`
    : `did not settle: hung after ${result.afterVirtualMs} virtual ms with ${result.timersPending} timer(s) pending${
        result.timersPending === 0 ? ' and no progress (nothing left to wake it: a deadline must be a global setTimeout to run in virtual time)' : ''
      }`;
