// Issue 15: the read models on PostgreSQL, as the facade's `ReadModelStore`, pass the contract every
// implementation passes (the same one core's in-memory read models pass): fed live by the inbox and usage
// runners while a history is written, and attached after it (a replay into a fresh schema), every inbox page,
// badge and usage report equals core's; folders, hidden pins, phone formattings, badge = sum and tenancy hold.
import type { EventStore } from '@message-center/core';
import { describeReadModelStoreContract } from '@message-center/testing';
import { alertsPgProjection, inboxPgProjection, pgReadModelStore, startPgProjection, usagePgProjection } from '../src/index.js';
import { freshDatabase } from './support/fresh-database.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';

describeReadModelStoreContract('PostgreSQL', async () => {
  const db = await freshDatabase('read model store contract');
  return {
    attach: async (events: EventStore) => {
      // Each attachment is a schema of its own: a new, empty read-model store.
      const schema = await migratedSchema(db.pool, 'contract');
      const runners = [inboxPgProjection, alertsPgProjection, usagePgProjection].map((projection) => startPgProjection({ projection, ...TEST_TIMINGS, pool: db.pool, store: events, schema, pageSize: 64 }));
      return {
        store: pgReadModelStore(db.pool, { schema }),
        caughtUp: async () => {
          for (const runner of runners) await caughtUp(runner);
        },
        detach: async () => {
          await Promise.all(runners.map((runner) => runner.stop()));
          await db.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
        },
      };
    },
    dispose: () => db.drop(),
    // Each history walks ~200 inbox queries on three sides: fewer histories than the in-memory store's.
    numRuns: 8,
  };
});
