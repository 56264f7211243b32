import type { ClientBase } from 'pg';
import {
  UNREAD_MARK,
  businessOfStream,
  clientCardOf,
  evolveRecord,
  folderFor,
  folderForMark,
  isConversationEvent,
  CONVERSATION_EVENT_TYPE_NAMES,
  unreadCountFor,
  startedRecord,
  unreadCountForMark,
  type ClientCard,
  type ConversationRecord,
  type DomainEventType,
  type EventEnvelope,
} from '@message-center/core/internals';
import { ANYONE } from './any-viewer.js';
import { recordOf, storedRecordOf } from './inbox-records.js';
import { booleanArray, integerArray, storedTextArray } from './array-literals.js';
import { storedTextMemo, textFromStored, type StoredTexts } from './stored-text.js';
import { cardWordsOf, messageWordsOf } from './search-rules.js';
import { newMessageWords, writeSearch, type MessageTexts, type ProfileSearch, type StartedSearch } from './search-projection.js';
import type { PgProjection, StagedBatch } from './pg-projection.js';
import { YIELD_EVERY, yieldToIo } from './yield-to-io.js';
import { badgeDeltasOf, writeBadgeTotals } from './badge-totals.js';
import { writeClientFilters } from './client-filter-rows.js';
import { markChangesOf, readMarksWrite } from './read-mark-rows.js';

// R1, R2 (search), R3 (filters), R4 and V4–V7 in PostgreSQL: the rows of core's inbox read model
// (read-models/inbox.ts), folded by core's own functions. A batch loads the conversation records its events
// touch, moves them in memory with core's `evolveRecord` in log order (a new record from ConversationStarted is
// the one core's `foldInbox` builds), and writes back each changed record with the columns derived from it
// (order, flags, and the unread counts and folders of core's folder rules), each card with its filter values,
// and R2's words and numbers (`search-projection.ts`), all in set-based statements on the runner's transaction.

export const INBOX_PROJECTION = 'inbox';

// The business and client events the inbox reads, and every conversation event (core's list).
const INBOX_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>([
  'MessageCenterEnabled',
  'ReadStatusModeChanged',
  'ClientProfileRecorded',
  ...CONVERSATION_EVENT_TYPE_NAMES,
]);

interface StreamRef {
  readonly businessId: string;
  readonly conversationId: string;
}

interface BusinessChange {
  enabled: boolean;
  individual: boolean;
}

/** `business\u0000conversation`: a key of the batch's maps (ids hold no NUL). */
// Any string may be an id (NUL included): the pair is written so that no two pairs share a key.
const keyOf = (businessId: string, conversationId: string): string => JSON.stringify([businessId, conversationId]);

const loadStreams = async (client: ClientBase, streamIds: ReadonlyArray<string>, stored: StoredTexts): Promise<Map<string, StreamRef>> => {
  const refs = new Map<string, StreamRef>();
  if (streamIds.length === 0) return refs;
  const { rows } = await client.query<{ stream_id: string; business_id: string; conversation_id: string }>(
    'SELECT stream_id, business_id, conversation_id FROM message_center_inbox_streams WHERE stream_id = ANY($1::text[])',
    [storedTextArray(streamIds.map(stored))],
  );
  for (const row of rows) {
    const streamId = textFromStored(row.stream_id);
    const businessId = textFromStored(row.business_id);
    const conversationId = textFromStored(row.conversation_id);
    if (streamId === null || businessId === null || conversationId === null) throw new Error('the inbox streams table holds an id this code did not write');
    refs.set(streamId, { businessId, conversationId });
  }
  return refs;
};

