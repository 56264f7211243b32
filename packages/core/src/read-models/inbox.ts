/**
 * R1–R4: the inbox of every business — one row per conversation with the client's current profile (C1),
 * the last message, the facts the folder rule needs (V4–V7), mute, pin and subscription — and the indexes
 * that make a page of it cheap over 100k conversations: the conversations (and the pinned ones) ordered by
 * last activity, posting lists for search words and their prefixes, phone digit windows and the filters,
 * the conversations of each folder for every viewer, and running unread totals for the badge.
 *
 * Folding a batch has two phases. First the events update the rows (a new row object per change). Then
 * every row the batch touched is compared with its version before the batch, and the indexes are moved by
 * the difference. The second phase depends on the two versions only, so folding a history in one batch or
 * in many ends in the same indexes (replay = incremental).
 *
 * Purity: the state lives in persistent collections (`persistent.ts`) and posting lists that are never
 * written once built; a fold copies what it changes, so every state it returned before stays as it was.
 * (Immer would copy the whole map of 100k rows at every batch; these copy a chunk.)
 */
import type { Author } from '../domain/actor.js';
import type { ConversationEvent, ConversationId, DeliveryStatus } from '../domain/conversation/events.js';
import { UNREAD_MARK, type ReadMark, type SubscriptionStatus } from '../domain/conversation/state.js';
import { nextDeliveryStatus } from '../domain/policies/delivery-status.js';
import { folderForMark, inboundSinceLastOutbound, unreadCountFor, type Folder, type FolderFacts } from '../domain/policies/folder.js';
import { allAnswered, answered, markedUnread, readUpTo } from '../domain/policies/read-marks.js';
import { StaffId, type BusinessId, type ClientId, type MessageId } from '../domain/values/ids.js';
import type { Media } from '../domain/values/media.js';
import type { E164 } from '../domain/values/phone-number.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import type { ClientEvent } from '../domain/client/events.js';
import { isConversationEvent } from '../domain/events.js';
import type { EventEnvelope } from '../domain/log.js';
import { PHashMap, PSortedMap, PVector, compareStrings, withEdit, type Edit } from './persistent.js';
import { PostingChanges, applyChanges, sizeOf, type Postings } from './postings.js';
import { addWords, messagePreviewOf, phoneDigits, phoneGramsOf, wordsOf } from './search-text.js';
import { businessOfStream } from './stream-ids.js';
import type { Projection } from './projection.js';

// ------------------------------------------------------------------------------------------------ rows

/** C1: the client as the host last recorded them; every past conversation shows this. */
export interface ClientCard {
  readonly clientId: ClientId;
  readonly uid: string;
  readonly name: string;
  readonly email: string | null;
  /** C2: the valid cell phone, or null (then `phoneProblem` says why). */
  readonly phone: E164 | null;
  readonly phoneProblem: string | null;
  readonly clientType: string;
  readonly groups: ReadonlyArray<string>;
  readonly homeLocation: string | null;
}

/** Who wrote a message: the client, a staff member, or an automation. */
export type MessageAuthor = Author | { readonly kind: 'client'; readonly clientId: ClientId | null };

export interface MessagePreview {
  readonly messageId: MessageId;
  readonly direction: 'inbound' | 'outbound';
  /** The first 100 characters of the body; for a media-only MMS, a label such as `📷 Photo` (docs/decisions.md, "MMS (issue 13)"). */
  readonly text: string;
  readonly truncated: boolean;
  /** How many media (MMS files) the message has; 0 for an SMS. */
  readonly mediaCount: number;
  readonly author: MessageAuthor;
  readonly at: Timestamp;
  /** V10: the delivery status of an outbound message; null for inbound. */
  readonly status: DeliveryStatus | null;
}

/** A conversation as the inbox keeps it: the folder facts (V4–V7) and what a row shows. */
export interface ConversationRecord extends FolderFacts {
  readonly conversationId: ConversationId;
  readonly clientId: ClientId | null;
  /** The number the conversation started with. */
  readonly phone: E164;
  readonly startedAt: Timestamp;
  /** Time of the last message (as the decider's `lastActivityAt`), or the start. */
  readonly lastActivityAt: Timestamp;
  /** Where the conversation stands in the inbox order (derived from `lastActivityAt`). */
  readonly orderKey: OrderKey;
  readonly lastMessage: MessagePreview | null;
  readonly muted: boolean;
  readonly pinned: boolean;
  readonly subscription: SubscriptionStatus;
}

