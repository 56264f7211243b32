import type { Pool } from 'pg';
import { secretsOf } from './redact.js';

/** The passwords a pool may use, to keep out of messages: its options', and PGPASSWORD, which the driver reads when they name none. */
export const poolSecrets = (pool: Pool): ReadonlyArray<string> => [...secretsOf(pool.options), ...secretsOf({ password: process.env['PGPASSWORD'] })];
