import * as E from 'fp-ts/lib/Either.js';
import { createInMemoryEventStore, type EventStore, type IdGenerator } from '@message-center/core';

export interface ExampleStore {
  readonly store: EventStore;
  /** Set for EventStoreDB: UUIDv5 event ids for keyed commands, so the server also ignores replays. */
  readonly ids?: IdGenerator;
  /** One line for the example's output: which store it runs on. */
  readonly describe: string;
  readonly close: () => Promise<void>;
}

/** The URL without credentials, for output. */
const withoutCredentials = (url: string): string => url.replace(/\/\/[^@/]*@/, '//');

/**
 * The store the examples run on: the embedded in-memory store, or EventStoreDB / KurrentDB when
 * `EVENTSTOREDB_URL` is set (e.g. `esdb://localhost:2113?tls=false`).
 */
export async function storeFromEnvironment(): Promise<ExampleStore> {
  const url = process.env['EVENTSTOREDB_URL'];
  if (url === undefined || url === '') {
    return { store: createInMemoryEventStore(), describe: 'in-memory (set EVENTSTOREDB_URL=esdb://… to use EventStoreDB)', close: async () => undefined };
  }
  // Loaded only when asked for, so that the in-memory path never loads the gRPC client.
  const { connectEventStoreDb, deterministicIds } = await import('@message-center/eventstoredb');
  const connection = connectEventStoreDb(url);
  // The client connects lazily; one read of a stream nobody writes fails now, with a clear message,
  // rather than in the middle of the example.
  const probe = await connection.store.readStream('example-connection-check', { maxCount: 1 })();
  if (E.isLeft(probe)) {
    await connection.close();
    throw new Error(`cannot use EventStoreDB at ${withoutCredentials(url)}: ${probe.left.message}`);
  }
  return { store: connection.store, ids: deterministicIds, describe: `EventStoreDB at ${withoutCredentials(url)}`, close: connection.close };
}
