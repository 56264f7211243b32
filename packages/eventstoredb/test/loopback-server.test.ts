import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './support/loopback-server.js';

// The loopback server through the real client: the server semantics the adapter relies on.

let server: LoopbackEventStoreServer;
let client: EventStoreDBClient;

beforeAll(async () => {
  server = await startLoopbackEventStore();
  client = EventStoreDBClient.connectionString(server.connectionString);
});

afterAll(async () => {
  await client.dispose();
  await server.stop();
});

const stream = (): string => `test-${randomUUID()}`;
const event = (n: number, id: string = randomUUID()) => jsonEvent({ id, type: 'Happened', data: { n }, metadata: { schemaVersion: 1 } });

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

const typeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? Reflect.get(error, 'type') : undefined);

describe('loopback EventStoreDB server (real client over gRPC)', () => {
  it('numbers revisions from 0 and reads from a revision inclusively, forwards and backwards', async () => {
    const name = stream();
    const result = await client.appendToStream(name, [event(0), event(1), event(2)], { expectedRevision: NO_STREAM });
    expect(result.nextExpectedRevision).toBe(2n);
    const read = await collect<ResolvedEvent>(client.readStream(name, { fromRevision: 1n, direction: FORWARDS }));
    expect(read.map((e) => e.event?.revision)).toEqual([1n, 2n]);
    expect(read[0]?.event?.data).toEqual({ n: 1 });
    expect(read[0]?.event?.metadata).toEqual({ schemaVersion: 1 });
    expect(read[0]?.event?.created.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const backwards = await collect<ResolvedEvent>(client.readStream(name, { fromRevision: END, direction: BACKWARDS, maxCount: 2 }));
    expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n]);
  });

  it('answers a wrong expected revision with the current revision (an AppendResp, not an error)', async () => {
    const name = stream();
    await client.appendToStream(name, [event(0)]);
    const error = await errorOf(client.appendToStream(name, [event(1)], { expectedRevision: 5n }));
    expect(typeOf(error)).toBe('wrong-expected-version');
    expect(error).toMatchObject({ streamName: name, expectedVersion: 5n, actualVersion: 0n });
    const missing = await errorOf(client.appendToStream(stream(), [event(1)], { expectedRevision: 0n }));
    expect(missing).toMatchObject({ actualVersion: 'no_stream' });
  });

  it('is idempotent by event ids at the same expected revision (CheckCommit), and not for other batches', async () => {
    const name = stream();
    const ids = [randomUUID(), randomUUID()];
    const first = await client.appendToStream(name, [event(0, ids[0]), event(1, ids[1])], { expectedRevision: NO_STREAM });
    await client.appendToStream(name, [event(2)], { expectedRevision: 1n });
    const again = await client.appendToStream(name, [event(0, ids[0]), event(1, ids[1])], { expectedRevision: NO_STREAM });
    expect(again.nextExpectedRevision).toBe(1n);
    expect(again.position).toEqual(first.position);
    expect(await collect(client.readStream(name))).toHaveLength(3);
    const different = await errorOf(client.appendToStream(name, [event(0, ids[0]), event(9)], { expectedRevision: NO_STREAM }));
    expect(typeOf(different)).toBe('wrong-expected-version');
    // With `any` the ids are looked up among recent commits.
    const any = await client.appendToStream(name, [event(0, ids[0]), event(1, ids[1])]);
    expect(any.nextExpectedRevision).toBe(1n);
  });

  it('reports a missing stream as stream-not-found and a tombstoned one as stream-deleted', async () => {
    expect(typeOf(await errorOf(collect(client.readStream(stream()))))).toBe('stream-not-found');
    const name = stream();
    await client.appendToStream(name, [event(0)]);
    await client.tombstoneStream(name);
    const read = await errorOf(collect(client.readStream(name)));
    expect(typeOf(read)).toBe('stream-deleted');
    expect(read).toMatchObject({ streamName: name });
    expect(typeOf(await errorOf(client.appendToStream(name, [event(1)])))).toBe('stream-deleted');
    expect(typeOf(await errorOf(client.tombstoneStream(name)))).toBe('stream-deleted');
  });

  it('soft-deletes: the stream reads as missing, and appending recreates it with revisions continuing', async () => {
    const name = stream();
    await client.appendToStream(name, [event(0), event(1)]);
    await client.deleteStream(name);
    expect(typeOf(await errorOf(collect(client.readStream(name))))).toBe('stream-not-found');
    const recreated = await client.appendToStream(name, [event(2)], { expectedRevision: NO_STREAM });
    expect(recreated.nextExpectedRevision).toBe(2n);
    const read = await collect<ResolvedEvent>(client.readStream(name));
    expect(read.map((e) => e.event?.revision)).toEqual([2n]);
  });

  it('refuses an append over the maximum append size, writing nothing', async () => {
    const name = stream();
    const big = jsonEvent({ type: 'Big', data: { text: 'x'.repeat(1_100_000) } });
    expect(typeOf(await errorOf(client.appendToStream(name, [event(0), big])))).toBe('maximum-append-size-exceeded');
    expect(typeOf(await errorOf(collect(client.readStream(name))))).toBe('stream-not-found');
  });

  it('reads $all from a position inclusively, and backwards before it', async () => {
    const name = stream();
    await client.appendToStream(name, [event(0), event(1), event(2)]);
    const mine = (events: AllStreamResolvedEvent[]) => events.filter((e) => e.event?.streamId === name);
    const all = mine(await collect<AllStreamResolvedEvent>(client.readAll({ fromPosition: START })));
    const second = all[1]?.event?.position;
    expect(second).toBeDefined();
    if (second === undefined) return;
    const from = mine(await collect<AllStreamResolvedEvent>(client.readAll({ fromPosition: second })));
    expect(from.map((e) => e.event?.revision)).toEqual([1n, 2n]);
    const before = mine(await collect<AllStreamResolvedEvent>(client.readAll({ fromPosition: second, direction: BACKWARDS, maxCount: 1 })));
    expect(before.map((e) => e.event?.revision)).toEqual([0n]);
  });

  it('subscribes: confirmation, history after the (exclusive) position, caught-up, then live events, filtered', async () => {
    const prefix = `sub-${randomUUID()}-`;
    await client.appendToStream(`${prefix}a`, [event(0), event(1)]);
    await client.appendToStream(`other-${randomUUID()}`, [event(0)]);
    const history = await collect<AllStreamResolvedEvent>(client.readAll());
    const firstPosition = history.find((e) => e.event?.streamId === `${prefix}a`)?.event?.position;
    if (firstPosition === undefined) throw new Error('no first event');

    const subscription = client.subscribeToAll({ fromPosition: firstPosition, filter: streamNameFilter({ prefixes: [prefix] }) });
    const seen: string[] = [];
    let confirmed = false;
    subscription.on('confirmation', () => (confirmed = true));
    subscription.on('caughtUp', () => seen.push('caught-up'));
    const live = new Promise<void>((resolve) =>
      subscription.on('data', (resolved: AllStreamResolvedEvent) => {
        seen.push(`${resolved.event?.streamId.slice(prefix.length)}@${resolved.event?.revision}`);
        if (seen.length === 4) resolve();
      }),
    );
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
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
    subscription.on('caughtUp', () => seen.push('caught-up'));
    subscription.on('data', (resolved: ResolvedEvent) => seen.push(resolved.event?.revision));
    const ended = new Promise<unknown>((resolve) => subscription.on('error', resolve));
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await client.appendToStream(name, [event(3)]);
    await client.tombstoneStream(name);
    expect(typeOf(await ended)).toBe('stream-deleted');
    await subscription.unsubscribe();
    expect(seen).toEqual([1n, 2n, 'caught-up', 3n]);
  });
});
