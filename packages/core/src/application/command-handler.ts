import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Decider } from '../domain/decider.js';
import type { DomainEvent } from '../domain/events.js';
import { belongsToStream } from '../domain/stream-ownership.js';
import { streamName, type StreamAddress } from '../domain/streams.js';
import { encodeEvent, type EncodeOptions, type EventDecodeError } from './event-codec.js';
import type { MessageCenterError, StreamOwnerMismatch } from './errors.js';
import type { EventStore, RecordedEvent } from './ports/event-store.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { StateCache } from './state-cache.js';

export interface Aggregate<C, S, Ev extends DomainEvent> {
  readonly decider: Decider<C, S, Ev>;
  readonly decode: (recorded: RecordedEvent) => E.Either<EventDecodeError, Ev>;
  /** Folded states by stream; a load then reads only the events after the cached revision. */
  readonly cache?: StateCache<S>;
}

export { createStateCache, type StateCache } from './state-cache.js';

export interface Loaded<S> {
  readonly state: S;
  /** Revision of the stream's last event; null when the stream does not exist. */
  readonly revision: bigint | null;
}

const ownerMismatch = (recorded: RecordedEvent): StreamOwnerMismatch => ({
  code: 'stream-owner-mismatch',
  message: `stream ${recorded.streamId} revision ${recorded.revision} (${recorded.type}) belongs to another business, client or conversation than the one asked for; nothing was read or written`,
  streamId: recorded.streamId,
  revision: recorded.revision,
  type: recorded.type,
});

/**
 * Decodes one event read from the stream of `address`, refusing it when its own data names another stream
 * (`stream-owner-mismatch`). Every load goes through here, so no command decides and no query answers on
 * data of another business, client or conversation.
 */
export const decodeOwnEvent = <Ev extends DomainEvent>(
  address: StreamAddress,
  recorded: RecordedEvent,
  decode: (recorded: RecordedEvent) => E.Either<EventDecodeError, Ev>,
): E.Either<EventDecodeError | StreamOwnerMismatch, Ev> => {
  const decoded = decode(recorded);
  if (E.isLeft(decoded)) return decoded;
  return belongsToStream(decoded.right, address) ? decoded : E.left(ownerMismatch(recorded));
};

/**
 * Reads and decodes the stream of `address` (after the cached revision, if any), checks that every event
 * belongs to it, then folds it in one batch.
 */
export const loadAggregate =
  <C, S, Ev extends DomainEvent>(store: EventStore, aggregate: Aggregate<C, S, Ev>, address: StreamAddress): TE.TaskEither<MessageCenterError, Loaded<S>> =>
  async () => {
    const streamId = streamName(address);
    const cached = aggregate.cache?.get(streamId);
    const from = cached?.revision ?? null;
    const read = await store.readStream(streamId, from === null ? {} : { fromRevision: from + 1n })();
    if (E.isLeft(read)) return read;
    // Nothing new: the cached state as it is (the same object, so a decision taken on it still applies).
    if (cached !== undefined && read.right.length === 0) return E.right(cached);
    const events: Ev[] = [];
    for (const recorded of read.right) {
      const decoded = decodeOwnEvent(address, recorded, aggregate.decode);
      if (E.isLeft(decoded)) return decoded;
      events.push(decoded.right);
    }
    const last = read.right[read.right.length - 1];
    const loaded: Loaded<S> = {
      state: aggregate.decider.fold(cached?.state ?? aggregate.decider.initialState, events),
      revision: last?.revision ?? from,
    };
    if (events.length > 0) aggregate.cache?.set(streamId, loaded);
    return E.right(loaded);
  };

