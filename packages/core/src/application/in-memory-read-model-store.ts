/**
 * The embedded default of the `ReadModelStore` port: core's read models in this process, caught up from the
 * event store before each answer, so an answer includes every command that returned before it.
 */
import * as TE from './use-cases/task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from '../domain/errors.js';
import { alertsAfter } from '../read-models/alerts.js';
import { inboxPage, unreadBadge } from '../read-models/inbox-query.js';
import { readModelsProjection, type ReadModels } from '../read-models/read-models.js';
import { usageOfPeriod } from '../read-models/usage.js';
import type { MessageCenterError } from './errors.js';
import type { Upcaster } from './event-codec.js';
import { createProjectionRunner, type ProjectionRunner, type UnknownEventPolicy } from './projection-runner.js';
import type { EventStore } from './ports/event-store.js';
import type { ReadModelStore } from './ports/read-model-store.js';

const answered =
  (runner: ProjectionRunner<ReadModels>) =>
  <A>(answer: (models: ReadModels) => E.Either<DomainError, A>): TE.TaskEither<MessageCenterError, A> =>
    pipe(
      runner.catchUp(),
      TE.chain((models): TE.TaskEither<MessageCenterError, A> => TE.fromEither(answer(models))),
    );

export const inMemoryReadModelStore = (runner: ProjectionRunner<ReadModels>): ReadModelStore => {
  const from = answered(runner);
  return {
    inbox: (query) => from((models) => inboxPage(models.inbox, query)),
    unreadBadge: (query) => from((models) => unreadBadge(models.inbox, query)),
    alerts: (query) => from((models) => alertsAfter(models.alerts, query)),
    usage: (query) => from((models) => usageOfPeriod(models.usage, query)),
  };
};

/**
 * Core's read models as a `ReadModelStore` of their own, fed from `store` (caught up before each answer): what
 * a facade uses when it is given no `readModelStore`, for hosts and tests that want one apart.
 */
export const createInMemoryReadModelStore = (options: {
  readonly store: EventStore;
  readonly upcasters?: ReadonlyArray<Upcaster>;
  readonly unknownEvents?: UnknownEventPolicy;
}): ReadModelStore =>
  inMemoryReadModelStore(createProjectionRunner(options.store, readModelsProjection(), { unknownEvents: options.unknownEvents ?? 'fail', upcasters: options.upcasters ?? [] }));
