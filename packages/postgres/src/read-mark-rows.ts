import type { ClientBase } from 'pg';
import { folderFor, unreadCountFor, type ConversationRecord, type StaffId } from '@message-center/core/internals';
import { booleanArray, integerArray, storedTextArray } from './array-literals.js';
import type { StoredTexts } from './stored-text.js';

// V4–V7 with B3 on: a row per staff member's mark on a conversation (`message_center_inbox_read_marks`), with the
// unread count and folder core's rules give that viewer and the conversation's place in the inbox order. A batch
// writes only the rows its records changed: a delivery callback or a claim moves a conversation's record but none
// of its marks' rows, and rewriting every mark of every touched conversation was 15 % of the projection's time
// in the server at 100,000 conversations.

/** The columns of one mark's row. */
export interface MarkRow {
  readonly staffId: StaffId;
  readonly readUpToSeq: number;
  readonly markedUnread: boolean;
  readonly unread: number;
  readonly folder: string;
  /** 0 pinned, 1 the rest: the conversation's segment in the inbox order. */
  readonly segment: 0 | 1;
  readonly lastActivityMs: number;
}

/** The rows of a record's marks, by staff member (none for no record). */
export const markRowsOf = (record: ConversationRecord | undefined): ReadonlyMap<StaffId, MarkRow> => {
  const rows = new Map<StaffId, MarkRow>();
  if (record === undefined) return rows;
  for (const [staffId, mark] of record.staffRead)
    rows.set(staffId, {
      staffId,
      readUpToSeq: mark.readUpToSeq,
      markedUnread: mark.markedUnread,
      unread: unreadCountFor(record, staffId, true),
      folder: folderFor(record, staffId, true),
      segment: record.pinned ? 0 : 1,
      lastActivityMs: record.orderKey.ms,
    });
  return rows;
};

const sameRow = (a: MarkRow, b: MarkRow): boolean =>
  a.readUpToSeq === b.readUpToSeq && a.markedUnread === b.markedUnread && a.unread === b.unread && a.folder === b.folder && a.segment === b.segment && a.lastActivityMs === b.lastActivityMs;

/** What turns the rows of `before`'s marks into `after`'s: rows to write (new or changed) and staff members whose row goes. */
export interface MarkChanges {
  readonly written: ReadonlyArray<MarkRow>;
  readonly gone: ReadonlyArray<StaffId>;
}

export const markChangesOf = (before: ConversationRecord | undefined, after: ConversationRecord): MarkChanges => {
  const old = markRowsOf(before);
  const next = markRowsOf(after);
  const written = [...next.values()].filter((row) => {
    const was = old.get(row.staffId);
    return was === undefined || !sameRow(was, row);
  });
  const gone = [...old.keys()].filter((staffId) => !next.has(staffId));
  return { written, gone };
};

/** One conversation's mark changes, with its ids. */
export interface ConversationMarks {
  readonly businessId: string;
  readonly conversationId: string;
  readonly changes: MarkChanges;
}

/**
 * The batch's mark changes as statements for its transaction (their parameters made now, while the batch before
 * is written): the rows that go, then the rows written (upserted); ids through the batch's `stored`.
 */
export const readMarksWrite = (conversations: ReadonlyArray<ConversationMarks>, stored: StoredTexts): ((client: ClientBase) => Promise<void>) => {
  const gone = conversations.flatMap((c) => c.changes.gone.map((staffId) => ({ businessId: c.businessId, conversationId: c.conversationId, staffId })));
  const goneParams = [storedTextArray(gone.map((g) => stored(g.businessId))), storedTextArray(gone.map((g) => stored(g.conversationId))), storedTextArray(gone.map((g) => stored(g.staffId)))];
  const written = conversations.flatMap((c) => c.changes.written.map((row) => ({ businessId: c.businessId, conversationId: c.conversationId, row })));
  const writtenParams = [
    storedTextArray(written.map((w) => stored(w.businessId))),
    storedTextArray(written.map((w) => stored(w.conversationId))),
    storedTextArray(written.map((w) => stored(w.row.staffId))),
    integerArray(written.map((w) => w.row.readUpToSeq)),
    booleanArray(written.map((w) => w.row.markedUnread)),
    integerArray(written.map((w) => w.row.unread)),
    written.map((w) => w.row.folder),
    integerArray(written.map((w) => w.row.segment)),
    integerArray(written.map((w) => w.row.lastActivityMs)),
  ];
  return async (client) => {
    if (gone.length > 0)
      await client.query(
        `DELETE FROM message_center_inbox_read_marks m
          USING unnest($1::text[], $2::text[], $3::text[]) AS k(business_id, conversation_id, staff_id)
          WHERE m.business_id = k.business_id AND m.staff_id = k.staff_id AND m.conversation_id = k.conversation_id`,
        goneParams,
      );
    if (written.length === 0) return;
    await client.query(
      `INSERT INTO message_center_inbox_read_marks AS m (business_id, conversation_id, staff_id, read_up_to_seq, marked_unread, unread, folder, segment, last_activity_ms)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::boolean[], $6::integer[], $7::text[], $8::smallint[], $9::bigint[])
       ON CONFLICT (business_id, staff_id, conversation_id) DO UPDATE SET
         read_up_to_seq = EXCLUDED.read_up_to_seq, marked_unread = EXCLUDED.marked_unread, unread = EXCLUDED.unread, folder = EXCLUDED.folder,
         segment = EXCLUDED.segment, last_activity_ms = EXCLUDED.last_activity_ms`,
      writtenParams,
    );
  };
};
