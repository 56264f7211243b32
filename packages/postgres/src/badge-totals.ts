import type { ClientBase } from 'pg';
import { UNREAD_MARK, unreadCountFor, unreadCountForMark, type ConversationRecord } from '@message-center/core/internals';
import { ANYONE } from './any-viewer.js';
import { storedText } from './stored-text.js';

// R4's running totals (migration 9): what a batch adds to each business's sums and each staff member's offset,
// computed from the records before and after it by the same core functions that give the conversation rows
// their unread counts (`writeRecords`), so the totals always equal the sums over those rows.

/** One conversation a batch wrote: its record as loaded before the batch (none: started in it), and after. */
export interface RecordChange {
  readonly businessId: string;
  readonly before: ConversationRecord | undefined;
  readonly after: ConversationRecord;
}

export interface BusinessDelta {
  readonly businessId: string;
  readonly shared: number;
  readonly fresh: number;
  /** Conversations the batch started (the count R2's search weighs its ways by). */
  readonly conversations: number;
}

export interface StaffDelta {
  readonly businessId: string;
  readonly staffId: string;
  readonly unreadMinusFresh: number;
}

/** The non-zero moves of a batch, one per business and one per (business, staff member). */
export interface BadgeDeltas {
  readonly businesses: ReadonlyArray<BusinessDelta>;
  readonly staff: ReadonlyArray<StaffDelta>;
}

interface Contribution {
  readonly shared: number;
  readonly fresh: number;
  /** Per staff member with a mark: their B3-on count minus `fresh`. */
  readonly staff: ReadonlyArray<readonly [string, number]>;
}

const NOTHING: Contribution = { shared: 0, fresh: 0, staff: [] };

/** What one record adds to the totals: the columns writeRecords derives from it; V8: a muted one adds nothing. */
const contributionOf = (record: ConversationRecord | undefined): Contribution => {
  if (record === undefined || record.muted) return NOTHING;
  const fresh = unreadCountForMark(record, UNREAD_MARK);
  return {
    shared: unreadCountFor(record, ANYONE, false),
    fresh,
    staff: [...record.staffRead.keys()].map((staffId) => [staffId, unreadCountFor(record, staffId, true) - fresh] as const),
  };
};

/** Any string may be an id: the pair is written so that no two pairs share a key. */
const pairKey = (a: string, b: string): string => JSON.stringify([a, b]);

/** The batch's moves: after minus before, summed per business and per (business, staff member), zeros left out. */
export const badgeDeltasOf = (changes: Iterable<RecordChange>): BadgeDeltas => {
  const businesses = new Map<string, { shared: number; fresh: number; conversations: number }>();
  const staff = new Map<string, { readonly businessId: string; readonly staffId: string; unreadMinusFresh: number }>();
  const add = (businessId: string, contribution: Contribution, sign: 1 | -1): void => {
    const totals = businesses.get(businessId) ?? { shared: 0, fresh: 0, conversations: 0 };
    totals.shared += sign * contribution.shared;
    totals.fresh += sign * contribution.fresh;
    businesses.set(businessId, totals);
    for (const [staffId, offset] of contribution.staff) {
      const key = pairKey(businessId, staffId);
      const row = staff.get(key) ?? { businessId, staffId, unreadMinusFresh: 0 };
      row.unreadMinusFresh += sign * offset;
      staff.set(key, row);
    }
  };
  for (const change of changes) {
    add(change.businessId, contributionOf(change.before), -1);
    add(change.businessId, contributionOf(change.after), 1);
    const totals = businesses.get(change.businessId);
    if (totals !== undefined && change.before === undefined) totals.conversations += 1;
  }
  return {
    businesses: [...businesses].filter(([, d]) => d.shared !== 0 || d.fresh !== 0 || d.conversations !== 0).map(([businessId, d]) => ({ businessId, shared: d.shared, fresh: d.fresh, conversations: d.conversations })),
    staff: [...staff.values()].filter((d) => d.unreadMinusFresh !== 0),
  };
};

/**
 * Adds the batch's moves to the totals, one statement per table, on the batch's transaction. The business
 * sums are never negative (CHECK), but PostgreSQL checks an INSERT's proposed row before ON CONFLICT sees
 * the conflict, so a negative move is applied by UPDATE first and only the businesses without a row are
 * inserted (their moves are ≥ 0: a sum starts at 0).
 */
export const writeBadgeTotals = async (client: ClientBase, deltas: BadgeDeltas): Promise<void> => {
  if (deltas.businesses.length > 0)
    await client.query(
      `WITH d AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS d(business_id, shared_unread, fresh_unread, conversations)),
            moved AS (
              UPDATE message_center_inbox_badge_totals t
                 SET shared_unread = t.shared_unread + d.shared_unread, fresh_unread = t.fresh_unread + d.fresh_unread,
                     conversations = t.conversations + d.conversations
                FROM d WHERE t.business_id = d.business_id
              RETURNING t.business_id)
       INSERT INTO message_center_inbox_badge_totals AS t (business_id, shared_unread, fresh_unread, conversations)
       SELECT * FROM d WHERE d.business_id NOT IN (SELECT business_id FROM moved)
       ON CONFLICT (business_id) DO UPDATE SET
         shared_unread = t.shared_unread + EXCLUDED.shared_unread, fresh_unread = t.fresh_unread + EXCLUDED.fresh_unread,
         conversations = t.conversations + EXCLUDED.conversations`,
      [
        deltas.businesses.map((d) => storedText(d.businessId)),
        deltas.businesses.map((d) => d.shared),
        deltas.businesses.map((d) => d.fresh),
        deltas.businesses.map((d) => d.conversations),
      ],
    );
  if (deltas.staff.length > 0)
    await client.query(
      `INSERT INTO message_center_inbox_badge_staff AS t (business_id, staff_id, unread_minus_fresh)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (business_id, staff_id) DO UPDATE SET unread_minus_fresh = t.unread_minus_fresh + EXCLUDED.unread_minus_fresh`,
      [deltas.staff.map((d) => storedText(d.businessId)), deltas.staff.map((d) => storedText(d.staffId)), deltas.staff.map((d) => d.unreadMinusFresh)],
    );
};
