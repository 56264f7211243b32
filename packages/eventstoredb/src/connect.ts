import { EventStoreDBClient } from '@eventstore/db-client';
import type { EventStoreDbClientLike } from './client.js';
import { createEventStoreDbEventStore, type EventStoreDbEventStore, type EventStoreDbStoreOptions } from './event-store.js';

export interface EventStoreDbConnection {
  readonly client: EventStoreDBClient;
  readonly store: EventStoreDbEventStore;
  /** Closes the client's gRPC channel and open streams. */
  readonly close: () => Promise<void>;
}

/**
 * Connects from a connection string (`esdb://host:2113?tls=false`, `esdb+discover://…`). No I/O happens
 * here: the client connects on first use. Throws if the connection string is malformed.
 */
export const connectEventStoreDb = (connectionString: string, options?: EventStoreDbStoreOptions): EventStoreDbConnection => {
  const client = EventStoreDBClient.connectionString(connectionString);
  // Checked here against the real client type, so a client upgrade that breaks the adapter fails to compile.
  const clientLike: EventStoreDbClientLike = client;
  return { client, store: createEventStoreDbEventStore(clientLike, options), close: () => client.dispose() };
};