/**
 * Everything the inbox knows under one conversation id (a client id or `tel:+E164`): the client's profile,
 * the conversation, or both. A client without a conversation is kept for when one starts.
 */
export interface InboxEntry {
  /** Dense number of the entry within its business, in order of first appearance in the log. */
  readonly ordinal: number;
  readonly id: ConversationId;
  readonly client: ClientCard | null;
  readonly conversation: ConversationRecord | null;
}

/**
 * Inbox order: newest activity first; ties by conversation id, so pages are stable. `ms` is `at` in
 * milliseconds: comparing numbers keeps the order index cheap to update.
 */
export interface OrderKey {
  readonly ms: number;
  readonly at: Timestamp;
  readonly id: string;
}

export const compareOrderKeys = (a: OrderKey, b: OrderKey): number =>
  a.ms !== b.ms ? b.ms - a.ms : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export const orderKeyAt = (at: Timestamp, id: string): OrderKey => ({ ms: Date.parse(at), at, id });

/**
 * R4 totals over the unmuted conversations, kept for both B3 modes so switching B3 needs no recount:
 * `shared` is the sum of the shared unread counts; with B3 on, a viewer's badge is `fresh` (the unread
 * count of someone who never opened anything) plus their `staff` correction (≤ 0, only for staff who
 * have a read mark somewhere).
 */
export interface BadgeTotals {
  readonly shared: number;
  readonly fresh: number;
  readonly staff: ReadonlyMap<StaffId, number>;
}

export interface BusinessInbox {
  readonly businessId: BusinessId;
  /** B1: the Message Center was enabled (queries of other businesses are refused). */
  readonly enabled: boolean;
  /** B3: individual read status. */
  readonly individual: boolean;
  readonly ordinals: PHashMap<number>;
  readonly entries: PVector<InboxEntry>;
  /** Conversations (not bare clients) by {@link compareOrderKeys}, to their ordinal. */
  readonly order: PSortedMap<OrderKey, number>;
  /** The pinned ones among them, for the top of the plain inbox (V9). */
  readonly pinnedOrder: PSortedMap<OrderKey, number>;
  /** R2: the words of name, e-mail, UID and client id of the current profile. */
  readonly profileWords: PSortedMap<string, Postings>;
  /** R2: the words of every message body, in and out (only ever grows). */
  readonly textWords: PSortedMap<string, Postings>;
  /**
   * R2: the first 1 to {@link PROFILE_PREFIX} characters of the profile words, and 1 to
   * {@link TEXT_PREFIX} of the message words. A short query word ("m", "gra": search as you type) is a
   * prefix of thousands of words (every e-mail address is a word of its own); these answer it with one
   * posting list instead of the union of all of theirs.
   */
  readonly profilePrefixes: PHashMap<Postings>;
  readonly textPrefixes: PHashMap<Postings>;
  /** R2: the 4-digit windows of the conversation's number and of the client's current cell phone. */
  readonly phoneGrams: PHashMap<Postings>;
  /** R3 */
  readonly clientTypes: PHashMap<Postings>;
  readonly groups: PHashMap<Postings>;
  readonly homeLocations: PHashMap<Postings>;
  /** V4–V7: the conversations of each folder, for every viewer; keys and use in {@link folderKeysOf}. */
  readonly folders: PHashMap<Postings>;
  readonly badge: BadgeTotals;
}

export interface StreamRef {
  readonly businessId: BusinessId;
  readonly ordinal: number;
}

export interface InboxState {
  readonly businesses: PSortedMap<BusinessId, BusinessInbox>;
  /** Conversation stream → its row (conversation events after the first carry no ids). */
  readonly streams: PHashMap<StreamRef>;
}

export const emptyInbox: InboxState = {
  businesses: PSortedMap.empty<BusinessId, BusinessInbox>(compareStrings),
  streams: PHashMap.empty<StreamRef>(),
};

const NO_BADGE: BadgeTotals = { shared: 0, fresh: 0, staff: new Map() };

