// A store that fails, throws or hangs on read, a live subscription that breaks, events this version cannot
// read, a database out of reach: the runner reports each as a value, never moves the checkpoint past what it
// committed, and recovers (or, for an unreadable event, stops there and lets the lock go).
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { closedPort } from './support/closed-port.js';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import type { EventStore, LogPosition, StoreError } from '@message-center/core';
import { compareLogPositions } from '@message-center/core';
import type { PgProjectionError } from '../src/runner-errors.js';
import { MIGRATIONS } from '../src/schema/migration-list.js';
import { qualified } from '../src/schema-path.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { headOf, historyArb, newWorld } from './support/histories.js';
import { caughtUp, checkpointIn, cleanFold, eventually, migratedSchema, startUsageRunner, usageTables, within } from './support/runner-fixtures.js';

type ReadFault = 'none' | 'left' | 'throw' | 'reject' | 'hang';

const unavailable: StoreError = { code: 'store-unavailable', message: 'injected: the store is down' };

/** The in-memory store with reads that fail as `fault(call)` says, and live subscriptions that break at once when `breakLive`. */
const faultyStore = (inner: EventStore, fault: (call: number) => ReadFault, breakLive: boolean): EventStore & { readonly reads: () => number } => {
  let reads = 0;
  return {
    ...inner,
    reads: () => reads,
    readAll: (options) => {
      reads += 1;
      const chosen = fault(reads);
      if (chosen === 'throw') throw new Error('injected: readAll threw');
      return () => {
        switch (chosen) {
          case 'left':
            return Promise.resolve(E.left(unavailable));
          case 'reject':
            return Promise.reject(new Error('injected: readAll rejected'));
          case 'hang':
            return new Promise(() => undefined);
          default:
            return inner.readAll(options)();
        }
      };
    },
    subscribeToAll: (options, handlers) => {
      if (!breakLive) return inner.subscribeToAll(options, handlers);
      queueMicrotask(() => handlers.onError?.(unavailable));
      return { close: () => Promise.resolve() };
    },
  };
};

/** Whether checkpoints only ever moved forward. */
const monotonic = (seen: ReadonlyArray<LogPosition | null>): boolean =>
  seen.every((p, i) => {
    const before = seen[i - 1];
    return before === undefined || before === null || (p !== null && compareLogPositions(before, p) <= 0);
  });

