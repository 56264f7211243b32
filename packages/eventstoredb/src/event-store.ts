import {
  compareLogPositions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogPosition,
  type RecordedEvent,
  type StoreError,
} from '@message-center/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { subscribeToAllWithResume, type ResubscribeOptions } from './all-subscription.js';
import {
  ANY,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type AppendExpectation,
  type ClientEventData,
  type ClientPosition,
  type ClientReadStreamOptions,
  type EventStoreDbClientLike,
  type JsonBody,
} from './client.js';
import { drain, resolveDeadlines, withDeadline, type EventStoreDbDeadlines } from './deadline.js';
import { emptyAppend } from './empty-append.js';
import { appendError, concurrencyConflict, invalidRequest, isStreamDeleted, isStreamNotFound, streamDeleted, unavailable } from './errors.js';
import { jsonText } from './json.js';
import { isSystemEvent, toRecordedEvent } from './recorded-event.js';
import { lastEventOf, positionOf } from './stream-head.js';

/** EventStoreDB's default `MaxAppendSize` (`--max-append-size`), 1 MiB. */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

export interface EventStoreDbStoreOptions {
  /**
   * Largest append in bytes, counted as the server counts it (`Event.SizeOnDisk`: data + metadata +
   * 2 × the event type's length, summed over the batch). Checked before sending, so an oversized batch
   * never reaches the server. Default 1 MiB, the server's default; set it to the server's setting.
   */
  readonly maxAppendSize?: number;
  /** Events per `readAll` request when paging through `$all`. Default 500. */
  readonly readPageSize?: number;
  /** Resubscription after a dropped `$all` subscription (or one the server did not confirm in time). */
  readonly resubscribe?: ResubscribeOptions;
  /**
   * The deadline of every call to the server, in milliseconds: past it the call answers `store-unavailable`
   * and what it started is cancelled. Default 10 000. A write whose deadline passed may still have been
   * applied: retry it with the same event ids and expected revision, and the server acknowledges it once.
   */
  readonly deadlineMs?: number;
  /** Per-kind deadlines, each defaulting to `deadlineMs`. */
  readonly deadlines?: EventStoreDbDeadlines;
}

/** The port, plus the hard delete the contract suite uses to reach the `stream-deleted` cases. */
export interface EventStoreDbEventStore extends EventStore {
  /** Tombstones the stream (hard delete): it can never be read or written again. */
  readonly deleteStream: (streamId: string) => TE.TaskEither<StoreError, void>;
}

// Any RFC 4122 layout, whatever the version: EventStoreDB takes any GUID.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isCount = (n: number | undefined): boolean => n === undefined || (Number.isSafeInteger(n) && n >= 0);

/** Object, array or string: what the clients' `JSONType` accepts as the data of a JSON event. */
const isJsonBody = (value: unknown): value is JsonBody => typeof value === 'string' || (typeof value === 'object' && value !== null);

/** The port's expected revision in the client's terms (`constants.js`: `no_stream`, `stream_exists`, `any`). */
const toClientRevision = (expected: ExpectedRevision): AppendExpectation | undefined => {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return typeof expected === 'bigint' && expected >= 0n ? expected : undefined;
  }
};

interface PreparedBatch {
  readonly events: ClientEventData[];
  readonly bytes: number;
}

/** Validates and serialises the whole batch first, so that nothing is sent unless all of it can be. */
const prepareBatch = (events: ReadonlyArray<EventToAppend>): E.Either<string, PreparedBatch> => {
  const prepared: ClientEventData[] = [];
  let bytes = 0;
  for (const [index, event] of events.entries()) {
    const at = `event ${index}`;
    if (typeof event.id !== 'string' || !UUID.test(event.id)) return E.left(`${at}: id ${JSON.stringify(event.id)} is not a UUID`);
    if (typeof event.type !== 'string' || event.type === '') return E.left(`${at}: the event type must be a non-empty string`);
    const data = jsonText(event.data, 'data');
    if (E.isLeft(data)) return E.left(`${at} (${event.type}): ${data.left}`);
    const metadata = jsonText(event.metadata, 'metadata');
    if (E.isLeft(metadata)) return E.left(`${at} (${event.type}): ${metadata.left}`);
    // The client serialises `data` itself (`JSON.stringify`, same text as checked above); it takes
    // objects, arrays and strings only.
    if (!isJsonBody(event.data)) return E.left(`${at} (${event.type}): data must be a JSON object, array or string`);
    if (!isJsonBody(event.metadata)) return E.left(`${at} (${event.type}): metadata must be a JSON object`);
    bytes += Buffer.byteLength(data.right, 'utf8') + Buffer.byteLength(metadata.right, 'utf8') + event.type.length * 2;
    // Metadata is stored as given ({ schemaVersion, correlationId?, causationId? }), like the in-memory store.
    prepared.push({ id: event.id.toLowerCase(), contentType: 'application/json', type: event.type, data: event.data, metadata: event.metadata });
  }
  return E.right({ events: prepared, bytes });
};

