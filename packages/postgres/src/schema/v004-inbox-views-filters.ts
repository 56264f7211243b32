import type { Migration } from './migration.js';

/**
 * Migration 4: V4–V7 folder views and R3 filters of the inbox (`inbox-query.ts`). The folders are computed by
 * core's folder rules when the `inbox` projection writes a row, so the rows migration 3 left cannot be given
 * theirs in SQL: the projection's tables are emptied and its checkpoint removed, and the runner folds the log
 * again from the start (a read model is rebuilt from the log; no fact lives only here).
 */
export const v004InboxViewsFilters: Migration = {
  version: 4,
  name: 'inbox views and filters',
  sql: `
TRUNCATE message_center_inbox_read_marks, message_center_inbox_conversations, message_center_inbox_clients,
         message_center_inbox_streams, message_center_inbox_businesses;
DELETE FROM message_center_checkpoints WHERE projection = 'inbox';

-- V4–V7: a conversation's folder under the shared read mark (B3 off: everyone's), and for a staff member with
-- no mark of their own (B3 on); core's folderForMark of the record, 'archived' when it is archived (V5).
ALTER TABLE message_center_inbox_conversations
  ADD COLUMN shared_folder text NOT NULL CHECK (shared_folder IN ('unread', 'read', 'replied', 'archived')),
  ADD COLUMN fresh_folder text NOT NULL CHECK (fresh_folder IN ('unread', 'read', 'replied', 'archived'));

-- V7 with B3 on: the folder this staff member's own mark gives them (core's folderFor).
ALTER TABLE message_center_inbox_read_marks
  ADD COLUMN folder text NOT NULL CHECK (folder IN ('unread', 'read', 'replied', 'archived'));

-- R3: the card's client type, groups and home location as core indexes them (an empty string is no value).
ALTER TABLE message_center_inbox_clients
  ADD COLUMN client_type text CHECK (client_type <> ''),
  ADD COLUMN groups text[] NOT NULL,
  ADD COLUMN home_location text CHECK (home_location <> '');

-- A folder view walks the conversations of that folder in inbox order.
CREATE INDEX message_center_inbox_conversations_shared_folder
  ON message_center_inbox_conversations (business_id, shared_folder, last_activity_ms DESC, conversation_id)
  WHERE segment = 1;
CREATE INDEX message_center_inbox_conversations_fresh_folder
  ON message_center_inbox_conversations (business_id, fresh_folder, last_activity_ms DESC, conversation_id)
  WHERE segment = 1;
CREATE INDEX message_center_inbox_read_marks_folder
  ON message_center_inbox_read_marks (business_id, staff_id, folder);

-- The filters: any of the types, any of the groups (array overlap), any of the locations.
CREATE INDEX message_center_inbox_clients_type ON message_center_inbox_clients (business_id, client_type);
CREATE INDEX message_center_inbox_clients_location ON message_center_inbox_clients (business_id, home_location);
CREATE INDEX message_center_inbox_clients_groups ON message_center_inbox_clients USING gin (groups);
`,
};