const loadRecords = async (client: ClientBase, keys: ReadonlyArray<StreamRef>, stored: StoredTexts): Promise<Map<string, ConversationRecord>> => {
  const records = new Map<string, ConversationRecord>();
  if (keys.length === 0) return records;
  const { rows } = await client.query<{ business_id: string; conversation_id: string; record: unknown }>(
    `SELECT c.business_id, c.conversation_id, c.record
       FROM message_center_inbox_conversations c
       JOIN unnest($1::text[], $2::text[]) AS k(business_id, conversation_id)
         ON c.business_id = k.business_id AND c.conversation_id = k.conversation_id`,
    [storedTextArray(keys.map((k) => stored(k.businessId))), storedTextArray(keys.map((k) => stored(k.conversationId)))],
  );
  for (const row of rows) {
    const record = recordOf(row.record);
    const businessId = textFromStored(row.business_id);
    if (record === null || businessId === null) throw new Error('an inbox row holds a record or an id this code cannot read');
    records.set(keyOf(businessId, record.conversationId), record);
  }
  return records;
};

const writeBusinesses = async (client: ClientBase, changes: ReadonlyMap<string, BusinessChange>, stored: StoredTexts): Promise<void> => {
  if (changes.size === 0) return;
  const ids = [...changes.keys()];
  const values = [...changes.values()];
  // Enabling is for good; the last mode of the batch is the mode (as core's fold).
  await client.query(
    `INSERT INTO message_center_inbox_businesses AS b (business_id, enabled, individual)
     SELECT * FROM unnest($1::text[], $2::boolean[], $3::boolean[])
     ON CONFLICT (business_id) DO UPDATE SET enabled = b.enabled OR EXCLUDED.enabled, individual = EXCLUDED.individual`,
    [storedTextArray(ids.map(stored)), booleanArray(values.map((v) => v.enabled)), booleanArray(values.map((v) => v.individual))],
  );
};

/** R3 as core indexes a card: an empty string is no value, each group once. */
const filterValuesOf = (card: ClientCard): { readonly clientType: string | null; readonly groups: ReadonlyArray<string>; readonly homeLocation: string | null } => ({
  clientType: card.clientType === '' ? null : card.clientType,
  groups: [...new Set(card.groups.filter((g) => g !== ''))],
  homeLocation: card.homeLocation === null || card.homeLocation === '' ? null : card.homeLocation,
});

const writeClients = async (client: ClientBase, cards: ReadonlyMap<string, { readonly businessId: string; readonly card: ClientCard }>, stored: StoredTexts): Promise<void> => {
  if (cards.size === 0) return;
  const all = [...cards.values()];
  const filters = all.map((c) => filterValuesOf(c.card));
  const business = storedTextArray(all.map((c) => stored(c.businessId)));
  const clients = storedTextArray(all.map((c) => stored(c.card.clientId)));
  // The cards, and each card's groups, as one JSON array each (the i-th element the i-th row's): unnest would
  // flatten a two-dimensional array, and an array of JSON texts is quoted and escaped element by element.
  await client.query(
    `INSERT INTO message_center_inbox_clients (business_id, client_id, card, client_type, groups, home_location)
     SELECT u.business_id, u.client_id, c.card, u.client_type, ARRAY(SELECT json_array_elements_text(g.groups)), u.home_location
       FROM unnest($1::text[], $2::text[], $4::text[], $6::text[]) WITH ORDINALITY AS u(business_id, client_id, client_type, home_location, i)
       JOIN json_array_elements($3::json) WITH ORDINALITY AS c(card, i) ON c.i = u.i
       JOIN json_array_elements($5::json) WITH ORDINALITY AS g(groups, i) ON g.i = u.i
     ON CONFLICT (business_id, client_id) DO UPDATE SET
       card = EXCLUDED.card, client_type = EXCLUDED.client_type, groups = EXCLUDED.groups, home_location = EXCLUDED.home_location`,
    [
      business,
      clients,
      JSON.stringify(all.map((c) => c.card)),
      storedTextArray(filters.map((f) => (f.clientType === null ? null : stored(f.clientType)))),
      JSON.stringify(filters.map((f) => f.groups.map(stored))),
      storedTextArray(filters.map((f) => (f.homeLocation === null ? null : stored(f.homeLocation)))),
    ],
  );
  await writeClientFilters(client, business, clients);
};