const emptyBusiness = (businessId: BusinessId): BusinessInbox => ({
  businessId,
  enabled: false,
  individual: false,
  ordinals: PHashMap.empty(),
  entries: PVector.empty(),
  order: PSortedMap.empty(compareOrderKeys),
  pinnedOrder: PSortedMap.empty(compareOrderKeys),
  profileWords: PSortedMap.empty(compareStrings),
  textWords: PSortedMap.empty(compareStrings),
  profilePrefixes: PHashMap.empty(),
  textPrefixes: PHashMap.empty(),
  phoneGrams: PHashMap.empty(),
  clientTypes: PHashMap.empty(),
  groups: PHashMap.empty(),
  homeLocations: PHashMap.empty(),
  folders: PHashMap.empty(),
  badge: NO_BADGE,
});

// ------------------------------------------------------------------------------------------------ phase 1: rows

// Shared by every record that has them (records are never written once built): less memory per row.
const NO_STAFF_READ: ReadonlyMap<StaffId, ReadMark> = new Map();
const SUBSCRIBED: SubscriptionStatus = { status: 'subscribed', keyword: null, source: null, changedAt: null };

/** A conversation's record as its ConversationStarted makes it (for read models kept elsewhere: the same record). */
export const startedRecord = (e: Extract<ConversationEvent, { type: 'ConversationStarted' }>): ConversationRecord => ({
  conversationId: e.data.conversationId,
  clientId: e.data.clientId,
  phone: e.data.phone,
  startedAt: e.data.at,
  lastActivityAt: e.data.at,
  orderKey: orderKeyAt(e.data.at, e.data.conversationId),
  lastMessage: null,
  lastSeq: 0,
  lastOutboundSeq: 0,
  archived: false,
  sharedRead: UNREAD_MARK,
  staffRead: NO_STAFF_READ,
  muted: false,
  pinned: false,
  subscription: SUBSCRIBED,
});

const withStaffMark = (r: ConversationRecord, staffId: StaffId, mark: ReadMark): ReadonlyMap<StaffId, ReadMark> => {
  const next = new Map(r.staffRead);
  next.set(staffId, mark);
  return next;
};

type RecordDraft = { -readonly [K in keyof ConversationRecord]: ConversationRecord[K] };

/**
 * A fresh copy to change before it is published. Every field is written out: V8 copies such a literal
 * about 20 times faster than an object spread with overrides, and folds copy a record for every event.
 */
const copyRecord = (r: ConversationRecord): RecordDraft => ({
  conversationId: r.conversationId,
  clientId: r.clientId,
  phone: r.phone,
  startedAt: r.startedAt,
  lastActivityAt: r.lastActivityAt,
  orderKey: r.orderKey,
  lastMessage: r.lastMessage,
  lastSeq: r.lastSeq,
  lastOutboundSeq: r.lastOutboundSeq,
  archived: r.archived,
  sharedRead: r.sharedRead,
  staffRead: r.staffRead,
  muted: r.muted,
  pinned: r.pinned,
  subscription: r.subscription,
});

const messagePreview = (
  messageId: MessageId,
  direction: 'inbound' | 'outbound',
  message: { readonly body: string; readonly media: ReadonlyArray<Media> },
  author: MessageAuthor,
  at: Timestamp,
  status: DeliveryStatus | null,
): MessagePreview => {
  const preview = messagePreviewOf(message.body, message.media);
  return { messageId, direction, text: preview.text, truncated: preview.truncated, mediaCount: message.media.length, author, at, status };
};

const NO_MEDIA: ReadonlyArray<Media> = [];

/**
 * One conversation event on a record. The folder facts move as in the decider's `evolve`, by the same
 * read-mark rules (`read-marks.ts`; the tests check that `folderFor` and `unreadCountFor` agree with the
 * decider's state for every viewer after every step), kept here in the row's own immutable structures.
 * Returns the same record when nothing changes, so unchanged rows are not reindexed.
 */
