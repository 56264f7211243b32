// What the projection-runner tests share: a migrated schema of their own, runners with test timings, the
// usage tables as plain rows (to compare a run with a clean fold), and waiting with a deadline.
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import type { LogPosition } from '@message-center/core';
import { migrate } from '../../src/index.js';
import { startPgProjection, type PgProjectionRunner, type PgProjectionRunnerOptions } from '../../src/projection-runner.js';
import { qualified } from '../../src/schema-path.js';
import { usagePgProjection } from '../../src/usage-projection.js';
import { inboxPgProjection } from '../../src/inbox-projection.js';
import { freshSchema, right } from './migration-fixtures.js';

/** A schema of its own with the package's migrations applied: one per property run, so runs never meet. */
export const migratedSchema = async (pool: Pool, label: string): Promise<string> => {
  const schema = freshSchema(label);
  await right(migrate(pool, { schema }));
  return schema;
};

/** Timings for tests: poll, retry and back off within milliseconds. */
export const TEST_TIMINGS = { idleMs: 20, lockRetryMs: 15, backoffMs: 5, maxBackoffMs: 40, readTimeoutMs: 2_000 } as const;

export type RunnerOptions = Omit<PgProjectionRunnerOptions, 'projection'> & Partial<Pick<PgProjectionRunnerOptions, 'projection'>>;

/** The usage projection's runner with test timings (anything overridable). */
export const startUsageRunner = (options: RunnerOptions): PgProjectionRunner => startPgProjection({ projection: usagePgProjection, ...TEST_TIMINGS, ...options });

/** Waits (with a deadline) until the runner has caught up with the store; fails the test otherwise. */
export const caughtUp = async (runner: PgProjectionRunner, withinMs = 20_000): Promise<LogPosition | null> => {
  const answer = await within(runner.caughtUp()(), withinMs, `${runner.name} to catch up`);
  if (E.isLeft(answer)) throw new Error(`the runner ended before catching up: ${answer.left.message}`);
  return answer.right;
};

export const within = async <A>(promise: Promise<A>, ms: number, what: string): Promise<A> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

/** Ends a backend from another session and waits until it is gone, as when its process dies. */
export const terminateBackend = async (pool: Pool, pid: number | undefined): Promise<void> => {
  if (pid === undefined) throw new Error('no backend to terminate');
  await pool.query('SELECT pg_terminate_backend($1)', [pid]);
  await eventually(async () => (await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0, `backend ${pid} to end`);
};

/** Polls `check` until it holds (or fails the test after `ms`). */
export const eventually = async (check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

export interface UsageTables {
  readonly usage: ReadonlyArray<unknown>;
  readonly conversations: ReadonlyArray<unknown>;
  readonly plans: ReadonlyArray<unknown>;
  readonly checkpoint: ReadonlyArray<unknown>;
}

/** Every row the usage projection wrote in `schema`, in a fixed order, with its checkpoint. */
export const usageTables = async (pool: Pool, schema: string): Promise<UsageTables> => {
  const rows = async (sql: string): Promise<ReadonlyArray<unknown>> => (await pool.query(sql)).rows;
  return {
    usage: await rows(`SELECT * FROM ${qualified(schema, 'message_center_usage')} ORDER BY business_id, period`),
    conversations: await rows(`SELECT * FROM ${qualified(schema, 'message_center_usage_conversations')} ORDER BY stream_id`),
    plans: await rows(`SELECT * FROM ${qualified(schema, 'message_center_usage_plans')} ORDER BY business_id, commit_position, prepare_position`),
    checkpoint: await rows(
      `SELECT projection, commit_position::text AS commit, prepare_position::text AS prepare FROM ${qualified(schema, 'message_center_checkpoints')} ORDER BY projection`,
    ),
  };
};

/** The committed checkpoint of the usage projection in `schema` (null: none). */
export const checkpointIn = async (pool: Pool, schema: string): Promise<LogPosition | null> => {
  const { rows } = await pool.query<{ commit: string; prepare: string }>(
    `SELECT commit_position::text AS commit, prepare_position::text AS prepare FROM ${qualified(schema, 'message_center_checkpoints')} WHERE projection = 'usage'`,
  );
  const row = rows[0];
  return row === undefined ? null : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
};

/** The usage of `store` folded by one clean runner (one page per transaction of `pageSize`), into a new schema. */
export const cleanFold = async (pool: Pool, options: Omit<RunnerOptions, 'pool' | 'schema'>): Promise<UsageTables> => {
  const schema = await migratedSchema(pool, 'clean');
  const runner = startUsageRunner({ ...options, pool, schema });
  try {
    await caughtUp(runner);
  } finally {
    await runner.stop();
  }
  return usageTables(pool, schema);
};

/**
 * Plays a history in two parts (cut at `cutAt` %) and compares after each: with `live`, one runner follows
 * the history as it is written (the doorbell and polls); else a new runner folds each part afterwards, onto
 * the rows the part before left.
 */
export const playInTwoParts = async <S>(options: {
  readonly steps: ReadonlyArray<S>;
  readonly cutAt: number;
  readonly live: boolean;
  readonly play: (steps: ReadonlyArray<S>) => Promise<void>;
  readonly startRunner: () => PgProjectionRunner;
  readonly compare: (runner: PgProjectionRunner) => Promise<void>;
}): Promise<void> => {
  const cut = Math.floor((options.steps.length * options.cutAt) / 100);
  const liveRunner = options.live ? options.startRunner() : null;
  try {
    for (const part of [options.steps.slice(0, cut), options.steps.slice(cut)]) {
      await options.play(part);
      const runner = liveRunner ?? options.startRunner();
      try {
        await options.compare(runner);
      } finally {
        if (liveRunner === null) await runner.stop();
      }
    }
  } finally {
    await liveRunner?.stop();
  }
};

/** The inbox projection folded from `store` into `schema` up to the log's end, in pages of `pageSize`; the runner stopped after. */
export const foldInbox = async (pool: Pool, store: PgProjectionRunnerOptions['store'], schema: string, pageSize: number): Promise<void> => {
  const runner = startPgProjection({ projection: inboxPgProjection, ...TEST_TIMINGS, pool, store, schema, pageSize });
  try {
    await caughtUp(runner);
  } finally {
    await runner.stop();
  }
};
