import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStoreDbConnection } from '../src/index.js';
import { CLIENT_UNDER_TEST } from './support/client-under-test.js';
import { eventually, events, ids, left, right, sleep } from './support/helpers.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './support/loopback-server.js';
import { APPEND_PATHS, connectForTest, type AppendPath } from './support/targets.js';

// A server that goes away and comes back: its own server and connection, so no other test is disturbed.
// On both append paths: a BatchAppend call is one long-lived stream, which the restart breaks.

const describeResume = (appendPath: AppendPath) =>
  describe(`EventStoreDB adapter against a server that restarts (${CLIENT_UNDER_TEST} client, ${appendPath})`, () => {
    let server: LoopbackEventStoreServer;
    let connection: EventStoreDbConnection;
    const retries: string[] = [];

    beforeAll(async () => {
      server = await startLoopbackEventStore({ batchAppend: appendPath === 'BatchAppend' });
      connection = connectForTest(server.connectionString, {
        resubscribe: {
          initialDelayMs: 20,
          maxDelayMs: 200,
          onRetry: (attempt, _delay, cause) => retries.push(`${attempt}:${typeof cause === 'object' && cause !== null ? String(Reflect.get(cause, 'type')) : String(cause)}`),
        },
      });
    });

    afterAll(async () => {
      await connection.close();
      await server.stop();
    });

    it('resumes a subscription after the server is stopped and restarted mid-stream: nothing missed, nothing twice', async () => {
      const store = connection.store;
      const prefix = `mc-resume-${randomUUID()}-`;
      for (let n = 0; n < 8; n += 1) {
        await right(store.appendToStream(`${prefix}${n % 3}`, events(5), { expectedRevision: 'any' }));
        await right(store.appendToStream(`other-${randomUUID()}`, events(1), { expectedRevision: 'any' }));
      }
      const delivered: string[] = [];
      let caughtUp = 0;
      let failure: unknown;
      let stopped: Promise<void> | undefined;
      const subscription = store.subscribeToAll(
        { streamPrefix: prefix },
        {
          onEvent: async (e) => {
            delivered.push(e.id);
            // The server goes down while history is still being delivered.
            if (delivered.length === 12) stopped = server.stop();
            await sleep(1);
          },
          onCaughtUp: () => {
            caughtUp += 1;
          },
          onError: (error) => {
            failure = error;
          },
        },
      );
      await eventually(() => stopped !== undefined, 10_000, 'the server stop');
      await stopped;
      await sleep(300);
      expect(server.isRunning()).toBe(false);
      await server.start();
      for (let n = 0; n < 4; n += 1) await right(store.appendToStream(`${prefix}${n % 3}`, events(5), { expectedRevision: 'any' }));

      const expected = ids(await right(store.readAll({ streamPrefix: prefix })));
      expect(expected).toHaveLength(60);
      await eventually(() => delivered.length >= expected.length, 15_000, 'every event');
      await sleep(100);
      await subscription.close();
      expect(failure).toBeUndefined();
      expect(delivered).toEqual(expected);
      expect(new Set(delivered).size).toBe(delivered.length);
      expect(caughtUp).toBe(1);
      expect(retries.length).toBeGreaterThan(0);
    });

    it('reports store-unavailable while the server is down, and works again once it is back', async () => {
      const store = connection.store;
      const id = `mc-down-${randomUUID()}`;
      await server.stop();
      expect(await left(store.appendToStream(id, events(1), { expectedRevision: 'any' }))).toMatchObject({ code: 'store-unavailable' });
      expect(await left(store.readStream(id))).toMatchObject({ code: 'store-unavailable' });
      expect(await left(store.readAll({ streamPrefix: id }))).toMatchObject({ code: 'store-unavailable' });
      await server.start();
      // The client reconnects on the next call after an UNAVAILABLE; allow it a few tries.
      const batch = events(1);
      let result = await store.appendToStream(id, batch, { expectedRevision: 'no-stream' })();
      for (let attempt = 0; E.isLeft(result) && attempt < 50; attempt += 1) {
        await sleep(50);
        result = await store.appendToStream(id, batch, { expectedRevision: 'no-stream' })();
      }
      expect(E.isRight(result)).toBe(true);
      expect(await right(store.readStream(id))).toHaveLength(1);
    });
  });

for (const appendPath of APPEND_PATHS) describeResume(appendPath);
