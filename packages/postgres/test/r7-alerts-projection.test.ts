// R7 alerts (V8: none from a muted conversation) kept in PostgreSQL by the projection runner answer what core's
// in-memory alerts answer (`alertsAfter`, through the facade), for histories written by the real Message
// Center, folded live or afterwards, with small pages, cursors of every kind and retention windows.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createMessageCenter, type BusinessId, type LogPosition, type MessageCenter } from '@message-center/core';
import { alertsFromPg, alertsPgProjection, startPgProjection, type PgProjectionRunner } from '../src/index.js';
import { cursorsAround, answerOf, walkAlerts, type AlertsWalk } from './support/alerts-walk.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, NEVER_ENABLED, STAFF, headOf, newWorld, staffOf, type HistoryStep, type World } from './support/histories.js';
import { alertsHistoryArb } from './support/alerts-histories.js';
import { TEST_TIMINGS, caughtUp, migratedSchema, playInTwoParts } from './support/runner-fixtures.js';
import { hostileWorld } from './support/hostile-alerts.js';

const startAlertsRunner = (pool: Pool, world: Pick<World, 'store'>, schema: string, pageSize: number): PgProjectionRunner =>
  startPgProjection({ projection: alertsPgProjection, ...TEST_TIMINGS, pool, store: world.store, schema, pageSize });

const viewerOf = (businessId: BusinessId) => {
  const [staffId] = STAFF;
  if (staffId === undefined) throw new Error('no staff');
  return staffOf(businessId, staffId);
};

/** Every page of a business's alerts from both sides, after `first`, `limit` at a time. */
const bothWalks = async (pool: Pool, schema: string, core: MessageCenter, retention: number, businessId: BusinessId, limit: number, first?: string): Promise<{ readonly pg: AlertsWalk; readonly core: AlertsWalk }> => {
  const viewer = viewerOf(businessId);
  const query = (after: string | undefined) => ({ businessId, viewer, limit, ...(after === undefined ? {} : { after }) });
  return {
    pg: await walkAlerts((after) => alertsFromPg(pool, query(after), { schema, alertRetention: retention })(), first),
    core: await walkAlerts((after) => core.alerts(query(after))(), first),
  };
};

/** Core's every retained alert's position (the facade's largest page). */
const positionsIn = async (core: MessageCenter, businessId: BusinessId): Promise<ReadonlyArray<LogPosition>> => {
  const answer = await core.alerts({ businessId, viewer: viewerOf(businessId), limit: 500 })();
  return E.isRight(answer) ? answer.right.alerts.map((a) => a.position) : [];
};

const inboundCount = async (world: World): Promise<number> => {
  const all = await world.store.readAll({ streamPrefix: 'mc-' })();
  if (E.isLeft(all)) throw new Error(all.left.message);
  return all.right.filter((e) => e.type === 'InboundReceived').length;
};

/**
 * One history that surely reaches every kind of alert the property counts, asked with the default retention
 * (500, the only one under which messages silenced by muting are counted): messages from clients and from a
 * stranger, a long one (truncated preview), several in each business, and one into a muted conversation.
 */
const EVERY_ALERT: ReadonlyArray<HistoryStep> = [
  { kind: 'enable', business: 0, limit: 1000, overage: 'allow' },
  { kind: 'enable', business: 1, limit: 1000, overage: 'allow' },
  { kind: 'client', business: 0, client: 0, phone: 0, profile: 0 },
  { kind: 'client', business: 0, client: 1, phone: 1, profile: 1 },
  { kind: 'inbound', business: 0, phone: 0, body: 0 },
  { kind: 'inbound', business: 0, phone: 1, body: 2 },
  { kind: 'inbound', business: 0, phone: 3, body: 1 },
  { kind: 'inbound', business: 1, phone: 2, body: 6 },
  { kind: 'flag', business: 0, action: 'mute', conversation: 0 },
  { kind: 'inbound', business: 0, phone: 0, body: 1 },
  { kind: 'flag', business: 0, action: 'unmute', conversation: 0 },
  { kind: 'inbound', business: 0, phone: 1, body: 3 },
  { kind: 'inbound', business: 1, phone: 3, body: 0 },
];

