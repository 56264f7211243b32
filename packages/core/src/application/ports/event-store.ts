import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { LogPosition } from '../../domain/log.js';

/**
 * The persistence port. Semantics follow EventStoreDB so that the in-memory store and every adapter are
 * interchangeable, and the same contract suite (`@message-center/testing`) checks them all:
 * - stream revisions start at 0 and count events in the stream; a missing stream reads as empty;
 * - an append is atomic and checked against the expected revision;
 * - appending the same event ids again at the same expected revision succeeds without duplicating them
 *   (idempotent append), as EventStoreDB does;
 * - the global log (`$all`) orders every event of every stream; reads from a position are exclusive of it
 *   when it is a checkpoint (`after`), so a read model resumes exactly after the last event it processed.
 */

/** `no-stream`: the stream must not exist; `stream-exists`: it must; `any`: no check; a bigint: the revision of its last event. */
export type ExpectedRevision = 'no-stream' | 'stream-exists' | 'any' | bigint;

export interface EventMetadata {
  /** Version of the event's schema (its codec), so older versions can be upcast on read. */
  readonly schemaVersion: number;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** An event to append: JSON data, with a UUID id chosen by the writer (stable ids make appends idempotent). */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: LogPosition;
  readonly type: string;
  readonly data: unknown;
  /** Metadata as stored; decoded by the application layer, which reports what is missing. */
  readonly metadata: unknown;
  /** When the store recorded it (ISO-8601 UTC). */
  readonly created: string;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append: the expected revision for the next one. */
  readonly nextExpectedRevision: bigint;
  readonly position: LogPosition;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events after this position (exclusive): a read model's checkpoint. Absent: from the start. */
  readonly after?: LogPosition;
  /** Only events of streams whose name starts with this prefix (e.g. `mc-`). */
  readonly streamPrefix?: string;
  readonly maxCount?: number;
}

export interface AllSubscriptionHandlers {
  /** Called for each event in log order; the next event waits until the returned promise settles. */
  readonly onEvent: (event: RecordedEvent) => Promise<void> | void;
  /** Called once, when the subscription has delivered all history and switches to live events. */
  readonly onCaughtUp?: () => void;
  /** Called once if the subscription ends with an error (it then delivers nothing more). */
  readonly onError?: (error: StoreError) => void;
}

export interface Subscription {
  /** Stops delivery; resolves when no handler call is running any more. */
  readonly close: () => Promise<void>;
}

export type StoreError =
  | {
      readonly code: 'concurrency-conflict';
      readonly message: string;
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      /** The stream's actual revision, or -1n if it does not exist, when the store says. */
      readonly actual: bigint | null;
    }
  | { readonly code: 'stream-deleted'; readonly message: string; readonly streamId: string }
  | { readonly code: 'append-too-large'; readonly message: string; readonly streamId: string; readonly bytes: number }
  /** A malformed request (not a UUID, not JSON, a negative revision): a bug of the caller, never retryable. */
  | { readonly code: 'invalid-request'; readonly message: string }
  | { readonly code: 'store-unavailable'; readonly message: string; readonly cause?: unknown };

export interface EventStore {
  readonly appendToStream: (
    streamId: string,
    events: ReadonlyArray<EventToAppend>,
    options: { readonly expectedRevision: ExpectedRevision },
  ) => TE.TaskEither<StoreError, AppendResult>;
  /** Events of one stream in revision order; a stream that does not exist reads as empty. */
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => TE.TaskEither<StoreError, ReadonlyArray<RecordedEvent>>;
  /** Events of all streams in global order. */
  readonly readAll: (options?: ReadAllOptions) => TE.TaskEither<StoreError, ReadonlyArray<RecordedEvent>>;
  /** Catch-up subscription: history after `after`, then live events, in global order. */
  readonly subscribeToAll: (
    options: { readonly after?: LogPosition; readonly streamPrefix?: string },
    handlers: AllSubscriptionHandlers,
  ) => Subscription;
}
