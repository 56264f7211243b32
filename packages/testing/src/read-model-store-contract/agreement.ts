/**
 * The same queries, the same answers: a read-model store fed while a history is written, and one attached
 * after it (a replay), answer every inbox page, badge and usage report as core's in-memory read models.
 */
import { fc } from '@fast-check/vitest';
import { createMessageCenter, type MessageCenter } from '@message-center/core';
import { expect, it } from 'vitest';
import { inboxHistoryArb, newWorld } from './histories.js';
import { EVERY_BUSINESS, EVERY_STAFF, SHAPES } from './queries.js';
import { alertsOf, badgeOf, inboxWalk, usageOf } from './sides.js';
import { CONTRACT_TIMEOUT_MS, type ReadModelStoreContractTarget } from './support.js';

export const describeAgreement = (target: () => ReadModelStoreContractTarget): void => {
  it('R1–R4, R6, R7: every inbox page, badge, alert page and usage report equals core’s, for a store fed live and one that replayed the log', async () => {
    const t = target();
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(50), async (steps) => {
        const world = newWorld();
        const live = await t.attach(world.store);
        try {
          await world.play(steps);
          const replayed = await t.attach(world.store);
          try {
            await Promise.all([live.caughtUp(), replayed.caughtUp()]);
            const sides: ReadonlyArray<readonly [string, MessageCenter]> = [
              ['live', createMessageCenter({ store: world.store, readModelStore: live.store })],
              ['replayed', createMessageCenter({ store: world.store, readModelStore: replayed.store })],
            ];
            for (const businessId of EVERY_BUSINESS) {
              for (const staffId of EVERY_STAFF) {
                for (const shape of SHAPES) {
                  const expected = await inboxWalk(world.mc, businessId, staffId, shape);
                  for (const [name, mc] of sides) expect(await inboxWalk(mc, businessId, staffId, shape), `${name} inbox of ${businessId}/${staffId} ${JSON.stringify(shape)}`).toEqual(expected);
                }
                const badge = await badgeOf(world.mc, businessId, staffId);
                for (const [name, mc] of sides) expect(await badgeOf(mc, businessId, staffId), `${name} badge of ${businessId}/${staffId}`).toEqual(badge);
              }
              const staffId = EVERY_STAFF[0];
              if (staffId === undefined) throw new Error('the histories name staff');
              for (const limit of [1, 3, 100]) {
                const alerts = await alertsOf(world.mc, businessId, staffId, limit);
                for (const [name, mc] of sides) expect(await alertsOf(mc, businessId, staffId, limit), `${name} alerts of ${businessId}, ${limit} a page`).toEqual(alerts);
              }
              for (const period of world.periods()) {
                const usage = await usageOf(world.mc, businessId, period);
                for (const [name, mc] of sides) expect(await usageOf(mc, businessId, period), `${name} usage of ${businessId} in ${period}`).toEqual(usage);
              }
            }
          } finally {
            await replayed.detach();
          }
        } finally {
          await live.detach();
        }
      }),
      t.numRuns === undefined ? {} : { numRuns: t.numRuns },
    );
  }, CONTRACT_TIMEOUT_MS);
};