describe('R7 alerts on PostgreSQL', () => {
  const db = useFreshDatabase('r7 alerts');

  it('R7 V8 every page of every business\'s alerts (small limits, random after cursors, retention windows) equals core\'s alertsAfter, folded live or afterwards', async () => {
    // What the generated histories reached, so that a generator gone trivial fails instead of passing.
    const seen = { alerts: 0, laterPages: 0, mutedSilenced: 0, windowed: 0, withClient: 0, withoutClient: 0, truncated: 0, afterCursors: 0, refusedCursors: 0, emptyAfter: 0 };
    await fc.assert(
      fc.asyncProperty(
        alertsHistoryArb(),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.nat({ max: 100 }),
        fc.constantFrom(1, 3, 7, 500),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat({ max: 1000 }), { minLength: 2, maxLength: 5 }),
        async (steps, pageSize, live, cutAt, retention, limit, picks) => {
          const pool = db().pool;
          const world = newWorld();
          // Core with the same retention, on the same log (the world's own facade keeps the default 500).
          const core = retention === 500 ? world.mc : createMessageCenter({ store: world.store, alertRetention: retention });
          const schema = await migratedSchema(pool, 'r7');

          const compare = async (runner: PgProjectionRunner): Promise<void> => {
            expect(await caughtUp(runner)).toEqual(await headOf(world.store));
            let alerts = 0;
            for (const businessId of [...BUSINESSES, NEVER_ENABLED]) {
              const walks = await bothWalks(pool, schema, core, retention, businessId, limit);
              expect(walks.pg, `R7 ${businessId} limit ${limit} retention ${retention}`).toEqual(walks.core);
              if (typeof walks.core !== 'string') {
                const all = walks.core.flatMap((p) => p.alerts);
                alerts += all.length;
                seen.alerts += all.length;
                seen.laterPages += Math.max(0, walks.core.length - 2);
                seen.withClient += all.filter((a) => a.client !== null).length;
                seen.withoutClient += all.filter((a) => a.client === null).length;
                seen.truncated += all.filter((a) => a.truncated).length;
              }
              // Random cursors: real ones, positions around them, written otherwise, and strings that are not cursors.
              for (const after of cursorsAround(await positionsIn(core, businessId), picks)) {
                const one = { businessId, viewer: viewerOf(businessId), limit, after };
                const fromPg = answerOf(await alertsFromPg(pool, one, { schema, alertRetention: retention })());
                expect(fromPg, `R7 ${businessId} after ${after}`).toEqual(answerOf(await core.alerts(one)()));
                if (typeof fromPg === 'string') seen.refusedCursors += 1;
                else if (fromPg.alerts.length === 0) seen.emptyAfter += 1;
                else seen.afterCursors += 1;
                const rest = await bothWalks(pool, schema, core, retention, businessId, limit, after);
                expect(rest.pg, `R7 ${businessId} walk after ${after}`).toEqual(rest.core);
              }
            }
            const inbound = await inboundCount(world);
            seen.windowed += retention < 500 && inbound > retention ? 1 : 0;
            if (retention === 500) seen.mutedSilenced += inbound - alerts;
          };

          // Compared mid-history and at its end: the second part is folded onto rows the first one left.
          await playInTwoParts({ steps, cutAt, live, play: world.play, startRunner: () => startAlertsRunner(pool, world, schema, pageSize), compare });
        },
      ),
      // A run draws the default retention one time in four (the only one that counts muted messages): 25 runs
      // drew none about once in 1,300. The same history with it and with a window of 3 (its 8 messages fill
      // it) reaches every kind of alert and cursor, so that the check holds on every run (the examples count
      // as two of the runs; the picks aim at 0.0, past the end, and strings that are no cursor).
      {
        numRuns: 27,
        examples: [
          [EVERY_ALERT, 2, true, 50, 500, 1, [5, 5, 6, 4]],
          [EVERY_ALERT, 3, false, 50, 3, 1, [5, 5, 6, 4]],
        ],
      },
    );
    expect(Object.entries(seen).filter(([, n]) => n === 0).map(([what]) => what)).toEqual([]);
  }, 300_000);

  it('R7 V8 hostile text (NUL, lone surrogates) in ids, client names and bodies, media-only previews, the name as known when the message came in, muting as of the message: every page as core', async () => {
    const pool = db().pool;
    const schema = await migratedSchema(pool, 'r7 hostile');
    const world = await hostileWorld();
    const runner = startAlertsRunner(pool, world, schema, 3);
    try {
      await caughtUp(runner);
    } finally {
      await runner.stop();
    }
    let alerts = 0;
    for (const businessId of world.businesses) {
      for (const limit of [1, 2, 100]) {
        const walks = await bothWalks(pool, schema, world.mc, 500, businessId, limit);
        expect(walks.pg, `${JSON.stringify(businessId)} limit ${limit}`).toEqual(walks.core);
        if (typeof walks.core !== 'string' && limit === 100) alerts += walks.core.flatMap((p) => p.alerts).length;
      }
    }
    // The cases happened: every message of the first business alerted but the one while muted; the second none.
    const [first] = world.businesses;
    if (first === undefined) throw new Error('no business');
    const all = await alertsFromPg(pool, { businessId: first, viewer: viewerOf(first), limit: 500 }, { schema })();
    if (E.isLeft(all)) throw new Error(all.left.message);
    expect(all.right.alerts.map((a) => [a.client?.name ?? null, a.preview])).toEqual(world.expected);
    expect(alerts).toBe(world.expected.length);
  }, 60_000);

  it('R7 B0 another business\'s staff is refused forbidden, a bad limit or cursor is invalid-input, as core; a missing table is a database error', async () => {
    const pool = db().pool;
    const schema = await migratedSchema(pool, 'r7 refusals');
    const world = newWorld();
    await world.play([
      { kind: 'enable', business: 0, limit: 10, overage: 'allow' },
      { kind: 'enable', business: 1, limit: 10, overage: 'allow' },
      { kind: 'inbound', business: 0, phone: 3, body: 0 },
    ]);
    const runner = startAlertsRunner(pool, world, schema, 10);
    try {
      await caughtUp(runner);
    } finally {
      await runner.stop();
    }
    const [b1, b2] = BUSINESSES;
    if (b1 === undefined || b2 === undefined) throw new Error('fixtures missing');
    const stranger = viewerOf(b2);
    const asked = { businessId: b1, viewer: stranger };
    const refused = await alertsFromPg(pool, asked, { schema })();
    expect(refused).toEqual(await world.mc.alerts(asked)());
    expect(refused).toMatchObject({ left: { code: 'forbidden' } });
    // The stranger's own business answers (nothing came in there); b1's staff sees b1's one alert.
    expect(await alertsFromPg(pool, { businessId: b2, viewer: stranger }, { schema })()).toEqual(E.right({ alerts: [], cursor: null }));
    expect(answerOf(await alertsFromPg(pool, { businessId: b1, viewer: viewerOf(b1) }, { schema })())).toEqual(answerOf(await world.mc.alerts({ businessId: b1, viewer: viewerOf(b1) })()));
    for (const bad of [{ limit: 0 }, { limit: 501 }, { limit: 1.5 }, { after: 'not-a-cursor' }, { after: '1.' }]) {
      const fromPg = await alertsFromPg(pool, { businessId: b1, viewer: viewerOf(b1), ...bad }, { schema })();
      expect(fromPg, JSON.stringify(bad)).toMatchObject({ left: { code: 'invalid-input' } });
      expect(answerOf(await world.mc.alerts({ businessId: b1, viewer: viewerOf(b1), ...bad })()), JSON.stringify(bad)).toBe('invalid-input');
    }
    const missing = await alertsFromPg(pool, { businessId: b1, viewer: viewerOf(b1) }, { schema: 'no_such_schema' })();
    expect(E.isLeft(missing) ? missing.left.code : 'right').toBe('database-error');
  });
});
