import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientAllResolvedEvent, ClientEventData, ClientResolvedEvent } from '../src/index.js';
import { CLIENT_UNDER_TEST } from './support/client-under-test.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './support/loopback-server.js';
import { rawClient, type RawClient } from './support/raw-client.js';
import { APPEND_PATHS, type AppendPath } from './support/targets.js';

// The loopback server through the real client (the project's: MC_ESDB_CLIENT), on both append paths:
// the server semantics the adapter relies on, and which RPC each client really uses.

const stream = (): string => `test-${randomUUID()}`;
const event = (n: number, id: string = randomUUID()): ClientEventData => ({
  id,
  contentType: 'application/json',
  type: 'Happened',
  data: { n },
  metadata: { schemaVersion: 1 },
});

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
};

const errorOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined);
const typeOf = (error: unknown): unknown => field(error, 'type');

/** A WrongExpectedVersionError's revisions: v6 names them `expectedVersion`/`actualVersion`, KurrentDB `expectedState`/`actualState`. */
const versionsOf = (error: unknown): { readonly expected: unknown; readonly actual: unknown } => ({
  expected: field(error, 'expectedVersion') ?? field(error, 'expectedState'),
  actual: field(error, 'actualVersion') ?? field(error, 'actualState'),
});

/** Expected revision in both clients' option names. */
const expecting = (revision: 'any' | 'no_stream' | 'stream_exists' | bigint) => ({ expectedRevision: revision, streamState: revision });