const writeStreams = async (client: ClientBase, streams: ReadonlyMap<string, StreamRef>, stored: StoredTexts): Promise<void> => {
  if (streams.size === 0) return;
  const ids = [...streams.keys()];
  const refs = [...streams.values()];
  await client.query(
    `INSERT INTO message_center_inbox_streams (stream_id, business_id, conversation_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (stream_id) DO UPDATE SET business_id = EXCLUDED.business_id, conversation_id = EXCLUDED.conversation_id`,
    [storedTextArray(ids.map(stored)), storedTextArray(refs.map((r) => stored(r.businessId))), storedTextArray(refs.map((r) => stored(r.conversationId)))],
  );
};

/** A record the batch changed, and as it was loaded before the batch (none: started in it). */
interface ChangedRecord {
  readonly businessId: string;
  readonly before: ConversationRecord | undefined;
  readonly record: ConversationRecord;
}

/** The changed records as statements for the batch's transaction, their parameters made now (while the batch before is written). */
const recordsWrite = (records: ReadonlyArray<ChangedRecord>, stored: StoredTexts): ((client: ClientBase) => Promise<void>) => {
  if (records.length === 0) return async () => undefined;
  const business = storedTextArray(records.map((r) => stored(r.businessId)));
  const conversation = storedTextArray(records.map((r) => stored(r.record.conversationId)));
  const params = [
    business,
    conversation,
    // The records as one JSON array, the i-th element the i-th row's: an array of JSON texts would be quoted
    // and escaped element by element on the way (half of what a batch allocated then).
    JSON.stringify(records.map((r) => storedRecordOf(r.record))),
    integerArray(records.map((r) => (r.record.pinned ? 0 : 1))),
    integerArray(records.map((r) => r.record.orderKey.ms)),
    booleanArray(records.map((r) => r.record.archived)),
    booleanArray(records.map((r) => r.record.muted)),
    integerArray(records.map((r) => unreadCountFor(r.record, ANYONE, false))),
    integerArray(records.map((r) => unreadCountForMark(r.record, UNREAD_MARK))),
    // V4–V7: core's folder under the shared mark (B3 off), and for a viewer without a mark (B3 on).
    records.map((r) => folderFor(r.record, ANYONE, false)),
    records.map((r) => folderForMark(r.record, UNREAD_MARK)),
  ];
  // The staff marks of these conversations: the rows their records changed (each with its B3-on unread count and folder).
  const marks = readMarksWrite(
    records.map((r) => ({ businessId: r.businessId, conversationId: r.record.conversationId, changes: markChangesOf(r.before, r.record) })),
    stored,
  );
  return async (client) => {
    await client.query(
      `INSERT INTO message_center_inbox_conversations
         (business_id, conversation_id, record, segment, last_activity_ms, archived, muted, shared_unread, fresh_unread, shared_folder, fresh_folder)
       SELECT u.business_id, u.conversation_id, r.record, u.segment, u.last_activity_ms, u.archived, u.muted, u.shared_unread, u.fresh_unread, u.shared_folder, u.fresh_folder
         FROM unnest($1::text[], $2::text[], $4::smallint[], $5::bigint[], $6::boolean[], $7::boolean[], $8::integer[], $9::integer[], $10::text[], $11::text[])
                WITH ORDINALITY AS u(business_id, conversation_id, segment, last_activity_ms, archived, muted, shared_unread, fresh_unread, shared_folder, fresh_folder, i)
         JOIN json_array_elements($3::json) WITH ORDINALITY AS r(record, i) ON r.i = u.i
       ON CONFLICT (business_id, conversation_id) DO UPDATE SET
         record = EXCLUDED.record, segment = EXCLUDED.segment, last_activity_ms = EXCLUDED.last_activity_ms, archived = EXCLUDED.archived,
         muted = EXCLUDED.muted, shared_unread = EXCLUDED.shared_unread, fresh_unread = EXCLUDED.fresh_unread,
         shared_folder = EXCLUDED.shared_folder, fresh_folder = EXCLUDED.fresh_folder`,
      params,
    );
    await marks(client);
  };
};

