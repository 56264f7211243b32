/**
 * The read-model rules, checked on the store's own answers (not only by agreement with core): folders are
 * those of the conversation's own stream (V4–V7), pinned rows never show under a view, a filter or a search
 * (V9), any formatting of a client's phone finds the conversation (R2), the badge is the sum of the unread
 * counts of the conversations that are not muted (R4, V8), and a viewer never reaches another business.
 */
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { BusinessId, createMessageCenter, StaffId, type InboxRow } from '@message-center/core';
import { expect, it } from 'vitest';
import { BUSINESSES, inboxHistoryArb, newWorld, staffOf } from './histories.js';
import { EVERY_STAFF, SHAPES, phoneFormattings } from './queries.js';
import { badgeOf, inboxWalk, rowsOf } from './sides.js';
import { CONTRACT_TIMEOUT_MS, type ReadModelStoreContractTarget } from './support.js';

const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};

/** Ids that look like the first business's (a prefix, another case, SQL wildcards, separators, an escaped dash). */
const LOOKALIKES: ReadonlyArray<BusinessId> = ['b', 'B1', 'b1%', 'b_', 'b1-2', 'b-', 'mc-b1', 'b1%2D'].map((id) => must(BusinessId.is, id));

export const describeRules = (target: () => ReadModelStoreContractTarget): void => {
  it('V4–V7, V8, V9, R2, R4: folders as the conversation’s stream says, pinned rows hidden, any phone formatting finds, badge = sum of unread counts', async () => {
    const t = target();
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(50), async (steps) => {
        const world = newWorld();
        await world.play(steps);
        const attached = await t.attach(world.store);
        try {
          await attached.caughtUp();
          const mc = createMessageCenter({ store: world.store, readModelStore: attached.store });
          for (const businessId of BUSINESSES) {
            for (const staffId of EVERY_STAFF) {
              const viewer = staffOf(businessId, staffId);
              const listed: InboxRow[] = [...rowsOf(await inboxWalk(mc, businessId, staffId, { view: 'all' })), ...rowsOf(await inboxWalk(mc, businessId, staffId, { view: 'archived' }))];
              for (const row of listed) {
                const view = await world.mc.conversation({ businessId, conversationId: row.conversationId, viewer })();
                expect(E.isRight(view) && view.right.folder, `V4–V7: folder of ${row.conversationId} for ${staffId}`).toBe(row.folder);
              }
              for (const shape of SHAPES.filter((s) => s.view !== undefined && s.view !== 'all' || s.search !== undefined || s.filters !== undefined)) {
                const pinned = rowsOf(await inboxWalk(mc, businessId, staffId, shape)).filter((r) => r.pinned);
                expect(pinned.map((r) => r.conversationId), `V9: pinned rows under ${JSON.stringify(shape)}`).toEqual([]);
              }
              const plain = rowsOf(await inboxWalk(mc, businessId, staffId, {}));
              for (const row of plain.filter((r) => !r.pinned && r.phone.startsWith('+1'))) {
                for (const search of phoneFormattings(row.phone)) {
                  const found = rowsOf(await inboxWalk(mc, businessId, staffId, { search })).map((r) => r.conversationId);
                  expect(found, `R2: "${search}" finds ${row.conversationId}`).toContain(row.conversationId);
                }
              }
              const sum = listed.filter((r) => !r.muted).reduce((n, r) => n + r.unreadCount, 0);
              expect(await badgeOf(mc, businessId, staffId), `R4: badge of ${staffId} in ${businessId}`).toBe(sum);
            }
          }
        } finally {
          await attached.detach();
        }
      }),
      t.numRuns === undefined ? {} : { numRuns: t.numRuns },
    );
  }, CONTRACT_TIMEOUT_MS);

  it('B0 tenancy: the store refuses a viewer of another business, and an id that looks like a business’s reaches none of it', async () => {
    const t = target();
    const world = newWorld();
    await world.play([
      { kind: 'enable', business: 0, limit: 10, overage: 'allow' },
      { kind: 'client', business: 0, client: 0, phone: 0 },
      { kind: 'inbound', business: 0, phone: 0, body: 0 },
    ]);
    const attached = await t.attach(world.store);
    try {
      await attached.caughtUp();
      const [first, second] = BUSINESSES;
      if (first === undefined || second === undefined) throw new Error('the histories name two businesses');
      const s1 = must(StaffId.is, 's1');
      const own = await attached.store.inbox({ businessId: first, viewer: staffOf(first, s1) })();
      expect(E.isRight(own) && own.right.rows.length, 'the business’s own inbox').toBe(1);
      const across = await attached.store.inbox({ businessId: first, viewer: staffOf(second, s1) })();
      expect(E.isLeft(across) && across.left.code, 'a viewer of another business').toBe('forbidden');
      const badge = await attached.store.unreadBadge({ businessId: first, viewer: staffOf(second, s1) })();
      expect(E.isLeft(badge) && badge.left.code, 'the badge of another business').toBe('forbidden');
      const alerts = await attached.store.alerts({ businessId: first, viewer: staffOf(second, s1) })();
      expect(E.isLeft(alerts) && alerts.left.code, 'the alerts of another business').toBe('forbidden');
      const usage = await attached.store.usage({ businessId: first, viewer: { kind: 'host', businessId: second }, period: '2026-01' })();
      expect(E.isLeft(usage) && usage.left.code, 'the usage of another business').toBe('forbidden');
      for (const lookalike of LOOKALIKES) {
        const page = await attached.store.inbox({ businessId: lookalike, viewer: staffOf(lookalike, s1) })();
        expect(E.isLeft(page) && page.left.code, `inbox of "${lookalike}"`).toBe('message-center-not-enabled');
        const usage = await attached.store.usage({ businessId: lookalike, viewer: { kind: 'host', businessId: lookalike }, period: '2026-01' })();
        expect(E.isLeft(usage) && usage.left.code, `usage of "${lookalike}"`).toBe('message-center-not-enabled');
      }
    } finally {
      await attached.detach();
    }
  });
};
