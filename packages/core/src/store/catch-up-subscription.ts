import { compareLogPositions, type LogPosition } from '../domain/log.js';
import type { AllSubscriptionHandlers, RecordedEvent, Subscription } from '../application/ports/event-store.js';
import { handlerScope, startSubscription } from './subscription-lifecycle.js';

/** The global log as a subscription sees it: append-only, indexed from 0. */
export interface LogView {
  readonly at: (index: number) => RecordedEvent | undefined;
  /** Index of the first event after `position`; 0 without a position. */
  readonly firstIndexAfter: (position: LogPosition | undefined) => number;
  /** Registers a callback run after every append; returns the unregistration. */
  readonly onAppend: (listener: () => void) => () => void;
}

export interface CatchUpOptions {
  readonly after?: LogPosition;
  readonly streamPrefix?: string;
}

// Long histories are delivered in a loop of microtasks; yielding now and then lets timers and I/O
// (and a `close()` from a timer) run.
const YIELD_EVERY = 256;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A catch-up subscription over an in-memory log. One loop per subscription walks the log by index, so
 * events are delivered strictly in log order, each handler call awaited before the next, and an append
 * only wakes the loop: appends never wait for subscribers, and a slow subscriber reads the log at its
 * own pace (the log is its buffer, so nothing is dropped or copied).
 *
 * A handler that throws (or rejects), `onCaughtUp` included, ends the subscription (see
 * `subscription-lifecycle.ts`, shared with the EventStoreDB adapter).
 */
export const startCatchUpSubscription = (log: LogView, options: CatchUpOptions, handlers: AllSubscriptionHandlers): Subscription => {
  const scope = handlerScope();
  const { after, streamPrefix } = options;
  let closed = false;
  let wake: (() => void) | undefined;

  const wakeUp = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const stopListening = log.onAppend(wakeUp);
  const stop = (): void => {
    if (closed) return;
    closed = true;
    stopListening();
    wakeUp();
  };

  const wanted = (event: RecordedEvent): boolean =>
    (streamPrefix === undefined || event.streamId.startsWith(streamPrefix)) &&
    // A checkpoint ahead of the log (e.g. from another store) delivers nothing until the log passes it.
    (after === undefined || compareLogPositions(event.position, after) > 0);

  const run = async (): Promise<void> => {
    let next = log.firstIndexAfter(after);
    let caughtUp = false;
    let sinceYield = 0;
    while (!closed) {
      const event = log.at(next);
      if (event === undefined) {
        if (caughtUp) {
          // Set synchronously after the check above, so no append can slip in between.
          await new Promise<void>((resolve) => (wake = resolve));
        } else {
          caughtUp = true;
          handlers.onCaughtUp?.();
        }
        continue;
      }
      next += 1;
      if (!wanted(event)) continue;
      await scope.run(() => handlers.onEvent(event));
      sinceYield += 1;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
  };

  return startSubscription(scope, handlers, run, stop);
};
