/** Bounded, jittered exponential backoff for calls that Twilio answers with 429 / 20429 / 5xx. */
export interface RetryOptions {
  /** Attempts in total, the first included (1 = no retry). */
  readonly maxAttempts: number;
  /** Upper bound of the first wait; doubles per retry. */
  readonly baseDelayMs: number;
  /** No wait is ever longer than this. */
  readonly maxDelayMs: number;
  /** A number in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
  /** Injectable so tests do not wait in real time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ResolvedRetry {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4_000 } as const;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Validates the options once, at construction: a misconfiguration is a programming error. */
export const resolveRetry = (options: Partial<RetryOptions> | undefined): ResolvedRetry => {
  const maxAttempts = options?.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const baseDelayMs = options?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const maxDelayMs = options?.maxDelayMs ?? Math.max(DEFAULT_RETRY.maxDelayMs, baseDelayMs);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new RangeError(`retry.maxAttempts must be an integer from 1 to 20, got ${maxAttempts}`);
  }
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) throw new RangeError(`retry.baseDelayMs must be ≥ 0, got ${baseDelayMs}`);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) {
    throw new RangeError(`retry.maxDelayMs must be ≥ retry.baseDelayMs, got ${maxDelayMs}`);
  }
  return { maxAttempts, baseDelayMs, maxDelayMs, random: options?.random ?? Math.random, sleep: options?.sleep ?? realSleep };
};

/**
 * Wait before retry number `retry` (1 for the first retry): "full jitter", a uniform draw below the capped
 * exponential bound, so that many senders throttled together do not come back in lockstep.
 */
export const backoffDelay = (r: ResolvedRetry, retry: number): number => {
  const ceiling = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** (retry - 1));
  const u = r.random();
  const unit = Number.isFinite(u) ? Math.min(Math.max(u, 0), 1) : 0;
  return Math.floor(unit * ceiling);
};
