import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import type { BusinessId, StaffActor } from '@message-center/core';
import { authorize } from '@message-center/core/internals';
import { businessOf, rowsOf, schemaProblem, unreadable, type InboxQueryError, type PgQueryOptions } from './inbox-query.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { columnOf } from './rows.js';
import { qualified } from './schema-path.js';
import { storedText } from './stored-text.js';

// R4 (the unread badge) from the running totals the inbox projection keeps (migration 9, `badge-totals.ts`):
// two rows read by primary key, where summing the business's conversations took 38–90 ms at 100,000.

export interface BadgeQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
}

const badge = async (pool: Pool, query: BadgeQuery, schema: string): Promise<E.Either<InboxQueryError, number>> => {
  const badSchema = schemaProblem(schema);
  if (badSchema !== null) return E.left(badSchema);
  const authorized = authorize('unreadBadge', query.viewer, query.businessId);
  if (E.isLeft(authorized)) return authorized;
  // V7: B3 off, the shared sum; B3 on, the sum for a viewer without marks plus what the viewer's own marks
  // change. V8: the totals leave muted conversations out. No row yet: nothing unread.
  const fetched = await rowsOf(
    pool,
    `SELECT b.enabled, b.individual,
            (CASE WHEN b.individual THEN coalesce(t.fresh_unread, 0) + coalesce(s.unread_minus_fresh, 0)
                  ELSE coalesce(t.shared_unread, 0) END)::text AS badge
       FROM (SELECT $1::text AS business_id) q
       LEFT JOIN ${qualified(schema, 'message_center_inbox_businesses')} b ON b.business_id = q.business_id
       LEFT JOIN ${qualified(schema, 'message_center_inbox_badge_totals')} t ON t.business_id = q.business_id
       LEFT JOIN ${qualified(schema, 'message_center_inbox_badge_staff')} s ON b.individual AND s.business_id = q.business_id AND s.staff_id = $2`,
    [storedText(query.businessId), storedText(query.viewer.staffId)],
    `reading the unread badge of ${query.businessId}`,
  );
  if (E.isLeft(fetched)) return fetched;
  const row = fetched.right[0];
  const business = businessOf(row);
  if (E.isLeft(business)) return business;
  const total = columnOf(row, 'badge');
  // A negative total would be totals gone wrong: refused as unreadable rather than shown.
  return typeof total === 'string' && /^\d+$/.test(total) ? E.right(Number(total)) : E.left(unreadable('badge total'));
};

/** R4: the viewer's unread badge (V7 by B3, V8 without muted conversations), as core's `unreadBadge` answers it. Never rejects. */
export const unreadBadgeFromPg =
  (pool: Pool, query: BadgeQuery, options: PgQueryOptions = {}): TE.TaskEither<InboxQueryError, number> =>
  () =>
    badge(pool, query, options.schema ?? DEFAULT_SCHEMA);
