import type { Migration } from './migration.js';

/**
 * Migration 12: a conversation's message words as one row (`search-query.ts` probes it while walking the inbox),
 * instead of migration 10's second index on the message words. That index was written on every new word of every
 * message and was the dearest part of the runner's server time: at 100,000 conversations, dropping it took the
 * projection's server CPU from 169.5 to 138.6 s (147.0 with this row instead). A row per conversation is rewritten
 * once per batch that brings it new words (in place while it fits its page: no index entry; a long conversation's
 * row, stored out of line, is rewritten whole), and a probe reads one row by its key instead of a range of an index.
 * Filled here from the words there: no fold again.
 */
export const v012InboxConversationWords: Migration = {
  version: 12,
  name: 'inbox conversation words',
  sql: `
-- R2: the words of every message of a conversation (message_center_inbox_text_words' rows of that conversation,
-- each once, in no particular order), kept by the inbox projection with them. Room left on each page for the row's next
-- version, so that adding words rewrites it in place.
CREATE TABLE message_center_inbox_conversation_words (
  business_id text NOT NULL,
  conversation_id text NOT NULL,
  words text[] COLLATE "C" NOT NULL,
  PRIMARY KEY (business_id, conversation_id)
) WITH (fillfactor = 50, parallel_workers = 0);

INSERT INTO message_center_inbox_conversation_words (business_id, conversation_id, words)
SELECT business_id, conversation_id, array_agg(word ORDER BY word) FROM message_center_inbox_text_words GROUP BY business_id, conversation_id;

DROP INDEX message_center_inbox_text_words_conversation;
`,
};
