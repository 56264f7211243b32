import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { EventStore, EventToAppend, ExpectedRevision } from '@message-center/core';
import { expectRight, idsOf, newEvent, SLOW_TEST_MS, uniqueName, type TargetRef } from './support.js';

const WRITERS = 8;
const EVENTS_PER_WRITER = 25;
// A writer loses at most one race per event another writer appends, so this bound is never reached by a correct store.
const MAX_ATTEMPTS = WRITERS * EVENTS_PER_WRITER + 1;

/** The command-handling loop: load the stream, append at the revision read, and on a conflict load again. */
const appendWithRetry = async (store: EventStore, streamId: string, event: EventToAppend): Promise<number> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const loaded = await expectRight(store.readStream(streamId));
    const last = loaded.at(-1);
    const expectedRevision: ExpectedRevision = last === undefined ? 'no-stream' : last.revision;
    const result = await store.appendToStream(streamId, [event], { expectedRevision })();
    if (E.isRight(result)) {
      // The point of the check: an append accepted at revision r lands at r + 1, never after someone else's.
      expect(result.right.nextExpectedRevision).toBe(last === undefined ? 0n : last.revision + 1n);
      return attempt;
    }
    if (result.left.code !== 'concurrency-conflict') throw new Error(`append failed: ${result.left.code}: ${result.left.message}`);
  }
  throw new Error(`no append after ${MAX_ATTEMPTS} attempts`);
};

export const describeConcurrency = (target: TargetRef): void => {
  describe('concurrent writers', () => {
    it(
      `${WRITERS} writers × ${EVENTS_PER_WRITER} events on one stream with optimistic retries lose and duplicate nothing`,
      async () => {
        const { store } = target();
        const stream = uniqueName('contended');
        const plans = Array.from({ length: WRITERS }, (_, writer) =>
          Array.from({ length: EVENTS_PER_WRITER }, (_, n) => newEvent({ writer, n })),
        );
        await Promise.all(
          plans.map(async (events) => {
            for (const event of events) await appendWithRetry(store, stream, event);
          }),
        );

        const read = await expectRight(store.readStream(stream));
        expect(read.map((event) => event.revision)).toEqual(Array.from({ length: WRITERS * EVENTS_PER_WRITER }, (_, n) => BigInt(n)));
        expect(new Set(idsOf(read)).size).toBe(read.length);
        // Each writer's events are all there, in the order that writer appended them.
        for (const events of plans) {
          const mine = new Set(idsOf(events));
          expect(idsOf(read.filter((event) => mine.has(event.id)))).toEqual(idsOf(events));
        }
      },
      SLOW_TEST_MS,
    );
  });
};
