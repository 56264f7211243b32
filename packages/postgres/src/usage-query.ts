import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import type { BusinessId, DomainError, PeriodUsage } from '@message-center/core';
import { notEnabled, periodReport } from '@message-center/core/internals';
import { databaseFailure } from './migration-errors.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { poolSecrets } from './pool-secrets.js';
import { columnOf } from './rows.js';
import type { DatabaseFailure } from './runner-errors.js';
import { qualified, schemaNameProblem } from './schema-path.js';
import { storedText } from './stored-text.js';


// R6 read from the usage projection's tables: the answer core's `usageOfPeriod` gives from its in-memory
// fold (read-models/usage.ts), for one business and period. Who may read it (B0) is the caller's concern.

export type UsageQueryError = DomainError | DatabaseFailure;

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

interface Plan {
  readonly period: string;
  readonly limit: number;
  readonly overage: 'refuse' | 'allow';
}

interface Counts {
  readonly inbound: number;
  readonly outbound: number;
  readonly overage: number;
  readonly inboundSegments: number;
  readonly outboundSegments: number;
}

const NO_COUNTS: Counts = { inbound: 0, outbound: 0, overage: 0, inboundSegments: 0, outboundSegments: 0 };

/** A bigint column sent as text, as a number (counts stay far below 2^53). */
const count = (row: unknown, column: string): number | null => {
  const value = columnOf(row, column);
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : null;
};

const planOf = (row: unknown): Plan | null => {
  const period = columnOf(row, 'period');
  const limit = count(row, 'messages_per_period');
  const overage = columnOf(row, 'overage');
  return typeof period === 'string' && limit !== null && (overage === 'refuse' || overage === 'allow') ? { period, limit, overage } : null;
};

const countsOf = (row: unknown): Counts | null => {
  const inbound = count(row, 'inbound');
  const outbound = count(row, 'outbound');
  const overage = count(row, 'overage_messages');
  const inboundSegments = count(row, 'inbound_segments');
  const outboundSegments = count(row, 'outbound_segments');
  return inbound === null || outbound === null || overage === null || inboundSegments === null || outboundSegments === null
    ? null
    : { inbound, outbound, overage, inboundSegments, outboundSegments };
};

/** As core's: the plan in force at the end of the period is the last one set in or before it; before the first plan, the first. */
const reportOf = (plans: ReadonlyArray<Plan>, counts: Counts, period: string): PeriodUsage => {
  let plan: Plan = plans[0] ?? { period, limit: 0, overage: 'refuse' };
  for (const candidate of plans) if (candidate.period <= period) plan = candidate;
  return periodReport(period, counts, { messagesPerPeriod: plan.limit, overage: plan.overage });
};

const unreadable = (what: string): DatabaseFailure => ({ code: 'database-error', message: `the usage tables hold a ${what} this code cannot read`, sqlState: null });

const query = async (pool: Pool, businessId: BusinessId, period: string, schema: string): Promise<E.Either<UsageQueryError, PeriodUsage>> => {
  const problem = schemaNameProblem(schema);
  if (problem !== null) return E.left({ code: 'invalid-input', message: `schema ${JSON.stringify(schema)} ${problem}`, problems: ['schema'] });
  if (!PERIOD.test(period)) return E.left({ code: 'invalid-input', message: 'period: a billing period like 2026-11', problems: ['period'] });
  // One statement, so plans and counts come from one snapshot even while the runner commits.
  let rows: ReadonlyArray<unknown>;
  try {
    rows = (
      await pool.query(
        `SELECT 'plan' AS kind, period, messages_per_period::text AS messages_per_period, overage,
                NULL AS inbound, NULL AS outbound, NULL AS overage_messages, NULL AS inbound_segments, NULL AS outbound_segments,
                commit_position, prepare_position
           FROM ${qualified(schema, 'message_center_usage_plans')} WHERE business_id = $1
         UNION ALL
         SELECT 'counts', period, NULL, NULL,
                inbound::text, outbound::text, overage::text, inbound_segments::text, outbound_segments::text,
                NULL, NULL
           FROM ${qualified(schema, 'message_center_usage')} WHERE business_id = $1 AND period = $2
         ORDER BY kind DESC, commit_position, prepare_position`,
        [storedText(businessId), period],
      )
    ).rows;
  } catch (cause: unknown) {
    return E.left(databaseFailure(cause, `reading the usage of ${businessId}`, poolSecrets(pool)));
  }
  const plans: Plan[] = [];
  let counts = NO_COUNTS;
  for (const row of rows) {
    if (columnOf(row, 'kind') === 'plan') {
      const plan = planOf(row);
      if (plan === null) return E.left(unreadable('plan'));
      plans.push(plan);
    } else {
      const found = countsOf(row);
      if (found === null) return E.left(unreadable('count'));
      counts = found;
    }
  }
  // As core: a business with no plan has not enabled the Message Center.
  return plans.length === 0 ? E.left(notEnabled) : E.right(reportOf(plans, counts, period));
};

/** R6: the usage of one business in one billing period (`YYYY-MM`), as core's `usageOfPeriod` answers it. Never rejects. */
export const usageFromPg =
  (pool: Pool, businessId: BusinessId, period: string, options: { readonly schema?: string } = {}): TE.TaskEither<UsageQueryError, PeriodUsage> =>
  () =>
    query(pool, businessId, period, options.schema ?? DEFAULT_SCHEMA);
