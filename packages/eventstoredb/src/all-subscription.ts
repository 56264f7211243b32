import { compareLogPositions, type AllSubscriptionHandlers, type LogPosition, type StoreError, type Subscription } from '@message-center/core';
// The subscription machinery every store shares (handler scope, failure reports): not on the front door.
import { handlerFailed, handlerScope, startSubscription, type SubscriptionFailureReport } from '@message-center/core/internals';
import { START, STREAM_NAME, type AllSubscriptionLike, type ClientAllResolvedEvent, type EventStoreDbClientLike, type StreamNameFilter } from './client.js';
import { DEFAULT_DEADLINE_MS, DeadlineExceededError } from './deadline.js';
import { isPermanent, unavailable } from './errors.js';
import { isSystemEvent, toRecordedEvent } from './recorded-event.js';

export interface ResubscribeOptions {
  /** Wait before the first new attempt after a drop. Default 100 ms. */
  readonly initialDelayMs?: number;
  /** The wait doubles per failed attempt up to this bound. Default 5 000 ms. */
  readonly maxDelayMs?: number;
  /** Failed attempts in a row before giving up with `onError`. Default: never give up. */
  readonly maxAttempts?: number;
  /** Told about every drop that will be retried (for logging). */
  readonly onRetry?: (attempt: number, delayMs: number, cause: unknown) => void;
}

export interface AllSubscriptionOptions {
  readonly after?: LogPosition;
  readonly streamPrefix?: string;
}

/** What ended the run loop: a handler's throw, or a failure of the subscription itself. */
class HandlerFailure {
  constructor(readonly cause: unknown) {}
}

class SubscriptionFailure {
  constructor(readonly error: StoreError) {}
}

/** A handler's throw reaches the host as it was thrown; the subscription's own failure as its error. */
const reportOf = (failure: unknown): SubscriptionFailureReport => {
  if (failure instanceof SubscriptionFailure) return { error: failure.error, uncaught: failure.error };
  const cause = failure instanceof HandlerFailure ? failure.cause : failure;
  const error = handlerFailed(cause);
  return { error, uncaught: failure instanceof HandlerFailure ? cause : error };
};

/** Why one server subscription stopped delivering. */
type Outcome =
  | { readonly kind: 'closed' }
  | { readonly kind: 'dropped'; readonly cause: unknown; readonly progressed: boolean }
  | { readonly kind: 'handler-failed'; readonly cause: unknown };

/**
 * A catch-up subscription to `$all` that survives dropped connections. The client does not resubscribe
 * after a channel error (its `Subscription` only re-emits the error), so this does: from the position
 * of the last event it handed to `onEvent`, which EventStoreDB treats as exclusive — "The positions
 * provided to the subscriptions are exclusive. You will only receive the next event after the subscribed
 * position" (developers.eventstore.com/clients/grpc/subscribing-to-streams, "Subscribing from a specific
 * position"; server: `Enumerators.AllSubscription.Subscribe` reads one event at the position and starts
 * at its `NextPos`). The client passes `fromPosition` through unchanged (`streams/subscribeToAll.js`).
 * Every event is therefore delivered once, in log order, each `onEvent` awaited before the next.
 *
 * Neither client puts a deadline on a subscription (`deadline: Infinity`), so this does, until caught up
 * (`catchUpDeadlineMs`): the server must confirm the subscription in time, and then send its next message
 * (event, checkpoint, caught-up) within the deadline of each wait for it; a handler's time does not count.
 * Past it the attempt is cancelled and treated as a drop: resubscribed per `retry`, reported by `onError`
 * (store-unavailable) once `maxAttempts` is spent. Caught up, silence is normal: there is no deadline,
 * gRPC keepalive (the client's `keepAliveInterval`/`keepAliveTimeout`) detects a dead connection.
 */