export interface ExecuteOptions<S = unknown, Ev = unknown> extends EncodeOptions {
  /** How many times to load, decide and append when another writer got there first. */
  readonly maxAttempts: number;
  /**
   * Makes the event ids deterministic (`idempotencyKey/0`, `/1`, …) when the IdGenerator can derive ids
   * from keys, so that a store that deduplicates by event id (EventStoreDB) also ignores a replay.
   */
  readonly idempotencyKey?: string;
  /**
   * The stream as the caller loaded it moments ago (e.g. the outcome of its previous command): a first try
   * decides on it without reading the stream again. Should another writer have got in since, its append
   * conflicts and the attempts go on as usual, from fresh loads; the try itself is not one of `maxAttempts`.
   */
  readonly loaded?: Loaded<S>;
  /**
   * The caller's decision of this very command on `state`, a state a load handed out moments ago: a load
   * that finds that same state (nothing appended since) appends these events without deciding again, as
   * deciders are pure. Any other state is decided as usual.
   */
  readonly decided?: { readonly state: S; readonly events: ReadonlyArray<Ev> };
}

export interface Executed<S, Ev> {
  readonly events: ReadonlyArray<Ev>;
  readonly state: S;
}

/**
 * The wait before retry `attempt` (1, 2, …) after a conflict: "full jitter" over a doubling ceiling
 * (2, 4, 8 … ms, at most 256 ms), so writers of one stream spread out instead of meeting again. The global
 * `setTimeout` on purpose: tests drive it with fake timers.
 */
export const retryDelayMs = (attempt: number, random: () => number = Math.random): number =>
  random() * Math.min(256, 2 ** attempt);

/**
 * Command handling with optimistic concurrency: load → decide → append with the revision that was read.
 * On a `concurrency-conflict` it waits (`retryDelayMs`) and starts over from a fresh load (the command is
 * rebuilt from the new state too), up to `maxAttempts` times; then the conflict is returned. A refusal appends nothing.
 * Keep `command` quick: whatever it awaits widens the window in which another writer can get in first,
 * so facts from other streams are best loaded before calling this.
 */
export const executeCommand =
  <C, S, Ev extends DomainEvent>(
    deps: { readonly store: EventStore; readonly ids: IdGenerator },
    aggregate: Aggregate<C, S, Ev>,
    address: StreamAddress,
    command: (state: S) => TE.TaskEither<MessageCenterError, C>,
    options: ExecuteOptions<S, Ev>,
  ): TE.TaskEither<MessageCenterError, Executed<S, Ev>> =>
  async () => {
    let given = options.loaded;
    for (let attempt = given === undefined ? 1 : 0; ; attempt += 1) {
      const loaded = given === undefined ? await loadAggregate(deps.store, aggregate, address)() : E.right(given);
      given = undefined;
      if (E.isLeft(loaded)) return loaded;
      const { state, revision } = loaded.right;
      let events: ReadonlyArray<Ev>;
      const prior = options.decided;
      if (prior !== undefined && prior.state === state) events = prior.events;
      else {
        const built = await command(state)();
        if (E.isLeft(built)) return built;
        const decided = aggregate.decider.decide(built.right, state);
        if (E.isLeft(decided)) return decided;
        events = decided.right;
      }
      if (events.length === 0) return E.right({ events, state });
      const key = options.idempotencyKey;
      const fromKey = deps.ids.uuidFromKey;
      const toAppend = events.map((event, i) =>
        encodeEvent(event, key !== undefined && fromKey !== undefined ? fromKey(`${key}/${i}`) : deps.ids.uuid(), options),
      );
      const appended = await deps.store.appendToStream(streamName(address), toAppend, {
        expectedRevision: revision ?? 'no-stream',
      })();
      // The cache is not fed from here: an idempotent acknowledgement (a racing twin wrote the same ids)
      // would cache our events rather than the stored ones. The next load reads them back instead.
      if (E.isRight(appended)) return E.right({ events, state: aggregate.decider.fold(state, events) });
      if (appended.left.code !== 'concurrency-conflict' || attempt >= options.maxAttempts) return appended;
      // Writers that collide would collide again if they all retried at once: back off, with jitter.
      await new Promise<void>((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  };
