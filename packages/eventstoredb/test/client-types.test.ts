import { readdirSync, readFileSync } from 'node:fs';
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ANY, BACKWARDS, END, FORWARDS, NO_STREAM, START, STREAM_EXISTS, STREAM_NAME, type DisposableEventStoreDbClient, type EventStoreDbClientLike } from '../src/client.js';
import { chooseClient, connectionStringFor, type ClientEnvironment, type EventStoreDbClientName } from '../src/client-loader.js';
import { connectEventStoreDb, EventStoreDbClientConflictError, EventStoreDbClientNotInstalledError } from '../src/index.js';
import { CLIENT_UNDER_TEST, loadedClients } from './support/client-under-test.js';
import { connectForTest } from './support/targets.js';

// The adapter's structural client type against both real clients (types only: nothing is loaded by
// these imports), and its own copies of the clients' constants against the client under test (only that
// one is loaded: the other may not share this process).

describe('both clients fit the adapter', () => {
  it('no module of the adapter imports a client package at run time (only `import type`)', () => {
    const sources = new URL('../src/', import.meta.url);
    // A static import or re-export that is not `import type` / `export type`, or a dynamic import.
    const runtimeImport = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+'(?:@eventstore\/db-client|@kurrent\/kurrentdb-client)[^']*'|\bimport\(\s*'@(?:eventstore|kurrent)\//g;
    const found = readdirSync(sources)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(new URL(file, sources), 'utf8').matchAll(runtimeImport)].map((match) => `${file}: ${match[0].trim()}`));
    expect(found).toEqual([]);
  });

  it('KurrentDBClient and EventStoreDBClient are EventStoreDbClientLike (checked by tsc)', () => {
    expectTypeOf<KurrentDBClient>().toExtend<EventStoreDbClientLike>();
    expectTypeOf<EventStoreDBClient>().toExtend<EventStoreDbClientLike>();
    expectTypeOf<KurrentDBClient>().toExtend<DisposableEventStoreDbClient>();
    expectTypeOf<EventStoreDBClient>().toExtend<DisposableEventStoreDbClient>();
  });

  it(`the adapter's constants and filter are the values ${CLIENT_UNDER_TEST}'s client compares with`, async () => {
    const client =
      CLIENT_UNDER_TEST === 'kurrentdb' ? (await import('@kurrent/kurrentdb-client')).default : (await import('@eventstore/db-client')).default;
    expect({ ANY, NO_STREAM, STREAM_EXISTS, START, END, FORWARDS, BACKWARDS, STREAM_NAME }).toEqual({
      ANY: client.ANY,
      NO_STREAM: client.NO_STREAM,
      STREAM_EXISTS: client.STREAM_EXISTS,
      START: client.START,
      END: client.END,
      FORWARDS: client.FORWARDS,
      BACKWARDS: client.BACKWARDS,
      STREAM_NAME: client.STREAM_NAME,
    });
    // What all-subscription.ts builds is what the client's own helper builds (strings, not symbols).
    expect({ ...client.streamNameFilter({ prefixes: ['mc-'] }) }).toEqual({ filterOn: STREAM_NAME, checkpointInterval: 1, checkpointReached: undefined, prefixes: ['mc-'] });
    expect(loadedClients()).toEqual([CLIENT_UNDER_TEST]);
  });
});

describe('choosing the client', () => {
  const environment = (installed: ReadonlyArray<EventStoreDbClientName>, loaded: ReadonlyArray<EventStoreDbClientName> = []): ClientEnvironment => ({
    installed: (name) => installed.includes(name),
    loaded: (name) => loaded.includes(name),
  });

  it('prefers KurrentDB’s client when both are installed, takes the one installed, or the one asked for', () => {
    expect(chooseClient(undefined, environment(['kurrentdb', 'eventstore-db']))).toBe('kurrentdb');
    expect(chooseClient(undefined, environment(['eventstore-db']))).toBe('eventstore-db');
    expect(chooseClient('eventstore-db', environment(['kurrentdb', 'eventstore-db']))).toBe('eventstore-db');
  });

  it('fails with a typed error when no client (or not the one asked for) is installed', () => {
    expect(() => chooseClient(undefined, environment([]))).toThrow(EventStoreDbClientNotInstalledError);
    const error = (() => {
      try {
        chooseClient('kurrentdb', environment(['eventstore-db']));
      } catch (thrown: unknown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EventStoreDbClientNotInstalledError);
    expect(error).toMatchObject({ code: 'eventstoredb-client-not-installed', packages: ['@kurrent/kurrentdb-client'] });
  });

  it('refuses a client whose rival is already loaded in the process (both loaded: appends never answer)', () => {
    expect(() => chooseClient('kurrentdb', environment(['kurrentdb', 'eventstore-db'], ['eventstore-db']))).toThrow(EventStoreDbClientConflictError);
    expect(() => chooseClient(undefined, environment(['kurrentdb', 'eventstore-db'], ['eventstore-db']))).toThrow(/use one EventStoreDB client per process/);
    expect(chooseClient('kurrentdb', environment(['kurrentdb', 'eventstore-db'], ['kurrentdb']))).toBe('kurrentdb');
  });

  it('in this process: connects with the client under test, and refuses the other one without loading it', async () => {
    const connection = connectForTest('esdb://127.0.0.1:1?tls=false');
    expect(connection.clientName).toBe(CLIENT_UNDER_TEST);
    await connection.close();
    const other = CLIENT_UNDER_TEST === 'kurrentdb' ? 'eventstore-db' : 'kurrentdb';
    expect(() => connectEventStoreDb('esdb://127.0.0.1:1?tls=false', { client: other })).toThrow(EventStoreDbClientConflictError);
    expect(loadedClients()).toEqual([CLIENT_UNDER_TEST]);
  });

  it('passes a connection string in the scheme the client parses', () => {
    expect(connectionStringFor('eventstore-db', 'kurrentdb://admin:changeit@db:2113?tls=false')).toBe('esdb://admin:changeit@db:2113?tls=false');
    expect(connectionStringFor('eventstore-db', 'kdb+discover://db:2113')).toBe('esdb+discover://db:2113');
    expect(connectionStringFor('eventstore-db', 'esdb://db:2113')).toBe('esdb://db:2113');
    expect(connectionStringFor('kurrentdb', 'esdb://db:2113?tls=false')).toBe('kurrentdb://db:2113?tls=false');
    expect(connectionStringFor('kurrentdb', 'esdb+discover://db:2113')).toBe('kurrentdb+discover://db:2113');
    expect(connectionStringFor('kurrentdb', 'kurrent://db:2113')).toBe('kurrent://db:2113');
  });
});