const toPosition = (position: ClientPosition): LogPosition => ({ commit: position.commit, prepare: position.prepare });

/**
 * The EventStore port on EventStoreDB 22.10+ / KurrentDB over gRPC, through the host's client:
 * `KurrentDBClient` (`@kurrent/kurrentdb-client` 1.x) or `EventStoreDBClient` (`@eventstore/db-client` 6).
 *
 * - Events are JSON; metadata is `{ schemaVersion, correlationId?, causationId? }`; ids are the writer's
 *   UUIDs, so EventStoreDB's idempotent append (same ids at the same expected revision) applies.
 * - An empty append is answered from a read and never sent (`empty-append.ts`).
 * - A missing stream reads as empty; a tombstoned one answers `stream-deleted`.
 * - `readAll` pages through `$all` and filters by stream prefix on the client: v6's `readAll` has no
 *   server-side filter (`streams/readAll.js` always sends `no_filter`). `$`-prefixed system streams and
 *   event types are never returned.
 * - `subscribeToAll` uses the server's stream-name prefix filter and resubscribes after a drop from the
 *   last delivered position (see `all-subscription.ts`). Checkpoints are stored by the host: it keeps
 *   the `position` of the last event it handled and passes it as `after`.
 * - Every call has a deadline (`deadline.ts`): neither client bounds reads or subscriptions, nor the wait
 *   for the server's features before an append, nor an append on a BatchAppend call the server stopped
 *   answering.
 *   Throws a RangeError when a deadline option is not a positive number of milliseconds.
 */
