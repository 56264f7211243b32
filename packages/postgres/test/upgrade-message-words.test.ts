// Migrations 12, 14 and 16 on a database that already holds inbox rows: each conversation's text of message words,
// filled from the word rows (through migration 12's arrays, or from the arrays the projection kept), holds exactly
// that conversation's words (each once), and each word's kept count of conversations is its number of word rows,
// as the projection keeps both batch by batch; and searches that walk the inbox probing those texts, or choose
// their way by those counts, answer as core does, before and after the runner goes on.
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { v012InboxConversationWords } from '../src/schema/v012-inbox-conversation-words.js';
import { v016InboxSearchWords } from '../src/schema/v016-inbox-search-words.js';
import { qualified } from '../src/schema-path.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { STAFF, inboxHistoryArb, type World } from './support/histories.js';
import { foldInbox } from './support/runner-fixtures.js';
import { upgradeMidway } from './support/upgrade-midway.js';
import { compareSearches } from './support/search-comparisons.js';
import { conversationWords, wordRows } from './support/search-word-texts.js';

/** Each word's kept count, and the same counted from the word rows. */
const wordCounts = async (pool: Pool, schema: string): Promise<{ readonly kept: ReadonlyArray<string>; readonly counted: ReadonlyArray<string> }> => {
  const rows = async (sql: string): Promise<ReadonlyArray<string>> => (await pool.query<{ row: string }>(sql)).rows.map((r) => r.row);
  return {
    kept: await rows(`SELECT concat_ws(' ', business_id, word, conversations) AS row FROM ${qualified(schema, 'message_center_inbox_text_word_counts')} ORDER BY 1`),
    counted: await rows(`SELECT concat_ws(' ', business_id, word, count(*)) AS row FROM ${qualified(schema, 'message_center_inbox_text_words')} GROUP BY business_id, word ORDER BY 1`),
  };
};

const expectRowsHoldTheWords = async (pool: Pool, schema: string, what: string): Promise<void> => {
  expect(await conversationWords(pool, schema, 'messages'), `${what}: each conversation's text of message words`).toEqual(await wordRows(pool, schema, 'messages'));
  expect(await conversationWords(pool, schema, 'card'), `${what}: each conversation's text of card words`).toEqual(await wordRows(pool, schema, 'card'));
  const { kept, counted } = await wordCounts(pool, schema);
  expect(kept, `${what}: the kept counts of words`).toEqual(counted);
};

/** Words of the generated bodies ("Hi", "Merci beaucoup, à bientôt", "See you at 10", …), a letter, and a word of none. */
const SEARCHES: ReadonlyArray<string> = ['hi', 'merci a', 'see', 'b', 'thanks', 'zzz'];

const compare = (pool: Pool, world: World, schema: string, what: string): Promise<number> =>
  compareSearches(pool, world, schema, what, { viewers: STAFF.slice(0, 2), searches: SEARCHES, ways: ['walk'] });

describe('migrations 12, 14 and 16 on rows written before them', () => {
  const db = useFreshDatabase('message words fill');

  it.each([v012InboxConversationWords, v016InboxSearchWords])("R2 each conversation's text of message words and each word's count, filled from the word rows or kept by the projection in batches, hold exactly the word rows, and searches that probe the texts or choose by the counts equal core, after the upgrade to $version and after the runner goes on", async (midway) => {
    let found = 0;
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), fc.nat({ max: 100 }), fc.integer({ min: 1, max: 7 }), async (steps, cutAt, pageSize) => {
        const pool = db().pool;
        await upgradeMidway({
          pool,
          steps,
          cutAt,
          migration: midway,
          label: `words ${midway.version}`,
          fold: (world, schema) => foldInbox(pool, world.store, schema, pageSize),
          upgraded: async ({ world, fresh, upgraded }) => {
            await expectRowsHoldTheWords(pool, upgraded, 'filled');
            await expectRowsHoldTheWords(pool, fresh, 'folded');
            expect(await conversationWords(pool, upgraded, 'messages'), 'filled as folded').toEqual(await conversationWords(pool, fresh, 'messages'));
            found += await compare(pool, world, upgraded, 'upgraded');
          },
          foldedOn: async ({ world, fresh, upgraded }) => {
            await expectRowsHoldTheWords(pool, upgraded, 'upgraded, then folded on');
            await expectRowsHoldTheWords(pool, fresh, 'folded on');
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
