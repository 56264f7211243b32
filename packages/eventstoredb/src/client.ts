/**
 * The part of a gRPC client the adapter uses, typed structurally and without importing either client
 * package: `KurrentDBClient` (`@kurrent/kurrentdb-client` 1.x) and `EventStoreDBClient`
 * (`@eventstore/db-client` 6) both fit, which `test/client-types.test.ts` checks against their real
 * declarations. The adapter never loads a client package itself unless `connectEventStoreDb` is asked to.
 */

/**
 * The clients' constants, by value. Both packages define the same strings in `dist/constants.js`
 * (`ANY = "any"`, `NO_STREAM = "no_stream"`, `STREAM_EXISTS = "stream_exists"`, `START = "start"`,
 * `END = "end"`, `FORWARDS = "forwards"`, `BACKWARDS = "backwards"`, filter `STREAM_NAME = "streamName"`)
 * and compare options with `===` or `switch` on them, so the adapter's own copies are what each expects.
 * `test/client-types.test.ts` compares them with the installed client's.
 */
export const ANY = 'any';
export const NO_STREAM = 'no_stream';
export const STREAM_EXISTS = 'stream_exists';
export const START = 'start';
export const END = 'end';
export const FORWARDS = 'forwards';
export const BACKWARDS = 'backwards';
export const STREAM_NAME = 'streamName';

/** A position in `$all`. */
export interface ClientPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** An expected revision: v6 calls the option `expectedRevision`, KurrentDB 1.x `streamState`. */
export type AppendExpectation = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What the clients accept as the data (and metadata) of a JSON event (`JSONType`). */
export type JsonBody = Record<string | number, unknown> | unknown[] | string;

/** A JSON event to append (the clients' `JSONEventData`, what their `jsonEvent()` builds). */
export interface ClientEventData {
  readonly id: string;
  readonly contentType: 'application/json';
  readonly type: string;
  readonly data: JsonBody;
  readonly metadata: JsonBody;
}

/**
 * Append options understood by both clients: the adapter always sets both names; each client
 * destructures the one it knows and ignores the other (`streams/appendToStream/index.js` in each).
 */
export interface AppendOptions {
  readonly expectedRevision?: AppendExpectation;
  readonly streamState?: AppendExpectation;
  /**
   * Milliseconds (both clients' `BaseOptions.deadline`): the gRPC deadline of a classic `Append`; on
   * `BatchAppend` the deadline sent to the server in the append's options (`BatchAppendReq.Options.deadline`),
   * after which a live server answers `Timeout`. Neither bounds the wait for the server's features.
   */
  readonly deadline?: number;
}

/** Both clients read `expectedRevision` for a tombstone (`streams/tombstoneStream.js`), and `deadline` (ms) as its gRPC deadline. */
export interface TombstoneOptions {
  readonly expectedRevision?: AppendExpectation;
  readonly deadline?: number;
}

export interface ClientAppendResult {
  /** False only from a client built with `throwOnAppendFailure: false`, for a wrong expected version. */
  readonly success?: boolean;
  readonly nextExpectedRevision: bigint;
  /** Absent when the server wrote nothing (`no_position`). */
  readonly position?: ClientPosition;
}

export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  /** Servers before 22.6 send no position on stream reads. */
  readonly position?: ClientPosition;
}

export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent;
}

/** An event read from `$all`: it always carries its position. */
export interface ClientAllResolvedEvent {
  readonly event?: ClientRecordedEvent & { readonly position: ClientPosition };
}

export interface ClientReadStreamOptions {
  readonly fromRevision?: 'start' | 'end' | bigint;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ClientReadAllOptions {
  readonly fromPosition?: 'start' | 'end' | ClientPosition;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

/**
 * The server-side filter of a `$all` subscription, in the shape both clients' `streamNameFilter()`
 * builds and their `subscribeToAll` reads (`"prefixes" in filter`, `"regex" in filter`, `filterOn`,
 * `checkpointInterval` > 0, `utils/filter.js` and `streams/subscribeToAll.js`). `checkpointReached` is
 * called for each checkpoint the server sends (`streams/utils/Subscription.js`).
 */
export type StreamNameFilter = (
  | { readonly filterOn: 'streamName'; readonly checkpointInterval: number; prefixes: string[] }
  | { readonly filterOn: 'streamName'; readonly checkpointInterval: number; readonly regex: string }
) & { readonly checkpointReached?: (subscription: unknown, position: ClientPosition) => void };

export interface ClientSubscribeToAllOptions {
  readonly fromPosition?: 'start' | 'end' | ClientPosition;
  readonly resolveLinkTos?: boolean;
  readonly filter?: StreamNameFilter;
}

/**
 * The catch-up subscription as the adapter consumes it: a pull loop over `read()` (see
 * `all-subscription.ts` for why not `for await`) and the client's `confirmation` / `caughtUp` events.
 */
export interface AllSubscriptionLike {
  read(): ClientAllResolvedEvent | null;
  readonly readableLength: number;
  on(event: 'readable' | 'end' | 'confirmation' | 'caughtUp', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

/**
 * The part of `KurrentDBClient` / `EventStoreDBClient` the adapter uses. Typed structurally, so that
 * either client, or a second copy of one, can be passed in.
 */
export interface EventStoreDbClientLike {
  appendToStream(streamName: string, events: ClientEventData[], options?: AppendOptions): Promise<ClientAppendResult>;
  readStream(streamName: string, options?: ClientReadStreamOptions): AsyncIterable<ClientResolvedEvent>;
  readAll(options?: ClientReadAllOptions): AsyncIterable<ClientAllResolvedEvent>;
  subscribeToAll(options?: ClientSubscribeToAllOptions): AllSubscriptionLike;
  tombstoneStream(streamName: string, options?: TombstoneOptions): Promise<unknown>;
}

/** A client `connectEventStoreDb` built: the adapter's part, plus `dispose()` to close it. */
export interface DisposableEventStoreDbClient extends EventStoreDbClientLike {
  dispose(): Promise<void>;
}
