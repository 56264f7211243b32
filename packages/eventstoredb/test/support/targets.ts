import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { connectEventStoreDb, type EventStoreDbConnection, type EventStoreDbEventStore, type EventStoreDbStoreOptions } from '../../src/index.js';
import { CLIENT_UNDER_TEST, holdClient } from './client-under-test.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './loopback-server.js';

/**
 * The append paths of the loopback server: `BatchAppend`, which the clients use with every server since
 * 21.10, and the classic `Append` of older servers. Both are tested, with each client.
 */
export const APPEND_PATHS = ['BatchAppend', 'Append'] as const;
export type AppendPath = (typeof APPEND_PATHS)[number];

/** A store under test, over the real client: against the loopback server, or a real one. */
export interface AdapterTarget {
  readonly connection: EventStoreDbConnection;
  /** Only for the loopback server. */
  readonly server?: LoopbackEventStoreServer;
  readonly deleteStream: (streamId: string) => Promise<void>;
  readonly dispose: () => Promise<void>;
}

/** `connectEventStoreDb` with the client under test, counted by `holdClient` until closed. */
export const connectForTest = (connectionString: string, options: EventStoreDbStoreOptions = {}): EventStoreDbConnection => {
  const release = holdClient();
  try {
    const connection = connectEventStoreDb(connectionString, { ...options, client: CLIENT_UNDER_TEST });
    return { ...connection, close: () => connection.close().finally(release) };
  } catch (error: unknown) {
    release();
    throw error;
  }
};

const withDelete = (connection: EventStoreDbConnection) => async (streamId: string): Promise<void> => {
  const result = await connection.store.deleteStream(streamId)();
  if (E.isLeft(result)) throw new Error(`deleteStream failed: ${result.left.code}: ${result.left.message}`);
};

/** The loopback server on one append path (BatchAppend by default, as real servers), over the client under test. */
export const loopbackTarget = async (
  options: EventStoreDbStoreOptions & { readonly appendPath?: AppendPath; readonly connectionQuery?: string } = {},
): Promise<AdapterTarget> => {
  const { appendPath = 'BatchAppend', connectionQuery, ...storeOptions } = options;
  const server = await startLoopbackEventStore({ batchAppend: appendPath === 'BatchAppend' });
  const query = connectionQuery === undefined ? '' : `&${connectionQuery}`;
  const connection = connectForTest(`${server.connectionString}${query}`, storeOptions);
  return {
    connection,
    server,
    deleteStream: withDelete(connection),
    dispose: async () => {
      await connection.close();
      await server.stop();
    },
  };
};

/** The real server named by `EVENTSTOREDB_URL`, if set. */
export const REAL_SERVER_URL = process.env.EVENTSTOREDB_URL;

export const realServerTarget = async (url: string, options: EventStoreDbStoreOptions = {}): Promise<AdapterTarget> => {
  const connection = connectForTest(url, options);
  return { connection, deleteStream: withDelete(connection), dispose: () => connection.close() };
};

/** The URL without credentials, for test names and logs. */
export const describeUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//');

/** Creates the target before the enclosing describe's tests and disposes of it after; returns it. */
export const useTarget = (create: () => Promise<AdapterTarget>): (() => AdapterTarget) => {
  let target: AdapterTarget | undefined;
  beforeAll(async () => {
    target = await create();
  });
  afterAll(async () => {
    await target?.dispose();
  });
  return () => {
    if (target === undefined) throw new Error('the EventStoreDB target was not created (did create() fail?)');
    return target;
  };
};

/** Like `useTarget`, for tests that need only the store. */
export const useAdapterTarget = (create: () => Promise<AdapterTarget>): (() => EventStoreDbEventStore) => {
  const target = useTarget(create);
  return () => target().connection.store;
};

/**
 * Registers a suite against the real server named by EVENTSTOREDB_URL. Without it the same tests are still
 * registered, under a skipped describe, so the run reports how many were skipped and prints why.
 */
export const describeRealServer = (what: string, register: (url: string) => void): void => {
  const url = REAL_SERVER_URL;
  if (url === undefined) console.info(`[eventstoredb] real-server ${what} SKIPPED: EVENTSTOREDB_URL is not set (only the loopback gRPC server was tested).`);
  else console.info(`[eventstoredb] running the ${what} against the real server at ${describeUrl(url)}`);
  // The placeholder URL is never dialled: a skipped describe runs none of its hooks or tests.
  describe.skipIf(url === undefined)(`${what}, real server (EVENTSTOREDB_URL)`, () => register(url ?? 'esdb://unset.invalid:2113'));
};
