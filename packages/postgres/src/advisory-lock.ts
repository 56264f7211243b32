import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { columnOf } from './rows.js';

// One writer per projection: the runner that holds this session-level advisory lock on its connection is the
// only one that writes, and it writes on that same connection. The lock belongs to the session, so it goes
// away with the connection when the holder's process dies (or its backend is terminated), and a waiting
// runner's next try gets it.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The lock of a projection in a schema (advisory locks are per database; two schemas are two read models). */
export const projectionLockKey = (schema: string, projection: string): bigint =>
  createHash('sha256').update(`message_center_projection\u0000${schema}\u0000${projection}`, 'utf8').digest().readBigInt64BE(0);

/** Whether a key is one PostgreSQL's bigint advisory locks take. */
export const isLockKey = (key: bigint): boolean => key >= INT64_MIN && key <= INT64_MAX;

/** Takes the lock if it is free; never waits. */
export const tryAdvisoryLock = async (client: ClientBase, key: bigint): Promise<boolean> => {
  const { rows } = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
  return columnOf(rows[0], 'locked') === true;
};

/** Releases the lock this session holds; false if it held none. */
export const advisoryUnlock = async (client: ClientBase, key: bigint): Promise<boolean> => {
  const { rows } = await client.query('SELECT pg_advisory_unlock($1::bigint) AS unlocked', [key.toString()]);
  return columnOf(rows[0], 'unlocked') === true;
};
