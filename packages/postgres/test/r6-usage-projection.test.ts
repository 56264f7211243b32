// R6 usage kept in PostgreSQL by the projection runner answers what core's in-memory usage read model answers,
// for histories written by the real Message Center, whether the runner folds them afterwards or live.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { usageFromPg } from '../src/index.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, NEVER_ENABLED, coreUsage, headOf, historyArb, newWorld, usageAnswer, type HistoryStep } from './support/histories.js';
import { caughtUp, checkpointIn, migratedSchema, startUsageRunner } from './support/runner-fixtures.js';

/**
 * One history that surely reaches every count the property checks: b1 on a plan of one message with overage
 * allowed, and in each of 22 billing periods (31 days apart) a message in and two sends against that plan
 * of one: more periods with messages than the check below asks of all the runs together.
 */
const EVERY_COUNT: ReadonlyArray<HistoryStep> = [
  { kind: 'enable', business: 0, limit: 1, overage: 'allow' },
  { kind: 'client', business: 0, client: 0, phone: 0 },
  { kind: 'client', business: 0, client: 1, phone: 1 },
  ...Array.from({ length: 22 }, (): ReadonlyArray<HistoryStep> => [
    { kind: 'inbound', business: 0, phone: 0, body: 0 },
    { kind: 'send', business: 0, client: 0, body: 0 },
    { kind: 'send', business: 0, client: 1, body: 6 },
    { kind: 'later', hours: 31 * 24 },
  ]).flat(),
];

describe('R6 usage on PostgreSQL', () => {
  const db = useFreshDatabase('r6 usage');

  it('R6 B4 every period of every business answers as core\'s usage read model: counts, segments, overage, limit of the plan in force', async () => {
    // What the generated histories reached, so that a generator gone trivial fails instead of passing.
    const seen = { inbound: 0, outbound: 0, overage: 0, beyondLimit: 0, periodsWithMessages: 0, refusedNotEnabled: 0 };
    await fc.assert(
      fc.asyncProperty(historyArb(), fc.integer({ min: 1, max: 8 }), fc.boolean(), async (steps, pageSize, live) => {
        const pool = db().pool;
        const world = newWorld();
        const schema = await migratedSchema(pool, 'r6');
        // Live: the runner follows the history as it is written (the doorbell and polls); else it folds it afterwards.
        if (!live) await world.play(steps);
        const runner = startUsageRunner({ pool, store: world.store, schema, pageSize });
        try {
          if (live) await world.play(steps);
          expect(await caughtUp(runner)).toEqual(await headOf(world.store));
        } finally {
          await runner.stop();
        }
        expect(await checkpointIn(pool, schema)).toEqual(await headOf(world.store));
        for (const businessId of [...BUSINESSES, NEVER_ENABLED]) {
          for (const period of world.periods()) {
            const fromPg = usageAnswer(await usageFromPg(pool, businessId, period, { schema })());
            expect(fromPg, `${businessId} ${period}`).toEqual(await coreUsage(world, businessId, period));
            if (typeof fromPg === 'string') seen.refusedNotEnabled += fromPg === 'message-center-not-enabled' ? 1 : 0;
            else {
              seen.inbound += fromPg.inbound;
              seen.outbound += fromPg.outbound;
              seen.overage += fromPg.overageMessages;
              seen.beyondLimit += fromPg.beyondLimit > 0 ? 1 : 0;
              seen.periodsWithMessages += fromPg.used > 0 ? 1 : 0;
            }
          }
        }
      }),
      // One history that surely reaches every count (22 periods with messages, overage, beyond the plan), so
      // that the checks hold on every run (the example counts as one of the runs).
      { numRuns: 21, examples: [[EVERY_COUNT, 3, false]] },
    );
    expect(Object.entries(seen).filter(([, n]) => n === 0).map(([what]) => what)).toEqual([]);
    expect(seen.periodsWithMessages).toBeGreaterThan(20);
  }, 120_000);

  it('R6 a malformed period is invalid-input, as in core; an unreachable table is a database error, not a throw', async () => {
    const pool = db().pool;
    const schema = await migratedSchema(pool, 'r6 refusals');
    const [b1] = BUSINESSES;
    if (b1 === undefined) throw new Error('no business');
    expect(await usageFromPg(pool, b1, '2026-13', { schema })()).toMatchObject({ left: { code: 'invalid-input' } });
    expect(await usageFromPg(pool, b1, '2026-01', { schema })()).toMatchObject({ left: { code: 'message-center-not-enabled' } });
    const missing = await usageFromPg(pool, b1, '2026-01', { schema: 'no_such_schema' })();
    expect(E.isLeft(missing) ? missing.left.code : 'right').toBe('database-error');
  });
});
