import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  RecordedEvent,
  StoreError,
} from '../application/ports/event-store.js';
import { decideAppend, type StreamIds } from './append-decision.js';
import { startCatchUpSubscription } from './catch-up-subscription.js';
import { createEventLog } from './event-log.js';
import { prepareBatch, type PreparedEvent } from './prepare-batch.js';
import { appendTooLarge, concurrencyConflict, invalidRequest, streamDeleted, unexpectedFailure } from './store-errors.js';

export interface InMemoryEventStoreOptions {
  /** The `created` time of recorded events (ISO-8601 UTC); one reading per append. Default: the system clock. */
  readonly clock?: () => string;
  /** Largest append, in UTF-8 bytes of JSON data and metadata. Default: EventStoreDB's `MaxAppendSize`, 1 MiB. */
  readonly maxAppendSize?: number;
}

export interface InMemoryEventStore extends EventStore {
  /**
   * Tombstones a stream (EventStoreDB's hard delete): from then on reading or appending to it answers
   * `stream-deleted`, whatever the expected revision, and so does deleting it again. Its events stay in
   * the global log, as they do in `$all` on a server until a scavenge; no tombstone event is written.
   */
  readonly deleteStream: (streamId: string) => TE.TaskEither<StoreError, void>;
}

export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

interface StreamState {
  readonly events: Array<RecordedEvent>;
  /** Latest revision of each event id, for the idempotency check of `any` / `stream-exists`. */
  readonly revisionById: Map<string, bigint>;
  deleted: boolean;
}

const systemClock = (): string => new Date().toISOString();

const isCount = (n: number | undefined): boolean => n === undefined || (Number.isSafeInteger(n) && n >= 0);

const validExpected = (expected: ExpectedRevision): boolean =>
  typeof expected === 'bigint' ? expected >= 0n : expected === 'no-stream' || expected === 'stream-exists' || expected === 'any';

const streamIds = (state: StreamState | undefined): StreamIds => ({
  revision: BigInt(state?.events.length ?? 0) - 1n,
  idAt: (revision) => (revision < 0n ? undefined : state?.events[Number(revision)]?.id),
  revisionOf: (id) => state?.revisionById.get(id),
});

/**
 * The embedded EventStore: everything in memory, with EventStoreDB's semantics (see the port and
 * `decideAppend`). Every operation runs synchronously when its task runs, which makes each append atomic
 * and its expected-revision check race-free. Events are validated and deep-copied (JSON semantics, see
 * `copyJson`) before anything is written, and recorded events are frozen, so neither writers nor readers
 * can change what is stored.
 */
export const createInMemoryEventStore = (options: InMemoryEventStoreOptions = {}): InMemoryEventStore => {
  const clock = options.clock ?? systemClock;
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const log = createEventLog();
  const streams = new Map<string, StreamState>();

  // Lazy like any Task; exceptions (bugs) become a typed Left instead of a rejected promise.
  const task =
    <A>(work: () => E.Either<StoreError, A>): TE.TaskEither<StoreError, A> =>
    async () => {
      try {
        return work();
      } catch (cause: unknown) {
        return E.left(unexpectedFailure(cause));
      }
    };

  const record = (streamId: string, existing: StreamState | undefined, events: ReadonlyArray<PreparedEvent>): AppendResult => {
    const state: StreamState = existing ?? { events: [], revisionById: new Map(), deleted: false };
    streams.set(streamId, state);
    const created = clock();
    for (const event of events) {
      const revision = BigInt(state.events.length);
      const recorded: RecordedEvent = Object.freeze({ ...event, streamId, revision, position: log.nextPosition(), created });
      log.push(recorded);
      state.events.push(recorded);
      state.revisionById.set(event.id, revision);
    }
    log.notify();
    return lastEventResult(state);
  };

  // Also the answer to an empty append, which writes nothing (and creates no stream).
  const lastEventResult = (state: StreamState | undefined): AppendResult => {
    const last = state?.events.at(-1);
    return last === undefined
      ? { nextExpectedRevision: -1n, position: log.headPosition() }
      : { nextExpectedRevision: last.revision, position: last.position };
  };

  const appendToStream: EventStore['appendToStream'] = (streamId, events, { expectedRevision }) =>
    task(() => {
      if (typeof streamId !== 'string' || streamId === '') return E.left(invalidRequest('the stream id must be a non-empty string'));
      if (!validExpected(expectedRevision)) return E.left(invalidRequest(`append to ${streamId}: invalid expected revision ${String(expectedRevision)}`));
      const batch = prepareBatch(events, maxAppendSize);
      if (E.isLeft(batch)) return E.left(invalidRequest(`append to ${streamId}: ${batch.left}`));
      if (batch.right.oversize !== null) return E.left(appendTooLarge(streamId, batch.right.oversize, maxAppendSize));
      const state = streams.get(streamId);
      if (state?.deleted === true) return E.left(streamDeleted(streamId));
      const current = streamIds(state);
      const decision = decideAppend(current, expectedRevision, batch.right.events.map((event) => event.id));
      switch (decision.kind) {
        case 'conflict':
          return E.left(concurrencyConflict(streamId, expectedRevision, current.revision));
        case 'idempotent': {
          const original = state?.events[Number(decision.lastRevision)];
          if (original === undefined) return E.left(unexpectedFailure(new Error(`idempotent append to ${streamId} found no event`)));
          return E.right({ nextExpectedRevision: original.revision, position: original.position });
        }
        case 'write':
          return E.right(batch.right.events.length === 0 ? lastEventResult(state) : record(streamId, state, batch.right.events));
      }
    });

  const readStream: EventStore['readStream'] = (streamId, { fromRevision = 0n, maxCount } = {}) =>
    task(() => {
      if (fromRevision < 0n || !isCount(maxCount)) return E.left(invalidRequest(`read ${streamId}: fromRevision must be >= 0 and maxCount a count`));
      const state = streams.get(streamId);
      if (state?.deleted === true) return E.left(streamDeleted(streamId));
      if (state === undefined || fromRevision >= BigInt(state.events.length)) return E.right([]);
      const from = Number(fromRevision);
      return E.right(state.events.slice(from, maxCount === undefined ? undefined : from + maxCount));
    });

  const readAll: EventStore['readAll'] = ({ after, streamPrefix, maxCount } = {}) =>
    task(() => {
      if (!isCount(maxCount)) return E.left(invalidRequest('read all: maxCount must be a count'));
      const start = log.firstIndexAfter(after);
      const limit = maxCount ?? Number.POSITIVE_INFINITY;
      if (streamPrefix === undefined) return E.right(log.slice(start, start + Math.min(limit, log.length())));
      const found: Array<RecordedEvent> = [];
      for (let index = start; index < log.length() && found.length < limit; index += 1) {
        const event = log.at(index);
        if (event !== undefined && event.streamId.startsWith(streamPrefix)) found.push(event);
      }
      return E.right(found);
    });

  const deleteStream: InMemoryEventStore['deleteStream'] = (streamId) =>
    task(() => {
      const state = streams.get(streamId);
      if (state?.deleted === true) return E.left(streamDeleted(streamId));
      if (state === undefined) streams.set(streamId, { events: [], revisionById: new Map(), deleted: true });
      else state.deleted = true;
      return E.right(undefined);
    });

  return {
    appendToStream,
    readStream,
    readAll,
    subscribeToAll: (subscriptionOptions, handlers) => startCatchUpSubscription(log, subscriptionOptions, handlers),
    deleteStream,
  };
};
