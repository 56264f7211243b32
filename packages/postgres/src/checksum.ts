import { createHash } from 'node:crypto';

/**
 * A migration's fingerprint, recorded when it is applied: SHA-256 of its SQL. Line endings are normalised
 * first, so a checkout that turned LF into CRLF does not read as an edited migration.
 */
export const checksumOf = (sql: string): string => createHash('sha256').update(sql.replaceAll('\r\n', '\n'), 'utf8').digest('hex');
