// Migrations 15 and 16 on a database that already holds card words: each card word's kept count of clients and
// each card's text of words, filled from the word rows or kept by the projection batch by batch while cards are
// written again (words gone and words added), are its word rows; and searches that choose their way by those
// counts, or probe those texts, answer as core does, before and after the runner goes on.
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { v015InboxCardWordCounts } from '../src/schema/v015-inbox-card-word-counts.js';
import { v016InboxSearchWords } from '../src/schema/v016-inbox-search-words.js';
import { qualified } from '../src/schema-path.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { STAFF, inboxStart, type World } from './support/histories.js';
import { foldInbox } from './support/runner-fixtures.js';
import { SEARCH_CLIENTS, playSearch, searchStepsArb } from './support/search-histories.js';
import { compareSearches } from './support/search-comparisons.js';
import { upgradeMidwayWith } from './support/upgrade-midway.js';
import { conversationWords, wordRows } from './support/search-word-texts.js';

/** Each card word's kept count (a word no card holds any more keeps a zero), and the same counted from the word rows. */
const cardWordCounts = async (pool: Pool, schema: string): Promise<{ readonly kept: ReadonlyArray<string>; readonly counted: ReadonlyArray<string> }> => {
  const rows = async (sql: string): Promise<ReadonlyArray<string>> => (await pool.query<{ row: string }>(sql)).rows.map((r) => r.row);
  return {
    kept: await rows(`SELECT concat_ws(' ', business_id, word, clients) AS row FROM ${qualified(schema, 'message_center_inbox_profile_word_counts')} WHERE clients > 0 ORDER BY 1`),
    counted: await rows(`SELECT concat_ws(' ', business_id, word, count(*)) AS row FROM ${qualified(schema, 'message_center_inbox_profile_words')} GROUP BY business_id, word ORDER BY 1`),
  };
};

const expectCountsHoldTheWords = async (pool: Pool, schema: string, what: string): Promise<void> => {
  const { kept, counted } = await cardWordCounts(pool, schema);
  expect(counted.length, `${what}: some card words`).toBeGreaterThan(0);
  expect(kept, `${what}: the kept counts of card words`).toEqual(counted);
  expect(await conversationWords(pool, schema, 'card'), `${what}: each card's text of words`).toEqual(await wordRows(pool, schema, 'card'));
  expect(await conversationWords(pool, schema, 'messages'), `${what}: each conversation's text of message words`).toEqual(await wordRows(pool, schema, 'messages'));
};

/** Prefixes of the search profiles' words (Zoë Ørsted, Seán O'Brien-Smith, Jane Doe, …), a letter, and a word of none. */
const SEARCHES: ReadonlyArray<string> = ['zo', 'orsted', 'sean o', 'jane', 'j', 'example', 'zzz'];

const compare = (pool: Pool, world: World, schema: string, what: string): Promise<number> =>
  compareSearches(pool, world, schema, what, { viewers: STAFF.slice(0, 1), searches: SEARCHES, ways: ['sieve', 'walk'] });

describe('migrations 15 and 16 on card words written before them', () => {
  const db = useFreshDatabase('card word counts');

  it.each([v015InboxCardWordCounts, v016InboxSearchWords])("R2 each card word's count of clients and each card's text of words, filled from the word rows or kept by the projection in batches while cards are written again, are its word rows, and searches that choose by the counts or probe the texts equal core, after the upgrade to $version and after the runner goes on", async (midway) => {
    let found = 0;
    await fc.assert(
      fc.asyncProperty(searchStepsArb, fc.nat({ max: 100 }), fc.integer({ min: 1, max: 7 }), async (steps, cutAt, pageSize) => {
        const pool = db().pool;
        await upgradeMidwayWith({
          pool,
          steps,
          play: playSearch,
          start: inboxStart(true),
          // The search clients are recorded first: the rows copied hold card words.
          keep: SEARCH_CLIENTS.length,
          cutAt,
          migration: midway,
          label: `card counts ${midway.version}`,
          fold: (world, schema) => foldInbox(pool, world.store, schema, pageSize),
          upgraded: async ({ world, fresh, upgraded }) => {
            await expectCountsHoldTheWords(pool, fresh, 'folded');
            await expectCountsHoldTheWords(pool, upgraded, 'filled');
            found += await compare(pool, world, upgraded, 'upgraded');
          },
          foldedOn: async ({ world, fresh, upgraded }) => {
            await expectCountsHoldTheWords(pool, upgraded, 'upgraded, then folded on');
            await expectCountsHoldTheWords(pool, fresh, 'folded on');
            found += await compare(pool, world, upgraded, 'upgraded, then folded on');
          },
        });
      }),
      { numRuns: 6 },
    );
    // Searches that found nothing would prove little.
    expect(found).toBeGreaterThan(0);
  }, 300_000);
});
