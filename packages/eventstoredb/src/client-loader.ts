import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type { DisposableEventStoreDbClient } from './client.js';

/** The gRPC clients the adapter runs on: `kurrentdb` is `@kurrent/kurrentdb-client` 1.x, the maintained one. */
export type EventStoreDbClientName = 'kurrentdb' | 'eventstore-db';

export const CLIENT_PACKAGES = {
  kurrentdb: '@kurrent/kurrentdb-client',
  'eventstore-db': '@eventstore/db-client',
} as const satisfies Record<EventStoreDbClientName, string>;

/** The exported class of each package that has `static connectionString(string)`. */
const CLIENT_CLASSES = { kurrentdb: 'KurrentDBClient', 'eventstore-db': 'EventStoreDBClient' } as const satisfies Record<EventStoreDbClientName, string>;

/** Chosen in this order when the host does not say: KurrentDB's client first. */
const PREFERENCE: ReadonlyArray<EventStoreDbClientName> = ['kurrentdb', 'eventstore-db'];

/** Neither client (or not the one asked for) is installed beside the adapter. */
export class EventStoreDbClientNotInstalledError extends Error {
  readonly code = 'eventstoredb-client-not-installed';
  constructor(readonly packages: ReadonlyArray<string>) {
    super(
      `No EventStoreDB client is installed: install ${packages.join(' or ')} (an optional peer dependency of ` +
        '@message-center/eventstoredb), or build a client yourself and pass it to createEventStoreDbEventStore.',
    );
    this.name = 'EventStoreDbClientNotInstalledError';
  }
}

/**
 * The other client is already loaded in this process. Both register their protobuf classes in one global
 * namespace, and with both loaded appends never answer and subscriptions never report caught-up.
 */
export class EventStoreDbClientConflictError extends Error {
  readonly code = 'eventstoredb-client-conflict';
  constructor(
    readonly wanted: string,
    readonly loaded: string,
  ) {
    super(`${loaded} is already loaded in this process, so ${wanted} cannot be used beside it: use one EventStoreDB client per process.`);
    this.name = 'EventStoreDbClientConflictError';
  }
}

const require = createRequire(import.meta.url);

const isModuleNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'MODULE_NOT_FOUND';

/** Where Node would load the package from, without loading it; `undefined` if it is not installed. */
const packageDirectory = (name: EventStoreDbClientName): string | undefined => {
  try {
    return dirname(require.resolve(`${CLIENT_PACKAGES[name]}/package.json`)) + sep;
  } catch (error: unknown) {
    if (isModuleNotFound(error)) return undefined;
    throw error;
  }
};

/** What the choice depends on: which packages are installed, which are loaded (a seam for tests). */
export interface ClientEnvironment {
  readonly installed: (name: EventStoreDbClientName) => boolean;
  readonly loaded: (name: EventStoreDbClientName) => boolean;
}

/**
 * This process: installed = resolvable from the adapter; loaded = some module of the package is in
 * `require.cache` (Node's ESM loader records the CommonJS modules it imports there too).
 */
const thisProcess: ClientEnvironment = {
  installed: (name) => packageDirectory(name) !== undefined,
  loaded: (name) => {
    const directory = packageDirectory(name);
    return directory !== undefined && Object.keys(require.cache).some((path) => path.startsWith(directory));
  },
};

/**
 * The client to use: the one asked for, else the first installed in order of preference. Refuses one
 * whose rival is already loaded in this process.
 */
export const chooseClient = (wanted: EventStoreDbClientName | undefined, environment: ClientEnvironment = thisProcess): EventStoreDbClientName => {
  const candidates = wanted === undefined ? PREFERENCE : [wanted];
  const found = candidates.find(environment.installed);
  if (found === undefined) throw new EventStoreDbClientNotInstalledError(candidates.map((name) => CLIENT_PACKAGES[name]));
  const rival = PREFERENCE.find((name) => name !== found && environment.loaded(name));
  if (rival !== undefined) throw new EventStoreDbClientConflictError(CLIENT_PACKAGES[found], CLIENT_PACKAGES[rival]);
  return found;
};

/**
 * A connection string in the scheme the client parses: v6 knows only `esdb://` / `esdb+discover://`;
 * KurrentDB 1.x takes `kurrentdb://`, `kurrent://`, `kdb://` and warns that `esdb://` is deprecated
 * (`Client/parseConnectionString.js` in each). Either form works with either client here.
 */
export const connectionStringFor = (name: EventStoreDbClientName, connectionString: string): string => {
  const trimmed = connectionString.trim();
  return name === 'eventstore-db'
    ? trimmed.replace(/^(?:kurrentdb|kurrent|kdb)(\+discover)?:\/\//, 'esdb$1://')
    : trimmed.replace(/^esdb(\+discover)?:\/\//, 'kurrentdb$1://');
};

const property = (value: unknown, key: string): unknown =>
  (typeof value === 'object' && value !== null) || typeof value === 'function' ? Reflect.get(value, key) : undefined;

const isFunction = (value: unknown): value is (this: unknown, ...args: ReadonlyArray<unknown>) => unknown => typeof value === 'function';

const CLIENT_METHODS = ['appendToStream', 'readStream', 'readAll', 'subscribeToAll', 'tombstoneStream', 'dispose'] as const;

/**
 * A loaded client checked at run time for the methods the adapter calls. Their signatures cannot be
 * checked here; `test/client-types.test.ts` checks both real classes against the type at compile time.
 */
const isDisposableClient = (value: unknown): value is DisposableEventStoreDbClient =>
  CLIENT_METHODS.every((method) => typeof property(value, method) === 'function');

/**
 * Loads the chosen client package (only that one: it is `require`d here, at call time, never imported by
 * the adapter's modules) and builds a client from the connection string. Synchronous, like the clients'
 * own `connectionString()`: no I/O happens until the first call.
 */
export const loadClient = (name: EventStoreDbClientName, connectionString: string): DisposableEventStoreDbClient => {
  const loaded: unknown = require(CLIENT_PACKAGES[name]);
  const clientClass = property(loaded, CLIENT_CLASSES[name]);
  const connect = property(clientClass, 'connectionString');
  if (!isFunction(connect)) throw new TypeError(`${CLIENT_PACKAGES[name]} exports no ${CLIENT_CLASSES[name]}.connectionString`);
  const client = connect.call(clientClass, connectionStringFor(name, connectionString));
  if (!isDisposableClient(client)) throw new TypeError(`${CLIENT_CLASSES[name]} lacks a method the adapter needs (${CLIENT_METHODS.join(', ')})`);
  return client;
};
