import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { CLIENT_PACKAGES, type EventStoreDbClientName } from '../../src/client-loader.js';

/**
 * The client these tests run with: one per Vitest project (`MC_ESDB_CLIENT`, set in vitest.workspace.ts),
 * never both in one process. Unset (a file run on its own), the adapter's own preference: KurrentDB's.
 */
const clientFromEnv = (value: string | undefined): EventStoreDbClientName => {
  if (value === undefined || value === '' || value === 'kurrentdb') return 'kurrentdb';
  if (value === 'eventstore-db') return 'eventstore-db';
  throw new Error(`MC_ESDB_CLIENT must be 'kurrentdb' or 'eventstore-db', not ${JSON.stringify(value)}`);
};

export const CLIENT_UNDER_TEST: EventStoreDbClientName = clientFromEnv(process.env.MC_ESDB_CLIENT);

const require = createRequire(import.meta.url);

/** The package's directory as Node resolves it (real path: pnpm links resolve to the store). */
const packageDirectory = (name: EventStoreDbClientName): string => dirname(require.resolve(`${CLIENT_PACKAGES[name]}/package.json`)) + sep;

/**
 * The clients of which some module is loaded in this process. Both are CommonJS, and Node's ESM loader
 * also records the CommonJS modules it imports in `require.cache`, so this sees every way of loading them.
 */
export const loadedClients = (): EventStoreDbClientName[] => {
  const loaded = Object.keys(require.cache);
  return (['kurrentdb', 'eventstore-db'] as const).filter((name) => {
    const directory = packageDirectory(name);
    return loaded.some((path) => path.startsWith(directory));
  });
};

let liveClients = 0;

/**
 * Registers a client the tests create; call the returned function once it is disposed. `@eventstore/db-client`
 * 6 keeps one BatchAppend promise table per process (module-level `promiseBank` in
 * `streams/appendToStream/batchAppend.js`): when one client's BatchAppend stream ends, it rejects and
 * forgets the pending appends of every client, and the other client's next answer then throws in its
 * stream handler, crashing the process. So the tests never hold two of its clients at once.
 */
export const holdClient = (): (() => void) => {
  if (CLIENT_UNDER_TEST === 'eventstore-db' && liveClients > 0) {
    throw new Error('a test opened a second @eventstore/db-client client while one is alive: v6 shares one BatchAppend table per process');
  }
  liveClients += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    liveClients -= 1;
  };
};
