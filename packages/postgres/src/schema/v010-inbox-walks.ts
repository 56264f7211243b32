import type { Migration } from './migration.js';

/**
 * Migration 10: folder views and searches that walk the inbox order and stop at the page (`inbox-page-sql.ts`).
 * At 100,000 conversations a folder view (B3 on) scanned every conversation of the business with its viewer's
 * mark (~125 ms whatever the page), and a search fetched every match before cutting the page (224–351 ms p99).
 * - A staff member's marks carry the order of their conversation (segment and last activity, written with the
 *   mark from the same record), so a folder view walks that viewer's marks of the folder in inbox order.
 * - A message word is found from its conversation (`business_id, conversation_id, word`), so a search for a
 *   common word can walk the inbox order and probe each row instead of fetching tens of thousands of matches.
 * Both are filled from the rows there: no fold again.
 */
export const v010InboxWalks: Migration = {
  version: 10,
  name: 'inbox walks',
  sql: `
ALTER TABLE message_center_inbox_read_marks
  ADD COLUMN segment smallint CHECK (segment IN (0, 1)),
  ADD COLUMN last_activity_ms bigint;
UPDATE message_center_inbox_read_marks m SET segment = c.segment, last_activity_ms = c.last_activity_ms
  FROM message_center_inbox_conversations c
 WHERE c.business_id = m.business_id AND c.conversation_id = m.conversation_id;
ALTER TABLE message_center_inbox_read_marks ALTER COLUMN segment SET NOT NULL, ALTER COLUMN last_activity_ms SET NOT NULL;

DROP INDEX message_center_inbox_read_marks_folder;
CREATE INDEX message_center_inbox_read_marks_folder_order
  ON message_center_inbox_read_marks (business_id, staff_id, folder, last_activity_ms DESC, conversation_id)
  WHERE segment = 1;

CREATE INDEX message_center_inbox_text_words_conversation ON message_center_inbox_text_words (business_id, conversation_id, word);
`,
};
