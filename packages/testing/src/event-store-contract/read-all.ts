import { fc, it as propIt } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLogPositions, type EventToAppend, type LogPosition, type RecordedEvent } from '@message-center/core';
import { append, expectRight, idsOf, newEvents, uniqueName, type TargetRef } from './support.js';

interface Fixture {
  readonly prefix: string;
  /** Every event under the prefix, in the order they were appended. */
  readonly appended: ReadonlyArray<{ readonly streamId: string; readonly id: string }>;
  /** The same events as `readAll` returns them. */
  readonly read: ReadonlyArray<RecordedEvent>;
}

const positionOf = (events: ReadonlyArray<RecordedEvent>, index: number): LogPosition => {
  const event = events[index];
  if (event === undefined) throw new Error(`the fixture has no event ${index}`);
  return event.position;
};

export const describeReadAll = (target: TargetRef): void => {
  describe('readAll', () => {
    let fixture: Fixture | undefined;
    const theFixture = (): Fixture => {
      if (fixture === undefined) throw new Error('the readAll fixture was not written');
      return fixture;
    };

    // Interleaved appends to three streams under one prefix, and to one stream outside it.
    beforeAll(async () => {
      const { store } = target();
      const prefix = `${uniqueName('all')}-`;
      const outside = uniqueName('outside');
      const plan: ReadonlyArray<readonly [string, number]> = [
        [`${prefix}a`, 2],
        [outside, 1],
        [`${prefix}b`, 1],
        [`${prefix}a`, 1],
        [outside, 1],
        [`${prefix}c`, 3],
        [`${prefix}b`, 2],
      ];
      const appended: Array<{ streamId: string; id: string }> = [];
      for (const [streamId, count] of plan) {
        const events: ReadonlyArray<EventToAppend> = newEvents(count);
        await expectRight(append(store, streamId, events, 'any'));
        if (streamId !== outside) appended.push(...events.map(({ id }) => ({ streamId, id })));
      }
      fixture = { prefix, appended, read: await expectRight(store.readAll({ streamPrefix: prefix })) };
    });

    it('returns the events of every stream in the order they were appended, by increasing position', () => {
      const { appended, read } = theFixture();
      expect(read.map(({ streamId, id }) => ({ streamId, id }))).toEqual(appended);
      for (const [index, event] of read.entries()) {
        if (index > 0) expect(compareLogPositions(positionOf(read, index - 1), event.position)).toBe(-1);
      }
    });

    it('reads after a position exclusively', async () => {
      const { store } = target();
      const { prefix, read } = theFixture();
      for (const index of read.keys()) {
        const after = await expectRight(store.readAll({ streamPrefix: prefix, after: positionOf(read, index) }));
        expect(idsOf(after)).toEqual(idsOf(read.slice(index + 1)));
      }
    });

    it('keeps global order without a prefix filter', async () => {
      const { store } = target();
      const { read } = theFixture();
      const after = positionOf(read, 0);
      // Other writers may share the store: our events must come in order, among theirs.
      const everything = await expectRight(store.readAll({ after }));
      const ours = new Set(idsOf(read));
      expect(idsOf(everything.filter((event) => ours.has(event.id)))).toEqual(idsOf(read.slice(1)));
      for (const event of everything) expect(compareLogPositions(event.position, after)).toBe(1);
    });

    it('filters by stream prefix', async () => {
      const { store } = target();
      const { prefix, appended } = theFixture();
      const onlyB = await expectRight(store.readAll({ streamPrefix: `${prefix}b` }));
      expect(idsOf(onlyB)).toEqual(idsOf(appended.filter((event) => event.streamId === `${prefix}b`)));
      expect(await expectRight(store.readAll({ streamPrefix: `${prefix}nothing` }))).toEqual([]);
    });

    propIt.prop([fc.integer({ min: 1, max: 12 })], { numRuns: 12 })('pages of any size visit every event exactly once', async (pageSize) => {
      const { store } = target();
      const { prefix, read } = theFixture();
      const visited: Array<RecordedEvent> = [];
      let after: LogPosition | undefined;
      // Bounded: a store that repeats an event on every page must fail here, not loop forever.
      for (let pages = 0; pages <= read.length; pages += 1) {
        const page = await expectRight(store.readAll({ streamPrefix: prefix, maxCount: pageSize, ...(after === undefined ? {} : { after }) }));
        expect(page.length).toBeLessThanOrEqual(pageSize);
        visited.push(...page);
        const last = page.at(-1);
        if (last === undefined) break;
        after = last.position;
      }
      expect(idsOf(visited)).toEqual(idsOf(read));
    });
  });
};
