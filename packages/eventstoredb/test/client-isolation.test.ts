import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStoreDbConnection } from '../src/index.js';
import { CLIENT_UNDER_TEST, loadedClients } from './support/client-under-test.js';
import { events, right } from './support/helpers.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './support/loopback-server.js';
import { connectForTest } from './support/targets.js';

// Both clients register their protobuf classes in one global namespace: with both loaded in one process,
// appends never answer and subscriptions never report caught-up (issue 9). Each Vitest project runs one
// client (MC_ESDB_CLIENT), each test file in its own process; this checks that nothing here (adapter,
// loopback server, test support) loads the other one.

let server: LoopbackEventStoreServer;
let connection: EventStoreDbConnection;

beforeAll(async () => {
  server = await startLoopbackEventStore();
  connection = connectForTest(server.connectionString);
});

afterAll(async () => {
  await connection.close();
  await server.stop();
});

describe(`one EventStoreDB client per process (${CLIENT_UNDER_TEST})`, () => {
  it('loads only the client under test: adapter, loopback server and test support together', async () => {
    const id = `esdb-test-isolation-${randomUUID()}`;
    await right(connection.store.appendToStream(id, events(2), { expectedRevision: 'no-stream' }));
    expect(await right(connection.store.readStream(id))).toHaveLength(2);
    expect(loadedClients()).toEqual([CLIENT_UNDER_TEST]);
  });
});
