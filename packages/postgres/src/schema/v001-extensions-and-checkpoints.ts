import type { Migration } from './migration.js';

/** Migration 1: the search extensions the read models will need, and the projections' checkpoints. */
export const v001ExtensionsAndCheckpoints: Migration = {
  version: 1,
  name: 'extensions and checkpoints',
  sql: `
-- unaccent and pg_trgm: accent-insensitive, typo-tolerant search over the read models. Extensions belong to
-- the database, not to a schema: they go to public, which every schema's migrations have on the search path.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

-- How far each projection has read the log, written by the projection runner in the transaction that writes
-- the projection's rows. Log positions are unsigned 64-bit (EventStoreDB's commit and prepare positions):
-- numeric(20, 0) holds every one of them, bigint only the lower half.
CREATE TABLE message_center_checkpoints (
  projection text PRIMARY KEY,
  commit_position numeric(20, 0) NOT NULL CHECK (commit_position >= 0),
  prepare_position numeric(20, 0) NOT NULL CHECK (prepare_position >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
