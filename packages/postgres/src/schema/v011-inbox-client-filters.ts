import type { Migration } from './migration.js';

/**
 * Migration 11: R3's filter values of each client's card, a row each, so that a search under a filter can start
 * from the filter's clients. A common word under a rare filter ("Ann" among the 5 % of clients in one group)
 * walked most of the business in inbox order to fill a page (0.2–0.7 s at 100,000 conversations); the clients
 * of one value are a range of this table's key, read without touching the cards, and their number is kept
 * beside it (`search-query.ts`). Written with the card by the inbox projection; filled here from the cards'
 * columns.
 * And the inbox tables are read without parallel workers: a page walks an index and stops at the page, and a
 * parallel plan started workers for each page (a folder view's search waited 15–40 ms for its Gather Merge).
 */
export const v011InboxClientFilters: Migration = {
  version: 11,
  name: 'inbox client filters',
  sql: `
-- One row per filter value of a client's current card: its client type, each of its groups, its home location
-- (the values of message_center_inbox_clients' columns, stored text; a card without a value has no row).
CREATE TABLE message_center_inbox_client_filters (
  business_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('client_type', 'group', 'home_location')),
  value text NOT NULL CHECK (value <> ''),
  client_id text NOT NULL,
  PRIMARY KEY (business_id, kind, value, client_id)
);
-- A card written again replaces its rows: found by the client, not by a scan of the business's values.
CREATE INDEX message_center_inbox_client_filters_client ON message_center_inbox_client_filters (business_id, client_id);

-- How many clients of a business have each value: a filter's size in one read, moved with the rows above.
CREATE TABLE message_center_inbox_filter_counts (
  business_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('client_type', 'group', 'home_location')),
  value text NOT NULL,
  clients bigint NOT NULL CHECK (clients >= 0),
  PRIMARY KEY (business_id, kind, value)
);

INSERT INTO message_center_inbox_client_filters (business_id, kind, value, client_id)
SELECT DISTINCT c.business_id, f.kind, f.value, c.client_id
  FROM message_center_inbox_clients c
 CROSS JOIN LATERAL (
   SELECT 'client_type', c.client_type UNION ALL
   SELECT 'group', g FROM unnest(c.groups) g UNION ALL
   SELECT 'home_location', c.home_location
 ) f(kind, value)
 WHERE f.value IS NOT NULL AND f.value <> '';

INSERT INTO message_center_inbox_filter_counts (business_id, kind, value, clients)
SELECT business_id, kind, value, count(*) FROM message_center_inbox_client_filters GROUP BY business_id, kind, value;

ALTER TABLE message_center_inbox_conversations SET (parallel_workers = 0);
ALTER TABLE message_center_inbox_read_marks SET (parallel_workers = 0);
ALTER TABLE message_center_inbox_clients SET (parallel_workers = 0);
ALTER TABLE message_center_inbox_client_filters SET (parallel_workers = 0);
ALTER TABLE message_center_inbox_profile_words SET (parallel_workers = 0);
ALTER TABLE message_center_inbox_text_words SET (parallel_workers = 0);
ALTER TABLE message_center_inbox_phones SET (parallel_workers = 0);
`,
};
