import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  AppendResult,
  AppendToStreamOptions,
  EventData,
  ReadAllOptions,
  ReadStreamOptions,
  ResolvedEvent,
  SubscribeToAllOptions,
  TombstoneStreamOptions,
  DeleteResult,
} from '@eventstore/db-client';

/**
 * Append options understood by both clients: `@eventstore/db-client` 6 reads `expectedRevision`,
 * `@kurrent/kurrentdb-client` 1.x renamed it `streamState`. The adapter always sets both; each client
 * destructures the one it knows and ignores the other (v6: `streams/appendToStream/index.js`).
 */
export type AppendOptions = AppendToStreamOptions & { readonly streamState?: AppendExpectedRevision };

/** Same two names for the tombstone's expected revision. */
export type TombstoneOptions = TombstoneStreamOptions & { readonly streamState?: AppendExpectedRevision };

/**
 * The catch-up subscription as the adapter consumes it: a pull loop over `read()` (see
 * `all-subscription.ts` for why not `for await`) and the client's `confirmation` / `caughtUp` events.
 */
export interface AllSubscriptionLike {
  read(): AllStreamResolvedEvent | null;
  readonly readableLength: number;
  on(event: 'readable' | 'end' | 'confirmation' | 'caughtUp', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

/**
 * The part of `EventStoreDBClient` the adapter uses, typed structurally so that a second copy of the
 * client package, or `KurrentDBClient` from `@kurrent/kurrentdb-client` 1.x (same wire protocol, same
 * method names), can be passed in.
 */
export interface EventStoreDbClientLike {
  appendToStream(streamName: string, events: EventData[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscriptionLike;
  tombstoneStream(streamName: string, options?: TombstoneOptions): Promise<DeleteResult>;
}
