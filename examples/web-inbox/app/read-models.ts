/**
 * Where the inbox's queries are answered: core's in-memory read models (the default), or PostgreSQL when
 * DATABASE_URL is set (issue 15): every instance of the web inbox then shares the read models, each runs
 * the projection runners (one writes, the others wait for the lock), and none folds the log itself.
 */
import * as E from 'fp-ts/lib/Either.js';
import { compareLogPositions, type EventStore, type LogPosition, type ReadModelStore } from '@message-center/core';

export interface HostReadModels {
  /** undefined: the facade's in-memory default. */
  readonly readModelStore: ReadModelStore | undefined;
  /**
   * Resolves once the queries answer as of `position`, whichever instance's runner applied it (at once in
   * memory: it catches up before answering); gives up after a few seconds rather than hold a page back.
   */
  readonly reached: (position: LogPosition) => Promise<void>;
  /** One line for the output: where the read models are (no password). */
  readonly describe: string;
  readonly close: () => Promise<void>;
}

export const IN_MEMORY_READ_MODELS: HostReadModels = { readModelStore: undefined, reached: async () => undefined, describe: 'in memory', close: async () => undefined };

/** How long a live update waits for the database to apply an event before it tells the pages anyway. */
const REACH_TIMEOUT_MS = 5_000;


export const postgresReadModels = async (options: {
  readonly databaseUrl: string;
  readonly schema?: string;
  readonly store: EventStore;
  readonly log: (line: string) => void;
}): Promise<HostReadModels> => {
  // Loaded only when asked for: the in-memory path never loads the driver.
  const [{ Pool }, pg] = await Promise.all([import('pg'), import('@message-center/postgres')]);
  // No JIT: a search's misestimated plan would compile for longer than it runs (packages/postgres/README.md).
  const pool = new Pool({ connectionString: options.databaseUrl, options: '-c jit=off' });
  pool.on('error', (error) => options.log(`PostgreSQL connection error: ${error.message}`));
  const schema = options.schema ?? pg.DEFAULT_SCHEMA;
  const migrated = await pg.migrate(pool, { schema })();
  if (E.isLeft(migrated)) {
    await pool.end();
    throw new Error(`cannot migrate the read models: ${migrated.left.code}: ${migrated.left.message}`);
  }
  const runners = [pg.inboxPgProjection, pg.alertsPgProjection, pg.usagePgProjection].map((projection) =>
    pg.startPgProjection({ projection, pool, store: options.store, schema, idleMs: 200, onError: (error) => options.log(`read models (${projection.name}): ${error.code}: ${error.message}`) }),
  );
  const reached = async (position: LogPosition): Promise<void> => {
    const deadline = Date.now() + REACH_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const at = await pg.appliedPosition(pool, { schema })();
      if (E.isRight(at) && at.right !== null && compareLogPositions(at.right, position) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const where = new URL(options.databaseUrl);
  return {
    readModelStore: pg.pgReadModelStore(pool, { schema }),
    reached,
    describe: `PostgreSQL at ${where.host}${where.pathname} (schema ${schema})`,
    close: async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
      await pool.end();
    },
  };
};
