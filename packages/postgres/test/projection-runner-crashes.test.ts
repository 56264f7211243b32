// Exactly once across crashes: a runner killed anywhere in a batch (before its writes, after them, with its
// connection cut mid-transaction, or stopped between batches) and replaced by a new one leaves the tables as
// one clean fold leaves them: no event applied twice, none skipped.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { ClientBase, Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import type { PgProjection } from '../src/pg-projection.js';
import type { PgProjectionError } from '../src/runner-errors.js';
import { usagePgProjection } from '../src/usage-projection.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { headOf, historyArb, newWorld } from './support/histories.js';
import { caughtUp, checkpointIn, cleanFold, migratedSchema, startUsageRunner, terminateBackend, usageTables, within } from './support/runner-fixtures.js';

/**
 * How a runner dies in the middle of a batch:
 * - `throw-before` / `throw-after`: `apply` throws before or after writing (the process dies in our code);
 * - `cut-after`: its connection is terminated by the server after the writes, before the checkpoint and COMMIT;
 * - `stop-after`: it is stopped right after writing, so this batch commits and the next never starts.
 */
type Crash = 'throw-before' | 'throw-after' | 'cut-after' | 'stop-after';

const crashArb = fc.constantFrom<Crash>('throw-before', 'throw-after', 'cut-after', 'stop-after');

/** Ends the backend of `client` from another session and waits until it is gone. */
const cut = async (admin: Pool, client: ClientBase): Promise<void> => {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  await terminateBackend(admin, rows[0]?.pid);
};

/** The usage projection, with `crash` at the apply calls it names (counted across every runner of the test). */
const crashing = (admin: Pool, crashes: ReadonlyMap<number, Crash>, die: () => void): { readonly projection: PgProjection; readonly calls: () => number } => {
  let calls = 0;
  return {
    calls: () => calls,
    projection: {
      ...usagePgProjection,
      apply: async (client, batch) => {
        calls += 1;
        const crash = crashes.get(calls);
        if (crash === 'throw-before') {
          die();
          throw new Error('crashed before writing');
        }
        await usagePgProjection.apply(client, batch);
        if (crash === undefined) return;
        die();
        if (crash === 'throw-after') throw new Error('crashed after writing');
        if (crash === 'cut-after') await cut(admin, client);
      },
    },
  };
};

describe('the projection runner across crashes', () => {
  const db = useFreshDatabase('runner crashes');

  it('a runner killed at any point of any batch, then replaced, leaves exactly the clean fold (R6 usage)', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb(30),
        fc.integer({ min: 1, max: 4 }),
        fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 25 }), crashArb), { minLength: 1, maxLength: 6, selector: ([at]) => at }),
        async (steps, pageSize, crashList) => {
          const pool = db().pool;
          const world = newWorld();
          await world.play(steps);
          const clean = await cleanFold(pool, { store: world.store, pageSize: 1_000 });

          const schema = await migratedSchema(pool, 'crashes');
          const crashes = new Map(crashList);
          let current: { stop: () => Promise<void> } | null = null;
          // The process dies: nothing of this runner goes on (not awaited: apply is still on the stack).
          const die = (): void => void current?.stop();
          const { projection, calls } = crashing(pool, crashes, die);
          const errors: PgProjectionError[] = [];
          let finished = false;
          for (let generation = 0; !finished; generation += 1) {
            expect(generation).toBeLessThanOrEqual(crashList.length);
            const runner = startUsageRunner({ pool, store: world.store, schema, pageSize, projection, onError: (e) => errors.push(e) });
            current = runner;
            const answer = await within(runner.caughtUp()(), 20_000, 'a runner to catch up or die');
            await runner.stop();
            finished = E.isRight(answer);
          }
          expect(await usageTables(pool, schema)).toEqual(clean);
          expect(await checkpointIn(pool, schema)).toEqual(await headOf(world.store));
          // Every crash that happened was reported as a failure (a cut connection as the database's).
          const fired = crashList.filter(([at, crash]) => at <= calls() && crash !== 'stop-after').length;
          expect(errors.length).toBeGreaterThanOrEqual(fired);
          expect(errors.every((e) => e.code === 'projection-failed' || e.code === 'database-unavailable')).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('one runner that keeps failing and retrying (a throwing apply, a cut connection) reconnects by itself and ends exact', async () => {
    const pool = db().pool;
    const admin = db().newPool();
    const world = newWorld();
    const [steps] = fc.sample(historyArb(40), { numRuns: 1, seed: 42 });
    await world.play(steps ?? []);
    const clean = await cleanFold(pool, { store: world.store, pageSize: 1_000 });
    const schema = await migratedSchema(pool, 'retries');
    // No one dies here: the same runner rolls back, backs off and goes on (on a new connection after the cut).
    const { projection } = crashing(admin, new Map<number, Crash>([[2, 'throw-before'], [3, 'throw-after'], [5, 'cut-after'], [8, 'cut-after'], [9, 'throw-after']]), () => undefined);
    const statuses: string[] = [];
    const runner = startUsageRunner({ pool, store: world.store, schema, pageSize: 2, projection, onStatus: (s) => statuses.push(s) });
    try {
      await caughtUp(runner);
    } finally {
      await runner.stop();
    }
    expect(await usageTables(pool, schema)).toEqual(clean);
    // Cut twice: the lock went with the connection, and the runner took it again.
    expect(statuses.filter((s) => s === 'holding-lock').length).toBeGreaterThanOrEqual(3);
    expect(statuses[statuses.length - 1]).toBe('stopped');
  }, 60_000);
});
