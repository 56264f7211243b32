import { errorType } from './errors.js';

/** The deadline of every call to the server unless the options say otherwise: 10 s, the clients' own default. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** The clients' `ErrorType.DEADLINE_EXCEEDED`. */
export const DEADLINE_EXCEEDED = 'deadline-exceeded';

/** Larger delays overflow Node's timers (which then fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Per-kind deadlines in milliseconds, each defaulting to `deadlineMs`. `Infinity` means none (not advised:
 * a server that stops answering then holds the caller for ever).
 */
export interface EventStoreDbDeadlines {
  /** A whole append (either path), including the reads an empty append or a conflict report makes. */
  readonly appendMs?: number;
  /** One `readStream`; one page of `readAll` (each request of `readPageSize` events has its own). */
  readonly readMs?: number;
  /** One `deleteStream` (tombstone). */
  readonly deleteMs?: number;
  /**
   * `subscribeToAll` before it is caught up: the wait for the server's confirmation, and each wait for the
   * next message (event, checkpoint, caught-up) while no handler runs. Live (caught-up) subscriptions have
   * none: silence is normal there, and gRPC keepalive detects a dead connection. A server before 23.10 never
   * says it is caught up; set `Infinity` there, or an idle subscription resubscribes at every deadline.
   */
  readonly catchUpMs?: number;
}

export type ResolvedDeadlines = Required<EventStoreDbDeadlines>;

const checked = (name: string, ms: number): number => {
  if (ms === Number.POSITIVE_INFINITY || (Number.isFinite(ms) && ms > 0 && ms <= MAX_TIMER_MS)) return ms;
  throw new RangeError(`EventStoreDB ${name} must be a number of milliseconds in (0, ${MAX_TIMER_MS}], or Infinity: got ${String(ms)}`);
};

/** The deadlines in force, checked once when the store is created (a bad value throws a RangeError). */
export const resolveDeadlines = (deadlineMs: number = DEFAULT_DEADLINE_MS, overrides: EventStoreDbDeadlines = {}): ResolvedDeadlines => {
  const all = checked('deadlineMs', deadlineMs);
  return {
    appendMs: checked('deadlines.appendMs', overrides.appendMs ?? all),
    readMs: checked('deadlines.readMs', overrides.readMs ?? all),
    deleteMs: checked('deadlines.deleteMs', overrides.deleteMs ?? all),
    catchUpMs: checked('deadlines.catchUpMs', overrides.catchUpMs ?? all),
  };
};

/**
 * The server did not answer in time. Its `type` is the clients' own (`ErrorType.DEADLINE_EXCEEDED`), so it
 * maps like theirs; the message names the deadline and nothing of the connection (no host, no credentials).
 */
export class DeadlineExceededError extends Error {
  readonly type = DEADLINE_EXCEEDED;
  constructor(
    readonly deadlineMs: number,
    options?: { readonly cause?: unknown },
  ) {
    super(`no answer from the server within ${deadlineMs} ms`, options);
    this.name = 'DeadlineExceededError';
  }
}

/** A client's own deadline error (a gRPC deadline, BatchAppend's server-side `Timeout`), told the same way. */
const asDeadline = (deadlineMs: number, error: unknown): unknown =>
  errorType(error) === DEADLINE_EXCEEDED && !(error instanceof DeadlineExceededError) ? new DeadlineExceededError(deadlineMs, { cause: error }) : error;

/** The work's promise, also when it throws before returning one (a client refusing its arguments). */
const started = <T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> => {
  try {
    return work(signal);
  } catch (error: unknown) {
    return Promise.reject(error);
  }
};

/**
 * Runs `work`, rejecting with a `DeadlineExceededError` once `deadlineMs` has passed. At that moment the
 * signal aborts, so `work` cancels what it started (see `drain`); whatever `work` settles to afterwards is
 * ignored, once and quietly (its rejection is handled here). The timer is cleared as soon as either
 * happens; it is not `unref`ed, so a caller awaiting a stalled call is answered rather than the process
 * exiting under it, and it never outlives the deadline.
 */
export const withDeadline = <T>(deadlineMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer =
      deadlineMs === Number.POSITIVE_INFINITY
        ? undefined
        : setTimeout(() => {
            const error = new DeadlineExceededError(deadlineMs);
            controller.abort(error);
            reject(error);
          }, deadlineMs);
    started(work, controller.signal).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(asDeadline(deadlineMs, error));
      },
    );
  });
};

const method = (target: object, name: string): (() => unknown) | undefined => {
  const found: unknown = Reflect.get(target, name);
  return typeof found === 'function' ? () => Reflect.apply(found, target, []) : undefined;
};

/**
 * Stops a client read: v6's `ReadStream.cancel()` cancels its gRPC call, `destroy()` ends the Node stream
 * the adapter iterates. KurrentDB's reads (its Rust bridge) offer neither: they are abandoned.
 */
const cancelRead = (iterable: object): void => {
  const cancelled = method(iterable, 'cancel')?.();
  if (cancelled instanceof Promise) cancelled.catch(() => undefined);
  method(iterable, 'destroy')?.();
};

/** Reads a client's iterable to its end, handing each item to `onItem`; the signal's abort cancels the read. */
export const drain = async <T>(iterable: AsyncIterable<T>, signal: AbortSignal, onItem: (item: T) => void): Promise<void> => {
  signal.throwIfAborted();
  const cancel = (): void => cancelRead(iterable);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for await (const item of iterable) {
      signal.throwIfAborted();
      onItem(item);
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
};