export const evolveRecord = (r: ConversationRecord, e: ConversationEvent): ConversationRecord => {
  switch (e.type) {
    case 'ConversationStarted':
    // A claim is the outbox's business: the row shows the message as pending until its outcome.
    case 'OutboundClaimed':
    case 'OutboundClaimReleased':
      return r;
    case 'InboundReceived': {
      const n = copyRecord(r);
      n.lastSeq = e.data.seq;
      n.lastActivityAt = e.data.at;
      n.orderKey = orderKeyAt(e.data.at, r.conversationId);
      // V5: an inbound message takes the conversation out of the archive.
      n.archived = false;
      n.lastMessage = messagePreview(e.data.messageId, 'inbound', e.data, { kind: 'client', clientId: r.clientId }, e.data.at, null);
      return n;
    }
    case 'OutboundSent': {
      const n = copyRecord(r);
      n.lastSeq = e.data.seq;
      n.lastOutboundSeq = e.data.seq;
      n.lastActivityAt = e.data.at;
      n.orderKey = orderKeyAt(e.data.at, r.conversationId);
      n.archived = false;
      n.sharedRead = answered(r.sharedRead);
      n.staffRead = allAnswered(r.staffRead);
      n.lastMessage = messagePreview(e.data.messageId, 'outbound', { body: e.data.body, media: NO_MEDIA }, e.data.author, e.data.at, 'pending');
      return n;
    }
    case 'OutboundDispatched':
    case 'DeliveryStatusUpdated':
    case 'OutboundDispatchFailed': {
      const last = r.lastMessage;
      if (last === null || last.messageId !== e.data.messageId || last.status === null) return r;
      const status = nextDeliveryStatus(last.status, e.type === 'OutboundDispatchFailed' ? 'failed' : e.data.status);
      if (status === last.status) return r;
      const n = copyRecord(r);
      n.lastMessage = {
        messageId: last.messageId,
        direction: last.direction,
        text: last.text,
        truncated: last.truncated,
        mediaCount: last.mediaCount,
        author: last.author,
        at: last.at,
        status,
      };
      return n;
    }
    case 'ClientUnsubscribed':
    case 'ClientResubscribed': {
      const n = copyRecord(r);
      n.subscription = {
        status: e.type === 'ClientUnsubscribed' ? 'unsubscribed' : 'subscribed',
        keyword: e.data.keyword,
        source: e.data.source,
        changedAt: e.data.at,
      };
      return n;
    }
    case 'ConversationRead': {
      const n = copyRecord(r);
      n.staffRead = withStaffMark(r, e.data.staffId, readUpTo(r.staffRead.get(e.data.staffId) ?? UNREAD_MARK, e.data.upToSeq));
      n.sharedRead = readUpTo(r.sharedRead, e.data.upToSeq);
      return n;
    }
    case 'ConversationMarkedUnread': {
      const n = copyRecord(r);
      n.staffRead = withStaffMark(r, e.data.staffId, markedUnread(r.staffRead.get(e.data.staffId) ?? UNREAD_MARK));
      n.sharedRead = markedUnread(r.sharedRead);
      return n;
    }
    case 'ConversationArchived':
    case 'ConversationUnarchived':
      return flagged(r, 'archived', e.type === 'ConversationArchived');
    case 'ConversationMuted':
    case 'ConversationUnmuted':
      return flagged(r, 'muted', e.type === 'ConversationMuted');
    case 'ConversationPinned':
    case 'ConversationUnpinned':
      return flagged(r, 'pinned', e.type === 'ConversationPinned');
  }
};

const flagged = (r: ConversationRecord, flag: 'archived' | 'muted' | 'pinned', on: boolean): ConversationRecord => {
  if (r[flag] === on) return r;
  const n = copyRecord(r);
  n[flag] = on;
  return n;
};

/** A client's card as a ClientProfileRecorded makes it (a later one replaces it whole). */
export const clientCardOf = (e: ClientEvent): ClientCard => ({
  clientId: e.data.clientId,
  uid: e.data.uid,
  name: e.data.name,
  email: e.data.email,
  phone: e.data.cellPhone.e164,
  phoneProblem: e.data.cellPhone.problem,
  clientType: e.data.clientType,
  groups: e.data.groups,
  homeLocation: e.data.homeLocation,
});

/** A business while a batch is folded into it: mutable bookkeeping around persistent collections. */
interface BusinessDraft {
  readonly base: BusinessInbox;
  enabled: boolean;
  individual: boolean;
  ordinals: PHashMap<number>;
  entries: PVector<InboxEntry>;
  readonly dirty: Set<number>;
  /** Words of the messages of this batch: word → ordinals (repeats are merged when applied). */
  readonly text: Map<string, number[]>;
  /** Their prefixes (up to {@link TEXT_PREFIX}) → ordinals. */
  readonly textPrefixes: Map<string, number[]>;
}

const entryOf = (e: InboxEntry, client: ClientCard | null, conversation: ConversationRecord | null): InboxEntry => ({
  ordinal: e.ordinal,
  id: e.id,
  client,
  conversation,
});

