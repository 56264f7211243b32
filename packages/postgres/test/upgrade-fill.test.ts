// Migrations 9 and 10 on a database that already holds inbox rows (written before 9):
// the folder views (which now walk the marks' segment and last activity, filled by migration 10) and the badge
// (from migration 9's totals) answer as core does, before and after the runner goes on.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { INBOX_VIEWS } from '@message-center/core';
import { inboxPgProjection, startPgProjection, unreadBadgeFromPg } from '../src/index.js';
import { v009InboxBadgeTotals } from '../src/schema/v009-inbox-badge-totals.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, STAFF, coreBadge, headOf, inboxHistoryArb, type World } from './support/histories.js';
import { coreWalk, pgWalk } from './support/inbox-queries.js';
import { TEST_TIMINGS, caughtUp } from './support/runner-fixtures.js';
import { upgradeMidway } from './support/upgrade-midway.js';

const fold = async (pool: Pool, world: World, schema: string): Promise<void> => {
  const runner = startPgProjection({ projection: inboxPgProjection, ...TEST_TIMINGS, pool, store: world.store, schema, pageSize: 3 });
  try {
    expect(await caughtUp(runner)).toEqual(await headOf(world.store));
  } finally {
    await runner.stop();
  }
};

const compare = async (pool: Pool, world: World, schema: string, what: string): Promise<void> => {
  for (const businessId of BUSINESSES)
    for (const staffId of STAFF) {
      const badge = await unreadBadgeFromPg(pool, { businessId, viewer: { kind: 'staff', businessId, staffId, permissions: ['send-email-sms'] } }, { schema })();
      expect(E.isRight(badge) ? badge.right : badge.left.code, `${what}: badge ${businessId} ${staffId}`).toEqual(await coreBadge(world, businessId, staffId));
      for (const view of INBOX_VIEWS) {
        const q = { businessId, viewer: staffId, view, filters: {}, limit: 2 };
        expect(await pgWalk(pool, schema, q), `${what}: ${businessId} ${staffId} ${view}`).toEqual(await coreWalk(world, q));
      }
    }
};

describe('review: migrations 9 and 10 on rows written before them', () => {
  const db = useFreshDatabase('review migration fill');

  it('R1 R4 V4–V9 folder views and badges after upgrading a folded database equal core, and after the runner goes on', async () => {
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), fc.nat({ max: 100 }), async (steps, cutAt) => {
        const pool = db().pool;
        await upgradeMidway({
          pool,
          steps,
          cutAt,
          migration: v009InboxBadgeTotals,
          label: 'fill',
          fold: (world, schema) => fold(pool, world, schema),
          upgraded: ({ world, upgraded }) => compare(pool, world, upgraded, 'upgraded'),
          foldedOn: ({ world, upgraded }) => compare(pool, world, upgraded, 'upgraded, then folded on'),
        });
      }),
      { numRuns: 8 },
    );
  }, 300_000);
});
