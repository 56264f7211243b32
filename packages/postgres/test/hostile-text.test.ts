// Ids and filter values core accepts but PostgreSQL's `text` does not carry faithfully (found by review):
// lone surrogates (the driver turns them into U+FFFD, so two ids became one key and two businesses saw each
// other's rows), NUL in a client's type, groups or location (a poison event that stalled the runner), and
// astral characters (ordered by code point in SQL, by UTF-16 code unit in core). Each case is compared with
// core's in-memory read models on the same log.
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import {
  BusinessId,
  ClientId,
  StaffId,
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  timestampFromMillis,
  type MessageCenter,
} from '@message-center/core';
import { must } from './support/codec-values.js';
import { right } from './support/migration-fixtures.js';
import { inboxPageFromPg, inboxPgProjection, startPgProjection, unreadBadgeFromPg, usageFromPg, usagePgProjection } from '../src/index.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';
import { walk } from './support/inbox-walk.js';

// Two businesses whose ids differ only by a lone surrogate; clients whose ids tie on last activity and sort
// differently by code point and by code unit.
const BUSINESSES = ['b\uD800', 'b\uD801'].map((id) => must(BusinessId.is, id));
const NUMBERS = ['+12015550123', '+12015550124'];
const CLIENTS = ['a', '😀', '\uFF21', 'x\uD800', 'x\uD801'].map((id) => must(ClientId.is, id));
const STAFF = must(StaffId.is, 's1');
const AT = '2026-11-02T10:00:00.000Z';

/** R3's list filters (the activity range is not about text). */
interface Filters {
  readonly clientTypes?: ReadonlyArray<string>;
  readonly groups?: ReadonlyArray<string>;
  readonly homeLocations?: ReadonlyArray<string>;
}

const staffOf = (businessId: BusinessId) => ({ kind: 'staff' as const, businessId, staffId: STAFF, permissions: ['send-email-sms'] });

const history = async (): Promise<{ readonly mc: MessageCenter; readonly store: ReturnType<typeof createInMemoryEventStore> }> => {
  const store = createInMemoryEventStore();
  const mc = createMessageCenter({ store, numbers: createInMemoryNumberProvisioning({ account: NUMBERS }), clock: { now: () => timestampFromMillis(Date.parse(AT)) } });
  for (const [b, businessId] of BUSINESSES.entries()) {
    const host = { kind: 'host' as const, businessId };
    await right(mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: NUMBERS[b] ?? '', allotment: { messagesPerPeriod: 100, overage: 'allow' } }));
    for (const [c, clientId] of CLIENTS.entries()) {
      const cellPhone = `+1415555${b}${String(c).padStart(3, '0')}`;
      await right(
        mc.recordClient({ businessId, actor: host, clientId, uid: `U${c}`, name: `Client ${c}`, cellPhone, clientType: c % 2 === 0 ? 'vip\u0000' : 'vip', groups: c === 0 ? ['a\u0000b', 'a\uD800'] : ['a\uD801'], homeLocation: c === 1 ? 'x\u0000' : null }),
      );
      // Only the first business hears from its clients: the second must see none of it.
      if (b === 0) await right(mc.receiveInbound({ to: NUMBERS[b] ?? '', from: cellPhone, body: `hello \u0000 ${c} \uD83D`, providerMessageId: `SM${b}${c}`, receivedAt: AT }));
    }
  }
  return { mc, store };
};

describe('hostile text in the PostgreSQL read models', () => {
  const db = useFreshDatabase('hostile text');

  it('R1 R3 R4 R6 lone surrogates, NUL and astral characters in ids and filter values: no stalled runner, no merged ids, no other business\'s rows, core\'s order and cursors', async () => {
    const pool: Pool = db().pool;
    const schema = await migratedSchema(pool, 'hostile');
    const { mc, store } = await history();
    const runners = [inboxPgProjection, usagePgProjection].map((projection) => startPgProjection({ projection, ...TEST_TIMINGS, pool, store, schema, pageSize: 7 }));
    try {
      for (const runner of runners) await caughtUp(runner);
    } finally {
      for (const runner of runners) await runner.stop();
    }
    const filterSets: ReadonlyArray<Filters> = [{}, { clientTypes: ['vip\u0000'] }, { groups: ['a\uD800'] }, { groups: ['a\uD801'] }, { groups: ['a\u0000b'] }, { homeLocations: ['x\u0000'] }];
    let rowsSeen = 0;
    for (const businessId of BUSINESSES) {
      const viewer = staffOf(businessId);
      for (const filters of filterSets) {
        const core = await walk((cursor) => mc.inbox({ businessId, viewer, filters, limit: 1, ...(cursor === undefined ? {} : { cursor }) })());
        const pg = await walk((cursor) => inboxPageFromPg(pool, { businessId, viewer, filters, limit: 1, ...(cursor === undefined ? {} : { cursor }) }, { schema })());
        expect(pg, `${JSON.stringify(businessId)} ${JSON.stringify(filters)}`).toEqual(core);
        if (typeof core !== 'string') rowsSeen += core.reduce((n, p) => n + p.rows.length, 0);
      }
      expect(E.map((n: number) => n)(await unreadBadgeFromPg(pool, { businessId, viewer }, { schema })())).toEqual(await mc.unreadBadge({ businessId, viewer })());
      expect(await usageFromPg(pool, businessId, '2026-11', { schema })()).toEqual(await mc.usage({ businessId, viewer: { kind: 'host', businessId }, period: '2026-11' })());
    }
    // The cases happened: the first business has every conversation, the second none.
    const first = await walk((cursor) => mc.inbox({ businessId: BUSINESSES[0] ?? BUSINESSES[1] ?? must(BusinessId.is, 'b'), viewer: staffOf(BUSINESSES[0] ?? must(BusinessId.is, 'b')), limit: 1, ...(cursor === undefined ? {} : { cursor }) })());
    expect(typeof first === 'string' ? first : first.flatMap((p) => p.rows.map((r) => r.conversationId))).toEqual(['a', '\uFF21', 'x\uD800', 'x\uD801', '😀'].sort((x, y) => (x < y ? -1 : 1)));
    expect(rowsSeen).toBeGreaterThan(CLIENTS.length);
  }, 60_000);
});