const ordinalFor = (d: BusinessDraft, id: ConversationId, edit: Edit): number => {
  const known = d.ordinals.get(id);
  if (known !== undefined) return known;
  const ordinal = d.entries.size;
  d.entries = d.entries.push({ ordinal, id, client: null, conversation: null }, edit);
  d.ordinals = d.ordinals.set(id, ordinal, edit);
  return ordinal;
};

const updateEntry = (d: BusinessDraft, ordinal: number, edit: Edit, f: (e: InboxEntry) => InboxEntry): void => {
  const entry = d.entries.get(ordinal);
  if (entry === undefined) return;
  const next = f(entry);
  if (next === entry) return;
  d.entries = d.entries.set(ordinal, next, edit);
  d.dirty.add(ordinal);
};

// ------------------------------------------------------------------------------------------------ phase 2: indexes

// With B3 off the viewer does not matter (V7: everyone sees the shared mark); any id will do.
const ANYONE: StaffId = (() => {
  const id = '*';
  if (!StaffId.is(id)) throw new Error('unreachable: "*" is a staff id');
  return id;
})();

interface Contribution {
  readonly shared: number;
  readonly fresh: number;
  readonly staff: ReadonlyArray<readonly [StaffId, number]>;
}

const NOTHING: Contribution = { shared: 0, fresh: 0, staff: [] };

/** V8: a muted conversation adds nothing to the badge. */
const contributionOf = (r: ConversationRecord | null): Contribution => {
  if (r === null || r.muted) return NOTHING;
  const fresh = inboundSinceLastOutbound(r);
  const staff: Array<readonly [StaffId, number]> = [];
  for (const staffId of r.staffRead.keys()) {
    const delta = unreadCountFor(r, staffId, true) - fresh;
    if (delta !== 0) staff.push([staffId, delta]);
  }
  return { shared: unreadCountFor(r, ANYONE, false), fresh, staff };
};

/** The folder index of one staff member: `marked` (they have a read mark there) or one of their folders. */
export const staffFolderKey = (staffId: StaffId, folder: Folder | 'marked'): string => `${staffId}\u0000${folder}`;

/**
 * V4–V7: the keys of `folders` that list a conversation. `archived` is the same for everyone. Otherwise
 * `shared:<folder>` is its folder under the shared mark (B3 off); `fresh:<folder>` its folder for a staff
 * member without a mark of their own (B3 on); and for each staff member with a mark, `<id>␀marked` and
 * `<id>␀<folder>`. With B3 on, a viewer's folder F is then `fresh:F` minus their `marked`, plus their `F`:
 * exact sets, so a folder that is small for its viewer is a small page to find.
 */
export const folderKeysOf = (r: ConversationRecord | null): ReadonlySet<string> => {
  const keys = new Set<string>();
  if (r === null) return keys;
  if (r.archived) {
    keys.add('archived');
    return keys;
  }
  keys.add(`shared:${folderForMark(r, r.sharedRead)}`);
  keys.add(`fresh:${folderForMark(r, UNREAD_MARK)}`);
  for (const [staffId, mark] of r.staffRead) {
    keys.add(staffFolderKey(staffId, 'marked'));
    keys.add(staffFolderKey(staffId, folderForMark(r, mark)));
  }
  return keys;
};

/**
 * How many leading characters of each word the prefix indexes keep. Profiles change seldom, so theirs go
 * further (names typed as you search); every message adds to the text's, so those stay short: a longer
 * query word matches few enough message words to union them.
 */
export const PROFILE_PREFIX = 4;
export const TEXT_PREFIX = 2;

const prefixesOf = (words: ReadonlySet<string>, length: number): Set<string> => {
  const prefixes = new Set<string>();
  for (const w of words) for (let n = 1; n <= length && n <= w.length; n += 1) prefixes.add(w.slice(0, n));
  return prefixes;
};

const addOrdinal = (index: Map<string, number[]>, key: string, ordinal: number): void => {
  const ordinals = index.get(key);
  if (ordinals === undefined) index.set(key, [ordinal]);
  else ordinals.push(ordinal);
};

const profileWordsOf = (e: InboxEntry | undefined): ReadonlySet<string> =>
  e?.client == null ? new Set() : wordsOf(e.client.name, e.client.email, e.client.uid, e.client.clientId);

const phoneGramsOfEntry = (e: InboxEntry | undefined): ReadonlySet<string> => {
  const keys = new Set<string>();
  if (e?.client?.phone != null) phoneGramsOf(phoneDigits(e.client.phone), keys);
  if (e?.conversation != null) phoneGramsOf(phoneDigits(e.conversation.phone), keys);
  return keys;
};

