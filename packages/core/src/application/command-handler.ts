import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Decider } from '../domain/decider.js';
import type { DomainEvent } from '../domain/events.js';
import { encodeEvent, type EncodeOptions, type EventDecodeError } from './event-codec.js';
import type { MessageCenterError } from './errors.js';
import type { EventStore, RecordedEvent } from './ports/event-store.js';
import type { IdGenerator } from './ports/id-generator.js';

export interface Aggregate<C, S, Ev extends DomainEvent> {
  readonly decider: Decider<C, S, Ev>;
  readonly decode: (recorded: RecordedEvent) => E.Either<EventDecodeError, Ev>;
}

export interface Loaded<S> {
  readonly state: S;
  /** Revision of the stream's last event; null when the stream does not exist. */
  readonly revision: bigint | null;
}

/** Reads and decodes a whole stream, then folds it in one batch. */
export const loadAggregate =
  <C, S, Ev extends DomainEvent>(store: EventStore, aggregate: Aggregate<C, S, Ev>, streamId: string): TE.TaskEither<MessageCenterError, Loaded<S>> =>
  async () => {
    const read = await store.readStream(streamId)();
    if (E.isLeft(read)) return read;
    const events: Ev[] = [];
    for (const recorded of read.right) {
      const decoded = aggregate.decode(recorded);
      if (E.isLeft(decoded)) return decoded;
      events.push(decoded.right);
    }
    const last = read.right[read.right.length - 1];
    return E.right({ state: aggregate.decider.fold(aggregate.decider.initialState, events), revision: last?.revision ?? null });
  };

export interface ExecuteOptions extends EncodeOptions {
  /** How many times to load, decide and append when another writer got there first. */
  readonly maxAttempts: number;
  /**
   * Makes the event ids deterministic (`idempotencyKey/0`, `/1`, …) when the IdGenerator can derive ids
   * from keys, so that a store that deduplicates by event id (EventStoreDB) also ignores a replay.
   */
  readonly idempotencyKey?: string;
}

export interface Executed<S, Ev> {
  readonly events: ReadonlyArray<Ev>;
  readonly state: S;
}

/**
 * Command handling with optimistic concurrency: load → decide → append with the revision that was read.
 * On a `concurrency-conflict` it starts over from a fresh load (the command is rebuilt from the new
 * state too), up to `maxAttempts` times; then the conflict is returned. A refusal appends nothing.
 * Keep `command` quick: whatever it awaits widens the window in which another writer can get in first,
 * so facts from other streams are best loaded before calling this.
 */
export const executeCommand =
  <C, S, Ev extends DomainEvent>(
    deps: { readonly store: EventStore; readonly ids: IdGenerator },
    aggregate: Aggregate<C, S, Ev>,
    streamId: string,
    command: (state: S) => TE.TaskEither<MessageCenterError, C>,
    options: ExecuteOptions,
  ): TE.TaskEither<MessageCenterError, Executed<S, Ev>> =>
  async () => {
    for (let attempt = 1; ; attempt += 1) {
      const loaded = await loadAggregate(deps.store, aggregate, streamId)();
      if (E.isLeft(loaded)) return loaded;
      const { state, revision } = loaded.right;
      const built = await command(state)();
      if (E.isLeft(built)) return built;
      const decided = aggregate.decider.decide(built.right, state);
      if (E.isLeft(decided)) return decided;
      const events = decided.right;
      if (events.length === 0) return E.right({ events, state });
      const key = options.idempotencyKey;
      const fromKey = deps.ids.uuidFromKey;
      const toAppend = events.map((event, i) =>
        encodeEvent(event, key !== undefined && fromKey !== undefined ? fromKey(`${key}/${i}`) : deps.ids.uuid(), options),
      );
      const appended = await deps.store.appendToStream(streamId, toAppend, {
        expectedRevision: revision ?? 'no-stream',
      })();
      if (E.isRight(appended)) return E.right({ events, state: aggregate.decider.fold(state, events) });
      if (appended.left.code !== 'concurrency-conflict' || attempt >= options.maxAttempts) return appended;
      // Let the writer that won finish its turn before reading again.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
