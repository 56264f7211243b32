import type { Migration } from './migration.js';

/** Migration 3: R1 and R4 (the plain inbox and the unread badge), written by the `inbox` projection (`inbox-projection.ts`). */
export const v003Inbox: Migration = {
  version: 3,
  name: 'inbox',
  sql: `
-- B1 and B3 per business: enabled (queries of a business that is not are refused), individual read status.
CREATE TABLE message_center_inbox_businesses (
  business_id text PRIMARY KEY,
  enabled boolean NOT NULL,
  individual boolean NOT NULL
);

-- C1: each client's current profile (core's ClientCard, as JSON), under its client id: the id of the
-- client's conversation, so a row joins its card by (business_id, conversation_id).
CREATE TABLE message_center_inbox_clients (
  business_id text NOT NULL,
  client_id text NOT NULL,
  card json NOT NULL,
  PRIMARY KEY (business_id, client_id)
);

-- Conversation stream -> its conversation (events after ConversationStarted carry no ids).
CREATE TABLE message_center_inbox_streams (
  stream_id text PRIMARY KEY,
  business_id text NOT NULL,
  conversation_id text NOT NULL
);

-- The records and cards are json, not jsonb: stored as written, so any text a message or a profile holds
-- (jsonb refuses a NUL character and a lone surrogate) comes back as it went in.
-- One row per conversation: core's ConversationRecord as JSON (folded by core's evolveRecord), and the
-- columns the queries sort and filter by, all derived from it when it is written. The plain inbox (R1, V9)
-- is ordered by segment (0: pinned, 1: the rest), newest last activity first, then the conversation id in
-- code-point order (COLLATE "C", as core compares ids), archived rows left out. R4 sums, over unmuted rows
-- (V8), shared_unread (B3 off) or, B3 on, the viewer's own count in message_center_inbox_read_marks, else
-- fresh_unread (the count of a viewer who never opened it). Every count is computed by core's folder rules.
CREATE TABLE message_center_inbox_conversations (
  business_id text NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  record json NOT NULL,
  segment smallint NOT NULL CHECK (segment IN (0, 1)),
  last_activity_ms bigint NOT NULL,
  archived boolean NOT NULL,
  muted boolean NOT NULL,
  shared_unread integer NOT NULL CHECK (shared_unread >= 0),
  fresh_unread integer NOT NULL CHECK (fresh_unread >= 0),
  PRIMARY KEY (business_id, conversation_id)
);

CREATE INDEX message_center_inbox_conversations_order
  ON message_center_inbox_conversations (business_id, segment, last_activity_ms DESC, conversation_id)
  WHERE NOT archived;

-- V7: each staff member's read mark on a conversation, and the unread count it gives them with B3 on.
CREATE TABLE message_center_inbox_read_marks (
  business_id text NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  staff_id text NOT NULL,
  read_up_to_seq integer NOT NULL CHECK (read_up_to_seq >= 0),
  marked_unread boolean NOT NULL,
  unread integer NOT NULL CHECK (unread >= 0),
  PRIMARY KEY (business_id, staff_id, conversation_id),
  FOREIGN KEY (business_id, conversation_id) REFERENCES message_center_inbox_conversations (business_id, conversation_id) ON DELETE CASCADE
);
`,
};
