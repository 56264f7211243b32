import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, Pool, type PoolConfig } from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

// Every test file works in databases of its own, created here on the run's server (global-cluster.ts) and
// dropped afterwards, so files running in parallel never see each other's tables.

export interface FreshDatabase {
  readonly name: string;
  /** Its URL, with the server's credentials. */
  readonly url: string;
  readonly pool: Pool;
  /** Another pool on the same database (to the server, another process); `drop` ends it too. */
  readonly newPool: (config?: PoolConfig) => Pool;
  /** Ends every pool and drops the database, even with sessions still open. */
  readonly drop: () => Promise<void>;
}

/** A valid, unique database name that still says which test made it. */
const databaseName = (label: string): string =>
  `mc_test_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(6).toString('hex')}`;

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
};

const onServer = async (url: string, sql: string): Promise<void> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** CREATEs a uniquely named database on the run's server and opens a pool on it. */
export const freshDatabase = async (label: string): Promise<FreshDatabase> => {
  const serverUrl = inject('databaseUrl');
  const name = databaseName(label);
  await onServer(serverUrl, `CREATE DATABASE ${escapeIdentifier(name)}`);
  const url = withDatabase(serverUrl, name);
  const pools: Pool[] = [];
  const newPool = (config: PoolConfig = {}): Pool => {
    const pool = new Pool({ connectionString: url, ...config });
    // `pool.end()` resolves before its connections have closed, so the DROP … WITH (FORCE) below can end one
    // that is still closing; the pool then emits 'error', which unheard would be an uncaught exception. A
    // test sees every failure that matters through its own queries.
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  return {
    name,
    url,
    pool: newPool(),
    newPool,
    drop: async () => {
      await Promise.all(pools.map((pool) => (pool.ended ? Promise.resolve() : pool.end())));
      // FORCE (PostgreSQL 13+) ends sessions a failed test left open.
      await onServer(serverUrl, `DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    },
  };
};

/** A fresh database for the enclosing describe (or file): created before its tests, dropped after them. */
export const useFreshDatabase = (label: string): (() => FreshDatabase) => {
  let database: FreshDatabase | undefined;
  beforeAll(async () => {
    database = await freshDatabase(label);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (database === undefined) throw new Error(`the fresh database '${label}' was not created (did beforeAll fail?)`);
    return database;
  };
};
