import { escapeIdentifier } from 'pg';
import { DEFAULT_SCHEMA } from './migrations.js';

// The read models' tables live in the schema `migrate` put them in (default public). Projections and queries
// name them unqualified; the runner sets the search path per transaction, queries qualify the names.

/** PostgreSQL truncates identifiers beyond 63 bytes; a silently shortened schema would name another one. */
const MAX_IDENTIFIER_BYTES = 63;

/** Why a schema name cannot be used, or null when it can (the rule `migrate` applies). */
export const schemaNameProblem = (schema: string): string | null => {
  if (schema === '') return 'is empty';
  if (schema.includes('\0')) return 'contains a NUL character';
  if (Buffer.byteLength(schema, 'utf8') > MAX_IDENTIFIER_BYTES) return `is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
  return null;
};

/** The search path the package's SQL runs with: the schema first, then public, where the extensions live. */
export const searchPathOf = (schema: string): string => [...new Set([schema, DEFAULT_SCHEMA])].map(escapeIdentifier).join(', ');

/** `schema.table`, both quoted. */
export const qualified = (schema: string, table: string): string => `${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
