import type { Migration } from './migration.js';

/**
 * Migration 9: R4's running totals. The badge summed, on every call, all of a business's unmuted
 * conversations joined with the viewer's marks (p99 90 ms at 100,000 conversations); the inbox projection now
 * moves these sums in each batch's transaction (`badge-totals.ts`), so the badge reads two rows by primary
 * key. Filled here from the rows already written, so an existing database needs no new fold.
 */
export const v009InboxBadgeTotals: Migration = {
  version: 9,
  name: 'inbox badge totals',
  sql: `
-- Per business, over its unmuted conversations (V8): the sum of shared_unread (the badge with B3 off) and of
-- fresh_unread (with B3 on, the badge of a viewer without any mark).
-- And the business's conversations, muted or not: R2's search weighs walking the inbox against fetching a
-- word's matches by it (search-query.ts).
CREATE TABLE message_center_inbox_badge_totals (
  business_id text PRIMARY KEY,
  shared_unread bigint NOT NULL CHECK (shared_unread >= 0),
  fresh_unread bigint NOT NULL CHECK (fresh_unread >= 0),
  conversations bigint NOT NULL CHECK (conversations >= 0)
);

-- Per business and staff member, over the unmuted conversations where they have a read mark: the sum of
-- (their unread - fresh_unread). With B3 on their badge is fresh_unread + this (negative when their marks
-- hide more than they add).
CREATE TABLE message_center_inbox_badge_staff (
  business_id text NOT NULL,
  staff_id text NOT NULL,
  unread_minus_fresh bigint NOT NULL,
  PRIMARY KEY (business_id, staff_id)
);

INSERT INTO message_center_inbox_badge_totals (business_id, shared_unread, fresh_unread, conversations)
SELECT business_id, coalesce(sum(shared_unread) FILTER (WHERE NOT muted), 0), coalesce(sum(fresh_unread) FILTER (WHERE NOT muted), 0), count(*)
  FROM message_center_inbox_conversations
 GROUP BY business_id;

INSERT INTO message_center_inbox_badge_staff (business_id, staff_id, unread_minus_fresh)
SELECT m.business_id, m.staff_id, sum(m.unread - c.fresh_unread)
  FROM message_center_inbox_read_marks m
  JOIN message_center_inbox_conversations c ON c.business_id = m.business_id AND c.conversation_id = m.conversation_id
 WHERE NOT c.muted
 GROUP BY m.business_id, m.staff_id;
`,
};
