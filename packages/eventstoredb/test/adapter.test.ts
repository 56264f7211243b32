import { randomUUID } from 'node:crypto';
import { compareLogPositions, type LogPosition, type RecordedEvent } from '@message-center/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { eventIdForProviderMessage } from '../src/index.js';
import { event, eventually, events, ids, left, right } from './support/helpers.js';
import { CLIENT_UNDER_TEST } from './support/client-under-test.js';
import { APPEND_PATHS, describeUrl, loopbackTarget, describeRealServer, realServerTarget, useTarget, type AdapterTarget } from './support/targets.js';

// The adapter through the real client (the project's: MC_ESDB_CLIENT), over gRPC: against the loopback
// server on both append paths, and against a real server too when EVENTSTOREDB_URL is set. Stream names
// start with `esdb-test-`, never `mc-`, so that a shared server's Message Center read models never see them.

const describeAdapter = (name: string, create: () => Promise<AdapterTarget>): void => {
  describe(`EventStoreDB adapter (${name}, ${CLIENT_UNDER_TEST} client)`, () => {
    const theTarget = useTarget(create);
    const theStore = () => theTarget().connection.store;

    const streamId = (label = 'stream'): string => `esdb-test-${label}-${randomUUID()}`;

    /** A position after everything written so far: what a read model would hold as its checkpoint now. */
    const checkpointNow = async (): Promise<LogPosition> =>
      (await right(theStore().appendToStream(streamId('checkpoint'), events(1), { expectedRevision: 'no-stream' }))).position;

    describe('append and read', () => {
      it('round-trips events: ids, types, JSON data, metadata, revisions, positions, created', async () => {
        const store = theStore();
        const id = streamId();
        const batch = [event('MessageSent', { body: 'héllo ✓', n: 1 }), event('MessageSent', { nested: { list: [1, 'two', null] } })];
        const appended = await right(store.appendToStream(id, batch, { expectedRevision: 'no-stream' }));
        expect(appended.nextExpectedRevision).toBe(1n);

        const read = await right(store.readStream(id));
        expect(read.map((e) => [e.id, e.type, e.data, e.metadata, e.streamId, e.revision])).toEqual(
          batch.map((e, revision) => [e.id, e.type, e.data, e.metadata, id, BigInt(revision)]),
        );
        const [first, second] = read;
        if (first === undefined || second === undefined) throw new Error('missing events');
        expect(compareLogPositions(first.position, second.position)).toBe(-1);
        expect(second.position).toEqual(appended.position);
        expect(first.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(await right(store.readStream(id, { fromRevision: 1n }))).toEqual([second]);
        expect(await right(store.readStream(id, { maxCount: 1 }))).toEqual([first]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await right(theStore().readStream(streamId()))).toEqual([]);
      });

      it('checks expected revisions and maps WrongExpectedVersion to concurrency-conflict with the actual revision', async () => {
        const store = theStore();
        const id = streamId();
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 0n }))).toMatchObject({
          code: 'concurrency-conflict',
          streamId: id,
          expected: 0n,
          actual: -1n,
        });
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 'stream-exists' }))).toMatchObject({ actual: -1n });
        await right(store.appendToStream(id, events(2), { expectedRevision: 'no-stream' }));
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 'no-stream' }))).toMatchObject({
          code: 'concurrency-conflict',
          expected: 'no-stream',
          actual: 1n,
        });
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 0n }))).toMatchObject({ actual: 1n });
        expect((await right(store.appendToStream(id, events(1), { expectedRevision: 1n }))).nextExpectedRevision).toBe(2n);
        expect((await right(store.appendToStream(id, events(1), { expectedRevision: 'stream-exists' }))).nextExpectedRevision).toBe(3n);
        expect((await right(store.appendToStream(id, events(1), { expectedRevision: 'any' }))).nextExpectedRevision).toBe(4n);
        expect(await right(store.readStream(id))).toHaveLength(5);
      });

      it('re-appending the same event ids at the same expected revision succeeds once, without duplicates', async () => {
        const store = theStore();
        const id = streamId();
        const batch = events(3);
        const first = await right(store.appendToStream(id, batch, { expectedRevision: 'no-stream' }));
        await right(store.appendToStream(id, events(1), { expectedRevision: 2n }));
        const again = await right(store.appendToStream(id, batch, { expectedRevision: 'no-stream' }));
        expect(again).toEqual(first);
        expect(await right(store.readStream(id))).toHaveLength(4);
        // A different batch at a stale revision is a conflict, not a partial match.
        expect(await left(store.appendToStream(id, [batch[0] ?? event('X', {}), event('X', {})], { expectedRevision: 'no-stream' }))).toMatchObject({
          code: 'concurrency-conflict',
        });
      });

      it('deduplicates a redelivered webhook through deterministic UUIDv5 event ids', async () => {
        const store = theStore();
        const id = streamId();
        const inbound = () => event('InboundReceived', { sid: 'SM123' }, eventIdForProviderMessage('SM123', 'InboundReceived'));
        await right(store.appendToStream(id, [inbound()], { expectedRevision: 'any' }));
        await right(store.appendToStream(id, [inbound()], { expectedRevision: 'any' }));
        expect(await right(store.readStream(id))).toHaveLength(1);
        expect(eventIdForProviderMessage('SM123')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(eventIdForProviderMessage('SM123')).toBe(eventIdForProviderMessage('SM123'));
        expect(eventIdForProviderMessage('SM123', 'InboundReceived')).not.toBe(eventIdForProviderMessage('SM123', 'ClientUnsubscribed'));
      });

      it('keeps every event of concurrent writers that retry on conflict, once each and in each writer’s order', async () => {
        const store = theStore();
        const id = streamId();
        // The contract suite runs the large version (8 × 25); this one checks the adapter's own mapping.
        const writers = 4;
        const perWriter = 5;
        let conflicts = 0;
        const write = async (writer: number): Promise<void> => {
          for (let n = 0; n < perWriter; n += 1) {
            const batch = [event('Written', { writer, n })];
            for (let attempt = 0; ; attempt += 1) {
              if (attempt > 200) throw new Error('too many retries');
              const current = await right(store.readStream(id));
              const expected = current.at(-1)?.revision ?? 'no-stream';
              const result = await store.appendToStream(id, batch, { expectedRevision: expected })();
              if (E.isRight(result)) break;
              expect(result.left.code).toBe('concurrency-conflict');
              conflicts += 1;
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, writer) => write(writer)));
        const stored = await right(store.readStream(id));
        expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: writers * perWriter }, (_, n) => BigInt(n)));
        const dataOf = (e: RecordedEvent): { writer: number; n: number } => {
          const { data } = e;
          if (typeof data !== 'object' || data === null) throw new Error('bad data');
          return { writer: Number(Reflect.get(data, 'writer')), n: Number(Reflect.get(data, 'n')) };
        };
        for (let writer = 0; writer < writers; writer += 1) {
          expect(stored.map(dataOf).filter((d) => d.writer === writer).map((d) => d.n)).toEqual(Array.from({ length: perWriter }, (_, n) => n));
        }
        expect(conflicts).toBeGreaterThan(0);
      });

      it('appends through the RPC the server lists (BatchAppend on servers since 21.10), checked on the wire', async () => {
        const server = theTarget().server;
        await right(theStore().appendToStream(streamId(), events(2), { expectedRevision: 'no-stream' }));
        if (server === undefined) return; // a real server counts nothing for us
        if (server.batchAppend) {
          expect(server.calls.batchAppendWrites).toBeGreaterThan(0);
          expect(server.calls.append).toBe(0);
        } else {
          expect(server.calls.append).toBeGreaterThan(0);
          expect(server.calls.batchAppendWrites).toBe(0);
        }
      });

      it('answers an empty append itself, from a read, by the port’s rule (as the in-memory store does)', async () => {
        const store = theStore();
        const id = streamId();
        const server = theTarget().server;
        const appendsBefore = server === undefined ? 0 : server.calls.append + server.calls.batchAppendWrites;

        // A missing stream: `no-stream` and `any` pass with revision -1 at the head of $all; the rest conflict.
        const head = await checkpointNow();
        const empty = await right(store.appendToStream(id, [], { expectedRevision: 'no-stream' }));
        expect(empty.nextExpectedRevision).toBe(-1n);
        if (server !== undefined) expect(empty.position).toEqual(head);
        expect((await right(store.appendToStream(id, [], { expectedRevision: 'any' }))).nextExpectedRevision).toBe(-1n);
        expect(await left(store.appendToStream(id, [], { expectedRevision: 'stream-exists' }))).toMatchObject({ code: 'concurrency-conflict', actual: -1n });
        expect(await left(store.appendToStream(id, [], { expectedRevision: 0n }))).toMatchObject({ code: 'concurrency-conflict', actual: -1n });
        expect(await right(store.readStream(id))).toEqual([]);

        // An existing stream: the current revision, `any` and `stream-exists` answer its last event; a
        // stale revision is a conflict (an empty batch repeats nothing), and so is `no-stream`.
        const appended = await right(store.appendToStream(id, events(2), { expectedRevision: 'no-stream' }));
        expect(await right(store.appendToStream(id, [], { expectedRevision: 1n }))).toEqual(appended);
        expect(await right(store.appendToStream(id, [], { expectedRevision: 'any' }))).toEqual(appended);
        expect(await right(store.appendToStream(id, [], { expectedRevision: 'stream-exists' }))).toEqual(appended);
        expect(await left(store.appendToStream(id, [], { expectedRevision: 0n }))).toMatchObject({ code: 'concurrency-conflict', actual: 1n });
        expect(await left(store.appendToStream(id, [], { expectedRevision: 'no-stream' }))).toMatchObject({ code: 'concurrency-conflict', actual: 1n });
        expect(await left(store.appendToStream(id, [], { expectedRevision: 5n }))).toMatchObject({ code: 'concurrency-conflict', actual: 1n });
        expect(await right(store.readStream(id))).toHaveLength(2);

        // A tombstoned stream stays deleted.
        await right(store.deleteStream(id));
        expect(await left(store.appendToStream(id, [], { expectedRevision: 'any' }))).toMatchObject({ code: 'stream-deleted', streamId: id });

        // Only the two non-empty appends (the checkpoint's and the stream's) reached the server.
        if (server !== undefined) expect(server.calls.append + server.calls.batchAppendWrites - appendsBefore).toBe(2);
      });

      it('refuses an append over 1 MiB before sending anything (append-too-large), and writes nothing', async () => {
        const store = theStore();
        const id = streamId();
        const before = await checkpointNow();
        const error = await left(store.appendToStream(id, [event('Small', { n: 1 }), event('Big', { text: 'x'.repeat(1_048_576) })], { expectedRevision: 'any' }));
        expect(error).toMatchObject({ code: 'append-too-large', streamId: id });
        expect(error.code === 'append-too-large' && error.bytes > 1_048_576).toBe(true);
        expect(await right(store.readStream(id))).toEqual([]);
        expect(await right(store.readAll({ after: before, streamPrefix: id }))).toEqual([]);
        // Just under the limit goes through (data + metadata + 2 × type length, as the server counts).
        const fits = event('Big', { text: '' });
        const overhead = JSON.stringify(fits.data).length + JSON.stringify(fits.metadata).length + 2 * fits.type.length;
        await right(store.appendToStream(id, [event('Big', { text: 'x'.repeat(1_048_576 - overhead) }, fits.id)], { expectedRevision: 'no-stream' }));
      });

      it('refuses what JSON cannot carry, or an id that is not a UUID, as an invalid request', async () => {
        const store = theStore();
        for (const bad of [
          [event('Bad', { n: Number.NaN })],
          [event('Bad', { at: new Date() })],
          [{ ...event('Bad', {}), id: 'not-a-uuid' }],
          [event('Bad', 42)],
        ]) {
          const error = await left(store.appendToStream(streamId(), bad, { expectedRevision: 'any' }));
          expect(error.code).toBe('invalid-request');
        }
        expect(await left(store.appendToStream(streamId(), events(1), { expectedRevision: -1n }))).toMatchObject({ code: 'invalid-request' });
      });

      it('maps a tombstoned stream to stream-deleted on read, append and delete', async () => {
        const store = theStore();
        const id = streamId();
        await right(store.appendToStream(id, events(2), { expectedRevision: 'no-stream' }));
        await right(store.deleteStream(id));
        expect(await left(store.readStream(id))).toMatchObject({ code: 'stream-deleted', streamId: id });
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 'any' }))).toMatchObject({ code: 'stream-deleted', streamId: id });
        // Whatever the expected revision: the tombstone wins over the revision check.
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 1n }))).toMatchObject({ code: 'stream-deleted', streamId: id });
        expect(await left(store.appendToStream(id, events(1), { expectedRevision: 'no-stream' }))).toMatchObject({ code: 'stream-deleted', streamId: id });
        expect(await left(store.deleteStream(id))).toMatchObject({ code: 'stream-deleted' });
      });
    });

    describe('readAll', () => {
      it('reads after a checkpoint exclusively, filters by stream prefix, pages without gaps or repeats', async () => {
        const store = theStore();
        const prefix = `${streamId('all')}-`;
        const start = await checkpointNow();
        const written: string[] = [];
        for (let n = 0; n < 5; n += 1) {
          const mine = events(3);
          await right(store.appendToStream(`${prefix}${n % 2}`, mine, { expectedRevision: 'any' }));
          await right(store.appendToStream(streamId('other'), events(2), { expectedRevision: 'any' }));
          written.push(...mine.map((e) => e.id));
        }
        // A tombstone writes a `$streamDeleted` record into $all: a system event, never returned.
        await right(store.deleteStream(`${prefix}0`));

        const all = await right(store.readAll({ streamPrefix: prefix }));
        expect(ids(all)).toEqual(written);
        for (let i = 1; i < all.length; i += 1) {
          const [previous, current] = [all[i - 1], all[i]];
          if (previous !== undefined && current !== undefined) expect(compareLogPositions(previous.position, current.position)).toBe(-1);
        }
        const checkpoint = all[4]?.position;
        if (checkpoint === undefined) throw new Error('no checkpoint');
        expect(ids(await right(store.readAll({ streamPrefix: prefix, after: checkpoint })))).toEqual(written.slice(5));
        expect(ids(await right(store.readAll({ streamPrefix: prefix, after: checkpoint, maxCount: 4 })))).toEqual(written.slice(5, 9));
        expect(await right(store.readAll({ streamPrefix: prefix, maxCount: 0 }))).toEqual([]);

        const everything = await right(store.readAll({ after: start }));
        expect(everything.some((e) => e.type.startsWith('$') || e.streamId.startsWith('$'))).toBe(false);
        expect(ids(everything.filter((e) => e.streamId.startsWith(prefix)))).toEqual(written);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers history after the checkpoint, calls onCaughtUp after it, then live events, in order, once', async () => {
        const store = theStore();
        const prefix = `${streamId('sub')}-`;
        const history = events(6);
        await right(store.appendToStream(`${prefix}a`, history.slice(0, 3), { expectedRevision: 'any' }));
        await right(store.appendToStream(streamId('other'), events(2), { expectedRevision: 'any' }));
        await right(store.appendToStream(`${prefix}b`, history.slice(3), { expectedRevision: 'any' }));
        const [checkpointEvent] = await right(store.readAll({ streamPrefix: prefix, maxCount: 1 }));
        if (checkpointEvent === undefined) throw new Error('no history');

        const seen: string[] = [];
        let caughtUpAfter = -1;
        const subscription = store.subscribeToAll(
          { after: checkpointEvent.position, streamPrefix: prefix },
          {
            onEvent: async (e) => {
              await new Promise((resolve) => setTimeout(resolve, 2));
              seen.push(e.id);
            },
            onCaughtUp: () => {
              caughtUpAfter = seen.length;
            },
            onError: (error) => {
              throw new Error(`unexpected subscription error ${error.message}`);
            },
          },
        );
        await eventually(() => caughtUpAfter >= 0, 5_000, 'caught up');
        expect(caughtUpAfter).toBe(5);
        const live = events(3);
        await right(store.appendToStream(`${prefix}a`, live.slice(0, 2), { expectedRevision: 'any' }));
        await right(store.appendToStream(streamId('other'), events(1), { expectedRevision: 'any' }));
        await right(store.appendToStream(`${prefix}c`, live.slice(2), { expectedRevision: 'any' }));
        await eventually(() => seen.length === 8, 5_000, 'live events');
        await subscription.close();
        expect(seen).toEqual([...history.slice(1), ...live].map((e) => e.id));
      });

      it('ends with onError when a handler throws, delivering nothing after', async () => {
        const store = theStore();
        const prefix = `${streamId('fail')}-`;
        await right(store.appendToStream(`${prefix}a`, events(3), { expectedRevision: 'any' }));
        const seen: number[] = [];
        let failure: unknown;
        const subscription = store.subscribeToAll(
          { streamPrefix: prefix },
          {
            onEvent: (e) => {
              seen.push(Number(e.revision));
              if (e.revision === 1n) throw new Error('read model broke');
            },
            onError: (error) => {
              failure = error;
            },
          },
        );
        await eventually(() => failure !== undefined, 5_000, 'onError');
        expect(failure).toMatchObject({ code: 'store-unavailable' });
        await subscription.close();
        expect(seen).toEqual([0, 1]);
      });
    });
  });
};