const valuesOf = (values: ReadonlyArray<string | null>): ReadonlySet<string> => {
  const set = new Set<string>();
  for (const v of values) if (v !== null && v !== '') set.add(v);
  return set;
};

/** The operations both map kinds offer for posting lists. */
interface PostingsMap<M> {
  get(key: string): Postings | undefined;
  set(key: string, value: Postings, edit: Edit): M;
  delete(key: string, edit: Edit): M;
}

const applyAll = <M extends PostingsMap<M>>(map: M, changes: PostingChanges, universe: number, edit: Edit): M => {
  let m = map;
  for (const [key, { add, remove }] of changes.byKey) {
    const next = applyChanges(m.get(key), add, remove, universe);
    m = sizeOf(next) === 0 ? m.delete(key, edit) : m.set(key, next, edit);
  }
  return m;
};

const finishBusiness = (d: BusinessDraft, edit: Edit): BusinessInbox => {
  const base = d.base;
  let order = base.order;
  let pinnedOrder = base.pinnedOrder;
  const profile = new PostingChanges();
  const profilePrefixes = new PostingChanges();
  const phones = new PostingChanges();
  const types = new PostingChanges();
  const groups = new PostingChanges();
  const locations = new PostingChanges();
  const folders = new PostingChanges();
  let shared = base.badge.shared;
  let fresh = base.badge.fresh;
  let staff: Map<StaffId, number> | null = null;

  for (const ordinal of d.dirty) {
    const before = base.entries.get(ordinal);
    const after = d.entries.get(ordinal);
    if (after === undefined) continue;
    const was = before?.conversation ?? null;
    const now = after.conversation;
    if (was !== now) {
      const oldKey = was === null ? null : was.orderKey;
      const newKey = now === null ? null : now.orderKey;
      if (oldKey !== null && (newKey === null || compareOrderKeys(oldKey, newKey) !== 0)) order = order.delete(oldKey, edit);
      if (newKey !== null) order = order.set(newKey, ordinal, edit);
      if (oldKey !== null && was?.pinned === true && (newKey === null || now?.pinned !== true || compareOrderKeys(oldKey, newKey) !== 0))
        pinnedOrder = pinnedOrder.delete(oldKey, edit);
      if (newKey !== null && now?.pinned === true) pinnedOrder = pinnedOrder.set(newKey, ordinal, edit);
      folders.diff(ordinal, folderKeysOf(was), folderKeysOf(now));
      const c0 = contributionOf(was);
      const c1 = contributionOf(now);
      shared += c1.shared - c0.shared;
      fresh += c1.fresh - c0.fresh;
      if (c0.staff.length > 0 || c1.staff.length > 0) {
        const s: Map<StaffId, number> = staff ?? new Map(base.badge.staff);
        staff = s;
        for (const [id, delta] of c0.staff) s.set(id, (s.get(id) ?? 0) - delta);
        for (const [id, delta] of c1.staff) s.set(id, (s.get(id) ?? 0) + delta);
      }
    }
    if (before?.client !== after.client) {
      const wordsBefore = profileWordsOf(before);
      const wordsAfter = profileWordsOf(after);
      profile.diff(ordinal, wordsBefore, wordsAfter);
      profilePrefixes.diff(ordinal, prefixesOf(wordsBefore, PROFILE_PREFIX), prefixesOf(wordsAfter, PROFILE_PREFIX));
      types.diff(ordinal, valuesOf([before?.client?.clientType ?? null]), valuesOf([after.client?.clientType ?? null]));
      groups.diff(ordinal, valuesOf(before?.client?.groups ?? []), valuesOf(after.client?.groups ?? []));
      locations.diff(ordinal, valuesOf([before?.client?.homeLocation ?? null]), valuesOf([after.client?.homeLocation ?? null]));
    }
    if (before?.client?.phone !== after.client?.phone || (before?.conversation == null) !== (now === null))
      phones.diff(ordinal, phoneGramsOfEntry(before), phoneGramsOfEntry(after));
  }

  const text = PostingChanges.additions(d.text);
  const textPrefixes = PostingChanges.additions(d.textPrefixes);
  // Zero corrections are dropped, so the totals do not depend on how the history was batched.
  if (staff !== null) for (const [id, delta] of staff) if (delta === 0) staff.delete(id);
  const universe = d.entries.size;

  return {
    businessId: base.businessId,
    enabled: d.enabled,
    individual: d.individual,
    ordinals: d.ordinals,
    entries: d.entries,
    order,
    pinnedOrder,
    profileWords: applyAll(base.profileWords, profile, universe, edit),
    textWords: applyAll(base.textWords, text, universe, edit),
    profilePrefixes: applyAll(base.profilePrefixes, profilePrefixes, universe, edit),
    textPrefixes: applyAll(base.textPrefixes, textPrefixes, universe, edit),
    phoneGrams: applyAll(base.phoneGrams, phones, universe, edit),
    clientTypes: applyAll(base.clientTypes, types, universe, edit),
    groups: applyAll(base.groups, groups, universe, edit),
    homeLocations: applyAll(base.homeLocations, locations, universe, edit),
    folders: applyAll(base.folders, folders, universe, edit),
    badge: shared === base.badge.shared && fresh === base.badge.fresh && staff === null ? base.badge : { shared, fresh, staff: staff ?? base.badge.staff },
  };
};

