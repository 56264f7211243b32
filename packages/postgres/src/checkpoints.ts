import type { ClientBase } from 'pg';
import type { LogPosition } from '@message-center/core';
import { bigintColumnOf } from './rows.js';
import { qualified } from './schema-path.js';

// The projection's row in `message_center_checkpoints` (migration 1): the position of the last event its
// tables contain. No row: nothing applied yet. Positions travel as text, so every unsigned 64-bit value
// survives whatever type parsers the host installed for numeric.

export const CHECKPOINTS_TABLE = 'message_center_checkpoints';

/** The checkpoint a row holds; a row that holds no readable position is a corrupted table, not a fresh start. */
const positionOfRow = (row: unknown): LogPosition => {
  const commit = bigintColumnOf(row, 'commit_position');
  const prepare = bigintColumnOf(row, 'prepare_position');
  if (commit === null || prepare === null) throw new Error(`${CHECKPOINTS_TABLE} holds a position this code cannot read`);
  return { commit, prepare };
};

const table = (schema: string): string => qualified(schema, CHECKPOINTS_TABLE);

const select = (schema: string): string =>
  `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position FROM ${table(schema)} WHERE projection = $1`;

/** The projection's checkpoint as committed (null: none yet), read outside any transaction of the runner's. */
export const readCheckpoint = async (client: Pick<ClientBase, 'query'>, schema: string, projection: string): Promise<LogPosition | null> => {
  const { rows } = await client.query(select(schema), [projection]);
  return rows.length === 0 ? null : positionOfRow(rows[0]);
};

/**
 * Inside a transaction: locks the projection's checkpoint row until the transaction ends and returns it
 * (null: nothing applied yet). Without a row, one is inserted and so locked; its placeholder position is
 * overwritten by `writeCheckpoint` in the same transaction, so it is never committed. When another
 * transaction inserts the row at the same time, the insert waits for it and the row it committed is locked.
 */
export const lockCheckpoint = async (client: ClientBase, schema: string, projection: string): Promise<LogPosition | null> => {
  const locked = await client.query(`${select(schema)} FOR UPDATE`, [projection]);
  if (locked.rows.length > 0) return positionOfRow(locked.rows[0]);
  const inserted = await client.query(
    `INSERT INTO ${table(schema)} (projection, commit_position, prepare_position) VALUES ($1, 0, 0) ON CONFLICT (projection) DO NOTHING`,
    [projection],
  );
  if (inserted.rowCount === 1) return null;
  const again = await client.query(`${select(schema)} FOR UPDATE`, [projection]);
  if (again.rows.length === 0) throw new Error(`the ${CHECKPOINTS_TABLE} row of ${projection} vanished while it was being locked`);
  return positionOfRow(again.rows[0]);
};

/** Inside the transaction that locked the row: moves the checkpoint to the last event the transaction consumed. */
export const writeCheckpoint = async (client: ClientBase, schema: string, projection: string, position: LogPosition): Promise<void> => {
  await client.query(
    `UPDATE ${table(schema)} SET commit_position = $2::numeric, prepare_position = $3::numeric, updated_at = now() WHERE projection = $1`,
    [projection, position.commit.toString(), position.prepare.toString()],
  );
};