for (const appendPath of APPEND_PATHS) describeAdapter(`loopback gRPC server, ${appendPath}`, () => loopbackTarget({ readPageSize: 7, appendPath }));

// A host's client built with `throwOnAppendFailure=false` resolves a wrong expected version with
// `success: false` and a revision that is wrong on BatchAppend (`BigInt(hasCurrentStreamRevision())`).
for (const appendPath of APPEND_PATHS) {
  describe(`EventStoreDB adapter with throwOnAppendFailure=false (${CLIENT_UNDER_TEST} client, loopback gRPC server, ${appendPath})`, () => {
    const theTarget = useTarget(() => loopbackTarget({ appendPath, connectionQuery: 'throwOnAppendFailure=false' }));

    it('still answers concurrency-conflict, with the actual revision read from the stream', async () => {
      const store = theTarget().connection.store;
      const id = `esdb-test-nothrow-${randomUUID()}`;
      await right(store.appendToStream(id, events(3), { expectedRevision: 'no-stream' }));
      expect(await left(store.appendToStream(id, events(1), { expectedRevision: 0n }))).toMatchObject({ code: 'concurrency-conflict', expected: 0n, actual: 2n });
      expect(await left(store.appendToStream(`${id}-missing`, events(1), { expectedRevision: 'stream-exists' }))).toMatchObject({ code: 'concurrency-conflict', actual: -1n });
      expect(await right(store.readStream(id))).toHaveLength(3);
    });
  });
}

describeRealServer('adapter tests', (url) => describeAdapter(`real server ${describeUrl(url)}`, () => realServerTarget(url, { readPageSize: 7 })));
