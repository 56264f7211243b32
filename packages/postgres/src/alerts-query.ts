import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import type { Alert, AlertsPage, AlertsQuery, DomainError } from '@message-center/core/internals';
import { DEFAULT_ALERT_RETENTION, alertCursorPosition, alertsAfter, emptyAlerts } from '@message-center/core/internals';
import { alertOf } from './alert-rows.js';
import { databaseFailure } from './migration-errors.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { poolSecrets } from './pool-secrets.js';
import { bigintColumnOf, columnOf } from './rows.js';
import type { DatabaseFailure } from './runner-errors.js';
import { qualified, schemaNameProblem } from './schema-path.js';
import { storedText } from './stored-text.js';

// R7 read from the alerts projection's table, answering as core's `alertsAfter` does over its in-memory
// fold. The refusals are core's own: `alertsAfter` on an empty state authorizes (B0) and checks the limit and
// the cursor in core's order, with core's messages; only a query it accepts reads the table. Core keeps the
// business's latest `alertRetention` alerts; the table keeps every alert and a query reads only that window
// (the `alertRetention` the facade was given), so the answers are the same for the same retention.

export type AlertsQueryError = DomainError | DatabaseFailure;

export interface AlertsQueryOptions {
  /** The schema `migrate` put the tables in (default `public`). */
  readonly schema?: string;
  /** The latest alerts per business a query sees: the facade's `alertRetention` (default 500, as core). */
  readonly alertRetention?: number;
}

const invalid = (field: string, message: string): DomainError => ({ code: 'invalid-input', message, problems: [field] });

const unreadable: DatabaseFailure = { code: 'database-error', message: 'the alerts table holds an alert this code cannot read', sqlState: null };

const page = async (pool: Pool, query: AlertsQuery, schema: string, retention: number): Promise<E.Either<AlertsQueryError, AlertsPage>> => {
  const problem = schemaNameProblem(schema);
  if (problem !== null) return E.left(invalid('schema', `schema ${JSON.stringify(schema)} ${problem}`));
  if (!Number.isSafeInteger(retention) || retention < 0) return E.left(invalid('alertRetention', 'alertRetention: a whole number of alerts, 0 or more'));
  const refused = alertsAfter(emptyAlerts, query);
  if (E.isLeft(refused)) return refused;
  const after = query.after === undefined ? null : alertCursorPosition(query.after);
  if (query.after !== undefined && after === null) return E.left(invalid('after', 'after: a cursor core accepts that this package cannot read'));
  const limit = query.limit ?? 100;
  let rows: ReadonlyArray<unknown>;
  try {
    // The window: rows after the newest one beyond the latest `retention` (the edge); then after the cursor.
    const table = qualified(schema, 'message_center_alerts');
    rows = (
      await pool.query(
        `WITH edge AS (SELECT commit_position AS c, prepare_position AS p FROM ${table}
                        WHERE business_id = $1 ORDER BY commit_position DESC, prepare_position DESC OFFSET $2 LIMIT 1)
         SELECT a.commit_position::text AS commit, a.prepare_position::text AS prepare, a.alert
           FROM ${table} a
          WHERE a.business_id = $1
            AND (a.commit_position, a.prepare_position) > ($3::numeric, $4::numeric)
            AND NOT EXISTS (SELECT 1 FROM edge WHERE (a.commit_position, a.prepare_position) <= (edge.c, edge.p))
          ORDER BY a.commit_position, a.prepare_position
          LIMIT $5`,
        [storedText(query.businessId), retention, after?.commit.toString() ?? '-1', after?.prepare.toString() ?? '-1', limit],
      )
    ).rows;
  } catch (cause: unknown) {
    return E.left(databaseFailure(cause, `reading the alerts of ${query.businessId}`, poolSecrets(pool)));
  }
  const alerts: Alert[] = [];
  for (const row of rows) {
    const commit = bigintColumnOf(row, 'commit');
    const prepare = bigintColumnOf(row, 'prepare');
    const alert = commit === null || prepare === null ? null : alertOf(columnOf(row, 'alert'), { commit, prepare });
    if (alert === null) return E.left(unreadable);
    alerts.push(alert);
  }
  // As core: the last alert's cursor, else the one asked after (nothing new), else none.
  return E.right({ alerts, cursor: alerts[alerts.length - 1]?.cursor ?? query.after ?? null });
};

/**
 * R7: the business's alerts after a cursor (`after`: the `cursor` of the last alert handled), oldest first,
 * at most `limit` (1–500, default 100), from its latest `alertRetention`, as core's `alertsAfter` answers the
 * same query. V8: a message that came in while its conversation was muted has no alert. Never rejects.
 */
export const alertsFromPg =
  (pool: Pool, query: AlertsQuery, options: AlertsQueryOptions = {}): TE.TaskEither<AlertsQueryError, AlertsPage> =>
  () =>
    page(pool, query, options.schema ?? DEFAULT_SCHEMA, options.alertRetention ?? DEFAULT_ALERT_RETENTION);
