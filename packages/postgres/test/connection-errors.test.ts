// A database that cannot be reached is a typed Left, never a throw, and no message carries the password.
import { fc } from '@fast-check/vitest';
import { closedPort } from './support/closed-port.js';
import { Pool } from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { migrate } from '../src/index.js';
import { left } from './support/migration-fixtures.js';

const withPool = async <T>(config: ConstructorParameters<typeof Pool>[0], use: (pool: Pool) => Promise<T>): Promise<T> => {
  const pool = new Pool(config);
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
};

// Secrets with a marker no message contains by chance, then anything (URL-encoded where they go in a URL).
const secretArb = fc.string({ minLength: 1, maxLength: 24 }).map((s) => `pw-${s}`);

describe('migrate against a database it cannot reach', () => {
  it('a wrong port: database-unavailable, the refusal named, the password in the URL nowhere in the message', async () => {
    const port = await closedPort();
    const error = await withPool({ connectionString: `postgresql://postgres:hunter2-secret@127.0.0.1:${port}/postgres` }, (pool) => left(migrate(pool)));
    expect(error).toMatchObject({ code: 'database-unavailable', sqlState: null });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('any password, in a URL or in the pool options: never in the error', async () => {
    const port = await closedPort();
    await fc.assert(
      fc.asyncProperty(secretArb, fc.boolean(), async (secret, inUrl) => {
        const config = inUrl
          ? { connectionString: `postgresql://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres` }
          : { host: '127.0.0.1', port, user: 'postgres', password: secret, database: 'postgres' };
        const error = await withPool(config, (pool) => left(migrate(pool)));
        expect(error.code).toBe('database-unavailable');
        expect(JSON.stringify(error)).not.toContain(secret);
        expect(JSON.stringify(error)).not.toContain(encodeURIComponent(secret));
      }),
      { numRuns: 25 },
    );
  });

  it('a database that does not exist: database-unavailable with its SQLSTATE (3D000), no password', async () => {
    const url = new URL(inject('databaseUrl'));
    url.password = 'hunter2-secret';
    url.pathname = '/no_such_database_here';
    const error = await withPool({ connectionString: url.toString() }, (pool) => left(migrate(pool)));
    expect(error).toMatchObject({ code: 'database-unavailable', sqlState: '3D000' });
    expect(error.message).toContain('no_such_database_here');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('an invalid schema is refused before any connection is tried', async () => {
    const port = await closedPort();
    const error = await withPool({ host: '127.0.0.1', port }, (pool) => left(migrate(pool, { schema: '' })));
    expect(error.code).toBe('invalid-schema');
  });
});
