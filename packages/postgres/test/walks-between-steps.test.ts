// Folder views walked by the viewer's marks (migration 10) and the badge from running
// totals (migration 9), asked page by page while the log moves between pages (B3 switched, reads, pins,
// mutes), each side continuing with its own cursor and with the other side's; the badge after every step.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { INBOX_VIEWS, type InboxPage } from '@message-center/core';
import { inboxPageFromPg, inboxPgProjection, startPgProjection, unreadBadgeFromPg, type PgProjectionRunner } from '../src/index.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, STAFF, coreBadge, headOf, inboxHistoryArb, newWorld, staffOf, type HistoryStep, type World } from './support/histories.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';

type Answer = InboxPage | string;
const answerOf = (e: E.Either<{ readonly code: string }, InboxPage>): Answer => (E.isRight(e) ? e.right : e.left.code);

const betweenPages: fc.Arbitrary<ReadonlyArray<HistoryStep>> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('mode' as const), business: fc.constant(0), individual: fc.boolean() }),
    fc.record({ kind: fc.constantFrom('read' as const, 'unread' as const), business: fc.constant(0), staff: fc.nat({ max: 1 }), conversation: fc.nat({ max: 3 }) }),
    fc.record({ kind: fc.constant('flag' as const), business: fc.constant(0), action: fc.constantFrom('pin' as const, 'unpin' as const, 'mute' as const, 'unmute' as const, 'archive' as const), conversation: fc.nat({ max: 3 }) }),
    fc.record({ kind: fc.constant('inbound' as const), business: fc.constant(0), phone: fc.nat({ max: 3 }), body: fc.nat({ max: 6 }), tie: fc.boolean() }),
  ),
  { minLength: 1, maxLength: 4 },
);

describe('review: pages and badges while the log moves between pages', () => {
  const db = useFreshDatabase('review walks switches');

  it('V4–V9 R4 every view, each side continuing with its own and the other side\'s cursor after B3 switches, reads, pins; the badge after each step', async () => {
    const [B1] = BUSINESSES;
    if (B1 === undefined) throw new Error('fixtures missing');
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), betweenPages, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), async (history, moves, limit, pageSize) => {
        const pool: Pool = db().pool;
        const world: World = newWorld();
        const schema = await migratedSchema(pool, 'walk switch');
        const runner: PgProjectionRunner = startPgProjection({ projection: inboxPgProjection, ...TEST_TIMINGS, pool, store: world.store, schema, pageSize });
        try {
          await world.play(history);
          expect(await caughtUp(runner)).toEqual(await headOf(world.store));
          for (const staffId of STAFF) {
            const viewer = staffOf(B1, staffId);
            const pgBadge = await unreadBadgeFromPg(pool, { businessId: B1, viewer }, { schema })();
            expect(E.isRight(pgBadge) ? pgBadge.right : pgBadge.left.code, `badge of ${staffId}`).toEqual(await coreBadge(world, B1, staffId));
          }
          // First pages, then the log moves, then the second pages with each cursor on each side.
          const first = new Map<string, { readonly core: Answer; readonly pg: Answer }>();
          for (const staffId of STAFF)
            for (const view of INBOX_VIEWS) {
              const viewer = staffOf(B1, staffId);
              const core = answerOf(await world.mc.inbox({ businessId: B1, viewer, view, limit })());
              const pg = answerOf(await inboxPageFromPg(pool, { businessId: B1, viewer, view, limit }, { schema })());
              expect(pg, `first page ${staffId} ${view}`).toEqual(core);
              first.set(`${staffId} ${view}`, { core, pg });
            }
          for (const move of moves) {
            await world.play([move]);
            expect(await caughtUp(runner)).toEqual(await headOf(world.store));
            for (const staffId of STAFF) {
              const viewer = staffOf(B1, staffId);
              const pgBadge = await unreadBadgeFromPg(pool, { businessId: B1, viewer }, { schema })();
              expect(E.isRight(pgBadge) ? pgBadge.right : pgBadge.left.code, `badge of ${staffId} after ${JSON.stringify(move)}`).toEqual(await coreBadge(world, B1, staffId));
            }
          }
          for (const staffId of STAFF)
            for (const view of INBOX_VIEWS) {
              const viewer = staffOf(B1, staffId);
              const before = first.get(`${staffId} ${view}`);
              if (before === undefined || typeof before.core === 'string' || before.core.nextCursor === null) continue;
              const cursor = before.core.nextCursor;
              const core = answerOf(await world.mc.inbox({ businessId: B1, viewer, view, limit, cursor })());
              const pg = answerOf(await inboxPageFromPg(pool, { businessId: B1, viewer, view, limit, cursor }, { schema })());
              expect(pg, `second page ${staffId} ${view} after ${JSON.stringify(moves)}`).toEqual(core);
            }
        } finally {
          await runner.stop();
        }
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
