// Several runners of one projection (one per instance of the host service): one holds the advisory lock and
// writes, the others wait; when the holder stops or its connection dies, another takes over and finishes.
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { projectionLockKey } from '../src/advisory-lock.js';
import type { PgProjectionRunner } from '../src/projection-runner.js';
import { USAGE_PROJECTION } from '../src/usage-projection.js';
import { useFreshDatabase, type FreshDatabase } from './support/fresh-database.js';
import { historyArb, newWorld, type HistoryStep, type World } from './support/histories.js';
import { caughtUp, cleanFold, eventually, migratedSchema, startUsageRunner, terminateBackend, usageTables, type RunnerOptions } from './support/runner-fixtures.js';

/** Backends holding the usage projection's lock in `schema`, by application name (one per runner's pool). */
const lockHolders = async (pool: Pool, schema: string): Promise<ReadonlyArray<{ pid: number; app: string }>> => {
  const key = projectionLockKey(schema, USAGE_PROJECTION);
  // A bigint advisory lock shows as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
  const high = BigInt.asUintN(32, key >> 32n).toString();
  const low = BigInt.asUintN(32, key).toString();
  const { rows } = await pool.query<{ pid: number; app: string }>(
    `SELECT l.pid, a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::text = $1 AND l.objid::text = $2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [high, low],
  );
  return rows;
};

/**
 * A runner in a pool of its own, as another process would have, named so `pg_stat_activity` tells them apart.
 * Stopping it stops the runner and ends its pool.
 */
const runnerOf = (db: FreshDatabase, world: World, schema: string, app: string, options: Partial<RunnerOptions> = {}): PgProjectionRunner => {
  const pool = db.newPool({ application_name: app, max: 2 });
  // Idle connections the server ends (a terminated backend) are reported here rather than thrown.
  pool.on('error', () => undefined);
  const runner = startUsageRunner({ pool, store: world.store, schema, pageSize: 3, ...options });
  return {
    ...runner,
    stop: async () => {
      await runner.stop();
      if (!pool.ended) await pool.end();
    },
  };
};

const split = (steps: ReadonlyArray<HistoryStep>): readonly [ReadonlyArray<HistoryStep>, ReadonlyArray<HistoryStep>] => {
  const middle = Math.floor(steps.length / 2);
  return [steps.slice(0, middle), steps.slice(middle)];
};

describe('several runners of one projection', () => {
  const db = useFreshDatabase('runner lock');

  it('two runners at once: exactly one holds the lock and writes, the other waits; the result is exact', async () => {
    const world = newWorld();
    const [steps] = fc.sample(historyArb(60), { numRuns: 1, seed: 7 });
    const [before, after] = split(steps ?? []);
    await world.play(before);
    const schema = await migratedSchema(db().pool, 'two');
    const a = runnerOf(db(), world, schema, 'runner-a');
    const b = runnerOf(db(), world, schema, 'runner-b');
    try {
      await eventually(() => a.status() === 'holding-lock' || b.status() === 'holding-lock', 'a holder');
      const [holder, waiter] = a.status() === 'holding-lock' ? [a, b] : [b, a];
      // Events appended while both run.
      await world.play(after);
      await caughtUp(holder);
      expect(waiter.status()).toBe('waiting-for-lock');
      expect(waiter.stats().batches).toBe(0);
      expect(holder.stats().batches).toBeGreaterThan(1);
      const holders = await lockHolders(db().pool, schema);
      expect(holders.map((h) => h.app)).toEqual([holder === a ? 'runner-a' : 'runner-b']);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await usageTables(db().pool, schema)).toEqual(await cleanFold(db().pool, { store: world.store }));
    // Stopped runners hold nothing.
    expect(await lockHolders(db().pool, schema)).toEqual([]);
  }, 30_000);

  it('the holder\'s connection is terminated: the waiting runner takes over and finishes, the old holder waits', async () => {
    const world = newWorld();
    const [steps] = fc.sample(historyArb(60), { numRuns: 1, seed: 8 });
    const [before, after] = split(steps ?? []);
    await world.play(before);
    const schema = await migratedSchema(db().pool, 'terminate');
    // A backs off for long after losing its connection, so B, which retries the lock often, is the one to take over.
    const a = runnerOf(db(), world, schema, 'runner-a', { backoffMs: 3_000, maxBackoffMs: 3_000, lockRetryMs: 3_000 });
    await caughtUp(a);
    const b = runnerOf(db(), world, schema, 'runner-b', { lockRetryMs: 10 });
    try {
      await eventually(() => b.status() === 'waiting-for-lock', 'b to wait');
      const [holder] = await lockHolders(db().pool, schema);
      expect(holder?.app).toBe('runner-a');
      await terminateBackend(db().pool, holder?.pid);
      await world.play(after);
      await caughtUp(b);
      expect(b.status()).toBe('holding-lock');
      expect(a.status()).toBe('waiting-for-lock');
      expect((await lockHolders(db().pool, schema)).map((h) => h.app)).toEqual(['runner-b']);
      expect(b.stats().batches).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await usageTables(db().pool, schema)).toEqual(await cleanFold(db().pool, { store: world.store }));
  }, 30_000);

  it('writers the lock does not separate (three runners given different lock keys): the checkpoint row still keeps every event to exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb(40), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 3 }), fc.boolean(), async (steps, pageSizes, live) => {
        const world = newWorld();
        const schema = await migratedSchema(db().pool, 'unlocked');
        if (!live) await world.play(steps);
        // A misconfiguration the runner must survive: each its own lock, so all three write at once, and each
        // batch finds the checkpoint row moved by the others (pages read before another writer moved on).
        const runners = pageSizes.map((pageSize, i) => runnerOf(db(), world, schema, `free-${i}`, { pageSize, lockKey: BigInt(i + 1) }));
        try {
          if (live) await world.play(steps);
          await Promise.all(runners.map((runner) => caughtUp(runner)));
          expect(runners.every((runner) => runner.status() === 'holding-lock')).toBe(true);
        } finally {
          await Promise.all(runners.map((runner) => runner.stop()));
        }
        expect(await usageTables(db().pool, schema)).toEqual(await cleanFold(db().pool, { store: world.store }));
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('any sequence of holders stopped or cut among three runners, while events arrive: one writer at a time, exact result', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb(40),
        fc.array(fc.constantFrom('stop' as const, 'cut' as const), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, blows, pageSize) => {
          const world = newWorld();
          const schema = await migratedSchema(db().pool, 'holders');
          const runners: Array<{ readonly app: string; readonly runner: PgProjectionRunner }> = [];
          const start = (app: string): { readonly app: string; readonly runner: PgProjectionRunner } => {
            const started = { app, runner: runnerOf(db(), world, schema, app, { pageSize }) };
            runners.push(started);
            return started;
          };
          let alive = ['r0', 'r1', 'r2'].map(start);
          const chunk = Math.ceil(steps.length / (blows.length + 1));
          try {
            for (const [round, blow] of blows.entries()) {
              await world.play(steps.slice(round * chunk, (round + 1) * chunk));
              await eventually(async () => (await lockHolders(db().pool, schema)).length === 1, 'a holder');
              const [holder] = await lockHolders(db().pool, schema);
              const struck = alive.find((r) => r.app === holder?.app);
              if (struck === undefined) throw new Error(`the lock is held by ${holder?.app ?? 'nobody'}`);
              if (blow === 'stop') await struck.runner.stop();
              else await terminateBackend(db().pool, holder?.pid);
              // A stopped runner is replaced by a new one, as a restarted instance would be.
              if (blow === 'stop') alive = [...alive.filter((r) => r !== struck), start(`r${3 + round}`)];
            }
            await world.play(steps.slice(blows.length * chunk));
            await Promise.race(alive.map(({ runner }) => caughtUp(runner)));
            // A holder whose backend was cut learns it when its connection reports the end (asynchronously, and a
            // caught-up runner sends no statement that would fail sooner): until then it still says it holds.
            const holding = (): ReadonlyArray<string> => alive.filter(({ runner }) => runner.status() === 'holding-lock').map((r) => r.app);
            await eventually(async () => {
              const now = await lockHolders(db().pool, schema);
              return now.length === 1 && JSON.stringify(holding()) === JSON.stringify(now.map((h) => h.app));
            }, 'one runner holding the lock, the one PostgreSQL names');
            const holders = await lockHolders(db().pool, schema);
            expect(holders).toHaveLength(1);
            expect(holding()).toEqual(holders.map((h) => h.app));
          } finally {
            await Promise.all(runners.map(({ runner }) => runner.stop()));
          }
          expect(await usageTables(db().pool, schema)).toEqual(await cleanFold(db().pool, { store: world.store }));
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
