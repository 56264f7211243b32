// Searches asked of a schema through several ways, each page by page equal to core's: what the upgrade tests
// compare after a migration has filled the tables a search reads.
import type { Pool } from 'pg';
import { expect } from 'vitest';
import { INBOX_VIEWS, type StaffId } from '@message-center/core';
import type { PgQueryOptions } from '../../src/index.js';
import { BUSINESSES, type World } from './histories.js';
import { coreWalk, pgWalk } from './inbox-queries.js';

export interface SearchComparison {
  readonly viewers: ReadonlyArray<StaffId>;
  readonly searches: ReadonlyArray<string>;
  /** The ways asked besides the package's own choice (`searchWay`). */
  readonly ways: ReadonlyArray<NonNullable<PgQueryOptions['searchWay']>>;
}

/** Every business × viewer × view × search, two rows a page, through the package's choice and each of `ways`: each equal to core's. The rows core found. */
export const compareSearches = async (pool: Pool, world: World, schema: string, what: string, { viewers, searches, ways }: SearchComparison): Promise<number> => {
  let rows = 0;
  for (const businessId of BUSINESSES)
    for (const viewer of viewers)
      for (const view of INBOX_VIEWS)
        for (const search of searches) {
          const q = { businessId, viewer, view, filters: {}, search, limit: 2 };
          const fromCore = await coreWalk(world, q);
          const asked = `${businessId} ${viewer} ${view} ${search}`;
          expect(await pgWalk(pool, schema, q), `${what}: by counts, ${asked}`).toEqual(fromCore);
          for (const way of ways) expect(await pgWalk(pool, schema, q, way), `${what}: ${way}, ${asked}`).toEqual(fromCore);
          rows += typeof fromCore === 'string' ? 0 : fromCore.reduce((n, page) => n + page.rows.length, 0);
        }
  return rows;
};
