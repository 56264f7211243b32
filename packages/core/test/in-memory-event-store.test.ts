import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '@message-center/testing';
import type { EventToAppend, RecordedEvent, StoreError } from '../src/application/ports/event-store.js';
import { createInMemoryEventStore } from '../src/store/index.js';

const right = async <A>(task: TE.TaskEither<StoreError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

const left = async <A>(task: TE.TaskEither<StoreError, A>): Promise<StoreError> => {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined);
const keysOf = (value: unknown): ReadonlyArray<string> => (typeof value === 'object' && value !== null ? Object.keys(value) : []);

const event = (data: unknown = {}, id: string = randomUUID()): EventToAppend => ({ id, type: 'Tested', data, metadata: { schemaVersion: 1 } });

describeEventStoreContract('in-memory', async () => {
  const store = createInMemoryEventStore();
  return {
    store,
    deleteStream: async (streamId) => {
      await right(store.deleteStream(streamId));
    },
  };
});

describe('in-memory event store', () => {
  describe('recording', () => {
    it('stamps created from the injected clock, once per append', async () => {
      let tick = 0;
      const store = createInMemoryEventStore({ clock: () => `2026-01-01T00:00:0${tick++}.000Z` });
      await right(store.appendToStream('s', [event(), event()], { expectedRevision: 'no-stream' }));
      await right(store.appendToStream('s', [event()], { expectedRevision: 1n }));
      expect((await right(store.readStream('s'))).map((e) => e.created)).toEqual([
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:01.000Z',
      ]);
    });

    it('numbers positions from 1 (commit = prepare), so the zero position is before everything', async () => {
      const store = createInMemoryEventStore();
      const result = await right(store.appendToStream('s', [event(), event()], { expectedRevision: 'any' }));
      expect(result).toEqual({ nextExpectedRevision: 1n, position: { commit: 2n, prepare: 2n } });
      expect((await right(store.readAll())).map((e) => e.position)).toEqual([
        { commit: 1n, prepare: 1n },
        { commit: 2n, prepare: 2n },
      ]);
      expect(await right(store.readAll({ after: { commit: 0n, prepare: 0n } }))).toHaveLength(2);
    });

    it('lower-cases event ids, as EventStoreDB hands them back', async () => {
      const store = createInMemoryEventStore();
      const id = randomUUID();
      await right(store.appendToStream('s', [event({}, id.toUpperCase())], { expectedRevision: 'no-stream' }));
      expect((await right(store.readStream('s')))[0]?.id).toBe(id);
      // ...and recognises the repeat whatever the case.
      await right(store.appendToStream('s', [event({}, id)], { expectedRevision: 'no-stream' }));
      expect(await right(store.readStream('s'))).toHaveLength(1);
    });
  });

  describe('stored data is a frozen copy with JSON semantics', () => {
    it('is not changed by mutating what was appended, and cannot be mutated by readers', async () => {
      const store = createInMemoryEventStore();
      const data = { list: [1, 2], nested: { flag: true } };
      await right(store.appendToStream('s', [event(data)], { expectedRevision: 'no-stream' }));
      data.list.push(3);
      data.nested.flag = false;
      const [read] = await right(store.readStream('s'));
      expect(read?.data).toEqual({ list: [1, 2], nested: { flag: true } });
      expect(Object.isFrozen(read)).toBe(true);
      expect(Object.isFrozen(read?.data)).toBe(true);
      expect(Object.isFrozen(read?.position)).toBe(true);
    });

    it('drops undefined properties, turns -0 into 0 and keeps a __proto__ key as data, as a JSON round trip does', async () => {
      const store = createInMemoryEventStore();
      const data: unknown = JSON.parse('{"__proto__": {"polluted": true}, "zero": 0}');
      await right(store.appendToStream('s', [event({ kept: 1, dropped: undefined, zero: -0 }), event(data)], { expectedRevision: 'any' }));
      const [first, second] = await right(store.readStream('s'));
      expect(first?.data).toStrictEqual({ kept: 1, zero: 0 });
      expect(Object.is(field(first?.data, 'zero'), 0)).toBe(true);
      expect(keysOf(second?.data)).toEqual(['__proto__', 'zero']);
      expect(Reflect.get({}, 'polluted')).toBeUndefined();
    });

    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    it.each<[string, unknown, string]>([
      ['NaN', { n: Number.NaN }, 'data.n is NaN'],
      ['Infinity', { n: Number.POSITIVE_INFINITY }, 'data.n is Infinity'],
      ['a bigint', { n: 1n }, 'data.n is a bigint'],
      ['a function', { f: () => 1 }, 'data.f is a function'],
      ['a Date', { at: new Date(0) }, 'data.at is a Date'],
      ['a Map', { m: new Map() }, 'data.m is a Map'],
      ['a hole in an array', { list: [1, , 3] }, 'data.list[1] is undefined'],
      ['a cycle', cyclic, 'data.self is a circular reference'],
      ['undefined data', undefined, 'data is undefined'],
    ])('refuses %s, writing nothing', async (_label, data, message) => {
      const store = createInMemoryEventStore();
      const bad: EventToAppend = { ...event(), data };
      const error = await left(store.appendToStream('s', [event(), bad], { expectedRevision: 'any' }));
      expect(error).toMatchObject({ code: 'invalid-request' });
      expect(error.message).toContain(message);
      expect(await right(store.readAll())).toEqual([]);
    });

    it('refuses ids that are not UUIDs and empty event types', async () => {
      const store = createInMemoryEventStore();
      expect((await left(store.appendToStream('s', [event({}, 'abc')], { expectedRevision: 'any' }))).message).toContain('is not a UUID');
      const untyped = { ...event(), type: '' };
      expect((await left(store.appendToStream('s', [untyped], { expectedRevision: 'any' }))).message).toContain('non-empty string');
      expect(await left(store.appendToStream('', [event()], { expectedRevision: 'any' }))).toMatchObject({ code: 'invalid-request' });
      expect(await left(store.appendToStream('s', [event()], { expectedRevision: -1n }))).toMatchObject({ code: 'invalid-request' });
    });

    it('refuses an append over maxAppendSize with append-too-large', async () => {
      const store = createInMemoryEventStore({ maxAppendSize: 100 });
      const error = await left(store.appendToStream('s', [event({ text: 'x'.repeat(60) }), event({ text: 'y'.repeat(60) })], { expectedRevision: 'any' }));
      expect(error).toMatchObject({ code: 'append-too-large', streamId: 's' });
      expect(await right(store.readAll())).toEqual([]);
    });
  });

  describe('append edge cases', () => {
    it('appends nothing for an empty batch, still checking the expected revision', async () => {
      const store = createInMemoryEventStore();
      expect(await right(store.appendToStream('s', [], { expectedRevision: 'no-stream' }))).toEqual({
        nextExpectedRevision: -1n,
        position: { commit: 0n, prepare: 0n },
      });
      expect(await left(store.appendToStream('s', [], { expectedRevision: 'stream-exists' }))).toMatchObject({ actual: -1n });
      await right(store.appendToStream('s', [event()], { expectedRevision: 'no-stream' }));
      expect((await right(store.appendToStream('s', [], { expectedRevision: 0n }))).nextExpectedRevision).toBe(0n);
      expect(await left(store.appendToStream('s', [], { expectedRevision: 'no-stream' }))).toMatchObject({ code: 'concurrency-conflict' });
      expect(await right(store.readAll())).toHaveLength(1);
    });

    it('with any, recognises a repeat anywhere in the stream and refuses a half-repeated batch', async () => {
      const store = createInMemoryEventStore();
      const [a, b, c] = [event(), event(), event()];
      await right(store.appendToStream('s', [a, b, c], { expectedRevision: 'no-stream' }));
      expect((await right(store.appendToStream('s', [a, b], { expectedRevision: 'any' }))).nextExpectedRevision).toBe(1n);
      expect(await left(store.appendToStream('s', [b, event()], { expectedRevision: 'stream-exists' }))).toMatchObject({ code: 'concurrency-conflict', actual: 2n });
      expect(await right(store.readStream('s'))).toHaveLength(3);
    });

    it('keeps the same id in different streams apart', async () => {
      const store = createInMemoryEventStore();
      const shared = event();
      await right(store.appendToStream('s1', [shared], { expectedRevision: 'no-stream' }));
      expect((await right(store.appendToStream('s2', [shared], { expectedRevision: 'any' }))).nextExpectedRevision).toBe(0n);
      expect(await right(store.readAll())).toHaveLength(2);
    });

    it('is lazy: nothing happens until the task runs, and each run is one append', async () => {
      const store = createInMemoryEventStore();
      const task = store.appendToStream('s', [event()], { expectedRevision: 'any' });
      expect(await right(store.readAll())).toEqual([]);
      await right(task);
      await right(task);
      expect(await right(store.readStream('s'))).toHaveLength(1);
    });
  });

  describe('tombstone', () => {
    it('keeps the events in the global log, refuses a second delete and tombstones missing streams too', async () => {
      const store = createInMemoryEventStore();
      await right(store.appendToStream('s', [event()], { expectedRevision: 'no-stream' }));
      await right(store.deleteStream('s'));
      expect(await left(store.deleteStream('s'))).toMatchObject({ code: 'stream-deleted' });
      expect(await right(store.readAll())).toHaveLength(1);
      await right(store.deleteStream('never-written'));
      expect(await left(store.appendToStream('never-written', [event()], { expectedRevision: 'no-stream' }))).toMatchObject({ code: 'stream-deleted' });
    });
  });

  describe('subscription', () => {
    const collect = (events: Array<RecordedEvent>) => (e: RecordedEvent) => {
      events.push(e);
    };

    it('does not deliver before subscribeToAll has returned', async () => {
      const store = createInMemoryEventStore();
      await right(store.appendToStream('s', [event()], { expectedRevision: 'any' }));
      const seen: Array<RecordedEvent> = [];
      const subscription = store.subscribeToAll({}, { onEvent: collect(seen) });
      expect(seen).toEqual([]);
      await subscription.close();
    });

    it('can be closed from inside its own handler without deadlock', async () => {
      const store = createInMemoryEventStore();
      await right(store.appendToStream('s', [event(), event()], { expectedRevision: 'any' }));
      const seen: Array<RecordedEvent> = [];
      const closed = new Promise<void>((resolve) => {
        const subscription = store.subscribeToAll(
          {},
          {
            onEvent: async (e) => {
              seen.push(e);
              await subscription.close();
              resolve();
            },
          },
        );
      });
      await closed;
      await right(store.appendToStream('s', [event()], { expectedRevision: 'any' }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toHaveLength(1);
    });

    it('delivers nothing from a checkpoint ahead of the log until the log passes it', async () => {
      const store = createInMemoryEventStore();
      const seen: Array<RecordedEvent> = [];
      const subscription = store.subscribeToAll({ after: { commit: 2n, prepare: 2n } }, { onEvent: collect(seen) });
      await right(store.appendToStream('s', [event(), event(), event()], { expectedRevision: 'any' }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen.map((e) => e.revision)).toEqual([2n]);
      await subscription.close();
    });

    it('lets other callbacks run while it delivers a long history', async () => {
      const store = createInMemoryEventStore();
      const total = 3000;
      await right(store.appendToStream('s', Array.from({ length: total }, () => event()), { expectedRevision: 'any' }));
      let delivered = 0;
      const subscription = store.subscribeToAll({}, { onEvent: () => void (delivered += 1) });
      const deliveredMeanwhile = await new Promise<number>((resolve) => setImmediate(() => resolve(delivered)));
      expect(deliveredMeanwhile).toBeGreaterThan(0);
      expect(deliveredMeanwhile).toBeLessThan(total);
      await subscription.close();
    });

    it('reports an onCaughtUp that throws through onError', async () => {
      const store = createInMemoryEventStore();
      const failure = new Error('boom');
      const error = await new Promise<StoreError>((resolve) => {
        store.subscribeToAll(
          {},
          {
            onEvent: () => undefined,
            onCaughtUp: () => {
              throw failure;
            },
            onError: resolve,
          },
        );
      });
      expect(error).toMatchObject({ code: 'store-unavailable', cause: failure });
    });
  });
});
