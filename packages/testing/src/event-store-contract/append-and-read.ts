import { randomUUID } from 'node:crypto';
import { fc, it as propIt } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLogPositions, type EventToAppend, type ExpectedRevision, type RecordedEvent, type StoreError } from '@message-center/core';
import { append, expectLeft, expectRight, idsOf, newEvent, newEvents, uniqueName, type TargetRef } from './support.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const HOUR_MS = 3_600_000;

const jsonRoundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** What a reader gets back of an appended event, as a JSON store gives it back. */
const asRecorded = (streamId: string) => (event: EventToAppend, revision: number) => ({
  id: event.id,
  streamId,
  revision: BigInt(revision),
  type: event.type,
  data: jsonRoundTrip(event.data),
  metadata: jsonRoundTrip(event.metadata),
});

const stored = ({ id, streamId, revision, type, data, metadata }: RecordedEvent) => ({ id, streamId, revision, type, data, metadata });

const expectConflict = (error: StoreError, streamId: string, expected: ExpectedRevision, actual: bigint): void => {
  expect(error).toMatchObject({ code: 'concurrency-conflict', streamId, expected, actual });
};

const eventArbitrary = fc.record({
  id: fc.uuid({ version: 4 }),
  type: fc.constantFrom('Alpha', 'Beta', 'Gamma'),
  data: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  metadata: fc.record({ schemaVersion: fc.integer({ min: 1, max: 3 }), correlationId: fc.uuid({ version: 4 }) }, { requiredKeys: ['schemaVersion'] }),
});

