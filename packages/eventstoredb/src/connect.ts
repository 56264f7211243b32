import type { DisposableEventStoreDbClient } from './client.js';
import { chooseClient, loadClient, type EventStoreDbClientName } from './client-loader.js';
import { createEventStoreDbEventStore, type EventStoreDbEventStore, type EventStoreDbStoreOptions } from './event-store.js';

export interface ConnectEventStoreDbOptions extends EventStoreDbStoreOptions {
  /**
   * Which installed client to load: `kurrentdb` (`@kurrent/kurrentdb-client` 1.x) or `eventstore-db`
   * (`@eventstore/db-client` 6). Default: `kurrentdb` if it is installed, else `eventstore-db`. Only the
   * chosen package is ever loaded.
   */
  readonly client?: EventStoreDbClientName;
}

export interface EventStoreDbConnection {
  /** Which client was loaded. */
  readonly clientName: EventStoreDbClientName;
  readonly client: DisposableEventStoreDbClient;
  readonly store: EventStoreDbEventStore;
  /** Closes the client's gRPC channel and open streams. */
  readonly close: () => Promise<void>;
}

/**
 * Connects from a connection string (`kurrentdb://host:2113?tls=false`, `esdb://…`, `…+discover://…`:
 * either scheme works with either client). Loads the chosen client package, and only that one; no I/O
 * happens here, the client connects on first use. Throws `EventStoreDbClientNotInstalledError` when the
 * client is not installed, `EventStoreDbClientConflictError` when the other client is already loaded in
 * this process, and the client's own error for a malformed connection string.
 */
export const connectEventStoreDb = (connectionString: string, options: ConnectEventStoreDbOptions = {}): EventStoreDbConnection => {
  const { client: wanted, ...storeOptions } = options;
  const clientName = chooseClient(wanted);
  const client = loadClient(clientName, connectionString);
  return { clientName, client, store: createEventStoreDbEventStore(client, storeOptions), close: () => client.dispose() };
};
