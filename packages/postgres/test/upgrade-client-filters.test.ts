// Migration 11 on a database that already holds inbox rows: the filter values it fills from the cards' columns
// are the rows the projection writes with each card, each value's kept count of clients is the number of its
// rows, and a search that starts from a filter's clients answers as core does, before and after the runner goes
// on.
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { INBOX_VIEWS } from '@message-center/core';
import { v011InboxClientFilters } from '../src/schema/v011-inbox-client-filters.js';
import { qualified } from '../src/schema-path.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, STAFF, inboxHistoryArb, type World } from './support/histories.js';
import { coreWalk, pgWalk, type Filters } from './support/inbox-queries.js';
import { foldInbox } from './support/runner-fixtures.js';
import { upgradeMidway } from './support/upgrade-midway.js';

const filterRows = async (pool: Pool, schema: string): Promise<ReadonlyArray<string>> =>
  (
    await pool.query<{ row: string }>(
      `SELECT concat_ws(' ', business_id, kind, value, client_id) AS row FROM ${qualified(schema, 'message_center_inbox_client_filters')} ORDER BY 1`,
    )
  ).rows.map((r) => r.row);

/** Each value's kept count of clients (zeros left out), and the same counted from the rows: they must agree. */
const counts = async (pool: Pool, schema: string): Promise<{ readonly kept: ReadonlyArray<string>; readonly counted: ReadonlyArray<string> }> => {
  const rows = async (sql: string): Promise<ReadonlyArray<string>> => (await pool.query<{ row: string }>(sql)).rows.map((r) => r.row);
  return {
    kept: await rows(`SELECT concat_ws(' ', business_id, kind, value, clients) AS row FROM ${qualified(schema, 'message_center_inbox_filter_counts')} WHERE clients > 0 ORDER BY 1`),
    counted: await rows(
      `SELECT concat_ws(' ', business_id, kind, value, count(*)) AS row FROM ${qualified(schema, 'message_center_inbox_client_filters')} GROUP BY business_id, kind, value ORDER BY 1`,
    ),
  };
};

const expectCountsKept = async (pool: Pool, schema: string, what: string): Promise<void> => {
  const { kept, counted } = await counts(pool, schema);
  expect(kept, `${what}: the kept counts`).toEqual(counted);
};

/** Lists that pick some of the generated clients (histories.ts's profiles), and one that picks none. */
const FILTERS: ReadonlyArray<Filters> = [{ clientTypes: ['member'] }, { groups: ['vip', 'pilates'] }, { homeLocations: ['Uptown'] }, { groups: ['nobody'] }];
/** Words of the generated bodies ("Hi", "Merci beaucoup, à bientôt", "See you at 10", …) and of the clients' ids. */
const SEARCHES: ReadonlyArray<string> = ['hi', 'merci a', 'see', 'c'];

const compare = async (pool: Pool, world: World, schema: string, what: string): Promise<number> => {
  let rows = 0;
  for (const businessId of BUSINESSES)
    for (const viewer of STAFF.slice(0, 2))
      for (const view of INBOX_VIEWS)
        for (const filters of FILTERS)
          for (const search of SEARCHES) {
            const q = { businessId, viewer, view, filters, search, limit: 2 };
            const fromCore = await coreWalk(world, q);
            expect(await pgWalk(pool, schema, q, 'filter'), `${what}: ${businessId} ${viewer} ${view} ${JSON.stringify(filters)} ${search}`).toEqual(fromCore);
            rows += typeof fromCore === 'string' ? 0 : fromCore.reduce((n, page) => n + page.rows.length, 0);
          }
  return rows;
};

describe('migration 11 on rows written before it', () => {
  const db = useFreshDatabase('client filters fill');

  it("R3 R2 the filter values filled from the cards equal the projection's, their counts equal their rows, and searches from a filter's clients equal core, after the upgrade and after the runner goes on", async () => {
    let found = 0;
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), fc.nat({ max: 100 }), async (steps, cutAt) => {
        const pool = db().pool;
        await upgradeMidway({
          pool,
          steps,
          cutAt,
          migration: v011InboxClientFilters,
          label: 'filters',
          fold: (world, schema) => foldInbox(pool, world.store, schema, 3),
          upgraded: async ({ world, fresh, upgraded }) => {
            expect(await filterRows(pool, upgraded), 'filled').toEqual(await filterRows(pool, fresh));
            await expectCountsKept(pool, upgraded, 'filled');
            await expectCountsKept(pool, fresh, 'folded');
            found += await compare(pool, world, upgraded, 'upgraded');
          },
          foldedOn: async ({ world, fresh, upgraded }) => {
            expect(await filterRows(pool, upgraded), 'folded on').toEqual(await filterRows(pool, fresh));
            await expectCountsKept(pool, upgraded, 'upgraded, then folded on');
            await expectCountsKept(pool, fresh, 'folded on');
            found += await compare(pool, world, upgraded, 'upgraded, then folded on');
          },
        });
      }),
      { numRuns: 6 },
    );
    // Searches under filters that found nothing would prove little.
    expect(found).toBeGreaterThan(0);
  }, 300_000);
});
