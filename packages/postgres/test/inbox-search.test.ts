// R2 (search) kept in PostgreSQL by the inbox projection answers what core's in-memory `inboxPage` answers
// with the same search text, page by page through every cursor, combined with every view (V4–V7), filters
// (R3), viewers (B3 on and off) and V9 (pinned hidden under a search), for histories written by the real
// Message Center with clients and messages worth searching (test/support/search-histories.ts).
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { INBOX_VIEWS, type InboxRow } from '@message-center/core';
import { migrate, migrateWith } from '../src/migrations.js';
import { MIGRATIONS } from '../src/schema/migration-list.js';
import { qualified } from '../src/schema-path.js';
import { freshSchema, right } from './support/migration-fixtures.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, NEVER_ENABLED, STAFF, inboxHistoryArb, inboxStart, newWorld, type HistoryStep, type World } from './support/histories.js';
import { foldInbox, migratedSchema } from './support/runner-fixtures.js';
import { type Walk } from './support/inbox-walk.js';
import { coreWalk, pgWalk, type Asked, type Filters } from './support/inbox-queries.js';
import { HOSTILE_SEARCHES, SEARCH_CLIENTS, playSearch, searchStepsArb, searchTextArb, type SearchKind, type SearchStep, type SearchText } from './support/search-histories.js';

const rowsOf = (pages: Walk): ReadonlyArray<InboxRow> => (typeof pages === 'string' ? [] : pages.flatMap((page) => page.rows));

const fold = (pool: Pool, schema: string, world: World): Promise<void> => foldInbox(pool, world.store, schema, 7);

const [B1] = BUSINESSES;
const [S1, , S3] = STAFF;
if (B1 === undefined || S1 === undefined || S3 === undefined) throw new Error('fixtures missing');
/** One viewer who reads and one who never does (their folders part with B3 on). */
const VIEWERS = [S1, S3];

/** R3 lists that pick some of the clients of histories.ts (the search clients have no type, group or location). */
const LIST_FILTERS: ReadonlyArray<Filters> = [{ clientTypes: ['member'] }, { groups: ['vip', 'pilates'] }, { homeLocations: ['Uptown'], clientTypes: ['member', 'prospect'] }];

/**
 * One case that surely reaches every way of finding and every shape the property counts: in b1 (B3 on) c1
 * pinned, c2 read by s1, c-3 a member with a message, Zoë writing from her number and answered; b-2 with a
 * conversation of its own; searches for Zoë by name, by several words of it, by a word of her message, by her
 * number written nationally and by its last four digits, and one that finds nothing.
 */
const EVERY_FIND: readonly [ReadonlyArray<HistoryStep>, ReadonlyArray<SearchStep>, ReadonlyArray<SearchText>] = [
  [
    ...inboxStart(true),
    { kind: 'inbound', business: 0, phone: 0, body: 0 },
    { kind: 'flag', business: 0, action: 'pin', conversation: 0 },
    { kind: 'inbound', business: 0, phone: 1, body: 1 },
    { kind: 'read', business: 0, staff: 0, conversation: 1 },
    { kind: 'inbound', business: 0, phone: 2, body: 6 },
    { kind: 'inbound', business: 1, phone: 0, body: 0 },
  ],
  [
    ...SEARCH_CLIENTS.map((_, client): SearchStep => ({ kind: 'profile', business: 0, client, profile: client })),
    { kind: 'inbound', business: 0, phone: 0, body: 1 },
    { kind: 'send', business: 0, client: 0, body: 0 },
    { kind: 'inbound', business: 1, phone: 2, body: 1 },
  ],
  [
    { kind: 'profile', text: 'Zoë' },
    { kind: 'words', text: 'orsted ZOE' },
    { kind: 'message', text: 'café' },
    { kind: 'phone', text: '07400 123456' },
    { kind: 'last-four', text: '3456' },
    { kind: 'profile', text: 'nobody' },
  ],
];

