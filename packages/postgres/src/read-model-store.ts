import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Pool } from 'pg';
import { authorize, type DomainError, type MessageCenterError, type ReadModelStore } from '@message-center/core/internals';
import { alertsFromPg } from './alerts-query.js';
import { inboxPageFromPg, type PgQueryOptions } from './inbox-query.js';
import { unreadBadgeFromPg } from './badge-query.js';
import type { DatabaseFailure } from './runner-errors.js';
import { usageFromPg } from './usage-query.js';

/** A failure of the database is `read-model-unavailable` to the facade; a refusal stays the domain's own. */
const answerOf = (error: DomainError | DatabaseFailure): MessageCenterError =>
  error.code === 'database-unavailable' || error.code === 'database-error' ? { code: 'read-model-unavailable', message: error.message } : error;

/**
 * The facade's `ReadModelStore` on PostgreSQL (issue 15): inbox, unread badge, alerts and usage answered
 * from the tables the `inbox`, `alerts` and `usage` projection runners keep, as of the events they have
 * applied. `alertRetention` (default 500) is the facade's option of the same name: give both the same.
 *
 *   createMessageCenter({ store, readModelStore: pgReadModelStore(pool, { schema }) })
 *
 * Each query is authorized again here (B0), as core's read models do, though the facade asks first.
 */
export const pgReadModelStore = (pool: Pool, options: PgQueryOptions & { readonly alertRetention?: number } = {}): ReadModelStore => ({
  inbox: (query) => pipe(inboxPageFromPg(pool, query, options), TE.mapLeft(answerOf)),
  unreadBadge: (query) => pipe(unreadBadgeFromPg(pool, query, options), TE.mapLeft(answerOf)),
  alerts: (query) => pipe(alertsFromPg(pool, query, options), TE.mapLeft(answerOf)),
  usage: (query) =>
    pipe(
      TE.fromEither(E.mapLeft(answerOf)(authorize('usage', query.viewer, query.businessId))),
      TE.chain(() => pipe(usageFromPg(pool, query.businessId, query.period, options), TE.mapLeft(answerOf))),
    ),
});
