// What a schema's texts of words (migration 16) hold, beside what its word rows hold: the upgrade tests compare them.
import type { Pool } from 'pg';
import { qualified } from '../../src/schema-path.js';

/**
 * Each conversation's words as its text of `column` holds them (a word twice, or a space too many or missing, would
 * show), sorted, and no text without a word; and whether every text is ' ' or starts and ends with a space.
 */
export const conversationWords = async (pool: Pool, schema: string, column: 'card' | 'messages'): Promise<ReadonlyArray<string>> =>
  (
    await pool.query<{ row: string }>(
      `SELECT concat_ws(' ', business_id, conversation_id, array_to_string(ARRAY(SELECT w FROM unnest(string_to_array(substr(${column}, 2, length(${column}) - 2), ' ')) w ORDER BY w), ','),
                        ${column} ~ '^ ([0-9a-f]+ )*$') AS row
         FROM ${qualified(schema, 'message_center_inbox_search_words')} WHERE ${column} <> ' ' ORDER BY 1`,
    )
  ).rows.map((r) => r.row);

/** The same from the word rows (of the card, of the messages). */
export const wordRows = async (pool: Pool, schema: string, column: 'card' | 'messages'): Promise<ReadonlyArray<string>> =>
  (
    await pool.query<{ row: string }>(
      column === 'card'
        ? `SELECT concat_ws(' ', business_id, client_id, string_agg(word, ',' ORDER BY word), true) AS row
             FROM ${qualified(schema, 'message_center_inbox_profile_words')} GROUP BY business_id, client_id ORDER BY 1`
        : `SELECT concat_ws(' ', business_id, conversation_id, string_agg(word, ',' ORDER BY word), true) AS row
             FROM ${qualified(schema, 'message_center_inbox_text_words')} GROUP BY business_id, conversation_id ORDER BY 1`,
    )
  ).rows.map((r) => r.row);