describe('R2 search of the inbox on PostgreSQL', () => {
  const db = useFreshDatabase('inbox search');

  it("R2 R1 R3 V4–V7 V9 every page (every cursor) of every view × filters × viewer with a generated search text equals core's inboxPage", async () => {
    // What the generated searches found through each way of finding (view all, no filter), so that a generator
    // gone trivial fails instead of passing.
    const found: Record<SearchKind, number> = { profile: 0, words: 0, message: 0, phone: 0, 'last-four': 0, junk: 0, hostile: 0 };
    const seen = { nothingFound: 0, blankSearchPinned: 0, folderRows: 0, filteredRows: 0, rangeRows: 0, laterPages: 0, secondBusinessRows: 0 };
    let walks = 0;
    await fc.assert(
      fc.asyncProperty(
        inboxHistoryArb(30),
        searchStepsArb,
        fc.array(searchTextArb, { minLength: 5, maxLength: 8 }),
        fc.constantFrom(...LIST_FILTERS),
        fc.integer({ min: 1, max: 4 }),
        fc.nat({ max: 100 }),
        async (history, searchSteps, generated, listFilter, limit, cutAt) => {
          // And the last four digits of a number most histories write from, and a text that searches for
          // nothing (punctuation only): the plain inbox, pinned on top (V9).
          const searches: ReadonlyArray<SearchText> = [...generated, { kind: 'last-four', text: '2671' }, { kind: 'junk', text: " '- " }];
          const pool = db().pool;
          const world = newWorld();
          const schema = await migratedSchema(pool, 'search');

          const compare = async (): Promise<void> => {
            for (const businessId of BUSINESSES) {
              const plain = await coreWalk(world, { businessId, viewer: S1, view: 'all', filters: {}, search: '', limit: 200 });
              const instants = [...new Set(rowsOf(plain).map((r) => r.lastActivityAt))].sort();
              const from = instants[1];
              const filterSets: ReadonlyArray<Filters> = [{}, listFilter, from === undefined ? {} : { lastActivityFrom: from }];
              for (const { kind, text } of searches)
                for (const view of INBOX_VIEWS)
                  for (const filters of filterSets)
                    for (const viewer of VIEWERS) {
                      const q: Asked = { businessId, viewer, view, filters, search: text, limit };
                      const fromPg = await pgWalk(pool, schema, q);
                      walks += 1;
                      const asked = `${businessId} ${viewer} ${view} ${JSON.stringify(filters)} search ${JSON.stringify(text)} limit ${limit}`;
                      expect(fromPg, asked).toEqual(await coreWalk(world, q));
                      // The same pages when every word is probed on the walk in inbox order (the way of common words),
                      // and when the rarest is always the set the page is fetched from.
                      expect(await pgWalk(pool, schema, q, 'walk'), `${asked}, every word walked`).toEqual(fromPg);
                      expect(await pgWalk(pool, schema, q, 'fetch'), `${asked}, fetched from the rarest word`).toEqual(fromPg);
                      expect(await pgWalk(pool, schema, q, 'filter'), `${asked}, from the list filter's clients with the rarest word`).toEqual(fromPg);
                      expect(await pgWalk(pool, schema, q, 'sieve'), `${asked}, walked through sieves of the first word (or the numbers) and every list filter`).toEqual(fromPg);
                      const rows = rowsOf(fromPg);
                      seen.laterPages += typeof fromPg === 'string' ? 0 : fromPg.length - 1;
                      if (businessId !== B1) seen.secondBusinessRows += rows.length;
                      if (view !== 'all') seen.folderRows += rows.length;
                      if ('lastActivityFrom' in filters) seen.rangeRows += rows.length;
                      else if (Object.keys(filters).length > 0) seen.filteredRows += rows.length;
                      if (view !== 'all' || Object.keys(filters).length > 0 || viewer !== S1) continue;
                      found[kind] += rows.length;
                      if (rows.length === 0 && rowsOf(plain).length > 0) seen.nothingFound += 1;
                      // V9: a text that searches for nothing (blank, punctuation) is no search: the pinned stay on top.
                      if (rows.some((r) => r.pinned)) seen.blankSearchPinned += 1;
                    }
            }
            // A business that never enabled the Message Center is refused whatever the search.
            for (const { text } of searches) {
              const q: Asked = { businessId: NEVER_ENABLED, viewer: S1, view: 'all', filters: {}, search: text, limit };
              expect(await pgWalk(pool, schema, q)).toEqual(await coreWalk(world, q));
            }
          };

          // Compared mid-history and at its end: the second part is folded onto the rows the first left
          // (profiles recorded again replace their words; messages add theirs).
          const cut = Math.floor((history.length * cutAt) / 100);
          const half = Math.floor(searchSteps.length / 2);
          const parts: ReadonlyArray<readonly [typeof history, ReadonlyArray<SearchStep>]> = [
            [history.slice(0, cut), searchSteps.slice(0, half)],
            [history.slice(cut), searchSteps.slice(half)],
          ];
          for (const [steps, search] of parts) {
            await world.play(steps);
            await playSearch(world, search);
            await fold(pool, schema, world);
            await compare();
          }
        },
      ),
      // Several words found nothing in about 4 runs in 5 (and no pinned row showed in 7 in 10), so 15 runs failed
      // the check about once in 20. One case that surely finds through every way and reaches every shape counted
      // makes it hold on every run (the example counts as one of the runs).
      { numRuns: 16, examples: [[...EVERY_FIND, LIST_FILTERS[0] ?? {}, 1, 50]] },
    );
    expect(walks).toBeGreaterThan(1000);
    // Junk finds nothing by design; hostile texts find rows rarely here (their own test below makes sure they do).
    const trivial = [...Object.entries(found).filter(([kind, n]) => kind !== 'junk' && kind !== 'hostile' && n <= 0), ...Object.entries(seen).filter(([, n]) => n <= 0)].map(([what]) => what);
    expect(trivial).toEqual([]);
  }, 600_000);

  it("R2 hostile search texts (NUL, lone surrogates, astral letters cut at MAX_WORD, %, _, \\, quotes) answer as core's inboxPage", async () => {
    const pool = db().pool;
    const world = newWorld();
    const schema = await migratedSchema(pool, 'search hostile');
    const steps = fc.sample(searchStepsArb, { numRuns: 1, seed: 42 })[0] ?? [];
    await world.play(fc.sample(inboxHistoryArb(20), { numRuns: 1, seed: 42 })[0] ?? []);
    // Every body from every number, and every client's messages, so that each hostile text has words to meet.
    await playSearch(world, [
      ...steps,
      ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((body): SearchStep[] => [
        { kind: 'inbound', business: 0, phone: body, body },
        { kind: 'send', business: 0, client: body % 4, body },
      ]),
      { kind: 'profile', business: 0, client: 0, profile: 4 },
      { kind: 'profile', business: 0, client: 1, profile: 3 },
      { kind: 'profile', business: 0, client: 2, profile: 2 },
    ]);
    await fold(pool, schema, world);
    let foundSome = 0;
    for (const text of HOSTILE_SEARCHES.flatMap((h) => [h, `zo${h}`, `${h}e`, `415${h}`]))
      for (const view of INBOX_VIEWS)
        for (const viewer of VIEWERS) {
          const q: Asked = { businessId: B1, viewer, view, filters: {}, search: text, limit: 3 };
          const fromPg = await pgWalk(pool, schema, q);
          expect(fromPg, `${view} ${viewer} search ${JSON.stringify(text)}`).toEqual(await coreWalk(world, q));
          expect(await pgWalk(pool, schema, q, 'walk'), `${view} ${viewer} search ${JSON.stringify(text)}, every word walked`).toEqual(fromPg);
          expect(await pgWalk(pool, schema, q, 'fetch'), `${view} ${viewer} search ${JSON.stringify(text)}, fetched from the rarest word`).toEqual(fromPg);
          expect(await pgWalk(pool, schema, q, 'sieve'), `${view} ${viewer} search ${JSON.stringify(text)}, sieved by the first word`).toEqual(fromPg);
          foundSome += rowsOf(fromPg).length;
        }
    // Under a list filter, the page from the filter's clients with the rarest word too; the filter's values as
    // hostile as the texts (they are bound as parameters, never written into the statement).
    let filteredSome = 0;
    for (const text of HOSTILE_SEARCHES.flatMap((h) => [h, `zo${h}`, `415${h}`]))
      for (const view of INBOX_VIEWS)
        for (const filters of [{ clientTypes: ['member', 'staff, "quoted"'] }, { groups: [text, 'vip', ''] }, { homeLocations: ['Uptown', text] }]) {
          const q: Asked = { businessId: B1, viewer: S1, view, filters, search: text, limit: 2 };
          const fromCore = await coreWalk(world, q);
          const asked = `${view} ${JSON.stringify(filters)} search ${JSON.stringify(text)}`;
          expect(await pgWalk(pool, schema, q), asked).toEqual(fromCore);
          expect(await pgWalk(pool, schema, q, 'filter'), `${asked}, from the filter's clients`).toEqual(fromCore);
          expect(await pgWalk(pool, schema, q, 'sieve'), `${asked}, sieved by the filter's clients`).toEqual(fromCore);
          filteredSome += rowsOf(fromCore).length;
        }
    expect(foundSome).toBeGreaterThan(0);
    expect(filteredSome).toBeGreaterThan(0);
  }, 180_000);

  it('R2 V9 a card recorded again is found by its new words and number only; the conversation keeps the number it started with; a pinned one is hidden under a search', async () => {
    const pool = db().pool;
    const world = newWorld();
    const schema = await migratedSchema(pool, 'search rerecord');
    await world.play([{ kind: 'enable', business: 0, limit: 100, overage: 'allow' }]);
    // Zoë with +44 7400 123456, who writes from that number; then she is Jane Doe, +1 415 555 2671.
    await playSearch(world, [
      { kind: 'profile', business: 0, client: 0, profile: 0 },
      { kind: 'inbound', business: 0, phone: 0, body: 1 },
      { kind: 'send', business: 0, client: 0, body: 0 },
    ]);
    await fold(pool, schema, world);
    const ids = async (search: string): Promise<ReadonlyArray<string>> => {
      const q: Asked = { businessId: B1, viewer: S1, view: 'all', filters: {}, search, limit: 10 };
      const fromPg = await pgWalk(pool, schema, q);
      expect(fromPg, search).toEqual(await coreWalk(world, q));
      return rowsOf(fromPg).map((r) => r.conversationId);
    };
    expect(await ids('zoe ors')).toEqual(['Zoë']);
    expect(await ids('ZOË.ØRSTED@EX')).toEqual(['Zoë']);
    expect(await ids('07400 123456')).toEqual(['Zoë']);
    expect(await ids('3456')).toEqual(['Zoë']);
    expect(await ids('cafe merci')).toEqual(['Zoë']);
    expect(await ids('zoe jane')).toEqual([]);
    await playSearch(world, [{ kind: 'profile', business: 0, client: 0, profile: 5 }]);
    await fold(pool, schema, world);
    expect(await ids('zoe')).toEqual(['Zoë']); // the client id is a word of the card too
    expect(await ids('orsted')).toEqual([]);
    expect(await ids('jane.doe@example')).toEqual(['Zoë']);
    expect(await ids('(415) 555-2671')).toEqual(['Zoë']);
    expect(await ids('+44 7400 123456')).toEqual(['Zoë']); // the number the conversation started with
    expect(await ids('bientot')).toEqual(['Zoë']); // message words only grow
    await world.mc.pin({ businessId: B1, conversationId: 'Zoë', actor: { kind: 'automation', businessId: B1, name: 'reminders' } })();
    await fold(pool, schema, world);
    expect(await ids('jane')).toEqual([]);
    expect(await ids(' ')).toEqual(['Zoë']);
    expect(await ids("'-")).toEqual(['Zoë']);
  });

  it("R2 migration 6 on rows of migration 5 empties the inbox tables and its checkpoint alone; the runner folds the log again and searches equal core's", async () => {
    const pool = db().pool;
    const schema = freshSchema('search upgrade');
    await right(migrateWith(pool, MIGRATIONS.slice(0, 5), { schema }));
    const table = (name: string): string => qualified(schema, name);
    await pool.query(`INSERT INTO ${table('message_center_inbox_businesses')} VALUES ('0062', true, false)`);
    await pool.query(`INSERT INTO ${table('message_center_inbox_streams')} VALUES ('0073', '0062', '0063')`);
    await pool.query(`INSERT INTO ${table('message_center_usage_conversations')} (stream_id, business_id) VALUES ('0073', '0062')`);
    await pool.query(`INSERT INTO ${table('message_center_checkpoints')} (projection, commit_position, prepare_position) VALUES ('inbox', 9, 9), ('usage', 7, 7)`);
    // Migration 6 and every later one.
    expect((await right(migrate(pool, { schema }))).applied.map((m) => m.version)).toEqual(MIGRATIONS.slice(5).map((m) => m.version));
    for (const name of ['businesses', 'streams', 'profile_words', 'text_words', 'phones'])
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${table(`message_center_inbox_${name}`)}`)).rows, name).toEqual([{ n: 0 }]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table('message_center_usage_conversations')}`)).rows).toEqual([{ n: 1 }]);
    expect((await pool.query(`SELECT projection FROM ${table('message_center_checkpoints')} ORDER BY projection`)).rows).toEqual([{ projection: 'usage' }]);

    const world = newWorld();
    await world.play([{ kind: 'enable', business: 0, limit: 100, overage: 'allow' }]);
    await playSearch(world, [
      { kind: 'profile', business: 0, client: 1, profile: 1 },
      { kind: 'inbound', business: 0, phone: 1, body: 2 },
      { kind: 'inbound', business: 0, phone: 0, body: 6 },
    ]);
    await fold(pool, schema, world);
    let found = 0;
    for (const search of ['sean', "o'bri", 'exampl', '06 12 34 56 78', 'token', 'fin', '2', '4567', 'nobody'])
      for (const view of INBOX_VIEWS) {
        const q: Asked = { businessId: B1, viewer: S1, view, filters: {}, search, limit: 1 };
        const fromPg = await pgWalk(pool, schema, q);
        expect(fromPg, `${view} ${search}`).toEqual(await coreWalk(world, q));
        found += rowsOf(fromPg).length;
      }
    expect(found).toBeGreaterThan(5);
  });
});
