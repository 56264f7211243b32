import type { Migration } from './migration.js';

/**
 * Migration 5: ids and filter values are kept as `storedText` (4 hexadecimal digits per UTF-16 code unit)
 * instead of raw text, which refused NUL, merged lone surrogates and ordered astral characters unlike core.
 * Rows written before cannot be compared with the new form: the read models are emptied and their
 * checkpoints removed, and the runners fold the log again from the start (no fact lives only here).
 */
export const v005StoredText: Migration = {
  version: 5,
  name: 'ids as stored text',
  sql: `
TRUNCATE message_center_inbox_read_marks, message_center_inbox_conversations, message_center_inbox_clients,
         message_center_inbox_streams, message_center_inbox_businesses;
TRUNCATE message_center_usage, message_center_usage_conversations, message_center_usage_plans;
DELETE FROM message_center_checkpoints WHERE projection IN ('inbox', 'usage');
`,
};
