import { connectionStringFor } from '../../src/client-loader.js';
import type { ClientAllResolvedEvent, ClientResolvedEvent, ClientSubscribeToAllOptions, DisposableEventStoreDbClient } from '../../src/index.js';
import { CLIENT_UNDER_TEST, holdClient } from './client-under-test.js';

/** A subscription of the client, as the raw-client tests listen to it. */
export interface RawSubscription<Resolved = ClientResolvedEvent> {
  on(event: 'data', listener: (resolved: Resolved) => void): unknown;
  on(event: 'confirmation' | 'caughtUp', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
}

/** The client under test as the loopback server's own tests use it: the adapter's part, and a little more. */
export interface RawClient extends DisposableEventStoreDbClient {
  deleteStream(streamName: string): Promise<unknown>;
  subscribeToStream(streamName: string, options?: { readonly fromRevision?: bigint }): RawSubscription;
  subscribeToAll(options?: ClientSubscribeToAllOptions): RawSubscription<ClientAllResolvedEvent> & ReturnType<DisposableEventStoreDbClient['subscribeToAll']>;
}

/**
 * The real client of the project's choice (and only that one), straight from its package, for tests of
 * the loopback server itself. Both packages are CommonJS: their classes are on the default export.
 * Either class is checked against `RawClient` here, at compile time.
 */
const connectRaw = async (connectionString: string): Promise<RawClient> => {
  if (CLIENT_UNDER_TEST === 'kurrentdb') {
    const { KurrentDBClient } = (await import('@kurrent/kurrentdb-client')).default;
    return KurrentDBClient.connectionString(connectionStringFor('kurrentdb', connectionString));
  }
  const { EventStoreDBClient } = (await import('@eventstore/db-client')).default;
  return EventStoreDBClient.connectionString(connectionStringFor('eventstore-db', connectionString));
};

/** The raw client and its `dispose`, counted by `holdClient` until disposed. */
export const rawClient = async (connectionString: string): Promise<{ readonly client: RawClient; readonly dispose: () => Promise<void> }> => {
  const release = holdClient();
  try {
    const client = await connectRaw(connectionString);
    return { client, dispose: () => client.dispose().finally(release) };
  } catch (error: unknown) {
    release();
    throw error;
  }
};
