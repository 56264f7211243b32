import type { Migration } from './migration.js';

/**
 * Migration 16: each conversation's card words and message words as two texts of one row, ` w1 w2 … ` (stored
 * text between spaces), instead of migration 12's array of message words beside the card's word rows. A search
 * probes a walked id for a word it did not hash (`search-query.ts`): it read the card's word rows by key and
 * compared each, then unnested the conversation's array of message words (~50 at 100,000 conversations) and
 * compared each, 19 µs a probe; now it reads one row and looks for ` <prefix>` in each text (`strpos`: stored
 * words are hex digits, so a space starts every word and only a word), 5.7 µs. The card's text is replaced with the
 * card, the messages' text grows as migration 12's array did. Filled here from the rows there: no fold again;
 * migration 12's table goes (stop older runners before migrating: they would write it).
 */
export const v016InboxSearchWords: Migration = {
  version: 16,
  name: 'inbox search words',
  sql: `
-- R2: the words of a conversation's client card (message_center_inbox_profile_words' rows of that client) and of
-- its messages (message_center_inbox_text_words' rows of it), each once, as ' w1 w2 … ': a word between spaces.
-- Kept by the inbox projection with the word rows. Room left on each page for the row's next version, so that
-- adding words rewrites it in place.
CREATE TABLE message_center_inbox_search_words (
  business_id text NOT NULL,
  conversation_id text NOT NULL,
  card text NOT NULL,
  messages text NOT NULL,
  PRIMARY KEY (business_id, conversation_id)
) WITH (fillfactor = 50, parallel_workers = 0);

INSERT INTO message_center_inbox_search_words (business_id, conversation_id, card, messages)
SELECT coalesce(c.business_id, m.business_id), coalesce(c.client_id, m.conversation_id), coalesce(c.card, ' '), coalesce(m.messages, ' ')
  FROM (SELECT business_id, client_id, ' ' || string_agg(word, ' ') || ' ' AS card
          FROM message_center_inbox_profile_words GROUP BY business_id, client_id) c
  FULL JOIN (SELECT business_id, conversation_id, ' ' || array_to_string(words, ' ') || ' ' AS messages
               FROM message_center_inbox_conversation_words) m
    ON m.business_id = c.business_id AND m.conversation_id = c.client_id;

DROP TABLE message_center_inbox_conversation_words;
`,
};
