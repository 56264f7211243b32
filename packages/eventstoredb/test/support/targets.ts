import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { connectEventStoreDb, type EventStoreDbConnection, type EventStoreDbEventStore, type EventStoreDbStoreOptions } from '../../src/index.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './loopback-server.js';

/** A store under test, over the real client: against the loopback server, or a real one. */
export interface AdapterTarget {
  readonly connection: EventStoreDbConnection;
  /** Only for the loopback server. */
  readonly server?: LoopbackEventStoreServer;
  readonly deleteStream: (streamId: string) => Promise<void>;
  readonly dispose: () => Promise<void>;
}

const withDelete = (connection: EventStoreDbConnection) => async (streamId: string): Promise<void> => {
  const result = await connection.store.deleteStream(streamId)();
  if (E.isLeft(result)) throw new Error(`deleteStream failed: ${result.left.code}: ${result.left.message}`);
};

export const loopbackTarget = async (options?: EventStoreDbStoreOptions): Promise<AdapterTarget> => {
  const server = await startLoopbackEventStore();
  const connection = connectEventStoreDb(server.connectionString, options);
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

export const realServerTarget = async (url: string, options?: EventStoreDbStoreOptions): Promise<AdapterTarget> => {
  const connection = connectEventStoreDb(url, options);
  return { connection, deleteStream: withDelete(connection), dispose: () => connection.close() };
};

/** The URL without credentials, for test names and logs. */
export const describeUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//');

/** Creates the target before the enclosing describe's tests and disposes of it after; returns its store. */
export const useAdapterTarget = (create: () => Promise<AdapterTarget>): (() => EventStoreDbEventStore) => {
  let target: AdapterTarget | undefined;
  beforeAll(async () => {
    target = await create();
  });
  afterAll(async () => {
    await target?.dispose();
  });
  return () => {
    if (target === undefined) throw new Error('the EventStoreDB target was not created (did create() fail?)');
    return target.connection.store;
  };
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
