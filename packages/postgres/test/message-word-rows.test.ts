// R2: the inbox projection writes a message word row only for a word its conversation does not have yet, and
// tells which by its text of message words (migration 16), read once per batch. Whatever the pages, each
// conversation's word rows are then exactly the words core indexes for its messages, each once: a word that
// starts another ("a" of "à bientôt" beside "at" of "See you at 10") must not be taken for one already there,
// and a word twice in a batch, or again in a later one, must not be written twice.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { DomainEvent, makeEventDecoder } from '@message-center/core/internals';
import { qualified } from '../src/schema-path.js';
import { messageWordsOf } from '../src/search-rules.js';
import { storedText } from '../src/stored-text.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { inboxHistoryArb, newWorld, type World } from './support/histories.js';
import { foldInbox, migratedSchema } from './support/runner-fixtures.js';

/** `business conversation word` (stored forms) for every word of every message in the log, each once, sorted. */
const coreWordRows = async (world: World): Promise<ReadonlyArray<string>> => {
  const read = await world.store.readAll()();
  if (E.isLeft(read)) throw new Error(read.left.message);
  const decode = makeEventDecoder(DomainEvent, []);
  const conversationOf = new Map<string, { readonly businessId: string; readonly conversationId: string }>();
  const rows = new Set<string>();
  for (const recorded of read.right) {
    const decoded = decode(recorded);
    if (E.isLeft(decoded)) continue;
    const event = decoded.right;
    if (event.type === 'ConversationStarted' && !conversationOf.has(recorded.streamId))
      conversationOf.set(recorded.streamId, { businessId: event.data.businessId, conversationId: event.data.conversationId });
    if (event.type !== 'InboundReceived' && event.type !== 'OutboundSent') continue;
    const conversation = conversationOf.get(recorded.streamId);
    if (conversation === undefined) continue;
    for (const word of messageWordsOf(event.data.body)) rows.add(`${storedText(conversation.businessId)} ${storedText(conversation.conversationId)} ${storedText(word)}`);
  }
  return [...rows].sort();
};

const rowsOf = async (pool: Pool, sql: string): Promise<ReadonlyArray<string>> => (await pool.query<{ row: string }>(sql)).rows.map((r) => r.row);

const tableWordRows = (pool: Pool, schema: string): Promise<ReadonlyArray<string>> =>
  rowsOf(pool, `SELECT concat_ws(' ', business_id, conversation_id, word) AS row FROM ${qualified(schema, 'message_center_inbox_text_words')} ORDER BY 1`);

/** `business conversation word` for each word a conversation's text of message words holds. */
const textWordRows = (pool: Pool, schema: string): Promise<ReadonlyArray<string>> =>
  rowsOf(
    pool,
    `SELECT concat_ws(' ', business_id, conversation_id, w) AS row
       FROM ${qualified(schema, 'message_center_inbox_search_words')}, unnest(string_to_array(trim(messages), ' ')) AS w WHERE w <> '' ORDER BY 1`,
  );

/** Each word's kept count of conversations, and its number of word rows. */
const keptAndCounted = async (pool: Pool, schema: string): Promise<{ readonly kept: ReadonlyArray<string>; readonly counted: ReadonlyArray<string> }> => ({
  kept: await rowsOf(pool, `SELECT concat_ws(' ', business_id, word, conversations) AS row FROM ${qualified(schema, 'message_center_inbox_text_word_counts')} ORDER BY 1`),
  counted: await rowsOf(pool, `SELECT concat_ws(' ', business_id, word, count(*)) AS row FROM ${qualified(schema, 'message_center_inbox_text_words')} GROUP BY business_id, word ORDER BY 1`),
});

describe('message word rows', () => {
  const db = useFreshDatabase('message word rows');

  it('R2 each conversation has a word row for exactly each word of its messages, each once, whatever the pages (a word that starts another one included)', async () => {
    let words = 0;
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), fc.integer({ min: 1, max: 7 }), async (steps, pageSize) => {
        const pool = db().pool;
        const schema = await migratedSchema(pool, `word rows ${pageSize}`);
        const world = newWorld();
        await world.play(steps);
        await foldInbox(pool, world.store, schema, pageSize);
        const expected = await coreWordRows(world);
        expect(await tableWordRows(pool, schema)).toEqual(expected);
        words += expected.length;
      }),
      { numRuns: 8 },
    );
    // Histories without a message would prove nothing.
    expect(words).toBeGreaterThan(0);
  }, 300_000);

  it("R2 a word row already there without its word in the conversation's text (as a runner older than migration 12 left them) neither stops the runner nor is counted again; the text gets the word back", async () => {
    let repaired = 0;
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(40), fc.nat({ max: 100 }), fc.integer({ min: 1, max: 7 }), async (steps, cutAt, pageSize) => {
        const pool = db().pool;
        const schema = await migratedSchema(pool, `word rows damaged ${pageSize}`);
        const world = newWorld();
        const cut = Math.floor((steps.length * cutAt) / 100);
        await world.play(steps.slice(0, cut));
        await foldInbox(pool, world.store, schema, pageSize);
        const before = new Set(await tableWordRows(pool, schema));
        // Every text loses its words; the rows and the counts stay.
        await pool.query(`UPDATE ${qualified(schema, 'message_center_inbox_search_words')} SET messages = ' '`);
        // The first part's messages again: their words are in the rows, no longer in the texts.
        await world.play([...steps.slice(cut), ...steps.slice(0, cut).filter((s) => s.kind === 'inbound' || s.kind === 'send')]);
        // A runner stuck on the rows there would not catch up: foldInbox would fail.
        await foldInbox(pool, world.store, schema, pageSize);
        expect(await tableWordRows(pool, schema)).toEqual(await coreWordRows(world));
        const { kept, counted } = await keptAndCounted(pool, schema);
        expect(kept, 'the kept counts of words').toEqual(counted);
        const inTexts = await textWordRows(pool, schema);
        const rows = new Set(await tableWordRows(pool, schema));
        expect(inTexts.filter((row) => !rows.has(row)), 'words in a text without their row').toEqual([]);
        repaired += inTexts.filter((row) => before.has(row)).length;
      }),
      { numRuns: 8 },
    );
    // Rows already there must have been met again, or the fallback went untried.
    expect(repaired).toBeGreaterThan(0);
  }, 300_000);
});

