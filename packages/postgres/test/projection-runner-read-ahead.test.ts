// The runner reads the next page while the current one is written (the store and the database work at
// once), and uses what it read ahead only when the commit left the checkpoint where that read started: a
// batch that fails and is tried again is read again, so nothing is applied twice or skipped.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { EventStore, LogPosition, ReadAllOptions, Upcaster } from '@message-center/core';
import { EVENT_SCHEMA_VERSIONS } from '@message-center/core/internals';
import { usagePgProjection } from '../src/usage-projection.js';
import type { PgProjection } from '../src/pg-projection.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { headOf, historyArb, newWorld } from './support/histories.js';
import { caughtUp, cleanFold, migratedSchema, startUsageRunner, usageTables } from './support/runner-fixtures.js';

interface Read {
  /** Where it started (`null`: the log's start). */
  readonly after: LogPosition | null;
  /** The last event of the page it answered, once answered. */
  last: LogPosition | null;
}

/** The store, recording each read. */
const recordingStore = (inner: EventStore): EventStore & { readonly reads: Read[] } => {
  const reads: Read[] = [];
  return {
    ...inner,
    reads,
    readAll: (options?: ReadAllOptions) => () => {
      const read: Read = { after: options?.after ?? null, last: null };
      reads.push(read);
      return inner.readAll(options)().then((page) => {
        if (E.isRight(page)) read.last = page.right[page.right.length - 1]?.position ?? null;
        return page;
      });
    },
  };
};

describe('the projection runner reads ahead', () => {
  const db = useFreshDatabase('runner read-ahead');

  it('reads the next page while a batch is being written', async () => {
    const pool = db().pool;
    const world = newWorld();
    const [steps] = fc.sample(historyArb(30), { numRuns: 1, seed: 5 });
    await world.play(steps ?? []);
    const schema = await migratedSchema(pool, 'ahead');
    const store = recordingStore(world.store);
    // The first batch waits until released: by then the runner has asked for the page after it.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let readsDuringFirst = -1;
    let batches = 0;
    const projection: PgProjection = {
      ...usagePgProjection,
      apply: async (client, batch) => {
        batches += 1;
        if (batches === 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          readsDuringFirst = store.reads.length;
          await released;
        }
        await usagePgProjection.apply(client, batch);
      },
    };
    const runner = startUsageRunner({ pool, store, schema, pageSize: 3, projection });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      expect(await caughtUp(runner)).toEqual(await headOf(world.store));
    } finally {
      await runner.stop();
    }
    // The first page and the one after it were asked for before the first batch committed.
    expect(readsDuringFirst).toBe(2);
    const [first, second] = store.reads;
    expect(first?.after).toBeNull();
    expect(first?.last).not.toBeNull();
    expect(second?.after).toEqual(first?.last);
    expect(await usageTables(pool, schema)).toEqual(await cleanFold(pool, { store: world.store }));
  }, 30_000);

  it('a batch that fails is read again from the committed checkpoint, not continued from the page read ahead: the exact result, each event once', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb(30), fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (steps, failures, pageSize) => {
        const pool = db().pool;
        const world = newWorld();
        await world.play(steps);
        const schema = await migratedSchema(pool, 'ahead-fail');
        let calls = 0;
        const projection: PgProjection = {
          ...usagePgProjection,
          apply: async (client, batch) => {
            calls += 1;
            // Writes the batch, then fails as drawn: the transaction rolls back with the rows it wrote.
            await usagePgProjection.apply(client, batch);
            if (failures[calls - 1] === true) throw new Error('injected: the batch failed after writing');
          },
        };
        const runner = startUsageRunner({ pool, store: world.store, schema, pageSize, projection });
        try {
          expect(await caughtUp(runner)).toEqual(await headOf(world.store));
          expect(E.isRight(await runner.caughtUp()())).toBe(true);
        } finally {
          await runner.stop();
        }
        expect(await usageTables(pool, schema)).toEqual(await cleanFold(pool, { store: world.store }));
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('an upcaster that throws on a page read ahead ends the runner with internal-error, and leaves no unhandled rejection to end the host', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const pool = db().pool;
      const world = newWorld();
      const [steps] = fc.sample(historyArb(30), { numRuns: 1, seed: 5 });
      await world.play(steps ?? []);
      const schema = await migratedSchema(pool, 'ahead-throws');
      let reads = 0;
      // Every page after the first says schema version 0, so the host's upcasters run on it, and they throw.
      const store: EventStore = {
        ...world.store,
        readAll: (options?: ReadAllOptions) => () => {
          reads += 1;
          const first = reads === 1;
          return world.store.readAll(options)().then((page) =>
            E.isRight(page) && !first
              ? E.right(page.right.map((e) => ({ ...e, metadata: typeof e.metadata === 'object' && e.metadata !== null ? { ...e.metadata, schemaVersion: 0 } : { schemaVersion: 0 } })))
              : page,
          );
        },
      };
      const upcasters: ReadonlyArray<Upcaster> = Object.keys(EVENT_SCHEMA_VERSIONS).map((type) => ({
        type,
        fromVersion: 0,
        upcast: () => {
          throw new Error('injected: a host upcaster that throws');
        },
      }));
      // The first batch takes a while, so the page after it is read (and its decoding throws) before it commits.
      const projection: PgProjection = {
        ...usagePgProjection,
        apply: async (client, batch) => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          await usagePgProjection.apply(client, batch);
        },
      };
      const runner = startUsageRunner({ pool, store, schema, pageSize: 3, projection, upcasters });
      const ended = await runner.done;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(E.isLeft(ended) ? ended.left.code : 'still running').toBe('internal-error');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 30_000);
});