export const createEventStoreDbEventStore = (client: EventStoreDbClientLike, options: EventStoreDbStoreOptions = {}): EventStoreDbEventStore => {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const pageSize = options.readPageSize ?? 500;
  const deadlines = resolveDeadlines(options.deadlineMs, options.deadlines);

  /**
   * A client built with `throwOnAppendFailure: false` resolves a wrong expected version with
   * `success: false` instead of throwing. Its `nextExpectedRevision` is not the stream's revision on
   * BatchAppend (both clients compute `BigInt(hasCurrentStreamRevision())`), so the revision is read.
   */
  const conflictFromRead = async (streamId: string, expected: ExpectedRevision, signal: AbortSignal): Promise<StoreError> => {
    const actual = await lastEventOf(client, streamId, signal).then(
      (last) => last?.revision ?? -1n,
      () => null,
    );
    return concurrencyConflict(streamId, expected, actual);
  };

  const appendToStream: EventStore['appendToStream'] = (streamId, events, { expectedRevision }) => async () => {
    if (typeof streamId !== 'string' || streamId === '') return E.left(invalidRequest('the stream id must be a non-empty string'));
    const revision = toClientRevision(expectedRevision);
    if (revision === undefined) return E.left(invalidRequest(`append to ${streamId}: invalid expected revision ${String(expectedRevision)}`));
    const batch = prepareBatch(events);
    if (E.isLeft(batch)) return E.left(invalidRequest(`append to ${streamId}: ${batch.left}`));
    const { bytes } = batch.right;
    // Refused here rather than by the server: nothing of an oversized batch is ever sent.
    if (bytes > maxAppendSize) return E.left(appendError(streamId, expectedRevision, { bytes, limit: maxAppendSize }, { type: 'maximum-append-size-exceeded' }));
    const { events: toAppend } = batch.right;
    // One deadline for the whole append, the reads it may make included. The clients get it too: it is the
    // gRPC deadline of a classic Append, and on BatchAppend the server's own.
    const append = async (signal: AbortSignal): Promise<E.Either<StoreError, AppendResult>> => {
      if (toAppend.length === 0) return emptyAppend(client, streamId, expectedRevision, signal);
      const result = await client.appendToStream(streamId, toAppend, { expectedRevision: revision, streamState: revision, deadline: deadlines.appendMs });
      if (result.success === false) return E.left(await conflictFromRead(streamId, expectedRevision, signal));
      const { nextExpectedRevision } = result;
      // The server sends a position for every write; should one not, it is read back.
      const position = result.position === undefined ? await positionOf(client, streamId, nextExpectedRevision, signal) : toPosition(result.position);
      return E.right({ nextExpectedRevision, position });
    };
    try {
      return await withDeadline(deadlines.appendMs, append);
    } catch (error: unknown) {
      return E.left(appendError(streamId, expectedRevision, { bytes, limit: maxAppendSize }, error));
    }
  };

  const readStream: EventStore['readStream'] = (streamId, { fromRevision = 0n, maxCount } = {}) => async () => {
    if (fromRevision < 0n || !isCount(maxCount)) return E.left(invalidRequest(`read ${streamId}: fromRevision must be >= 0 and maxCount a count`));
    if (maxCount === 0) return E.right([]);
    // Reads from a revision are inclusive (ReadReq.Options.StreamOptions.revision).
    const readOptions: ClientReadStreamOptions = { fromRevision, direction: FORWARDS, ...(maxCount === undefined ? {} : { maxCount }) };
    try {
      const found: RecordedEvent[] = [];
      await withDeadline(deadlines.readMs, (signal) =>
        drain(client.readStream(streamId, readOptions), signal, (resolved) => {
          if (resolved.event !== undefined) found.push(toRecordedEvent(resolved.event));
        }),
      );
      return E.right(found);
    } catch (error: unknown) {
      // The server answers a missing stream with a `stream_not_found` message, which the client throws.
      if (isStreamNotFound(error)) return E.right([]);
      if (isStreamDeleted(error)) return E.left(streamDeleted(streamId));
      return E.left(unavailable(`read of ${streamId}`, error));
    }
  };

  const readAll: EventStore['readAll'] = ({ after, streamPrefix, maxCount } = {}) => async () => {
    if (!isCount(maxCount)) return E.left(invalidRequest('read all: maxCount must be a count'));
    const limit = maxCount ?? Number.POSITIVE_INFINITY;
    const found: RecordedEvent[] = [];
    // Reads of $all from a position include the event at it; `after` is exclusive, so events up to
    // `exclusiveBound` are skipped. Each next page starts at the last event read, skipped the same way.
    let from: ClientPosition | typeof START = after ?? START;
    let exclusiveBound: LogPosition | undefined = after;
    try {
      while (found.length < limit) {
        let read = 0;
        let last: ClientPosition | undefined;
        const bound = exclusiveBound;
        // Each page is one request, with its own deadline: a long read of $all is not cut short.
        await withDeadline(deadlines.readMs, (signal) =>
          drain(client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: pageSize }), signal, (resolved) => {
            read += 1;
            const event = resolved.event;
            if (event === undefined) return;
            last = event.position;
            if (bound !== undefined && compareLogPositions(event.position, bound) <= 0) return;
            if (isSystemEvent(event) || (streamPrefix !== undefined && !event.streamId.startsWith(streamPrefix))) return;
            if (found.length < limit) found.push(toRecordedEvent(event));
          }),
        );
        if (read < pageSize || last === undefined) break;
        from = last;
        exclusiveBound = last;
      }
      return E.right(found);
    } catch (error: unknown) {
      return E.left(unavailable('read of $all', error));
    }
  };

  const deleteStream: EventStoreDbEventStore['deleteStream'] = (streamId) => async () => {
    try {
      await withDeadline(deadlines.deleteMs, () => client.tombstoneStream(streamId, { expectedRevision: ANY, deadline: deadlines.deleteMs }));
      return E.right(undefined);
    } catch (error: unknown) {
      return E.left(isStreamDeleted(error) ? streamDeleted(streamId) : unavailable(`delete of ${streamId}`, error));
    }
  };

  return {
    appendToStream,
    readStream,
    readAll,
    subscribeToAll: (subscriptionOptions, handlers) => subscribeToAllWithResume(client, subscriptionOptions, handlers, options.resubscribe, deadlines.catchUpMs),
    deleteStream,
  };
};
