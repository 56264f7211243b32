/**
 * An EventStore over any EventStore that misbehaves the way a real one does under load: latency, lost
 * races (`concurrency-conflict`), `store-unavailable` before a write or AFTER it was applied (the caller
 * sees a failure although the events are stored), a stall, and crashes of one caller (a session).
 * Every decision is drawn from a seeded generator in call order, or chosen per call by `decide`.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { EventStore, EventToAppend, ExpectedRevision, StoreError, Subscription } from '@message-center/core';
import { createFaultJournal, type AppliedAppend, type FaultJournal } from './journal.js';
import { seededRandom } from './random.js';
import { timerScheduler, type FaultScheduler } from './scheduler.js';

/** Rates are probabilities per call (0–1); latency is drawn uniformly in [0, maxLatencyMs] on the way in and again on the way out. */
export interface StoreFaultPlan {
  readonly seed: number;
  readonly maxLatencyMs: number;
  /** Appends refused as if another writer got there first (nothing written). */
  readonly conflictRate: number;
  /** Appends answered `store-unavailable` without writing. */
  readonly unavailableBeforeRate: number;
  /** Appends written, then answered `store-unavailable`. */
  readonly unavailableAfterRate: number;
  /** Reads (`readStream`, `readAll`) answered `store-unavailable`. */
  readonly readUnavailableRate: number;
}

export const healthyStorePlan: StoreFaultPlan = {
  seed: 0,
  maxLatencyMs: 0,
  conflictRate: 0,
  unavailableBeforeRate: 0,
  unavailableAfterRate: 0,
  readUnavailableRate: 0,
};

export type StoreCall =
  | {
      readonly operation: 'append';
      readonly session: string;
      readonly streamId: string;
      readonly eventTypes: ReadonlyArray<string>;
      readonly expectedRevision: ExpectedRevision;
    }
  | { readonly operation: 'readStream'; readonly session: string; readonly streamId: string }
  | { readonly operation: 'readAll'; readonly session: string };

/** What happens to one call. A read has nothing to apply or race for: any fault makes it `store-unavailable`. */
export type StoreFaultChoice = 'none' | 'conflict' | 'unavailable-before' | 'unavailable-after';

export interface FaultyEventStoreOptions {
  readonly plan?: StoreFaultPlan;
  readonly scheduler?: FaultScheduler;
  /** Shared with a faulty transport to order stored events and sends on one sequence. */
  readonly journal?: FaultJournal;
  /** Chooses the fault of one call (undefined: the plan draws it), for targeted reproductions. */
  readonly decide?: (call: StoreCall) => StoreFaultChoice | undefined;
}

/** One caller of the store (a facade instance); crashing it is the process dying. */
export interface StoreSession {
  readonly label: string;
  readonly store: EventStore;
  /** From now on its calls never answer; a call in flight that has not reached the inner store never does. */
  readonly crash: () => void;
  readonly crashed: () => boolean;
}

/** Where a stall holds calls: before they reach the inner store, or after a write was applied (the answer is lost until resume). */
export type StallPoint = 'before' | 'after-apply';

export interface FaultyEventStore {
  /** The default session, `main`. */
  readonly store: EventStore;
  readonly session: (label: string) => StoreSession;
  /** Holds every later call at `point` until `resume()`, as a server that accepts calls and stops answering. */
  readonly stall: (point?: StallPoint) => void;
  readonly resume: () => void;
  /** Calls held by a stall right now. */
  readonly held: () => number;
  readonly journal: FaultJournal;
  /** Replaces the plan (and drops `decide`) for later calls, e.g. `healthyStorePlan` to let a test recover. */
  readonly setPlan: (next: StoreFaultPlan) => void;
  /** Calls received so far, every session: a progress signal for drivers that detect hangs. */
  readonly calls: () => number;
}

const never = <A>(): Promise<A> => new Promise<A>(() => undefined);

const unavailable = (message: string): StoreError => ({ code: 'store-unavailable', message: `injected fault: ${message}` });

/** A lost race as the stores report it; `actual` null: the store does not say where the stream is. */
const conflict = (streamId: string, expected: ExpectedRevision): StoreError => ({
  code: 'concurrency-conflict',
  message: `injected fault: stream ${streamId}: expected ${typeof expected === 'bigint' ? `revision ${expected}` : expected} but another writer got there first`,
  streamId,
  expected,
  actual: null,
});

// EventStoreDB never reports a conflict for `any`; an injected one would be a fault no real store has.
const canConflict = (expected: ExpectedRevision): boolean => expected !== 'any';

