// Issue 15 item 4: a read model rebuilt into a new schema while the old one serves. Queries keep answering
// through the rebuild (no failure, no gap), events written during it reach the new schema, and after the
// switch the new schema answers exactly as the old one and as core; the old schema is then dropped.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createMessageCenter, type MessageCenter } from '@message-center/core';
import { alertsPgProjection, inboxPgProjection, pgReadModelStore, rebuildReadModels, startPgProjection, switchableReadModelStore, usagePgProjection } from '../src/index.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, NEVER_ENABLED, STAFF, inboxHistoryArb, newWorld, staffOf } from './support/histories.js';
import { walk, type Walk } from './support/inbox-walk.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';

const everything = async (mc: MessageCenter, periods: ReadonlyArray<string>): Promise<ReadonlyArray<Walk | number | string | object>> => {
  const answers: Array<Walk | number | string | object> = [];
  for (const businessId of [...BUSINESSES, NEVER_ENABLED]) {
    for (const staffId of STAFF) {
      for (const view of ['all', 'unread', 'archived'] as const)
        answers.push(await walk((cursor) => mc.inbox({ businessId, viewer: staffOf(businessId, staffId), view, limit: 3, ...(cursor === undefined ? {} : { cursor }) })()));
      const badge = await mc.unreadBadge({ businessId, viewer: staffOf(businessId, staffId) })();
      answers.push(E.isRight(badge) ? badge.right : badge.left.code);
      const alerts = await mc.alerts({ businessId, viewer: staffOf(businessId, staffId), limit: 500 })();
      answers.push(E.isRight(alerts) ? alerts.right : alerts.left.code);
    }
    for (const period of periods) {
      const usage = await mc.usage({ businessId, viewer: { kind: 'host', businessId }, period })();
      answers.push(E.isRight(usage) ? usage.right : usage.left.code);
    }
  }
  return answers;
};

describe('rebuilding the read models into a new schema while the old one serves', () => {
  const db = useFreshDatabase('rebuild');

  it('R1 R4 R6 R7 queries answer throughout; events written during the rebuild reach the new schema; after the switch it answers as the old one and as core', async () => {
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), inboxHistoryArb(20), async (before, during) => {
        const pool = db().pool;
        const world = newWorld();
        await world.play(before);
        const blue = await migratedSchema(pool, 'blue');
        const blueRunners = [inboxPgProjection, alertsPgProjection, usagePgProjection].map((projection) => startPgProjection({ projection, ...TEST_TIMINGS, pool, store: world.store, schema: blue }));
        for (const runner of blueRunners) await caughtUp(runner);
        const switchable = switchableReadModelStore(pgReadModelStore(pool, { schema: blue }));
        const mc = createMessageCenter({ store: world.store, readModelStore: switchable.store });

        const firstStaff = STAFF[0];
        if (firstStaff === undefined) throw new Error('the histories name staff');
        // A reader that keeps asking while the rebuild runs: every answer is an answer, never a failure.
        let reading = true;
        const failures: string[] = [];
        let reads = 0;
        const reader = (async () => {
          while (reading) {
            for (const businessId of BUSINESSES) {
              const page = await mc.inbox({ businessId, viewer: staffOf(businessId, firstStaff) })();
              reads += 1;
              if (E.isLeft(page) && page.left.code !== 'message-center-not-enabled') failures.push(`${page.left.code}: ${page.left.message}`);
            }
          }
        })();
        const green = `${blue}_green`;
        const [rebuilt] = await Promise.all([rebuildReadModels({ pool, store: world.store, schema: green, ...TEST_TIMINGS, pageSize: 16 })(), world.play(during)]);
        if (E.isLeft(rebuilt)) throw new Error(`the rebuild failed: ${rebuilt.left.code}: ${rebuilt.left.message}`);
        for (const runner of [...blueRunners, ...rebuilt.right.runners]) await caughtUp(runner);
        const expected = await everything(world.mc, world.periods());
        expect(await everything(mc, world.periods()), 'the old schema, before the switch').toEqual(expected);
        switchable.switchTo(pgReadModelStore(pool, { schema: green }));
        expect(await everything(mc, world.periods()), 'the new schema, after the switch').toEqual(expected);
        reading = false;
        await reader;
        expect(failures).toEqual([]);
        expect(reads).toBeGreaterThan(0);
        // The old schema goes; the host keeps answering from the new one, which keeps following the store.
        await Promise.all(blueRunners.map((runner) => runner.stop()));
        await pool.query(`DROP SCHEMA "${blue}" CASCADE`);
        await world.play(during.slice(0, 5));
        for (const runner of rebuilt.right.runners) await caughtUp(runner);
        expect(await everything(mc, world.periods()), 'the new schema, alone').toEqual(await everything(world.mc, world.periods()));
        await Promise.all(rebuilt.right.runners.map((runner) => runner.stop()));
        await pool.query(`DROP SCHEMA "${green}" CASCADE`);
      }),
      { numRuns: 6 },
    );
  }, 300_000);
});