export const describeAppendAndRead = (target: TargetRef): void => {
  describe('append and readStream', () => {
    it('round-trips ids, types, data and metadata, numbering revisions from 0 and stamping a created time', async () => {
      const { store } = target();
      const stream = uniqueName('round-trip');
      const events: ReadonlyArray<EventToAppend> = [
        { id: randomUUID(), type: 'First', data: { text: 'héllo ✓ 👋', n: 1.5, list: [1, 'two', null, true, { deep: [] }] }, metadata: { schemaVersion: 1, correlationId: randomUUID() } },
        { id: randomUUID(), type: 'Second', data: {}, metadata: { schemaVersion: 2, causationId: randomUUID() } },
        { id: randomUUID(), type: 'Third', data: { max: Number.MAX_SAFE_INTEGER, negative: -42, empty: '' }, metadata: { schemaVersion: 1 } },
      ];
      const started = Date.now();
      const result = await expectRight(append(store, stream, events, 'no-stream'));
      expect(result.nextExpectedRevision).toBe(2n);

      const read = await expectRight(store.readStream(stream));
      expect(read.map(stored)).toEqual(events.map(asRecorded(stream)));
      for (const [index, event] of read.entries()) {
        expect(event.created).toMatch(ISO_UTC);
        expect(Math.abs(Date.parse(event.created) - started)).toBeLessThan(HOUR_MS);
        const previous = read[index - 1];
        if (previous !== undefined) expect(compareLogPositions(previous.position, event.position)).toBe(-1);
      }
    });

    it('reads a stream that does not exist as empty', async () => {
      const { store } = target();
      const stream = uniqueName('missing');
      expect(await expectRight(store.readStream(stream))).toEqual([]);
      expect(await expectRight(store.readStream(stream, { fromRevision: 3n, maxCount: 2 }))).toEqual([]);
    });

    propIt.prop([fc.array(fc.array(eventArbitrary, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 })], { numRuns: 25 })(
      'round-trips any sequence of batches, each appended at the revision the previous one returned',
      async (batches) => {
        const { store } = target();
        const stream = uniqueName('batches');
        let expected: ExpectedRevision = 'no-stream';
        for (const batch of batches) expected = (await expectRight(append(store, stream, batch, expected))).nextExpectedRevision;
        const all = batches.flat();
        expect(expected).toBe(BigInt(all.length - 1));
        expect((await expectRight(store.readStream(stream))).map(stored)).toEqual(all.map(asRecorded(stream)));
      },
    );

    describe('readStream options', () => {
      const stream = uniqueName('slices');
      const written = newEvents(10);
      beforeAll(async () => {
        await expectRight(append(target().store, stream, written, 'no-stream'));
      });

      it('reads from a revision (inclusive) up to maxCount events', async () => {
        const { store } = target();
        expect((await expectRight(store.readStream(stream, { fromRevision: 3n, maxCount: 4 }))).map((e) => e.revision)).toEqual([3n, 4n, 5n, 6n]);
        expect(idsOf(await expectRight(store.readStream(stream, { fromRevision: 8n })))).toEqual(idsOf(written.slice(8)));
        expect(await expectRight(store.readStream(stream, { fromRevision: 10n }))).toEqual([]);
        expect(idsOf(await expectRight(store.readStream(stream, { maxCount: 2 })))).toEqual(idsOf(written.slice(0, 2)));
      });

      propIt.prop([fc.integer({ min: 0, max: 12 }), fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined })], { numRuns: 30 })(
        'any fromRevision and maxCount read the matching slice',
        async (from, maxCount) => {
          const read = await expectRight(target().store.readStream(stream, { fromRevision: BigInt(from), ...(maxCount === undefined ? {} : { maxCount }) }));
          expect(idsOf(read)).toEqual(idsOf(written.slice(from, maxCount === undefined ? undefined : from + maxCount)));
        },
      );
    });
  });

  describe('expected revision', () => {
    it('no-stream appends to a missing stream and conflicts with an existing one', async () => {
      const { store } = target();
      const stream = uniqueName('no-stream');
      expect((await expectRight(append(store, stream, [newEvent()], 'no-stream'))).nextExpectedRevision).toBe(0n);
      expectConflict(await expectLeft(append(store, stream, [newEvent()], 'no-stream')), stream, 'no-stream', 0n);
    });

    it('stream-exists conflicts with a missing stream (actual -1) and appends to an existing one', async () => {
      const { store } = target();
      const stream = uniqueName('stream-exists');
      expectConflict(await expectLeft(append(store, stream, [newEvent()], 'stream-exists')), stream, 'stream-exists', -1n);
      await expectRight(append(store, stream, newEvents(2), 'no-stream'));
      expect((await expectRight(append(store, stream, [newEvent()], 'stream-exists'))).nextExpectedRevision).toBe(2n);
    });

    it('any appends whether the stream exists or not', async () => {
      const { store } = target();
      const stream = uniqueName('any');
      expect((await expectRight(append(store, stream, newEvents(2), 'any'))).nextExpectedRevision).toBe(1n);
      expect((await expectRight(append(store, stream, [newEvent()], 'any'))).nextExpectedRevision).toBe(2n);
    });

    it('an exact revision appends when it is the revision of the last event', async () => {
      const { store } = target();
      const stream = uniqueName('exact');
      await expectRight(append(store, stream, newEvents(2), 'no-stream'));
      expect((await expectRight(append(store, stream, newEvents(3), 1n))).nextExpectedRevision).toBe(4n);
      expect((await expectRight(append(store, stream, [newEvent()], 4n))).nextExpectedRevision).toBe(5n);
    });

    it('a wrong exact revision conflicts and reports the actual one', async () => {
      const { store } = target();
      const stream = uniqueName('wrong-exact');
      expectConflict(await expectLeft(append(store, stream, [newEvent()], 0n)), stream, 0n, -1n);
      await expectRight(append(store, stream, newEvents(3), 'no-stream'));
      expectConflict(await expectLeft(append(store, stream, [newEvent()], 1n)), stream, 1n, 2n);
      expectConflict(await expectLeft(append(store, stream, [newEvent()], 7n)), stream, 7n, 2n);
      expect(await expectRight(store.readStream(stream))).toHaveLength(3);
    });
  });

  describe('idempotent append', () => {
    it('repeating a batch at the same expected revision answers the first result and appends nothing', async () => {
      const { store } = target();
      const stream = uniqueName('idempotent');
      const first = newEvents(2);
      const second = [newEvent()];
      const firstResult = await expectRight(append(store, stream, first, 'no-stream'));
      const secondResult = await expectRight(append(store, stream, second, 1n));

      expect(await expectRight(append(store, stream, first, 'no-stream'))).toEqual(firstResult);
      expect(await expectRight(append(store, stream, second, 1n))).toEqual(secondResult);
      // Any run of events already in place after the expected revision is a repeat.
      expect((await expectRight(append(store, stream, [...first.slice(1), ...second], 0n))).nextExpectedRevision).toBe(2n);
      expect(idsOf(await expectRight(store.readStream(stream)))).toEqual(idsOf([...first, ...second]));
    });

    it('repeating the last events with any appends nothing', async () => {
      const { store } = target();
      const stream = uniqueName('idempotent-any');
      const last = newEvents(2);
      await expectRight(append(store, stream, newEvents(2), 'no-stream'));
      const result = await expectRight(append(store, stream, last, 'any'));
      expect(await expectRight(append(store, stream, last, 'any'))).toEqual(result);
      expect(await expectRight(store.readStream(stream))).toHaveLength(4);
    });

    it('other ids at a stale expected revision conflict and append nothing', async () => {
      const { store } = target();
      const stream = uniqueName('not-idempotent');
      const written = newEvents(3);
      await expectRight(append(store, stream, written, 'no-stream'));
      const [a, b, c] = written;
      if (a === undefined || b === undefined || c === undefined) throw new Error('three events were written');

      expectConflict(await expectLeft(append(store, stream, [a, newEvent()], 'no-stream')), stream, 'no-stream', 2n);
      expectConflict(await expectLeft(append(store, stream, [newEvent()], 0n)), stream, 0n, 2n);
      expectConflict(await expectLeft(append(store, stream, [b, newEvent()], 0n)), stream, 0n, 2n);
      // Repeating the tail and going on past the end of the stream is not a repeat either.
      expectConflict(await expectLeft(append(store, stream, [c, newEvent()], 1n)), stream, 1n, 2n);
      expect(idsOf(await expectRight(store.readStream(stream)))).toEqual(idsOf(written));
    });
  });

  describe('atomicity', () => {
    it('a failed append writes none of its events', async () => {
      const { store } = target();
      const stream = uniqueName('atomic');
      await expectRight(append(store, stream, [newEvent()], 'no-stream'));
      const good = newEvents(2);

      await expectLeft(append(store, stream, [...good, { ...newEvent(), id: 'not-a-uuid' }], 0n));
      await expectLeft(append(store, stream, [...good, newEvent({ count: 10n })], 0n));
      await expectLeft(append(store, stream, good, 5n));
      expect(await expectRight(store.readStream(stream))).toHaveLength(1);

      // The refused events' ids were not used up: the same batch goes through once it is valid.
      const result = await expectRight(append(store, stream, good, 0n));
      expect(result.nextExpectedRevision).toBe(2n);
      expect(idsOf((await expectRight(store.readStream(stream))).slice(1))).toEqual(idsOf(good));
    });
  });
};
