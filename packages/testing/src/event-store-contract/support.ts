import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type {
  AllSubscriptionHandlers,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  LogPosition,
  RecordedEvent,
  StoreError,
  Subscription,
} from '@message-center/core';

export interface EventStoreContractTarget {
  readonly store: EventStore;
  readonly dispose?: () => Promise<void>;
  /** Tombstones a stream (hard delete), if the store supports it; the tombstone tests are skipped otherwise. */
  readonly deleteStream?: (streamId: string) => Promise<void>;
}

/** The target of the running suite; created in `beforeAll`, so only callable inside tests and hooks. */
export type TargetRef = () => EventStoreContractTarget;

/** Generous, because the suite may run against a remote server; the in-memory store never gets close. */
export const WAIT_MS = 5_000;
export const SLOW_TEST_MS = 60_000;

/**
 * A stream name (or prefix) no other test, run or program uses, so the suite can share a real server.
 * It does not start with `mc-`, so it never reaches the Message Center's own read models.
 */
export const uniqueName = (label: string): string => `contract-${label}-${randomUUID().replaceAll('-', '')}`;

export const newEvent = (data: unknown = {}, type = 'ContractEvent'): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { schemaVersion: 1 },
});

export const newEvents = (count: number, type?: string): ReadonlyArray<EventToAppend> =>
  Array.from({ length: count }, (_, n) => newEvent({ n }, type));

export const idsOf = (events: ReadonlyArray<{ readonly id: string }>): ReadonlyArray<string> => events.map((event) => event.id);

const show = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);

export const expectRight = async <A>(task: TE.TaskEither<StoreError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

export const expectLeft = async <A>(task: TE.TaskEither<StoreError, A>): Promise<StoreError> => {
  const result = await task();
  if (E.isRight(result)) throw new Error(`expected a failure, got success: ${show(result.right)}`);
  return result.left;
};

export const append = (store: EventStore, streamId: string, events: ReadonlyArray<EventToAppend>, expectedRevision: ExpectedRevision) =>
  store.appendToStream(streamId, events, { expectedRevision });

/** Appends one event to a fresh stream outside every tested prefix; its position is a checkpoint "now". */
export const checkpointNow = async (store: EventStore): Promise<LogPosition> =>
  (await expectRight(append(store, uniqueName('checkpoint'), [newEvent()], 'no-stream'))).position;

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise resolved from outside: lets a test hold a handler until it chooses to release it. */
export const gate = (): { readonly opened: Promise<void>; readonly open: () => void } => {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/** Everything a subscription did, and a way to wait for it to reach a state. */
export interface SubscriptionRecord {
  readonly events: ReadonlyArray<RecordedEvent>;
  /** How many events had been delivered when `onCaughtUp` was called; undefined before it. */
  readonly eventsAtCaughtUp: number | undefined;
  readonly caughtUpCalls: number;
  readonly errors: ReadonlyArray<StoreError>;
  readonly subscription: Subscription;
  readonly until: (what: string, done: () => boolean) => Promise<void>;
}

export const recordSubscription = (
  store: EventStore,
  options: Parameters<EventStore['subscribeToAll']>[0],
  behaviour: (event: RecordedEvent, index: number) => Promise<void> | void = () => undefined,
): SubscriptionRecord => {
  const events: Array<RecordedEvent> = [];
  const errors: Array<StoreError> = [];
  let eventsAtCaughtUp: number | undefined;
  let caughtUpCalls = 0;
  const waiters = new Set<() => void>();
  const changed = (): void => waiters.forEach((check) => check());

  const handlers: AllSubscriptionHandlers = {
    onEvent: async (event) => {
      events.push(event);
      changed();
      await behaviour(event, events.length - 1);
    },
    onCaughtUp: () => {
      caughtUpCalls += 1;
      eventsAtCaughtUp ??= events.length;
      changed();
    },
    onError: (error) => {
      errors.push(error);
      changed();
    },
  };
  const subscription = store.subscribeToAll(options, handlers);

  const until = (what: string, done: () => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what} (delivered ${events.length} events, errors: ${show(errors)})`));
      }, WAIT_MS);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });

  return {
    get events() {
      return events;
    },
    get eventsAtCaughtUp() {
      return eventsAtCaughtUp;
    },
    get caughtUpCalls() {
      return caughtUpCalls;
    },
    get errors() {
      return errors;
    },
    subscription,
    until,
  };
};
