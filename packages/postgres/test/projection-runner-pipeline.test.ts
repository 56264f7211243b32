// The runner folds the next page on a second connection while the database writes the current one (projections
// with `stage`: the inbox). The next page's reads do not see the current page's writes, which have not committed:
// what the current page changes comes from its staged batch. Whatever the pages, the failures and the pool, the
// tables must be row for row those of a fold page after page.
import { fc } from '@fast-check/vitest';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { escapeIdentifier } from 'pg';
import { inboxPgProjection } from '../src/inbox-projection.js';
import type { PgProjection } from '../src/pg-projection.js';
import { startPgProjection } from '../src/projection-runner.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { inboxHistoryArb, newWorld, type World } from './support/histories.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';

/** Every row of every table of `schema` as text, table by table (the migrations' and checkpoints' tables left out: they hold times; both folds caught up). */
const schemaRows = async (pool: Pool, schema: string): Promise<Record<string, ReadonlyArray<string>>> => {
  const tables = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name NOT IN ('message_center_migrations', 'message_center_checkpoints') ORDER BY 1`,
    [schema],
  );
  const rows: Record<string, ReadonlyArray<string>> = {};
  for (const { table_name: table } of tables.rows)
    rows[table] = (await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)} t ORDER BY 1`)).rows.map((r) => r.row);
  return rows;
};

/** Folds the inbox of `world` into a fresh schema; answers the schema and the batches committed as pipelined. */
const fold = async (pool: Pool, world: World, label: string, options: { readonly pageSize: number; readonly pipeline: boolean; readonly projection?: PgProjection }): Promise<{ readonly schema: string; readonly pipelined: number }> => {
  const schema = await migratedSchema(pool, label);
  const runner = startPgProjection({ projection: inboxPgProjection, ...TEST_TIMINGS, pool, store: world.store, schema, ...options });
  try {
    await caughtUp(runner);
  } finally {
    await runner.stop();
  }
  return { schema, pipelined: runner.stats().pipelined };
};

/** The inbox projection, failing after it wrote a batch (staged or not) where `failures` says, and staging where `stageFailures` says. */
const failing = (failures: ReadonlyArray<boolean>, stageFailures: ReadonlyArray<boolean>): PgProjection => {
  let writes = 0;
  let stagings = 0;
  const failNow = (): void => {
    writes += 1;
    if (failures[writes - 1] === true) throw new Error('injected: the batch failed after writing');
  };
  const stage = inboxPgProjection.stage;
  if (stage === undefined) throw new Error('the inbox projection stages its batches');
  return {
    ...inboxPgProjection,
    apply: async (client, batch) => {
      await inboxPgProjection.apply(client, batch);
      failNow();
    },
    stage: async (read, batch, previous) => {
      stagings += 1;
      if (stageFailures[stagings - 1] === true) throw new Error('injected: staging failed');
      const staged = await stage(read, batch, previous);
      return {
        ...staged,
        write: async (client) => {
          await staged.write(client);
          failNow();
        },
      };
    },
  };
};

describe('the projection runner folds the next page while one is written', () => {
  const db = useFreshDatabase('runner pipeline');

  it('R1 R2 R3 R4 every inbox table folded with the pipeline equals the fold page after page, row for row, whatever the pages', async () => {
    let pipelined = 0;
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(60), fc.integer({ min: 1, max: 7 }), async (steps, pageSize) => {
        const pool = db().pool;
        const world = newWorld();
        await world.play(steps);
        const piped = await fold(pool, world, `piped ${pageSize}`, { pageSize, pipeline: true });
        const plain = await fold(pool, world, `plain ${pageSize}`, { pageSize, pipeline: false });
        expect(plain.pipelined).toBe(0);
        expect(await schemaRows(pool, piped.schema)).toEqual(await schemaRows(pool, plain.schema));
        pipelined += piped.pipelined;
      }),
      { numRuns: 10 },
    );
    // Folds where no batch was staged ahead would prove nothing of the pipeline.
    expect(pipelined).toBeGreaterThan(0);
  }, 300_000);

  it('R1 R2 R3 R4 batches that fail after writing, and stagings that fail, leave the tables of the fold page after page: a page staged after a batch that did not commit is not written', async () => {
    await fc.assert(
      fc.asyncProperty(
        inboxHistoryArb(50),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        async (steps, pageSize, failures, stageFailures) => {
          const pool = db().pool;
          const world = newWorld();
          await world.play(steps);
          const faulty = await fold(pool, world, `faulty ${pageSize}`, { pageSize, pipeline: true, projection: failing(failures, stageFailures) });
          const plain = await fold(pool, world, `clean ${pageSize}`, { pageSize, pipeline: false });
          expect(await schemaRows(pool, faulty.schema)).toEqual(await schemaRows(pool, plain.schema));
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  it('a pool with no second connection to give folds page after page, without waiting for one', async () => {
    const world = newWorld();
    const [steps] = fc.sample(inboxHistoryArb(40), { numRuns: 1, seed: 11 });
    await world.play(steps ?? []);
    const single = new Pool({ connectionString: db().url, max: 1 });
    try {
      const alone = await fold(single, world, 'one connection', { pageSize: 2, pipeline: true });
      expect(alone.pipelined).toBe(0);
      const plain = await fold(db().pool, world, 'one connection plain', { pageSize: 2, pipeline: false });
      expect(await schemaRows(db().pool, alone.schema)).toEqual(await schemaRows(db().pool, plain.schema));
    } finally {
      await single.end();
    }
  }, 60_000);
});