// ------------------------------------------------------------------------------------------------ the fold

/**
 * Folds a batch of events (any streams, log order) into the inbox. Events of other kinds are ignored, and
 * so is a conversation event whose stream never started (the decider always opens a conversation with
 * `ConversationStarted`, so this only happens with a foreign or damaged log).
 */
export const foldInbox = (state: InboxState, batch: ReadonlyArray<EventEnvelope>): InboxState =>
  batch.length === 0
    ? state
    : withEdit((edit) => {
        let streams = state.streams;
        const drafts = new Map<BusinessId, BusinessDraft>();
        const draftOf = (businessId: BusinessId): BusinessDraft => {
          let d = drafts.get(businessId);
          if (d === undefined) {
            const base = state.businesses.get(businessId) ?? emptyBusiness(businessId);
            d = {
              base,
              enabled: base.enabled,
              individual: base.individual,
              ordinals: base.ordinals,
              entries: base.entries,
              dirty: new Set(),
              text: new Map(),
              textPrefixes: new Map(),
            };
            drafts.set(businessId, d);
          }
          return d;
        };

        for (const { streamId, event } of batch) {
          switch (event.type) {
            case 'MessageCenterEnabled': {
              const d = draftOf(event.data.businessId);
              d.enabled = true;
              d.individual = event.data.individualReadStatus;
              break;
            }
            case 'ReadStatusModeChanged': {
              const businessId = businessOfStream(streamId);
              if (businessId !== null) draftOf(businessId).individual = event.data.individual;
              break;
            }
            case 'ClientProfileRecorded': {
              const d = draftOf(event.data.businessId);
              const card = clientCardOf(event);
              updateEntry(d, ordinalFor(d, event.data.clientId, edit), edit, (e) => entryOf(e, card, e.conversation));
              break;
            }
            case 'ConversationStarted': {
              const d = draftOf(event.data.businessId);
              const ordinal = ordinalFor(d, event.data.conversationId, edit);
              streams = streams.set(streamId, { businessId: event.data.businessId, ordinal }, edit);
              updateEntry(d, ordinal, edit, (e) => (e.conversation === null ? entryOf(e, e.client, startedRecord(event)) : e));
              break;
            }
            default: {
              // Events of other aggregates (e.g. number reservations) do not show in the inbox.
              if (!isConversationEvent(event)) break;
              const ref = streams.get(streamId);
              if (ref === undefined) break;
              const d = draftOf(ref.businessId);
              updateEntry(d, ref.ordinal, edit, (e) => {
                if (e.conversation === null) return e;
                const next = evolveRecord(e.conversation, event);
                return next === e.conversation ? e : entryOf(e, e.client, next);
              });
              if (event.type === 'InboundReceived' || event.type === 'OutboundSent') {
                const words = new Set<string>();
                addWords(event.data.body, words);
                for (const w of words) addOrdinal(d.text, w, ref.ordinal);
                for (const p of prefixesOf(words, TEXT_PREFIX)) addOrdinal(d.textPrefixes, p, ref.ordinal);
              }
              break;
            }
          }
        }

        let businesses = state.businesses;
        for (const [businessId, d] of drafts) businesses = businesses.set(businessId, finishBusiness(d, edit), edit);
        return { businesses, streams };
      });

/** R1–R4 as a projection for the runner. */
export const inboxProjection: Projection<InboxState> = { name: 'inbox', initial: emptyInbox, fold: foldInbox };
