// A page refused for its limit, view, cursor or activity range (core's invalid-input, reported after the
// business) is one page statement with no search way: no counting of words (up to 20,000 index entries per
// table under a list filter) or filter clients, no intersection, only to answer invalid-input.
import type { Pool } from 'pg';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { BusinessId, ClientId, StaffId, createInMemoryEventStore, createInMemoryNumberProvisioning, createMessageCenter, timestampFromMillis } from '@message-center/core';
import { inboxPageFromPg, inboxPgProjection, startPgProjection } from '../src/index.js';
import { must } from './support/codec-values.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { right } from './support/migration-fixtures.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';

const B = must(BusinessId.is, 'b1');
const NUMBER = '+12015550123';
const viewer = { kind: 'staff' as const, businessId: B, staffId: must(StaffId.is, 's1'), permissions: ['send-email-sms'] };
const host = { kind: 'host' as const, businessId: B };

const spy = (pool: Pool, log: string[]): Pool =>
  new Proxy(pool, {
    get(target, prop) {
      if (prop === 'query') return (sql: string, values: unknown[]) => { log.push(sql); return target.query(sql, values); };
      const v: unknown = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });

describe('R2 R3 a refused search page', () => {
  const db = useFreshDatabase('refused cursor');

  it('R2 R3 a search under a filter with a cursor this inbox did not give out is refused without counting words or intersecting the filter, as with a bad limit', async () => {
    const pool: Pool = db().pool;
    const schema = await migratedSchema(pool, 'refused cursor');
    const store = createInMemoryEventStore();
    let at = Date.parse('2026-11-02T10:00:00.000Z');
    const mc = createMessageCenter({ store, numbers: createInMemoryNumberProvisioning({ account: [NUMBER] }), clock: { now: () => timestampFromMillis((at += 1000)) } });
    await right(mc.enableMessageCenter({ businessId: B, actor: host, country: 'US', number: NUMBER, allotment: { messagesPerPeriod: 100, overage: 'allow' } }));
    for (const [i, phone] of ['+14155552671', '+16465550142', '+12125551234'].entries()) {
      await right(mc.recordClient({ businessId: B, actor: host, clientId: must(ClientId.is, `c${i}`), uid: `U${i}`, name: `Ann ${i}`, cellPhone: phone, groups: i === 0 ? ['vip'] : ['other'] }));
      await right(mc.receiveInbound({ to: NUMBER, from: phone, body: 'hello there', providerMessageId: `SM${i}` }));
    }
    const runner = startPgProjection({ projection: inboxPgProjection, ...TEST_TIMINGS, pool, store, schema });
    try {
      await caughtUp(runner);
    } finally {
      await runner.stop();
    }
    const ask = async (extra: { readonly limit?: number; readonly cursor?: string }): Promise<{ readonly answer: string; readonly statements: ReadonlyArray<string> }> => {
      const log: string[] = [];
      const answer = await inboxPageFromPg(spy(pool, log), { businessId: B, viewer, search: 'hello ann', filters: { groups: ['vip'] }, ...extra }, { schema })();
      const statements = log.map((sql) => (sql.includes('search_once') ? 'page statement with the intersection' : sql.includes('unnest($2::text[]) WITH ORDINALITY') ? 'word and filter counts' : 'page statement'));
      return { answer: E.isLeft(answer) ? answer.left.code : 'rows', statements };
    };
    const core = await mc.inbox({ businessId: B, viewer, search: 'hello ann', filters: { groups: ['vip'] }, cursor: 'not-a-cursor' })();
    expect(E.isLeft(core) ? core.left.code : 'rows').toBe('invalid-input');
    // A bad limit: one page statement, nothing counted, nothing intersected.
    expect(await ask({ limit: 0 })).toEqual({ answer: 'invalid-input', statements: ['page statement'] });
    // A bad cursor: the same refusal, after the same business check.
    expect(await ask({ cursor: 'not-a-cursor' })).toEqual({ answer: 'invalid-input', statements: ['page statement'] });
  }, 60_000);
});
