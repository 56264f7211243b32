import type { Migration } from './migration.js';

/** Migration 2: R6 usage, written by the `usage` projection (`usage-projection.ts`) through the projection runner. */
export const v002Usage: Migration = {
  version: 2,
  name: 'usage',
  sql: `
-- R6 (B4): messages per business and billing period (a UTC calendar month, YYYY-MM), inbound and outbound,
-- their segments, and the outbound messages sent beyond the allotment under the overage policy.
CREATE TABLE message_center_usage (
  business_id text NOT NULL,
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  inbound bigint NOT NULL CHECK (inbound >= 0),
  outbound bigint NOT NULL CHECK (outbound >= 0),
  overage bigint NOT NULL CHECK (overage >= 0),
  inbound_segments bigint NOT NULL,
  outbound_segments bigint NOT NULL,
  PRIMARY KEY (business_id, period)
);

-- Message events carry no business id: a conversation stream's business comes from its own
-- ConversationStarted, as in core's usage read model.
CREATE TABLE message_center_usage_conversations (
  stream_id text PRIMARY KEY,
  business_id text NOT NULL
);

-- Each plan a business was given (MessageCenterEnabled, PlanChanged), in log order: a period's limit is the
-- last plan set in or before that period, else the first plan. The event's log position orders them and
-- keys them, so an event applied twice would fail rather than count twice.
CREATE TABLE message_center_usage_plans (
  business_id text NOT NULL,
  commit_position numeric(20, 0) NOT NULL CHECK (commit_position >= 0),
  prepare_position numeric(20, 0) NOT NULL CHECK (prepare_position >= 0),
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  messages_per_period bigint NOT NULL CHECK (messages_per_period >= 0),
  overage text NOT NULL CHECK (overage IN ('refuse', 'allow')),
  PRIMARY KEY (business_id, commit_position, prepare_position)
);
`,
};
