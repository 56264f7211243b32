import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, DEFAULT_DEADLINE_MS, drain, resolveDeadlines, withDeadline } from '../src/deadline.js';
import { createEventStoreDbEventStore, type EventStoreDbClientLike } from '../src/index.js';
import { eventually, sleep } from './support/helpers.js';

// The adapter's own deadline machinery, without a server: options, the timer, and the cancellation of reads.

const timers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
const never = (): Promise<never> => new Promise(() => undefined);

describe('deadline options', () => {
  it('default to 10 s for every kind, and take a common value and per-kind overrides', () => {
    expect(DEFAULT_DEADLINE_MS).toBe(10_000);
    expect(resolveDeadlines()).toEqual({ appendMs: 10_000, readMs: 10_000, deleteMs: 10_000, catchUpMs: 10_000 });
    expect(resolveDeadlines(500, { readMs: 2_000, catchUpMs: Number.POSITIVE_INFINITY })).toEqual({
      appendMs: 500,
      readMs: 2_000,
      deleteMs: 500,
      catchUpMs: Number.POSITIVE_INFINITY,
    });
  });

  it('refuse what is not a positive number of milliseconds a timer can hold, when the store is created', () => {
    for (const bad of [0, -1, Number.NaN, Number.NEGATIVE_INFINITY, 2 ** 31]) {
      expect(() => resolveDeadlines(bad)).toThrow(RangeError);
      expect(() => resolveDeadlines(1_000, { appendMs: bad })).toThrow(/deadlines\.appendMs/);
    }
    const client: EventStoreDbClientLike = {
      appendToStream: never,
      readStream: () => ({ [Symbol.asyncIterator]: () => ({ next: never }) }),
      readAll: () => ({ [Symbol.asyncIterator]: () => ({ next: never }) }),
      subscribeToAll: () => {
        throw new Error('not called');
      },
      tombstoneStream: never,
    };
    expect(() => createEventStoreDbEventStore(client, { deadlineMs: 0 })).toThrow(RangeError);
  });
});

describe('withDeadline', () => {
  it('rejects with DeadlineExceededError once the deadline has passed, aborts the signal, and leaves no timer', async () => {
    const before = timers();
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const error = await withDeadline(50, (given) => {
      signal = given;
      return never();
    }).catch((thrown: unknown) => thrown);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ type: 'deadline-exceeded', deadlineMs: 50, message: 'no answer from the server within 50 ms' });
    expect(signal?.aborted).toBe(true);
    expect(timers()).toBe(before);
  });

  it('clears its timer when the work settles first, either way, or throws before it starts', async () => {
    const before = timers();
    expect(await withDeadline(60_000, async () => 42)).toBe(42);
    await expect(withDeadline(60_000, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const throwsAtOnce = (): Promise<never> => {
      throw new Error('bad arguments');
    };
    await expect(withDeadline(60_000, throwsAtOnce)).rejects.toThrow('bad arguments');
    expect(timers()).toBe(before);
  });

  it('ignores what the work does after the deadline: a late value, or a late rejection (never unhandled)', async () => {
    const late = withDeadline(20, () => sleep(60).then(() => 'late'));
    await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
    const lateFailure = withDeadline(20, () => sleep(60).then(() => Promise.reject(new Error('late failure'))));
    await expect(lateFailure).rejects.toBeInstanceOf(DeadlineExceededError);
    await sleep(80);
  });

  it('reports a client’s own deadline error as the adapter’s, with the original as its cause', async () => {
    const clientError = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { type: 'deadline-exceeded' });
    const error = await withDeadline(60_000, () => Promise.reject(clientError)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ deadlineMs: 60_000, cause: clientError });
  });
});

describe('drain', () => {
  it('cancels and destroys a client read (v6 ReadStream) that never yields when the deadline passes', async () => {
    let cancelled = 0;
    const stalled = Object.assign(new Readable({ objectMode: true, read: () => undefined }), {
      cancel: async (): Promise<void> => {
        cancelled += 1;
      },
    });
    const error = await withDeadline(30, (signal) => drain(stalled, signal, () => undefined)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(cancelled).toBe(1);
    expect(stalled.destroyed).toBe(true);
  });

  it('hands over every item of a read that ends in time', async () => {
    const items: number[] = [];
    const read = async function* (): AsyncGenerator<number> {
      yield* [1, 2, 3];
    };
    await withDeadline(1_000, (signal) => drain(read(), signal, (item) => items.push(item)));
    expect(items).toEqual([1, 2, 3]);
  });
});

describe('subscribeToAll before caught-up (a client double)', () => {
  /** A subscription the double hands out: confirmed at once, then fed by the test. */
  const subscriptionDouble = (): Readable & { unsubscribe: () => Promise<void> } => {
    const subscription = Object.assign(new Readable({ objectMode: true, read: () => undefined }), { unsubscribe: async (): Promise<void> => undefined });
    setImmediate(() => subscription.emit('confirmation'));
    return subscription;
  };

  const clientWith = (subscribe: () => ReturnType<typeof subscriptionDouble>): EventStoreDbClientLike => ({
    appendToStream: never,
    readStream: () => ({ [Symbol.asyncIterator]: () => ({ next: never }) }),
    readAll: () => ({ [Symbol.asyncIterator]: () => ({ next: never }) }),
    subscribeToAll: subscribe,
    tombstoneStream: never,
  });

  it('gives up after maxAttempts when the server confirms and then says nothing (a confirmation is no progress)', async () => {
    let attempts = 0;
    const store = createEventStoreDbEventStore(
      clientWith(() => {
        attempts += 1;
        return subscriptionDouble();
      }),
      { deadlineMs: 50, resubscribe: { initialDelayMs: 1, maxAttempts: 2 } },
    );
    const failure = await new Promise<unknown>((resolve) => {
      store.subscribeToAll({}, { onEvent: () => undefined, onError: resolve });
    });
    expect(failure).toMatchObject({ code: 'store-unavailable', cause: { type: 'deadline-exceeded', deadlineMs: 50 } });
    expect(failure).toMatchObject({ message: expect.stringContaining('gave up after 3 failed attempts') });
    expect(attempts).toBe(3);
  });

  it('does not count a handler’s time against the deadline, nor the silence of a caught-up subscription', async () => {
    const subscription = subscriptionDouble();
    const at = (n: number) => ({
      event: { streamId: 'mc-a', id: `00000000-0000-4000-8000-00000000000${n}`, revision: BigInt(n), type: 'Happened', created: new Date(0), data: {}, metadata: {}, position: { commit: BigInt(n + 1), prepare: BigInt(n + 1) } },
    });
    let failure: unknown;
    let caughtUp = false;
    const handled: string[] = [];
    const store = createEventStoreDbEventStore(
      clientWith(() => subscription),
      { deadlineMs: 40, resubscribe: { maxAttempts: 0 } },
    );
    const running = store.subscribeToAll(
      {},
      {
        // Each handler outlasts the deadline; the server says it is caught up only once all are handled.
        onEvent: async (e) => {
          handled.push(e.id);
          await sleep(60);
          if (handled.length === 3) subscription.emit('caughtUp');
        },
        onCaughtUp: () => {
          caughtUp = true;
        },
        onError: (error) => {
          failure = error;
        },
      },
    );
    await sleep(5);
    for (const n of [1, 2, 3]) subscription.push(at(n));
    await eventually(() => caughtUp, 5_000, 'caught up');
    // Caught up, silence is not a stall.
    await sleep(200);
    await running.close();
    expect(failure).toBeUndefined();
    expect(handled).toHaveLength(3);
    expect(caughtUp).toBe(true);
  });
});