const describeLoopback = (path: AppendPath): void => {
  describe(`loopback EventStoreDB server, ${path} (real ${CLIENT_UNDER_TEST} client over gRPC)`, () => {
    let server: LoopbackEventStoreServer;
    let client: RawClient;
    let dispose: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      server = await startLoopbackEventStore({ batchAppend: path === 'BatchAppend' });
      ({ client, dispose } = await rawClient(server.connectionString));
    });

    afterAll(async () => {
      await dispose();
      await server.stop();
    });

    it(`lists its methods in ServerFeatures, and the client appends through ${path} only`, async () => {
      const before = { ...server.calls };
      await client.appendToStream(stream(), [event(0), event(1)], expecting('no_stream'));
      await client.appendToStream(stream(), [event(0)]);
      expect(server.calls.getSupportedMethods).toBeGreaterThanOrEqual(1);
      if (path === 'BatchAppend') {
        expect(server.calls.batchAppendWrites - before.batchAppendWrites).toBe(2);
        expect(server.calls.append).toBe(0);
      } else {
        expect(server.calls.append - before.append).toBe(2);
        // Not listed, so never called: the client falls back without trying it.
        expect(server.calls.batchAppend).toBe(0);
      }
    });

    it('numbers revisions from 0 and reads from a revision inclusively, forwards and backwards', async () => {
      const name = stream();
      const result = await client.appendToStream(name, [event(0), event(1), event(2)], expecting('no_stream'));
      expect(result.nextExpectedRevision).toBe(2n);
      const read = await collect<ClientResolvedEvent>(client.readStream(name, { fromRevision: 1n, direction: 'forwards' }));
      expect(read.map((e) => e.event?.revision)).toEqual([1n, 2n]);
      expect(read[0]?.event?.data).toEqual({ n: 1 });
      expect(read[0]?.event?.metadata).toEqual({ schemaVersion: 1 });
      expect(read[0]?.event?.created.getTime()).toBeGreaterThan(Date.now() - 60_000);
      const backwards = await collect<ClientResolvedEvent>(client.readStream(name, { fromRevision: 'end', direction: 'backwards', maxCount: 2 }));
      expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n]);
    });

    it(`answers a wrong expected revision with the current one (${path === 'BatchAppend' ? 'a google.rpc.Status with WrongExpectedVersion details' : 'an AppendResp, not an error'})`, async () => {
      const name = stream();
      await client.appendToStream(name, [event(0)]);
      const error = await errorOf(client.appendToStream(name, [event(1)], expecting(5n)));
      expect(typeOf(error)).toBe('wrong-expected-version');
      expect(field(error, 'streamName')).toBe(name);
      expect(versionsOf(error)).toEqual({ expected: 5n, actual: 0n });
      const missing = await errorOf(client.appendToStream(stream(), [event(1)], expecting(0n)));
      expect(versionsOf(missing)).toEqual({ expected: 0n, actual: 'no_stream' });
      const exists = await errorOf(client.appendToStream(stream(), [event(1)], expecting('stream_exists')));
      expect(versionsOf(exists)).toEqual({ expected: 'stream_exists', actual: 'no_stream' });
      const noStream = await errorOf(client.appendToStream(name, [event(1)], expecting('no_stream')));
      expect(versionsOf(noStream)).toEqual({ expected: 'no_stream', actual: 0n });
    });

    it('is idempotent by event ids at the same expected revision (CheckCommit), and not for other batches', async () => {
      const name = stream();
      const ids = [randomUUID(), randomUUID()];
      const first = await client.appendToStream(name, [event(0, ids[0]), event(1, ids[1])], expecting('no_stream'));
      await client.appendToStream(name, [event(2)], expecting(1n));
      const again = await client.appendToStream(name, [event(0, ids[0]), event(1, ids[1])], expecting('no_stream'));
      expect(again.nextExpectedRevision).toBe(1n);
      expect(again.position).toEqual(first.position);
      expect(await collect(client.readStream(name))).toHaveLength(3);
      const different = await errorOf(client.appendToStream(name, [event(0, ids[0]), event(9)], expecting('no_stream')));
      expect(typeOf(different)).toBe('wrong-expected-version');
      // With `any` the ids are looked up among recent commits.
      const any = await client.appendToStream(name, [event(0, ids[0]), event(1, ids[1])]);
      expect(any.nextExpectedRevision).toBe(1n);
    });

    it('reports an empty append to a missing stream as revision 0: the client reads current_revision even for no_stream', async () => {
      // Why the adapter answers empty appends itself (src/empty-append.ts) instead of sending them.
      const name = stream();
      const empty = await client.appendToStream(name, [], expecting('no_stream'));
      expect(empty.nextExpectedRevision).toBe(0n);
      expect(empty.position).toBeUndefined();
      expect(typeOf(await errorOf(collect(client.readStream(name))))).toBe('stream-not-found');
    });

    it('reports a missing stream as stream-not-found and a tombstoned one as stream-deleted', async () => {
      expect(typeOf(await errorOf(collect(client.readStream(stream()))))).toBe('stream-not-found');
      const name = stream();
      await client.appendToStream(name, [event(0)]);
      await client.tombstoneStream(name);
      const read = await errorOf(collect(client.readStream(name)));
      expect(typeOf(read)).toBe('stream-deleted');
      expect(typeOf(await errorOf(client.appendToStream(name, [event(1)])))).toBe('stream-deleted');
      expect(typeOf(await errorOf(client.appendToStream(name, [event(1)], expecting(0n))))).toBe('stream-deleted');
      expect(typeOf(await errorOf(client.tombstoneStream(name)))).toBe('stream-deleted');
    });

    it('soft-deletes: the stream reads as missing, and appending recreates it with revisions continuing', async () => {
      const name = stream();
      await client.appendToStream(name, [event(0), event(1)]);
      await client.deleteStream(name);
      expect(typeOf(await errorOf(collect(client.readStream(name))))).toBe('stream-not-found');
      const recreated = await client.appendToStream(name, [event(2)], expecting('no_stream'));
      expect(recreated.nextExpectedRevision).toBe(2n);
      const read = await collect<ClientResolvedEvent>(client.readStream(name));
      expect(read.map((e) => e.event?.revision)).toEqual([2n]);
    });

    it('refuses an append over the maximum append size, writing nothing', async () => {
      const name = stream();
      const big: ClientEventData = { ...event(1), type: 'Big', data: { text: 'x'.repeat(1_100_000) } };
      expect(typeOf(await errorOf(client.appendToStream(name, [event(0), big])))).toBe('maximum-append-size-exceeded');
      expect(typeOf(await errorOf(collect(client.readStream(name))))).toBe('stream-not-found');
      // The call goes on serving other appends.
      expect((await client.appendToStream(name, [event(0)])).nextExpectedRevision).toBe(0n);
    });

    it('reads $all from a position inclusively, and backwards before it', async () => {
      const name = stream();
      await client.appendToStream(name, [event(0), event(1), event(2)]);
      const mine = (events: ClientAllResolvedEvent[]) => events.filter((e) => e.event?.streamId === name);
      const all = mine(await collect(client.readAll({ fromPosition: 'start' })));
      const second = all[1]?.event?.position;
      expect(second).toBeDefined();
      if (second === undefined) return;
      const from = mine(await collect(client.readAll({ fromPosition: second })));
      expect(from.map((e) => e.event?.revision)).toEqual([1n, 2n]);
      const before = mine(await collect(client.readAll({ fromPosition: second, direction: 'backwards', maxCount: 1 })));
      expect(before.map((e) => e.event?.revision)).toEqual([0n]);
    });

    it('subscribes: confirmation, history after the (exclusive) position, caught-up, then live events, filtered', async () => {
      const prefix = `sub-${randomUUID()}-`;
      await client.appendToStream(`${prefix}a`, [event(0), event(1)]);
      await client.appendToStream(`other-${randomUUID()}`, [event(0)]);
      const history = await collect(client.readAll());
      const firstPosition = history.find((e) => e.event?.streamId === `${prefix}a`)?.event?.position;
      if (firstPosition === undefined) throw new Error('no first event');

      const subscription = client.subscribeToAll({ fromPosition: firstPosition, filter: { filterOn: 'streamName', checkpointInterval: 1, prefixes: [prefix] } });
      const seen: string[] = [];
      let confirmed = false;
      subscription.on('confirmation', () => (confirmed = true));
      const caughtUp = new Promise<void>((resolve) => subscription.on('caughtUp', () => resolve()));
      subscription.on('caughtUp', () => seen.push('caught-up'));
      const live = new Promise<void>((resolve) =>
        subscription.on('data', (resolved) => {
          seen.push(`${resolved.event?.streamId.slice(prefix.length)}@${resolved.event?.revision}`);
          if (seen.length === 4) resolve();
        }),
      );
      await caughtUp;
      await client.appendToStream(`${prefix}b`, [event(0)]);
      await client.appendToStream(`other-${randomUUID()}`, [event(0)]);
      await client.appendToStream(`${prefix}a`, [event(2)]);
      await live;
      await subscription.unsubscribe();
      expect(confirmed).toBe(true);
      expect(seen).toEqual(['a@1', 'caught-up', 'b@0', 'a@2']);
    });

    it('subscribes to a stream from a revision exclusively, then live, and ends with stream-deleted on a tombstone', async () => {
      const name = stream();
      await client.appendToStream(name, [event(0), event(1), event(2)]);
      const subscription = client.subscribeToStream(name, { fromRevision: 0n });
      const seen: unknown[] = [];
      const caughtUp = new Promise<void>((resolve) => subscription.on('caughtUp', () => resolve()));
      subscription.on('caughtUp', () => seen.push('caught-up'));
      subscription.on('data', (resolved) => seen.push(resolved.event?.revision));
      const ended = new Promise<unknown>((resolve) => subscription.on('error', resolve));
      await caughtUp;
      await client.appendToStream(name, [event(3)]);
      await client.tombstoneStream(name);
      expect(typeOf(await ended)).toBe('stream-deleted');
      await subscription.unsubscribe();
      expect(seen).toEqual([1n, 2n, 'caught-up', 3n]);
    });
  });
};

for (const path of APPEND_PATHS) describeLoopback(path);