describe('the projection runner against failures', () => {
  const db = useFreshDatabase('runner faults');

  it('reads that fail, throw, reject or hang, and a live subscription that breaks: never a corrupt checkpoint, and the exact result once the store answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb(30),
        fc.array(fc.constantFrom<ReadFault>('none', 'none', 'left', 'throw', 'reject', 'hang'), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        async (steps, faults, breakLive, pageSize) => {
          const pool = db().pool;
          const world = newWorld();
          await world.play(steps);
          const clean = await cleanFold(pool, { store: world.store });
          const schema = await migratedSchema(pool, 'faults');
          // The first reads fail as drawn; after them the store is healthy.
          const store = faultyStore(world.store, (call) => faults[call - 1] ?? 'none', breakLive);
          const errors: PgProjectionError[] = [];
          const runner = startUsageRunner({ pool, store, schema, pageSize, readTimeoutMs: 30, onError: (e) => errors.push(e) });
          const checkpoints: Array<LogPosition | null> = [];
          try {
            // Sample the committed checkpoint while the runner struggles.
            const answer = runner.caughtUp()();
            let settled = false;
            void answer.then(() => (settled = true));
            while (!settled) {
              checkpoints.push(await checkpointIn(pool, schema));
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
            expect(E.isRight(await answer)).toBe(true);
          } finally {
            await runner.stop();
          }
          checkpoints.push(await checkpointIn(pool, schema));
          expect(monotonic(checkpoints)).toBe(true);
          expect(checkpoints[checkpoints.length - 1]).toEqual(await headOf(world.store));
          expect(await usageTables(pool, schema)).toEqual(clean);
          // Every failure was the store's, and a read that failed was reported.
          expect(errors.every((e) => e.code === 'store-read-failed')).toBe(true);
          if (faults.slice(0, store.reads()).some((f) => f !== 'none')) expect(errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('a store that hangs leaves the checkpoint where it was; once it answers again the runner catches up', async () => {
    const pool = db().pool;
    const world = newWorld();
    const [steps] = fc.sample(historyArb(40), { numRuns: 1, seed: 11 });
    const [first, rest] = [steps?.slice(0, 15) ?? [], steps?.slice(15) ?? []];
    await world.play(first);
    const schema = await migratedSchema(pool, 'hang');
    let hanging = false;
    const store = faultyStore(world.store, () => (hanging ? 'hang' : 'none'), false);
    const errors: PgProjectionError[] = [];
    const runner = startUsageRunner({ pool, store, schema, pageSize: 4, readTimeoutMs: 25, onError: (e) => errors.push(e) });
    try {
      const before = await caughtUp(runner);
      hanging = true;
      await world.play(rest);
      await eventually(() => errors.some((e) => e.code === 'store-read-failed' && e.reason === 'timeout'), 'a timed-out read');
      expect(await checkpointIn(pool, schema)).toEqual(before);
      hanging = false;
      expect(await caughtUp(runner)).toEqual(await headOf(world.store));
    } finally {
      await runner.stop();
    }
    expect(await usageTables(pool, schema)).toEqual(await cleanFold(pool, { store: world.store }));
  }, 30_000);

  it('a schema a newer release migrated (a migration this code does not know): the runner stops before writing, at its next batch, and lets the lock go', async () => {
    const pool = db().pool;
    const world = newWorld();
    const [steps] = fc.sample(historyArb(20), { numRuns: 1, seed: 9 });
    await world.play(steps ?? []);
    const schema = await migratedSchema(pool, 'newer schema');
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    // A runner folds the log, then a newer release migrates the schema while it waits for more.
    const runner = startUsageRunner({ pool, store: world.store, schema });
    const folded = await caughtUp(runner);
    const tables = await usageTables(pool, schema);
    await pool.query(`INSERT INTO ${qualified(schema, 'message_center_migrations')} (version, name, checksum) VALUES ($1, 'of a newer release', 'x')`, [latest + 1]);
    await world.play([{ kind: 'inbound', business: 0, phone: 0, body: 0 }]);
    const ended = await within(runner.done, 10_000, 'the runner to stop');
    expect(E.isLeft(ended) ? ended.left : null).toMatchObject({ code: 'schema-newer-than-runner', schemaVersion: latest + 1, runnerVersion: latest });
    expect(runner.status()).toBe('failed');
    // Nothing of the new event was written: the tables and the checkpoint are as the runner left them.
    expect(await checkpointIn(pool, schema)).toEqual(folded);
    expect(await usageTables(pool, schema)).toEqual(tables);
    // The lock went with it: a runner of the newer release takes over (here: the migration row taken back).
    await pool.query(`DELETE FROM ${qualified(schema, 'message_center_migrations')} WHERE version = $1`, [latest + 1]);
    const newer = startUsageRunner({ pool, store: world.store, schema });
    try {
      expect(await caughtUp(newer)).toEqual(await headOf(world.store));
    } finally {
      await newer.stop();
    }
    expect(await usageTables(pool, schema)).toEqual(await cleanFold(pool, { store: world.store }));
  }, 30_000);

  it('an event of a type this version does not know: `fail` stops before it and lets the lock go; `skip` passes over it and counts it', async () => {
    const pool = db().pool;
    const world = newWorld();
    const [steps] = fc.sample(historyArb(20), { numRuns: 1, seed: 5 });
    await world.play(steps ?? []);
    const before = await headOf(world.store);
    const appended = await world.store.appendToStream(
      'mc-business-b1',
      [{ id: '10000000-0000-4000-8000-000000000001', type: 'FeatureOfANewerRelease', data: {}, metadata: { schemaVersion: 1 } }],
      { expectedRevision: 'any' },
    )();
    if (E.isLeft(appended)) throw new Error(appended.left.message);
    await world.play([{ kind: 'inbound', business: 0, phone: 0, body: 0 }]);

    const failing = await migratedSchema(pool, 'unknown fail');
    const stopped = startUsageRunner({ pool, store: world.store, schema: failing });
    const ended = await within(stopped.done, 10_000, 'the runner to stop');
    expect(E.isLeft(ended) ? ended.left.code : 'right').toBe('unknown-event-type');
    expect(stopped.status()).toBe('failed');
    expect(await checkpointIn(pool, failing)).toEqual(before);
    expect(await stopped.caughtUp()()).toMatchObject({ left: { code: 'runner-ended', error: { code: 'unknown-event-type' } } });
    // The lock went with it: another runner (say, of a newer release that knows the event) may take over.
    const newer = startUsageRunner({ pool, store: world.store, schema: failing, unknownEvents: 'skip' });
    try {
      expect(await caughtUp(newer)).toEqual(await headOf(world.store));
      expect(newer.stats().skippedUnknown).toBe(1);
    } finally {
      await newer.stop();
    }

    const skipping = await migratedSchema(pool, 'unknown skip');
    const runner = startUsageRunner({ pool, store: world.store, schema: skipping, unknownEvents: 'skip' });
    try {
      expect(await caughtUp(runner)).toEqual(await headOf(world.store));
      expect(runner.stats().skippedUnknown).toBe(1);
    } finally {
      await runner.stop();
    }
    expect(await usageTables(pool, skipping)).toEqual(await usageTables(pool, failing));
  }, 30_000);

  it('a database out of reach: database-unavailable reported as values with no password in them; stop still ends it', async () => {
    const port = await closedPort();
    const secret = 'pw-s3cret-Zq9';
    const pool = new Pool({ connectionString: `postgresql://postgres:${secret}@127.0.0.1:${port}/postgres` });
    const errors: PgProjectionError[] = [];
    const runner = startUsageRunner({ pool, store: newWorld().store, schema: 'anywhere', onError: (e) => errors.push(e) });
    try {
      await eventually(() => errors.length >= 2, 'two failed connection attempts');
      expect(runner.status()).toBe('waiting-for-lock');
      expect(errors[0]).toMatchObject({ code: 'database-unavailable' });
      expect(JSON.stringify(errors)).not.toContain(secret);
    } finally {
      await runner.stop();
      await pool.end();
    }
    expect(runner.status()).toBe('stopped');
    expect(await runner.caughtUp()()).toMatchObject({ left: { code: 'runner-ended', error: null } });
  });

  it('options out of range are refused at start, naming the option', () => {
    const store = newWorld().store;
    const pool = db().pool;
    expect(() => startUsageRunner({ pool, store, pageSize: 0 })).toThrow(/pageSize/);
    expect(() => startUsageRunner({ pool, store, idleMs: 1.5 })).toThrow(/idleMs/);
    expect(() => startUsageRunner({ pool, store, backoffMs: 500, maxBackoffMs: 100 })).toThrow(/maxBackoffMs/);
    expect(() => startUsageRunner({ pool, store, schema: '' })).toThrow(/schema/);
    expect(() => startUsageRunner({ pool, store, lockKey: 2n ** 63n })).toThrow(/lockKey/);
  });
});