export const createFaultyEventStore = (inner: EventStore, options: FaultyEventStoreOptions = {}): FaultyEventStore => {
  let plan = options.plan ?? healthyStorePlan;
  const scheduler = options.scheduler ?? timerScheduler;
  const journal = options.journal ?? createFaultJournal();
  const random = seededRandom(plan.seed);
  let decide = options.decide;
  let calls = 0;
  let stallPoint: StallPoint | null = null;
  let waiting: Array<() => void> = [];

  const latency = async (): Promise<void> => {
    const ms = random.between(0, plan.maxLatencyMs);
    if (ms > 0) await scheduler.sleep(ms);
  };
  const gate = (point: StallPoint): Promise<void> =>
    stallPoint === point ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve();

  const choose = (call: StoreCall): StoreFaultChoice => {
    const chosen = decide?.(call);
    if (chosen !== undefined) return chosen;
    if (call.operation !== 'append') return random.chance(plan.readUnavailableRate) ? 'unavailable-before' : 'none';
    if (canConflict(call.expectedRevision) && random.chance(plan.conflictRate)) return 'conflict';
    if (random.chance(plan.unavailableBeforeRate)) return 'unavailable-before';
    if (random.chance(plan.unavailableAfterRate)) return 'unavailable-after';
    return 'none';
  };

  const recordFault = (session: string, operation: 'append' | 'readStream' | 'readAll', streamId: string | null, fault: StoreError['code'] | 'unavailable-after-write') =>
    journal.add({ kind: 'store-fault', seq: journal.tick(), session, operation, streamId, fault });

  const makeSession = (label: string): StoreSession => {
    let crashed = false;
    const subscriptions = new Set<Subscription>();

    /** The way in: stall, latency, and a crash that happened meanwhile. */
    const arrive = async (): Promise<boolean> => {
      calls += 1;
      await gate('before');
      await latency();
      return !crashed;
    };
    /** The way out: a stall after applying, latency, and a crash that happened meanwhile. */
    const leave = async (): Promise<boolean> => {
      await gate('after-apply');
      await latency();
      return !crashed;
    };

    const appendToStream: EventStore['appendToStream'] =
      (streamId: string, events: ReadonlyArray<EventToAppend>, appendOptions: { readonly expectedRevision: ExpectedRevision }) => async () => {
        const expectedRevision = appendOptions.expectedRevision;
        const choice = choose({ operation: 'append', session: label, streamId, eventTypes: events.map((e) => e.type), expectedRevision });
        if (!(await arrive())) return never();
        if (choice === 'conflict' && canConflict(expectedRevision)) {
          recordFault(label, 'append', streamId, 'concurrency-conflict');
          return E.left(conflict(streamId, expectedRevision));
        }
        if (choice === 'unavailable-before') {
          recordFault(label, 'append', streamId, 'store-unavailable');
          return E.left(unavailable(`append to ${streamId} failed before writing`));
        }
        const result = await inner.appendToStream(streamId, events, appendOptions)();
        const applied: AppliedAppend | null = E.isRight(result)
          ? journal.add({
              kind: 'append',
              seq: journal.tick(),
              session: label,
              streamId,
              eventTypes: events.map((e) => e.type),
              dataJson: JSON.stringify(events.map((e) => e.data)),
              answer: 'acknowledged',
            })
          : null;
        if (!(await leave())) {
          if (applied !== null) applied.answer = 'never-answered';
          return never();
        }
        if (applied !== null && choice === 'unavailable-after') {
          applied.answer = 'unavailable-after-write';
          recordFault(label, 'append', streamId, 'unavailable-after-write');
          return E.left(unavailable(`append to ${streamId} was written but its answer was lost`));
        }
        return result;
      };

    const read = <A>(operation: 'readStream' | 'readAll', streamId: string | null, task: TE.TaskEither<StoreError, A>): TE.TaskEither<StoreError, A> => async () => {
      const choice = choose(streamId === null ? { operation: 'readAll', session: label } : { operation: 'readStream', session: label, streamId });
      if (!(await arrive())) return never();
      if (choice !== 'none') {
        recordFault(label, operation, streamId, 'store-unavailable');
        return E.left(unavailable(`${operation}${streamId === null ? '' : ` of ${streamId}`} failed`));
      }
      const result = await task();
      return (await leave()) ? result : never();
    };

    const store: EventStore = {
      appendToStream,
      readStream: (streamId, readOptions) => read('readStream', streamId, inner.readStream(streamId, readOptions)),
      readAll: (readOptions) => read('readAll', null, inner.readAll(readOptions)),
      // Subscriptions pass through (their latency is the inner store's); a crash closes them.
      subscribeToAll: (subscribeOptions, handlers) => {
        const subscription = inner.subscribeToAll(subscribeOptions, handlers);
        subscriptions.add(subscription);
        return {
          close: () => {
            subscriptions.delete(subscription);
            return subscription.close();
          },
        };
      },
    };
    return {
      label,
      store,
      crash: () => {
        crashed = true;
        journal.note(`crash:${label}`);
        for (const subscription of subscriptions) void subscription.close();
        subscriptions.clear();
      },
      crashed: () => crashed,
    };
  };

  const main = makeSession('main');
  return {
    store: main.store,
    session: makeSession,
    stall: (point = 'before') => {
      stallPoint = point;
    },
    resume: () => {
      stallPoint = null;
      const released = waiting;
      waiting = [];
      for (const release of released) release();
    },
    held: () => waiting.length,
    journal,
    setPlan: (next) => {
      plan = next;
      decide = undefined;
    },
    calls: () => calls,
  };
};
