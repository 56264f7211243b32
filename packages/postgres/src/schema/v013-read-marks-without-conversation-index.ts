import type { Migration } from './migration.js';

/**
 * Migration 13: drops migration 8's index on the read marks by (business, conversation). The inbox runner now
 * writes and deletes each mark by its key (`read-mark-rows.ts`: only the rows a batch changed), and no query reads
 * marks by conversation alone, so the index was only maintained: an entry more on every mark written, and most
 * marks move with each message (they carry their conversation's order).
 */
export const v013ReadMarksWithoutConversationIndex: Migration = {
  version: 13,
  name: 'read marks without conversation index',
  sql: `
DROP INDEX message_center_inbox_read_marks_conversation;
`,
};
