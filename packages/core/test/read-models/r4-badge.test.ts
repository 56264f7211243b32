import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { StaffId } from '@message-center/core';
import { unreadCountFor } from '@message-center/core/internals';
import { emptyInbox, foldInbox } from '../../src/read-models/inbox.js';
import { inboxConversation, unreadBadge } from '../../src/read-models/inbox-query.js';
import { conversationsOf, foldSplit } from './support.js';
import { BUSINESSES, STAFF, cutsArb, must, viewerOf, worldArb } from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

// Staff who act in the histories, plus one who never opened anything.
const VIEWERS = [...STAFF, must(StaffId.is, 's9')];

describe('R4 unread badge', () => {
  test.prop([worldArb(), cutsArb], { numRuns: heavyRuns(50) })(
    'R4 V7 V8 the badge equals the sum of the unread counts of the unmuted conversations, for every staff member, B3 on or off',
    (world, cuts) => {
      const state = foldSplit(emptyInbox, foldInbox, world.log, cuts);
      for (const businessId of BUSINESSES) {
        const individual = world.individual.get(businessId) ?? false;
        for (const staffId of VIEWERS) {
          const expected = conversationsOf(world, businessId)
            .filter((c) => !c.state.muted)
            .reduce((n, c) => n + unreadCountFor(c.state, staffId, individual), 0);
          const badge = unreadBadge(state, { viewer: viewerOf(businessId, staffId), businessId });
          expect(E.isRight(badge) ? badge.right : badge.left.code, `${businessId} ${staffId}`).toBe(expected);
        }
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(), fc.constantFrom(...VIEWERS)], { numRuns: heavyRuns(40) })(
    'R4 V8 a muted conversation adds nothing to the badge but still shows its unread count in the inbox',
    (world, staffId) => {
      const state = foldInbox(emptyInbox, world.log);
      for (const businessId of BUSINESSES) {
        const individual = world.individual.get(businessId) ?? false;
        for (const c of conversationsOf(world, businessId).filter((x) => x.state.muted)) {
          const row = inboxConversation(state, { viewer: viewerOf(businessId, staffId), businessId, conversationId: c.conversationId });
          expect(E.isRight(row) ? row.right.unreadCount : -1).toBe(unreadCountFor(c.state, staffId, individual));
        }
      }
    },
    HEAVY_TIMEOUT,
  );
});
