import type { Migration } from './migration.js';

/**
 * Migration 6: R2 search of the inbox (`search-query.ts`). The words and numbers a search looks in are written
 * by the `inbox` projection from core's own word rules, which SQL cannot apply to the rows already there: the
 * projection's tables are emptied and its checkpoint removed, and the runner folds the log again from the
 * start (a read model is rebuilt from the log; no fact lives only here).
 *
 * The words are core's (folded and cut in the process by core's functions), kept as `storedText` (4 hex
 * digits per UTF-16 code unit), so that a prefix in code units is a prefix of the stored string; `COLLATE "C"`
 * makes a prefix one range of the btree. The numbers are E.164 (`+` and ASCII digits, checked by core's
 * codec), searched for a run of digits with pg_trgm's GIN index.
 */
export const v006InboxSearch: Migration = {
  version: 6,
  name: 'inbox search',
  sql: `
TRUNCATE message_center_inbox_read_marks, message_center_inbox_conversations, message_center_inbox_clients,
         message_center_inbox_streams, message_center_inbox_businesses;
DELETE FROM message_center_checkpoints WHERE projection = 'inbox';

-- R2: the words of each client's current card (name, e-mail, UID, client id), replaced with the card.
CREATE TABLE message_center_inbox_profile_words (
  business_id text NOT NULL,
  client_id text NOT NULL,
  word text COLLATE "C" NOT NULL CHECK (word <> ''),
  PRIMARY KEY (business_id, client_id, word)
);
CREATE INDEX message_center_inbox_profile_words_prefix ON message_center_inbox_profile_words (business_id, word, client_id);

-- R2: the words of every message of a conversation, in and out (they only grow, as core's).
CREATE TABLE message_center_inbox_text_words (
  business_id text NOT NULL,
  conversation_id text NOT NULL,
  word text COLLATE "C" NOT NULL CHECK (word <> ''),
  PRIMARY KEY (business_id, word, conversation_id)
);

-- R2: the numbers of a conversation: the one it started with, and its client's current cell phone.
CREATE TABLE message_center_inbox_phones (
  business_id text NOT NULL,
  conversation_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('conversation', 'client')),
  phone text NOT NULL,
  PRIMARY KEY (business_id, conversation_id, source)
);
CREATE INDEX message_center_inbox_phones_digits ON message_center_inbox_phones USING gin (phone gin_trgm_ops);
`,
};
