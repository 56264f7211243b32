import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RecordedEvent, StoreError } from '@message-center/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventStoreDbEventStore, type EventStoreDbConnection, type EventStoreDbStoreOptions } from '../src/index.js';
import { CLIENT_UNDER_TEST } from './support/client-under-test.js';
import { eventually, events, ids, left, right, sleep } from './support/helpers.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './support/loopback-server.js';
import { APPEND_PATHS, connectForTest, type AppendPath } from './support/targets.js';

// A server that accepts connections and calls but never answers (the loopback server's stalls): every
// call of the adapter ends in `store-unavailable` within its deadline, on both append paths, and works
// again once the server answers (`deadline-exit.test.ts` checks that nothing is left behind). Small
// deadlines keep the file fast; the margin is generous because the machine is shared.

const DEADLINE_MS = 300;
const MARGIN_MS = 1_500;
// A password in the connection string must never reach an error message (insecure mode ignores it).
const SECRET = 's3cret-Pa55';

const streamId = (label: string): string => `esdb-deadline-${label}-${randomUUID()}`;

/** Runs a task that must fail with `store-unavailable` because of the deadline, within deadline + margin. */
const expectTimedOut = async <A>(task: TE.TaskEither<StoreError, A>): Promise<StoreError> => {
  const started = performance.now();
  const error = await left(task);
  const elapsed = performance.now() - started;
  expect(error.code).toBe('store-unavailable');
  expect(error.message).toMatch(new RegExp(`deadline-exceeded.*${DEADLINE_MS} ms`));
  expect(error.message).not.toContain(SECRET);
  expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
  expect(elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  return error;
};

/** Retries a task until it succeeds: the client may need a call or two to reconnect after a stall. */
const eventuallyRight = async <A>(task: TE.TaskEither<StoreError, A>, what: string): Promise<A> => {
  let last: E.Either<StoreError, A> = await task();
  for (let attempt = 0; E.isLeft(last) && attempt < 40; attempt += 1) {
    await sleep(50);
    last = await task();
  }
  if (E.isLeft(last)) throw new Error(`${what} still fails: ${last.left.code}: ${last.left.message}`);
  return last.right;
};

const describeStalls = (appendPath: AppendPath): void => {
  describe(`EventStoreDB adapter against a stalled server (${CLIENT_UNDER_TEST} client, ${appendPath})`, () => {
    let server: LoopbackEventStoreServer;
    let connection: EventStoreDbConnection;
    const options: EventStoreDbStoreOptions = { deadlineMs: DEADLINE_MS, resubscribe: { initialDelayMs: 20, maxDelayMs: 100 } };

    beforeAll(async () => {
      server = await startLoopbackEventStore({ batchAppend: appendPath === 'BatchAppend' });
      const withPassword = server.connectionString.replace('//', `//admin:${SECRET}@`);
      connection = connectForTest(withPassword, options);
      // Connected and server features known, without the tests' short deadline: KurrentDB's client takes
      // about 500 ms to open its native bridge's connection on the first read.
      const patient = createEventStoreDbEventStore(connection.client);
      await right(patient.appendToStream(streamId('warm-up'), events(1), { expectedRevision: 'no-stream' }));
      await right(patient.readStream(streamId('warm-up')));
    });

    afterEach(() => {
      server.resume();
    });

    afterAll(async () => {
      await connection.close();
      await server.stop();
    });

    it('readStream: a read the server never answers gives store-unavailable within the deadline', async () => {
      const store = connection.store;
      const id = streamId('read');
      await right(store.appendToStream(id, events(2), { expectedRevision: 'no-stream' }));
      server.stall(['Read']);
      await expectTimedOut(store.readStream(id));
      expect(server.stalled.Read).toBeGreaterThan(0);
      server.resume();
      expect(await eventuallyRight(store.readStream(id), 'the read after the stall')).toHaveLength(2);
    });

    it('readAll: a page the server never answers gives store-unavailable within the deadline', async () => {
      server.stall(['Read']);
      await expectTimedOut(connection.store.readAll({ streamPrefix: 'esdb-deadline-' }));
      server.resume();
      await eventuallyRight(connection.store.readAll({ streamPrefix: 'esdb-deadline-', maxCount: 1 }), 'readAll after the stall');
    });

    it(`append (${appendPath}): an append the server never answers gives store-unavailable within the deadline, and writes nothing`, async () => {
      const store = connection.store;
      const id = streamId('append');
      server.stall([appendPath]);
      await expectTimedOut(store.appendToStream(id, events(2), { expectedRevision: 'no-stream' }));
      expect(server.stalled[appendPath]).toBeGreaterThan(0);
      server.resume();
      expect(await eventuallyRight(store.readStream(id), 'the read after the stall')).toEqual([]);
      // The next append goes through: the stalled one left nothing behind that answers for it.
      const batch = events(1);
      expect((await eventuallyRight(store.appendToStream(id, batch, { expectedRevision: 'no-stream' }), 'the append after the stall')).nextExpectedRevision).toBe(0n);
      expect(ids(await right(store.readStream(id)))).toEqual(batch.map((e) => e.id));
    });

    it('an empty append, answered from a read, is bounded by the append deadline too', async () => {
      server.stall(['Read']);
      await expectTimedOut(connection.store.appendToStream(streamId('empty'), [], { expectedRevision: 'no-stream' }));
    });

    it('deleteStream: a tombstone the server never answers gives store-unavailable within the deadline', async () => {
      const store = connection.store;
      const id = streamId('tombstone');
      await right(store.appendToStream(id, events(1), { expectedRevision: 'no-stream' }));
      server.stall(['Tombstone']);
      await expectTimedOut(store.deleteStream(id));
      expect(server.stalled.Tombstone).toBe(1);
      server.resume();
      expect(await eventuallyRight(store.readStream(id), 'the read after the stall')).toHaveLength(1);
    });

    it('a late answer after the deadline is not reported (nor taken for another call), and a retry with the same ids is idempotent', async () => {
      const store = connection.store;
      const id = streamId('late');
      const batch = events(2);
      server.stall([appendPath], { lateByMs: DEADLINE_MS * 2 });
      await expectTimedOut(store.appendToStream(id, batch, { expectedRevision: 'no-stream' }));
      server.resume();
      // Another append while the late answer is on its way, and after it arrived.
      const other = streamId('other');
      expect((await right(store.appendToStream(other, events(3), { expectedRevision: 'no-stream' }))).nextExpectedRevision).toBe(2n);
      await sleep(DEADLINE_MS * 2);
      expect((await right(store.appendToStream(other, events(1), { expectedRevision: 2n }))).nextExpectedRevision).toBe(3n);
      // The timed-out append was applied: retried as the port's caller does, same ids, same expectation.
      const retried = await right(store.appendToStream(id, batch, { expectedRevision: 'no-stream' }));
      expect(retried.nextExpectedRevision).toBe(1n);
      expect(ids(await right(store.readStream(id)))).toEqual(batch.map((e) => e.id));
    });

    it('an append applied but never answered (the answer was lost) is acknowledged, not duplicated, when retried with the same ids', async () => {
      const store = connection.store;
      const id = streamId('lost-answer');
      await right(store.appendToStream(id, events(1), { expectedRevision: 'no-stream' }));
      const batch = events(2);
      server.stall([appendPath], 'apply-silently');
      await expectTimedOut(store.appendToStream(id, batch, { expectedRevision: 0n }));
      server.resume();
      expect(server.log.streamRecords(id)).toHaveLength(3);
      const retried = await eventuallyRight(store.appendToStream(id, batch, { expectedRevision: 0n }), 'the retry');
      expect(retried.nextExpectedRevision).toBe(2n);
      expect(await right(store.readStream(id))).toHaveLength(3);
    });

    it('subscribeToAll: a subscription the server never confirms fails with store-unavailable when its policy gives up', async () => {
      const store = createEventStoreDbEventStore(connection.client, { deadlineMs: DEADLINE_MS, resubscribe: { maxAttempts: 0 } });
      server.stall(['Read']);
      const started = performance.now();
      let failure: StoreError | undefined;
      let failedAt = 0;
      const subscription = store.subscribeToAll(
        { streamPrefix: `mc-stalled-${randomUUID()}` },
        {
          onEvent: () => undefined,
          onError: (error) => {
            failure = error;
            failedAt = performance.now() - started;
          },
        },
      );
      await eventually(() => failure !== undefined, DEADLINE_MS + MARGIN_MS, 'onError');
      await subscription.close();
      expect(failure?.code).toBe('store-unavailable');
      expect(failure?.message).toMatch(/deadline-exceeded/);
      expect(failedAt).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
      expect(failedAt).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    });

    it('subscribeToAll: by default it resubscribes while the server stalls, and delivers everything once it answers', async () => {
      const store = connection.store;
      const prefix = `mc-stall-resume-${randomUUID()}-`;
      const written = events(3);
      await right(store.appendToStream(`${prefix}a`, written, { expectedRevision: 'no-stream' }));
      server.stall(['Read']);
      const retries: unknown[] = [];
      const delivered: RecordedEvent[] = [];
      let caughtUp = false;
      let failure: StoreError | undefined;
      const resubscribing = createEventStoreDbEventStore(connection.client, {
        ...options,
        resubscribe: { initialDelayMs: 20, maxDelayMs: 100, onRetry: (_attempt, _delay, cause) => retries.push(cause) },
      });
      const subscription = resubscribing.subscribeToAll(
        { streamPrefix: prefix },
        {
          onEvent: (e) => {
            delivered.push(e);
          },
          onCaughtUp: () => {
            caughtUp = true;
          },
          onError: (error) => {
            failure = error;
          },
        },
      );
      await eventually(() => retries.length >= 2, 2 * DEADLINE_MS + MARGIN_MS, 'two retries');
      expect(delivered).toEqual([]);
      server.resume();
      await eventually(() => caughtUp, 5_000, 'caught up');
      await subscription.close();
      expect(failure).toBeUndefined();
      expect(ids(delivered)).toEqual(written.map((e) => e.id));
      expect(retries[0]).toMatchObject({ type: 'deadline-exceeded', deadlineMs: DEADLINE_MS });
    });

    it('subscribeToAll: a confirmation that comes after the deadline is dropped and the subscription tried again', async () => {
      const prefix = `mc-stall-late-${randomUUID()}-`;
      await right(connection.store.appendToStream(`${prefix}a`, events(2), { expectedRevision: 'no-stream' }));
      server.stall(['Read'], { lateByMs: DEADLINE_MS * 2 });
      let retries = 0;
      let delivered = 0;
      const store = createEventStoreDbEventStore(connection.client, {
        ...options,
        resubscribe: { initialDelayMs: 20, maxDelayMs: 100, onRetry: () => (retries += 1) },
      });
      const subscription = store.subscribeToAll({ streamPrefix: prefix }, { onEvent: () => void (delivered += 1) });
      await eventually(() => retries >= 1, DEADLINE_MS + MARGIN_MS, 'a retry');
      server.resume();
      await eventually(() => delivered === 2, 5_000, 'both events');
      await sleep(DEADLINE_MS * 2);
      await subscription.close();
      expect(delivered).toBe(2);
    });
  });
};

for (const appendPath of APPEND_PATHS) describeStalls(appendPath);

describe(`EventStoreDB adapter against a server that never says what it supports (${CLIENT_UNDER_TEST} client)`, () => {
  let server: LoopbackEventStoreServer;
  let connection: EventStoreDbConnection;

  beforeAll(async () => {
    server = await startLoopbackEventStore({ stall: ['GetSupportedMethods'] });
    connection = connectForTest(server.connectionString, { deadlineMs: DEADLINE_MS });
  });

  afterAll(async () => {
    await connection.close();
    await server.stop();
  });

  it('an append waiting for the server features (no deadline in either client) gives store-unavailable within the deadline', async () => {
    await expectTimedOut(connection.store.appendToStream(streamId('features'), events(1), { expectedRevision: 'any' }));
    expect(server.stalled.GetSupportedMethods).toBeGreaterThan(0);
  });
});
