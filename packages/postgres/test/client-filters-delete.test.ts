// R3: the projection replaces a written card's filter rows (migration 11) by the card's client: without an
// index by (business_id, client_id) every card written read the business's whole range of filter rows (one
// card), or the planner hashed the whole table of every business (a batch of cards).
import type { ClientBase, Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { BusinessId, ClientId, createInMemoryEventStore, createInMemoryNumberProvisioning, createMessageCenter, timestampFromMillis } from '@message-center/core';
import { inboxPgProjection, startPgProjection, type PgProjection } from '../src/index.js';
import { qualified } from '../src/schema-path.js';
import { storedText } from '../src/stored-text.js';
import { must } from './support/codec-values.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { right } from './support/migration-fixtures.js';
import { TEST_TIMINGS, caughtUp, migratedSchema } from './support/runner-fixtures.js';

const B = must(BusinessId.is, 'b1');
const NUMBER = '+12015550123';
const OTHERS = 20_000;

/** The projection, with each DELETE of filter rows run first under EXPLAIN (ANALYZE, BUFFERS) (it deletes; the real one then finds nothing left). */
const explaining = (plans: string[]): PgProjection => ({
  ...inboxPgProjection,
  apply: async (client: ClientBase, batch) => {
    const spy = new Proxy(client, {
      get(target, prop) {
        if (prop === 'query')
          return async (sql: string, values?: unknown[]) => {
            if (sql.includes('DELETE FROM message_center_inbox_client_filters')) {
              const plan = await target.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, values);
              plans.push(JSON.stringify(plan.rows[0]));
            }
            return target.query(sql, values);
          };
        const v: unknown = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    return inboxPgProjection.apply(spy, batch);
  },
});

describe("R3 replacing a card's filter rows", () => {
  const db = useFreshDatabase('filters delete');

  it("R3 writing one card reads that card's filter rows, not the business's 40,000", async () => {
    const pool: Pool = db().pool;
    const schema = await migratedSchema(pool, 'filters delete');
    // The business's other clients, as the projection would have written them (a type and a group each).
    const ids = Array.from({ length: OTHERS }, (_, i) => storedText(`x${i}`));
    await pool.query(
      `INSERT INTO ${qualified(schema, 'message_center_inbox_client_filters')} (business_id, kind, value, client_id)
       SELECT $1, k, v, id FROM unnest($2::text[]) id, (VALUES ('client_type', $3), ('group', $4)) t(k, v)`,
      [storedText(B), ids, storedText('member'), storedText('vip')],
    );
    await pool.query(`ANALYZE ${qualified(schema, 'message_center_inbox_client_filters')}`);

    const store = createInMemoryEventStore();
    const mc = createMessageCenter({ store, numbers: createInMemoryNumberProvisioning({ account: [NUMBER] }), clock: { now: () => timestampFromMillis(Date.parse('2026-11-02T10:00:00.000Z')) } });
    const host = { kind: 'host' as const, businessId: B };
    await right(mc.enableMessageCenter({ businessId: B, actor: host, country: 'US', number: NUMBER, allotment: { messagesPerPeriod: 100, overage: 'allow' } }));
    await right(mc.recordClient({ businessId: B, actor: host, clientId: must(ClientId.is, 'c1'), uid: 'U1', name: 'Ann', cellPhone: '+14155552671', clientType: 'member', groups: ['vip'] }));

    const plans: string[] = [];
    // `apply` is the one spied on: the runner's pipeline would write through the projection's `stage` instead.
    const runner = startPgProjection({ projection: explaining(plans), ...TEST_TIMINGS, pool, store, schema, pageSize: 100, pipeline: false });
    try {
      await caughtUp(runner);
    } finally {
      await runner.stop();
    }
    expect(plans.length).toBe(1);
    const plan = plans[0] ?? '';
    // The top node's blocks (the plan's first figures): a card's rows are a few index pages away, tens of
    // blocks, not the business's range.
    const blocks = (name: string): number => Number(new RegExp(`"Shared ${name} Blocks":(\\d+)`).exec(plan)?.[1] ?? 'NaN');
    expect(blocks('Hit') + blocks('Read'), plan.match(/"Node Type":"[^"]+"|"Index Cond":"[^"]+"/g)?.join(' ')).toBeLessThan(50);
  }, 120_000);
});
