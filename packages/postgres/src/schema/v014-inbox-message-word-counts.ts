import type { Migration } from './migration.js';

/**
 * Migration 14: how many conversations of a business have each message word, kept by the inbox projection with
 * the word rows. A search chose its way by counting each word's matches in the word rows, up to a cap (5,000, or
 * 20,000 under a list filter): counting a common word cost ~10 ms at 100,000 conversations, and a word past the
 * cap ("thursday": 20,810) could only be walked, blind (60 ms under a group where starting from the group took
 * 22). A prefix's count is now a sum over a short range of this small table (a common word is one row here; a
 * conversation with two words of the prefix counts twice, as when the word rows were counted).
 * Filled here from the word rows: no fold again.
 */
export const v014InboxMessageWordCounts: Migration = {
  version: 14,
  name: 'inbox message word counts',
  sql: `
CREATE TABLE message_center_inbox_text_word_counts (
  business_id text NOT NULL,
  word text COLLATE "C" NOT NULL,
  conversations bigint NOT NULL CHECK (conversations > 0),
  PRIMARY KEY (business_id, word)
) WITH (fillfactor = 70, parallel_workers = 0);

INSERT INTO message_center_inbox_text_word_counts (business_id, word, conversations)
SELECT business_id, word, count(*) FROM message_center_inbox_text_words GROUP BY business_id, word;
`,
};
