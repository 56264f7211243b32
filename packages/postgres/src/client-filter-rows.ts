import type { ClientBase } from 'pg';
import type { TextArrayParam } from './array-literals.js';
import { columnOf } from './rows.js';

// R3's filter values of each client's card, a row each (migration 11), and how many clients of a business
// have each value, so that a search under a filter knows the filter's size in one read (`search-query.ts`).
// Both move in the batch's transaction with the cards (`inbox-projection.ts`).

/** A value's move: clients added minus clients gone, for one (business, kind, value). */
interface CountMove {
  readonly businessId: string;
  readonly kind: string;
  readonly value: string;
  clients: number;
}

/** Adds each returned row's (business_id, kind, value) to the moves, with `sign`. */
const move = (moves: Map<string, CountMove>, rows: ReadonlyArray<unknown>, sign: 1 | -1): void => {
  for (const row of rows) {
    const [businessId, kind, value] = [columnOf(row, 'business_id'), columnOf(row, 'kind'), columnOf(row, 'value')];
    if (typeof businessId !== 'string' || typeof kind !== 'string' || typeof value !== 'string') throw new Error('a filter row came back without its key');
    // Stored text is hex digits: a space never occurs in it.
    const key = `${businessId} ${kind} ${value}`;
    const counted = moves.get(key) ?? { businessId, kind, value, clients: 0 };
    counted.clients += sign;
    moves.set(key, counted);
  }
};

/**
 * The filter rows of the cards just written (`businesses`, `clients`: stored text, one pair per card, as `storedTextArray` sends them), derived
 * from their columns in message_center_inbox_clients: a card's old rows go, its current ones come, and each
 * value's count moves by the difference. The counts are never negative (CHECK), and PostgreSQL checks an
 * INSERT's proposed row before ON CONFLICT sees the conflict, so the moves are applied by UPDATE first and only
 * the values without a row are inserted (their moves are ≥ 0: a count starts at 0).
 */
export const writeClientFilters = async (client: ClientBase, businesses: TextArrayParam, clients: TextArrayParam): Promise<void> => {
  const gone = await client.query(
    `DELETE FROM message_center_inbox_client_filters f
      USING unnest($1::text[], $2::text[]) AS k(business_id, client_id)
      WHERE f.business_id = k.business_id AND f.client_id = k.client_id
     RETURNING f.business_id, f.kind, f.value`,
    [businesses, clients],
  );
  const added = await client.query(
    `INSERT INTO message_center_inbox_client_filters (business_id, kind, value, client_id)
     SELECT DISTINCT c.business_id, f.kind, f.value, c.client_id
       FROM unnest($1::text[], $2::text[]) AS k(business_id, client_id)
       JOIN message_center_inbox_clients c ON c.business_id = k.business_id AND c.client_id = k.client_id
      CROSS JOIN LATERAL (
        SELECT 'client_type', c.client_type UNION ALL
        SELECT 'group', g FROM unnest(c.groups) g UNION ALL
        SELECT 'home_location', c.home_location
      ) f(kind, value)
      WHERE f.value IS NOT NULL
     RETURNING business_id, kind, value`,
    [businesses, clients],
  );
  const moves = new Map<string, CountMove>();
  move(moves, gone.rows, -1);
  move(moves, added.rows, 1);
  const moved = [...moves.values()].filter((m) => m.clients !== 0);
  if (moved.length === 0) return;
  await client.query(
    `WITH d AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(business_id, kind, value, clients)),
          moved AS (
            UPDATE message_center_inbox_filter_counts t SET clients = t.clients + d.clients
              FROM d WHERE t.business_id = d.business_id AND t.kind = d.kind AND t.value = d.value
            RETURNING t.business_id, t.kind, t.value)
     INSERT INTO message_center_inbox_filter_counts AS t (business_id, kind, value, clients)
     SELECT * FROM d WHERE NOT EXISTS (SELECT 1 FROM moved m WHERE m.business_id = d.business_id AND m.kind = d.kind AND m.value = d.value)
     ON CONFLICT (business_id, kind, value) DO UPDATE SET clients = t.clients + EXCLUDED.clients`,
    [moved.map((m) => m.businessId), moved.map((m) => m.kind), moved.map((m) => m.value), moved.map((m) => m.clients)],
  );
};
