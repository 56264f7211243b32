/**
 * What every store's catch-up subscription shares, whatever feeds it (an in-memory log, EventStoreDB):
 *
 * - the delivery loop starts in a microtask, so the caller holds the `Subscription` before the first
 *   handler call;
 * - a handler that throws or rejects ends the subscription: nothing more is delivered and `onError` gets a
 *   `store-unavailable` error whose `cause` is what was thrown (skipping the event would let a read model
 *   silently miss it); without an `onError` the failure is rethrown as an uncaught error, not swallowed;
 * - `close()` stops the loop and waits for the handler in progress, except when called from inside one of
 *   this subscription's handlers, where waiting would wait for itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AllSubscriptionHandlers, StoreError, Subscription } from '../application/ports/event-store.js';

const scopes = new AsyncLocalStorage<symbol>();

/** Marks handler calls as this subscription's, so `close()` can tell it is called from one of them. */
export interface HandlerScope {
  readonly run: <A>(handlerCall: () => A) => A;
  readonly isCurrent: () => boolean;
}

export const handlerScope = (): HandlerScope => {
  const token = Symbol('subscription');
  return { run: (handlerCall) => scopes.run(token, handlerCall), isCurrent: () => scopes.getStore() === token };
};

export const handlerFailed = (cause: unknown): StoreError => ({
  code: 'store-unavailable',
  message: `a subscription handler failed, so the subscription ended: ${cause instanceof Error ? cause.message : String(cause)}`,
  cause,
});

/** How a failure of the loop is reported: the error for `onError`, and what to throw when there is none. */
export interface SubscriptionFailureReport {
  readonly error: StoreError;
  readonly uncaught: unknown;
}

const handlerFailure = (thrown: unknown): SubscriptionFailureReport => ({ error: handlerFailed(thrown), uncaught: thrown });

// Surfaces an error nobody handles as an uncaught exception, like an EventEmitter 'error' without listener.
const rethrow = (error: unknown): void =>
  queueMicrotask(() => {
    throw error;
  });

/**
 * Starts `run` (the delivery loop, which returns once `stop` has been called and throws to end the
 * subscription) and returns the subscription the host holds. By default whatever `run` throws is a
 * handler's failure.
 */
export const startSubscription = (
  scope: HandlerScope,
  handlers: AllSubscriptionHandlers,
  run: () => Promise<void>,
  stop: () => void,
  reportOf: (thrown: unknown) => SubscriptionFailureReport = handlerFailure,
): Subscription => {
  const reportFailure = (thrown: unknown): void => {
    stop();
    const { error, uncaught } = reportOf(thrown);
    const { onError } = handlers;
    if (onError === undefined) return rethrow(uncaught);
    try {
      onError(error);
    } catch (fromOnError: unknown) {
      rethrow(fromOnError);
    }
  };
  const finished = Promise.resolve().then(run).then(stop, reportFailure);
  return {
    close: () => {
      stop();
      return scope.isCurrent() ? Promise.resolve() : finished;
    },
  };
};
