// V4–V7 (B3 on): the inbox projection writes only the read-mark rows a batch changed. Whatever the split of a
// history into batches, the table must hold exactly the rows of the final records' marks: no row left stale by
// a batch that skipped it, none missing, none extra; and the same as a fold of the whole history in one batch.
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { markChangesOf, markRowsOf } from '../src/read-mark-rows.js';
import type { ConversationRecord } from '@message-center/core/internals';
import { recordOf } from '../src/inbox-records.js';
import { qualified } from '../src/schema-path.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { inboxHistoryArb, inboxStart, newWorld } from './support/histories.js';
import { foldInbox, migratedSchema } from './support/runner-fixtures.js';

/** The table's rows, as text. */
const markRows = async (pool: Pool, schema: string): Promise<ReadonlyArray<string>> =>
  (
    await pool.query<{ row: string }>(
      `SELECT concat_ws(' ', business_id, conversation_id, staff_id, read_up_to_seq, marked_unread, unread, folder, segment, last_activity_ms) AS row
         FROM ${qualified(schema, 'message_center_inbox_read_marks')} ORDER BY 1`,
    )
  ).rows.map((r) => r.row);

/** The rows the final records' marks give (markRowsOf of each stored record), as text. */
const rowsOfRecords = async (pool: Pool, schema: string): Promise<ReadonlyArray<string>> => {
  const { rows } = await pool.query<{ business_id: string; conversation_id: string; record: unknown }>(
    `SELECT business_id, conversation_id, record FROM ${qualified(schema, 'message_center_inbox_conversations')}`,
  );
  const { rows: staff } = await pool.query<{ staff_id: string; hex: string }>(
    `SELECT DISTINCT staff_id, staff_id AS hex FROM ${qualified(schema, 'message_center_inbox_read_marks')}`,
  );
  const hexOf = new Map<string, string>();
  for (const s of staff) hexOf.set(Buffer.from(s.hex, 'hex').swap16().toString('utf16le'), s.hex);
  return rows
    .flatMap((r) => {
      const record = recordOf(r.record);
      if (record === null) throw new Error('a stored record this code cannot read');
      return [...markRowsOf(record).values()].map(
        (m) => `${r.business_id} ${r.conversation_id} ${hexOf.get(m.staffId) ?? `?${m.staffId}`} ${m.readUpToSeq} ${m.markedUnread ? 't' : 'f'} ${m.unread} ${m.folder} ${m.segment} ${m.lastActivityMs}`,
      );
    })
    .sort();
};

describe('read-mark rows', () => {
  const db = useFreshDatabase('read mark rows');

  it('V4 V5 V6 V7 the marks written batch by batch (only the rows each batch changed) are exactly the final records\' rows, and a one-batch fold\'s', async () => {
    let marks = 0;
    await fc.assert(
      fc.asyncProperty(inboxHistoryArb(50), fc.integer({ min: 1, max: 4 }), async (steps, pageSize) => {
        const pool = db().pool;
        const world = newWorld();
        await world.play(steps);
        const split = await migratedSchema(pool, 'marks split');
        const whole = await migratedSchema(pool, 'marks whole');
        await foldInbox(pool, world.store, split, pageSize);
        await foldInbox(pool, world.store, whole, 10_000);
        const written = await markRows(pool, split);
        expect(written).toEqual(await rowsOfRecords(pool, split));
        expect(written).toEqual(await markRows(pool, whole));
        marks += written.length;
      }),
      {
        numRuns: 16,
        // A viewer's mark whose count and folder stay while the conversation's place moves (replies after a read):
        // only its last activity changes, batch after batch.
        examples: [
          [
            [
              ...inboxStart(true),
              { kind: 'send', business: 0, client: 0, body: 0 },
              { kind: 'read', business: 0, staff: 0, conversation: 0 },
              { kind: 'send', business: 0, client: 0, body: 1 },
              { kind: 'send', business: 0, client: 0, body: 2 },
            ],
            1,
          ],
        ],
      },
    );
    // Histories without a mark would prove nothing.
    expect(marks).toBeGreaterThan(0);
  }, 240_000);

  it('a record unchanged in its marks writes no row; a new mark, a moved count or a moved order writes that row', () => {
    const base = {
      conversationId: 'c1',
      clientId: 'c1',
      phone: '+12015550123',
      startedAt: '2026-01-01T00:00:00.000Z',
      lastActivityAt: '2026-01-01T00:00:00.000Z',
      orderKey: { ms: 0, at: '2026-01-01T00:00:00.000Z', id: 'c1' },
      lastMessage: null,
      lastSeq: 1,
      lastOutboundSeq: 0,
      archived: false,
      sharedRead: { readUpToSeq: 0, markedUnread: false },
      staffRead: [['s1', { readUpToSeq: 0, markedUnread: false }]],
      muted: false,
      pinned: false,
      subscription: { status: 'subscribed', keyword: null, source: null, changedAt: null },
    };
    const recordFrom = (json: unknown): ConversationRecord => {
      const record = recordOf(json);
      if (record === null) throw new Error('the test record is not a record');
      return record;
    };
    const record = recordFrom(base);
    expect(markChangesOf(record, record)).toEqual({ written: [], gone: [] });
    expect(markChangesOf(recordFrom(base), record)).toEqual({ written: [], gone: [] });
    expect(markChangesOf(undefined, record).written.map((r) => r.staffId)).toEqual(['s1']);
    const read = recordFrom({ ...base, staffRead: [...base.staffRead, ['s2', { readUpToSeq: 1, markedUnread: false }]] });
    expect(markChangesOf(record, read).written.map((r) => r.staffId)).toEqual(['s2']);
    const later = recordFrom({ ...base, orderKey: { ...base.orderKey, ms: 5 } });
    expect(markChangesOf(record, later).written.map((r) => r.staffId)).toEqual(['s1']);
    const pinned = recordFrom({ ...base, pinned: true });
    expect(markChangesOf(record, pinned).written.map((r) => r.segment)).toEqual([0]);
    const marked = recordFrom({ ...base, staffRead: [['s1', { readUpToSeq: 0, markedUnread: true }]] });
    expect(markChangesOf(record, marked).written.map((r) => r.markedUnread)).toEqual([true]);
    expect(markChangesOf(read, record).gone).toEqual(['s2']);
  });
});
