import type { Migration } from './migration.js';

/**
 * Migration 15: how many clients of a business have each word on their current card, kept by the inbox projection
 * with the card's word rows, as migration 14 keeps the message words'. A search counted a prefix's card words in
 * their rows, up to a cap (5,000 rows, 20,000 under a list filter): "Mar" starts 12,902 card words at 100,000
 * conversations, so it was never counted whole (6.7 ms to read them) and could only be probed on each walked row
 * (40 ms in a folder view), never hashed once as a sieve of the walk. A prefix's count is now a sum over a short
 * range of this small table's key, which holds the counts (a short prefix starts over a thousand card words, read
 * from the key alone: a card's words change far less often than a message's, so a count moved off HOT costs
 * little). A word no card holds any more keeps a row of zero (a card written again replaces its words: the count
 * goes down as well as up). Filled here from the word rows: no fold again.
 */
export const v015InboxCardWordCounts: Migration = {
  version: 15,
  name: 'inbox card word counts',
  sql: `
CREATE TABLE message_center_inbox_profile_word_counts (
  business_id text NOT NULL,
  word text COLLATE "C" NOT NULL,
  clients bigint NOT NULL CHECK (clients >= 0),
  PRIMARY KEY (business_id, word) INCLUDE (clients)
) WITH (parallel_workers = 0);

INSERT INTO message_center_inbox_profile_word_counts (business_id, word, clients)
SELECT business_id, word, count(*) FROM message_center_inbox_profile_words GROUP BY business_id, word;
`,
};
