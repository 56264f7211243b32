import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { compareLogPositions, createInMemoryEventStore, type InMemoryEventStore } from '@message-center/core';
import { DomainEvent, encodeEvent, makeEventDecoder, type EventEnvelope } from '@message-center/core/internals';
import { createProjectionRunner } from '../../src/application/projection-runner.js';
import { readModelsProjection, type ReadModels } from '../../src/read-models/read-models.js';
import { snapshotAlerts, snapshotInbox, snapshotUsage } from './support.js';
import { cutsArb, splitAt, worldArb, type World } from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
let ids = 0;

const append = async (store: InMemoryEventStore, log: ReadonlyArray<EventEnvelope>): Promise<void> => {
  for (const { streamId, event } of log) {
    const r = await store.appendToStream(streamId, [encodeEvent(event, uuid((ids += 1)))], { expectedRevision: 'any' })();
    if (E.isLeft(r)) throw new Error(r.left.message);
  }
};

const appendUnknown = async (store: InMemoryEventStore): Promise<void> => {
  const r = await store.appendToStream('mc-future-1', [{ id: uuid((ids += 1)), type: 'FutureThingHappened', data: { x: 1 }, metadata: { schemaVersion: 1 } }], {
    expectedRevision: 'any',
  })();
  if (E.isLeft(r)) throw new Error(r.left.message);
};

/** What the projection must equal: a pure fold of everything the store holds (known events only). */
const expectedFrom = async (store: InMemoryEventStore): Promise<ReadModels> => {
  const all = await store.readAll({ streamPrefix: 'mc-' })();
  if (E.isLeft(all)) throw new Error(all.left.message);
  const decode = makeEventDecoder(DomainEvent);
  const log: EventEnvelope[] = [];
  for (const r of all.right) {
    const d = decode(r);
    if (E.isRight(d)) log.push({ streamId: r.streamId, revision: r.revision, position: r.position, event: d.right });
  }
  const p = readModelsProjection();
  return p.fold(p.initial, log);
};

const snapshot = (m: ReadModels): unknown => ({ inbox: snapshotInbox(m.inbox), alerts: snapshotAlerts(m.alerts), usage: snapshotUsage(m.usage) });

const caughtUp = async (run: () => Promise<E.Either<unknown, ReadModels>>): Promise<ReadModels> => {
  const r = await run();
  if (E.isLeft(r)) return expect.fail(`catch-up failed: ${JSON.stringify(r.left, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return r.right;
};

const halves = (world: World, cuts: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<EventEnvelope>> => splitAt(world.log, cuts);

describe('R1–R7 projection runner', () => {
  test.prop([worldArb(40), cutsArb, fc.integer({ min: 1, max: 9 })], { numRuns: heavyRuns(15) })(
    'R1–R7 catch-ups after each append (pages of any size) reach the state of one pure fold of the store; rebuild gives the same',
    async (world, cuts, pageSize) => {
      const store = createInMemoryEventStore();
      const runner = createProjectionRunner(store, readModelsProjection(), { pageSize });
      for (const part of halves(world, cuts)) {
        await append(store, part);
        await caughtUp(runner.catchUp());
      }
      const expected = snapshot(await expectedFrom(store));
      expect(snapshot(runner.current().state)).toEqual(expected);
      expect(snapshot(await caughtUp(runner.rebuild()))).toEqual(expected);
      // A runner resumed from a checkpoint picks up where it was.
      const checkpoint = runner.current();
      await append(store, world.log.slice(0, 5));
      const resumed = createProjectionRunner(store, readModelsProjection(), { from: checkpoint });
      expect(snapshot(await caughtUp(resumed.catchUp()))).toEqual(snapshot(await expectedFrom(store)));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(30), cutsArb], { numRuns: heavyRuns(8) })('R1–R7 a live subscription keeps the state current and folds nothing twice', async (world, cuts) => {
    const store = createInMemoryEventStore();
    const updates: number[] = [];
    const runner = createProjectionRunner(store, readModelsProjection(), { onUpdate: (u) => updates.push(u.batch.length) });
    const [first = [], ...rest] = halves(world, cuts);
    await append(store, first);
    await caughtUp(runner.catchUp());
    runner.startLive();
    for (const part of rest) await append(store, part);
    // A catch-up racing the subscription must not fold anything twice.
    await caughtUp(runner.catchUp());
    const head = await store.readAll({ streamPrefix: 'mc-' })();
    const last = E.isRight(head) ? head.right[head.right.length - 1]?.position : undefined;
    for (let i = 0; i < 200 && last !== undefined; i += 1) {
      const at = runner.current().position;
      if (at !== null && compareLogPositions(at, last) >= 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await runner.stopLive();
    expect(snapshot(runner.current().state)).toEqual(snapshot(await expectedFrom(store)));
    expect(updates.reduce((a, b) => a + b, 0)).toBe(world.log.length);
  }, HEAVY_TIMEOUT);

  it('R1–R7 an event type from a newer version stops the catch-up (fail) or is passed over and counted (skip)', async () => {
    const world = fc.sample(worldArb(30), { numRuns: 1, seed: 9 })[0];
    if (world === undefined) return;
    const store = createInMemoryEventStore();
    const [before, after] = [world.log.slice(0, 20), world.log.slice(20)];
    await append(store, before);
    await appendUnknown(store);
    await append(store, after);

    const failing = createProjectionRunner(store, readModelsProjection(), { pageSize: 8 });
    const failed = await failing.catchUp()();
    expect(E.isLeft(failed) && failed.left.code).toBe('unknown-event-type');
    // Everything before the unknown event was folded, nothing after it.
    const p = readModelsProjection();
    expect(snapshot(failing.current().state)).toEqual(snapshot(p.fold(p.initial, before)));
    const again = await failing.catchUp()();
    expect(E.isLeft(again) && again.left.code).toBe('unknown-event-type');

    const skipping = createProjectionRunner(store, readModelsProjection(), { pageSize: 8, unknownEvents: 'skip' });
    const skipped = await skipping.catchUp()();
    expect(E.isRight(skipped)).toBe(true);
    expect(skipping.skippedUnknown()).toBe(1);
    expect(snapshot(skipping.current().state)).toEqual(snapshot(await expectedFrom(store)));
    await skipping.catchUp()();
    expect(skipping.skippedUnknown()).toBe(1);
  });

  it('R1–R7 live delivery of an unknown event with the fail policy stops the subscription and reports it', async () => {
    const store = createInMemoryEventStore();
    const errors: string[] = [];
    const runner = createProjectionRunner(store, readModelsProjection());
    runner.startLive({ onError: (e) => errors.push(e.code) });
    await appendUnknown(store);
    for (let i = 0; i < 100 && errors.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(errors).toEqual(['unknown-event-type']);
    expect(runner.isLive()).toBe(false);
    await runner.stopLive();
  });
});
