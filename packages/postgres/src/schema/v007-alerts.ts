import type { Migration } from './migration.js';

/** Migration 7: R7 alerts (V8), written by the `alerts` projection (`alerts-projection.ts`), read by `alertsFromPg`. */
export const v007Alerts: Migration = {
  version: 7,
  name: 'alerts',
  sql: `
-- R7: every alert core's fold raised, per business in log order. Every row is kept: the query answers from
-- the business's latest N (core's alertRetention), so the window is the query's, as in core's memory.
-- The alert is core's Alert as json (stored as written: jsonb refuses a NUL and a lone surrogate, which a
-- client's name or a message may hold); its position is the row's key, numeric(20, 0) as the checkpoints.
CREATE TABLE message_center_alerts (
  business_id text NOT NULL,
  commit_position numeric(20, 0) NOT NULL CHECK (commit_position >= 0),
  prepare_position numeric(20, 0) NOT NULL CHECK (prepare_position >= 0),
  alert json NOT NULL,
  PRIMARY KEY (business_id, commit_position, prepare_position)
);

-- What core's alerts fold reads when a message comes in, kept as the events themselves (json, as the store
-- holds them) at their log positions: per conversation stream its last ConversationStarted and its last
-- ConversationMuted or ConversationUnmuted; per client its last ClientProfileRecorded. Before a batch, the
-- projection folds these again with core's fold, in log order, so that core decides what they mean.
CREATE TABLE message_center_alert_streams (
  stream_id text PRIMARY KEY,
  business_id text,
  client_id text,
  started json,
  started_commit numeric(20, 0) CHECK (started_commit >= 0),
  started_prepare numeric(20, 0) CHECK (started_prepare >= 0),
  started_revision numeric(20, 0) CHECK (started_revision >= 0),
  muting json,
  muting_commit numeric(20, 0) CHECK (muting_commit >= 0),
  muting_prepare numeric(20, 0) CHECK (muting_prepare >= 0),
  muting_revision numeric(20, 0) CHECK (muting_revision >= 0),
  CHECK ((started IS NULL) = (started_commit IS NULL) AND (started IS NULL) = (business_id IS NULL)),
  CHECK ((muting IS NULL) = (muting_commit IS NULL))
);

CREATE TABLE message_center_alert_clients (
  business_id text NOT NULL,
  client_id text NOT NULL,
  stream_id text NOT NULL,
  profile json NOT NULL,
  commit_position numeric(20, 0) NOT NULL CHECK (commit_position >= 0),
  prepare_position numeric(20, 0) NOT NULL CHECK (prepare_position >= 0),
  revision numeric(20, 0) NOT NULL CHECK (revision >= 0),
  PRIMARY KEY (business_id, client_id)
);
`,
};