/** What a staged batch leaves for the next: the streams, records and texts of message words it read or wrote, as it leaves them. */
class InboxCarry {
  constructor(
    readonly streams: ReadonlyMap<string, StreamRef>,
    readonly records: ReadonlyMap<string, ConversationRecord>,
    readonly texts: MessageTexts,
  ) {}
}

const NOTHING_CARRIED = new InboxCarry(new Map(), new Map(), new Map());

/** The carry of the batch before; one this projection did not make would leave the batch unread where it changed rows. */
const carryOf = (previous: StagedBatch | null): InboxCarry => {
  if (previous === null) return NOTHING_CARRIED;
  if (previous.carry instanceof InboxCarry) return previous.carry;
  throw new Error('the batch before was not staged by the inbox projection');
};

/** `known`'s entries for `keys`, and the keys it does not have. */
const split = <A>(known: ReadonlyMap<string, A>, keys: Iterable<string>): { readonly found: Map<string, A>; readonly missing: string[] } => {
  const found = new Map<string, A>();
  const missing: string[] = [];
  for (const key of keys) {
    const value = known.get(key);
    if (value === undefined) missing.push(key);
    else found.set(key, value);
  }
  return { found, missing };
};

const stageInbox = async (read: ClientBase, batch: ReadonlyArray<EventEnvelope>, previous: StagedBatch | null): Promise<StagedBatch> => {
  const carry = carryOf(previous);
  // Every id and word of the batch is turned to stored text once, whichever statements send it.
  const stored = storedTextMemo();
  // What the batch needs from the tables (or from the batch before, which may not have committed yet): the
  // streams its conversation events name, then their records and those of the conversations it starts.
  const streamIds = new Set<string>();
  for (const { streamId, event } of batch) if (isConversationEvent(event) && event.type !== 'ConversationStarted') streamIds.add(streamId);
  const knownStreams = split(carry.streams, streamIds);
  const streams = knownStreams.found;
  for (const [streamId, ref] of await loadStreams(read, knownStreams.missing, stored)) streams.set(streamId, ref);
  const wanted = new Map<string, StreamRef>();
  for (const ref of streams.values()) wanted.set(keyOf(ref.businessId, ref.conversationId), ref);
  for (const { event } of batch)
    if (event.type === 'ConversationStarted')
      wanted.set(keyOf(event.data.businessId, event.data.conversationId), { businessId: event.data.businessId, conversationId: event.data.conversationId });
  const knownRecords = split(carry.records, wanted.keys());
  const records = knownRecords.found;
  const missingRecords = knownRecords.missing.flatMap((key) => {
    const ref = wanted.get(key);
    return ref === undefined ? [] : [ref];
  });
  for (const [key, record] of await loadRecords(read, missingRecords, stored)) records.set(key, record);
  // R4: the records as they were before this batch, against which its badge totals move.
  const loaded: ReadonlyMap<string, ConversationRecord> = new Map(records);

  const businesses = new Map<string, BusinessChange>();
  const cards = new Map<string, { readonly businessId: string; readonly card: ClientCard }>();
  const newStreams = new Map<string, StreamRef>();
  const changed = new Map<string, { readonly businessId: string; readonly record: ConversationRecord }>();
  // R2: each card's words and cell phone, the words of the batch's messages per conversation, the new conversations' numbers.
  const profiles = new Map<string, ProfileSearch>();
  const texts = new Map<string, { readonly businessId: string; readonly conversationId: string; readonly words: Set<string> }>();
  const started: StartedSearch[] = [];

  for (let i = 0; i < batch.length; i += 1) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToIo();
    const envelope = batch[i];
    if (envelope === undefined) continue;
    const { streamId, event } = envelope;
    switch (event.type) {
      case 'MessageCenterEnabled':
        businesses.set(event.data.businessId, { enabled: true, individual: event.data.individualReadStatus });
        break;
      case 'ReadStatusModeChanged': {
        const businessId = businessOfStream(streamId);
        if (businessId === null) break;
        const before = businesses.get(businessId);
        businesses.set(businessId, { enabled: before?.enabled ?? false, individual: event.data.individual });
        break;
      }
      case 'ClientProfileRecorded': {
        // The card exactly as core's fold keeps it, and the words core indexes for it.
        const card = clientCardOf(event);
        const key = keyOf(event.data.businessId, event.data.clientId);
        cards.set(key, { businessId: event.data.businessId, card });
        profiles.set(key, { businessId: event.data.businessId, clientId: card.clientId, words: cardWordsOf(card), phone: card.phone });
        break;
      }
      case 'ConversationStarted': {
        const ref = { businessId: event.data.businessId, conversationId: event.data.conversationId };
        streams.set(streamId, ref);
        newStreams.set(streamId, ref);
        const key = keyOf(ref.businessId, ref.conversationId);
        // A conversation started again (another stream, the same id) keeps its record, as in core.
        if (records.has(key)) break;
        const record = startedRecord(event);
        records.set(key, record);
        changed.set(key, { businessId: ref.businessId, record });
        started.push({ businessId: ref.businessId, conversationId: ref.conversationId, phone: record.phone });
        break;
      }
      default: {
        if (!isConversationEvent(event)) break;
        const ref = streams.get(streamId);
        if (ref === undefined) break;
        const key = keyOf(ref.businessId, ref.conversationId);
        // R2: the words of every message body, in and out, as core's fold indexes them.
        if (event.type === 'InboundReceived' || event.type === 'OutboundSent') {
          const text = texts.get(key) ?? { businessId: ref.businessId, conversationId: ref.conversationId, words: new Set<string>() };
          texts.set(key, text);
          for (const word of messageWordsOf(event.data.body)) text.words.add(word);
        }
        const record = records.get(key);
        if (record === undefined) break;
        const next = evolveRecord(record, event);
        if (next === record) break;
        records.set(key, next);
        changed.set(key, { businessId: ref.businessId, record: next });
        break;
      }
    }
  }

  const messageWords = await newMessageWords(read, [...texts.values()], stored, carry.texts);
  const changes = [...changed].map(([key, { businessId, record }]) => ({ businessId, before: loaded.get(key), record }));
  // What the writes send, made now: while the batch before is written, if the runner staged this one ahead.
  const writeChangedRecords = recordsWrite(changes, stored);
  const badgeDeltas = badgeDeltasOf(changes.map(({ businessId, before, record }) => ({ businessId, before, after: record })));
  return {
    carry: new InboxCarry(streams, records, messageWords.after),
    write: async (client) => {
      await writeBusinesses(client, businesses, stored);
      await writeClients(client, cards, stored);
      await writeStreams(client, newStreams, stored);
      await writeChangedRecords(client);
      await writeBadgeTotals(client, badgeDeltas);
      await writeSearch(client, { profiles: [...profiles.values()], texts: messageWords.added, started }, stored);
    },
  };
};

const applyInbox = async (client: ClientBase, batch: ReadonlyArray<EventEnvelope>): Promise<void> => {
  const staged = await stageInbox(client, batch, null);
  await staged.write(client);
};

/** R1, R2 (search), R3 (filters), R4 and V4–V7 (folders) as a PostgreSQL projection: tables of migrations 3, 4 and 6, checkpoint `inbox`. */
export const inboxPgProjection: PgProjection = { name: INBOX_PROJECTION, handles: INBOX_EVENTS, apply: applyInbox, stage: stageInbox };
