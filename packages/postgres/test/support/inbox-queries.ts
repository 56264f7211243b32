// One inbox query of the tests, asked of both sides: core's facade and `inboxPageFromPg`, walked through
// each side's own cursors.
import type { Pool } from 'pg';
import type { BusinessId, InboxRow, InboxView, StaffId } from '@message-center/core';
import { inboxPageFromPg, type PgQueryOptions } from '../../src/index.js';
import { staffOf, type World } from './histories.js';
import { walk, type Walk } from './inbox-walk.js';

type Instant = InboxRow['lastActivityAt'];

/** Core's `InboxFilters` without explicit `undefined`s: what both core's facade and `inboxPageFromPg` take. */
export interface Filters {
  readonly lastActivityFrom?: Instant;
  readonly lastActivityTo?: Instant;
  readonly clientTypes?: ReadonlyArray<string>;
  readonly groups?: ReadonlyArray<string>;
  readonly homeLocations?: ReadonlyArray<string>;
}

export interface Asked {
  readonly businessId: BusinessId;
  readonly viewer: StaffId;
  readonly view: InboxView;
  readonly filters: Filters;
  /** R2; none: no search. */
  readonly search?: string;
  readonly limit: number;
}

const searchOf = (q: Asked) => (q.search === undefined ? {} : { search: q.search });

export const coreWalk = (world: World, q: Asked): Promise<Walk> =>
  walk((cursor) =>
    world.mc.inbox({ businessId: q.businessId, viewer: staffOf(q.businessId, q.viewer), view: q.view, filters: q.filters, ...searchOf(q), limit: q.limit, ...(cursor === undefined ? {} : { cursor }) })(),
  );

/** `searchWay`: R2's way to meet the search words (default: the package's choice). */
export const pgWalk = (pool: Pool, schema: string, q: Asked, searchWay?: PgQueryOptions['searchWay']): Promise<Walk> =>
  walk((cursor) =>
    inboxPageFromPg(pool, { businessId: q.businessId, viewer: staffOf(q.businessId, q.viewer), view: q.view, filters: q.filters, ...searchOf(q), limit: q.limit, cursor }, { schema, ...(searchWay === undefined ? {} : { searchWay }) })(),
  );
