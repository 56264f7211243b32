import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { EnabledBusiness } from '../../domain/business/state.js';
import { notEnabled } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import { businessAddress, type StreamAddress } from '../../domain/streams.js';
import { MessageId, type BusinessId } from '../../domain/values/ids.js';
import type { Directory } from '../../read-models/directory.js';
import type { ReadModels } from '../../read-models/read-models.js';
import type { Aggregates } from '../aggregates.js';
import { executeCommand, loadAggregate, retryDelayMs, type Aggregate, type Executed, type ExecuteOptions, type Loaded } from '../command-handler.js';
import type { EventDecodeError } from '../event-codec.js';
import type { MessageCenterError } from '../errors.js';
import type { Result } from '../message-center-api.js';
import type { ProjectionRunner } from '../projection-runner.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { NumberProvisioning } from '../ports/number-provisioning.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import type { SmsTransport } from '../ports/sms-transport.js';

/**
 * Everything the composition root (`message-center.ts`) hands to the use cases. Each use case names the
 * part it needs with `Pick`, so its signature says what it touches; none keeps state of its own.
 */
export interface Deps {
  readonly store: EventStore;
  /** Without one, outbound messages stay in the outbox (`pending`). */
  readonly transport: SmsTransport | undefined;
  /** Issue 13: the provider's account, which suggests numbers and says which it holds. */
  readonly numbers: NumberProvisioning;
  /** A hand-over that takes longer is a retryable failure (the message stays in the outbox). */
  readonly transportTimeoutMs: number;
  /** How long a dispatcher's claim on an outbox entry holds others back (longer than a hand-over and its record). */
  readonly dispatchLeaseMs: number;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Load → decide → append attempts per command when writers race. */
  readonly maxAttempts: number;
  readonly aggregates: Aggregates;
  /** Decodes an event of any stream (the contact history reads a client's two streams). */
  readonly decodeEvent: (recorded: RecordedEvent) => E.Either<EventDecodeError, DomainEvent>;
  /** The write side's lookup index, caught up before a command that needs facts of other streams. */
  readonly directory: ProjectionRunner<Directory>;
  /** Alerts and the client finder (and by default inbox and usage), caught up before each query that reads them. */
  readonly readModels: ProjectionRunner<ReadModels>;
  /** Where inbox, badge and usage queries are answered: `readModels` by default, or the host's shared store. */
  readonly readModelStore: ReadModelStore;
}

/** Reads and folds one stream (checking that every event belongs to it). */
export const load = <C, S, Ev extends DomainEvent>(deps: Pick<Deps, 'store'>, aggregate: Aggregate<C, S, Ev>, address: StreamAddress): Result<Loaded<S>> =>
  loadAggregate(deps.store, aggregate, address);

/** Load → decide → append on one stream with the facade's attempts (see `executeCommand`). */
export const execute = <C, S, Ev extends DomainEvent>(
  deps: Pick<Deps, 'store' | 'ids' | 'maxAttempts'>,
  aggregate: Aggregate<C, S, Ev>,
  address: StreamAddress,
  command: (state: S) => Result<C>,
  options: Pick<ExecuteOptions<S, Ev>, 'idempotencyKey' | 'loaded' | 'decided'> = {},
): Result<Executed<S, Ev>> => executeCommand(deps, aggregate, address, command, { maxAttempts: deps.maxAttempts, ...options });

/**
 * The attempts for a write that must not be lost to contention: an inbound message the provider will not
 * send again once acknowledged, the outcome of a hand-over, an opt-out, a message that already holds its
 * place in the period's ledger. Three times a command's.
 */
export const persistent = <D extends Pick<Deps, 'maxAttempts'>>(deps: D): D => ({ ...deps, maxAttempts: deps.maxAttempts * 3 });

/**
 * A write whose loss would cost a duplicate SMS (the outcome of a hand-over: without it the claim expires
 * and the message goes again) is tried again after a store blip too, a few times with a jittered wait. An
 * append answered as failed may have been written: the decider makes the retry a no-op then.
 */
export const retriedWhenUnavailable =
  <A>(task: Result<A>, attempts = 4): Result<A> =>
  async () => {
    for (let attempt = 1; ; attempt += 1) {
      const result = await task();
      if (E.isRight(result) || result.left.code !== 'store-unavailable' || attempt >= attempts) return result;
      // The global `setTimeout` on purpose: tests drive it with fake timers.
      await new Promise<void>((resolve) => setTimeout(resolve, retryDelayMs(attempt + 4)));
    }
  };

/** B1: the business as enabled, or `message-center-not-enabled`. */
export const enabledBusiness = (deps: Pick<Deps, 'store' | 'aggregates'>, businessId: BusinessId): Result<EnabledBusiness> =>
  pipe(
    load(deps, deps.aggregates.business, businessAddress(businessId)),
    TE.chain(({ state }) => (state.enabled === null ? TE.left(notEnabled) : TE.right(state.enabled))),
  );

/** A new message id; from `key` when the IdGenerator derives ids from keys, so a replayed command gets the same one. */
export const messageIdFrom = (deps: Pick<Deps, 'ids'>, key?: string): E.Either<MessageCenterError, MessageId> => {
  const { ids } = deps;
  const id = key !== undefined && ids.uuidFromKey !== undefined ? ids.uuidFromKey(key) : ids.uuid();
  return MessageId.is(id) ? E.right(id) : E.left({ code: 'invalid-input', message: `the IdGenerator gave an unusable id ${JSON.stringify(id)}`, problems: [] });
};

/** `messageIdFrom` as a task. */
export const newMessageId = (deps: Pick<Deps, 'ids'>, key?: string): Result<MessageId> => TE.fromEither(messageIdFrom(deps, key));