export const subscribeToAllWithResume = (
  client: EventStoreDbClientLike,
  options: AllSubscriptionOptions,
  handlers: AllSubscriptionHandlers,
  retry: ResubscribeOptions = {},
  catchUpDeadlineMs: number = DEFAULT_DEADLINE_MS,
): Subscription => {
  const { streamPrefix } = options;
  const initialDelay = retry.initialDelayMs ?? 100;
  const maxDelay = retry.maxDelayMs ?? 5_000;
  const maxAttempts = retry.maxAttempts ?? Number.POSITIVE_INFINITY;
  const scope = handlerScope();
  // Server-side filter by stream name; without a prefix, everything but system streams (`$…`). Built as
  // the clients' `streamNameFilter()` builds it (checkpoints every page), without loading a client.
  const serverFilter: StreamNameFilter =
    streamPrefix === undefined
      ? { filterOn: STREAM_NAME, checkpointInterval: 1, regex: '^[^$]' }
      : { filterOn: STREAM_NAME, checkpointInterval: 1, prefixes: [streamPrefix] };

  let closed = false;
  let current: AllSubscriptionLike | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  // The resume point: the checkpoint given, then the last event delivered (or skipped as not wanted).
  let lastPosition: LogPosition | undefined = options.after;
  let caughtUpReported = false;

  const wakeUp = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(wakeUp, ms);
    });

  const stop = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    current?.unsubscribe().catch(() => undefined);
    wakeUp();
  };

  const deliver = async (resolved: ClientAllResolvedEvent): Promise<void> => {
    const event = resolved.event;
    if (event === undefined) return;
    // A server that resent an event before the resume point would otherwise deliver it twice.
    if (lastPosition !== undefined && compareLogPositions(event.position, lastPosition) <= 0) return;
    if (!isSystemEvent(event) && (streamPrefix === undefined || event.streamId.startsWith(streamPrefix))) {
      const recorded = toRecordedEvent(event);
      await scope.run(() => handlers.onEvent(recorded));
    }
    lastPosition = event.position;
  };

  /**
   * One server subscription, consumed by a pull loop over `read()` rather than `for await`: the count of
   * events taken is updated in the same tick as `read()`, so when the client emits `caughtUp` (it does so
   * while events before it may still sit in its buffer) `taken + readableLength` is exactly the number of
   * events that precede it, and `onCaughtUp` is called after the last of them has been handled.
   */
  const consume = async (): Promise<Outcome> => {
    let failure: { readonly cause: unknown } | undefined;
    let progressed = false;
    let taken = 0;
    let handled = 0;
    let caughtUpAfter: number | undefined;
    let deadline: NodeJS.Timeout | undefined;
    // Once this attempt is over, its late events must not cut the backoff before the next one short.
    let attempting = true;
    const nudge = (): void => {
      if (attempting) wakeUp();
    };
    // A checkpoint is a sign of life while catching up (a filter that matches little sends mostly those).
    const filter: StreamNameFilter = { ...serverFilter, checkpointReached: nudge };
    const subscription = client.subscribeToAll({ fromPosition: lastPosition ?? START, resolveLinkTos: false, filter });
    current = subscription;
    subscription.on('error', (cause) => {
      failure ??= { cause };
      nudge();
    });
    subscription.on('end', () => {
      failure ??= { cause: new Error('the server ended the subscription') };
      nudge();
    });
    subscription.on('readable', nudge);
    subscription.on('confirmation', () => {
      progressed = true;
      nudge();
    });
    subscription.on('caughtUp', () => {
      caughtUpAfter ??= taken + subscription.readableLength;
      nudge();
    });
    /** Waits for the server; until it says it is caught up, no longer than the deadline. */
    const waitForServer = async (): Promise<void> => {
      try {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (caughtUpAfter !== undefined || catchUpDeadlineMs === Number.POSITIVE_INFINITY) return;
          deadline = setTimeout(() => {
            failure ??= { cause: new DeadlineExceededError(catchUpDeadlineMs) };
            nudge();
          }, catchUpDeadlineMs);
        });
      } finally {
        clearTimeout(deadline);
      }
    };
    try {
      while (!closed) {
        if (!caughtUpReported && caughtUpAfter !== undefined && handled >= caughtUpAfter) {
          caughtUpReported = true;
          await scope.run(async () => handlers.onCaughtUp?.());
          continue;
        }
        const item = subscription.read();
        if (item !== null) {
          taken += 1;
          progressed = true;
          await deliver(item);
          handled += 1;
          continue;
        }
        // Buffered events are handled before a drop is acted upon; the resume point follows them.
        if (failure !== undefined) {
          // A server that confirms and then stalls has made no progress: `maxAttempts` must still bound it.
          const stalled = failure.cause instanceof DeadlineExceededError;
          return { kind: 'dropped', cause: failure.cause, progressed: stalled ? taken > 0 : progressed };
        }
        await waitForServer();
      }
      return { kind: 'closed' };
    } catch (cause: unknown) {
      return { kind: 'handler-failed', cause };
    } finally {
      attempting = false;
      clearTimeout(deadline);
      current = undefined;
      subscription.on('error', () => undefined);
      subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  };

  const run = async (): Promise<void> => {
    let attempt = 0;
    while (!closed) {
      const outcome = await consume();
      if (outcome.kind === 'closed' || closed) return;
      if (outcome.kind === 'handler-failed') throw new HandlerFailure(outcome.cause);
      if (isPermanent(outcome.cause)) throw new SubscriptionFailure(unavailable('subscription to $all', outcome.cause));
      attempt = outcome.progressed ? 1 : attempt + 1;
      if (attempt > maxAttempts) {
        throw new SubscriptionFailure(unavailable(`subscription to $all (gave up after ${attempt} failed attempt${attempt === 1 ? '' : 's'})`, outcome.cause));
      }
      const delay = Math.min(maxDelay, initialDelay * 2 ** (attempt - 1));
      retry.onRetry?.(attempt, delay, outcome.cause);
      await sleep(delay);
    }
  };

  return startSubscription(scope, handlers, run, stop, reportOf);
};
