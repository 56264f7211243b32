/**
 * R1–R4 queries over the inbox read model. Every query is asked as a staff member of the business
 * (R1: anyone else is refused `forbidden`, so no business ever sees another's conversations).
 *
 * A page is computed from the indexes, never by sorting the whole business:
 * - the restrictions (search, filters, and the folder of the view for this viewer) are
 *   posting lists, intersected smallest first;
 * - few candidates: their rows are fetched and the first of them kept in inbox order; many (or none, the
 *   plain inbox): the conversations are walked in inbox order from the cursor (or from the end of the
 *   date range) and the walk stops as soon as the page is full.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { StaffActor } from '../domain/actor.js';
import { authorize, type Operation } from '../domain/authorization.js';
import type { ConversationId } from '../domain/conversation/events.js';
import type { SubscriptionStatus } from '../domain/conversation/state.js';
import { notEnabled, type DomainError } from '../domain/errors.js';
import { FOLDERS, folderFor, unreadCountFor, type Folder, type FolderFacts } from '../domain/policies/folder.js';
import type { BusinessId, StaffId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import { Timestamp } from '../domain/values/timestamp.js';
import {
  PROFILE_PREFIX,
  TEXT_PREFIX,
  compareOrderKeys,
  orderKeyAt,
  staffFolderKey,
  type BusinessInbox,
  type ClientCard,
  type ConversationRecord,
  type InboxEntry,
  type InboxState,
  type MessagePreview,
  type OrderKey,
} from './inbox.js';
import type { PHashMap, PSortedMap } from './persistent.js';
import { NO_POSTINGS, differenceOf, forEachOrdinal, forEachOrdinalDescending, intersectAll, membership, sizeOf, unionAll, type Postings } from './postings.js';
import { PHONE_WINDOW, isFormattedPhoneQuery, phoneQueryDigits, queryWords } from './search-text.js';

// ------------------------------------------------------------------------------------------------ types

/** R1: `all` is every conversation that is not archived; the others are the folders of V4. */
export type InboxView = 'all' | Folder;
export const INBOX_VIEWS: ReadonlyArray<InboxView> = ['all', ...FOLDERS];

/** R3: combinable with each other, with a view and with a search. An empty list means "no filter". */
export interface InboxFilters {
  /** Last activity at or after this instant. */
  readonly lastActivityFrom?: Timestamp | undefined;
  /** Last activity strictly before this instant (half-open, so consecutive ranges do not overlap). */
  readonly lastActivityTo?: Timestamp | undefined;
  /** Any of these client types. */
  readonly clientTypes?: ReadonlyArray<string> | undefined;
  /** The client is in any of these groups. */
  readonly groups?: ReadonlyArray<string> | undefined;
  /** Any of these home locations. */
  readonly homeLocations?: ReadonlyArray<string> | undefined;
}

export interface InboxQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
  /** Default `all`. */
  readonly view?: InboxView | undefined;
  /** R2: client name, phone number (any formatting), e-mail, UID, client id or message text. */
  readonly search?: string | undefined;
  readonly filters?: InboxFilters | undefined;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
  /** Rows per page, 1–200; default 50. */
  readonly limit?: number | undefined;
}

export interface InboxRow {
  readonly conversationId: ConversationId;
  /** C1: the client's current profile (null for a number that matches no client). */
  readonly client: ClientCard | null;
  /** The client's current cell phone, or else the number the conversation started with. */
  readonly phone: E164;
  readonly lastMessage: MessagePreview | null;
  readonly lastActivityAt: Timestamp;
  /** V4–V7, for the viewer who asked. */
  readonly folder: Folder;
  readonly unreadCount: number;
  readonly archived: boolean;
  readonly muted: boolean;
  readonly pinned: boolean;
  readonly subscription: SubscriptionStatus;
  readonly messageCount: number;
}

/** V4–V9: what one viewer sees of a conversation wherever it is shown: in an inbox row and in the conversation view. */
export type ViewerStatus = Pick<InboxRow, 'folder' | 'unreadCount' | 'archived' | 'muted' | 'pinned' | 'subscription' | 'messageCount'>;

/** The viewer's status from the facts the decider's state and the inbox's rows both keep (B3 `individual` picks whose read mark counts). */
export const viewerStatus = (
  c: FolderFacts & { readonly muted: boolean; readonly pinned: boolean; readonly subscription: SubscriptionStatus },
  viewer: StaffId,
  individual: boolean,
): ViewerStatus => ({
  folder: folderFor(c, viewer, individual),
  unreadCount: unreadCountFor(c, viewer, individual),
  archived: c.archived,
  muted: c.muted,
  pinned: c.pinned,
  subscription: c.subscription,
  messageCount: c.lastSeq,
});

export interface InboxPage {
  readonly rows: ReadonlyArray<InboxRow>;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

// ------------------------------------------------------------------------------------------------ helpers

const invalid = (field: string, message: string): DomainError => ({ code: 'invalid-input', message, problems: [field] });

/** R1 first, then the business must exist in the read model. */
const businessFor = (state: InboxState, operation: Operation, viewer: StaffActor, businessId: BusinessId): E.Either<DomainError, BusinessInbox> => {
  const authorized = authorize(operation, viewer, businessId);
  if (E.isLeft(authorized)) return authorized;
  const business = state.businesses.get(businessId);
  return business === undefined || !business.enabled ? E.left(notEnabled) : E.right(business);
};

export const inboxRow = (entry: InboxEntry, record: ConversationRecord, viewer: StaffId, individual: boolean): InboxRow => {
  // Fields written out, not spread: a spread copies four times slower, on every row of every page.
  const status = viewerStatus(record, viewer, individual);
  return {
    conversationId: record.conversationId,
    client: entry.client,
    phone: entry.client?.phone ?? record.phone,
    lastMessage: record.lastMessage,
    lastActivityAt: record.lastActivityAt,
    folder: status.folder,
    unreadCount: status.unreadCount,
    archived: status.archived,
    muted: status.muted,
    pinned: status.pinned,
    subscription: status.subscription,
    messageCount: status.messageCount,
  };
};

// ------------------------------------------------------------------------------------------------ cursor

/** Where a page ends: exported so another read-model store gives out the same cursors. */
export interface InboxCursor {
  /** 0: among the pinned conversations at the top of the plain inbox; 1: the rest. */
  readonly segment: 0 | 1;
  readonly key: OrderKey;
}

const CursorCodec = t.tuple([t.union([t.literal(0), t.literal(1)]), Timestamp, t.string]);

export const encodeCursor = (c: InboxCursor): string => Buffer.from(JSON.stringify([c.segment, c.key.at, c.key.id]), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): E.Either<DomainError, InboxCursor> => {
  const bad = invalid('cursor', 'the cursor is not one this inbox gave out');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return E.left(bad);
  }
  const decoded = CursorCodec.decode(json);
  if (E.isLeft(decoded)) return E.left(bad);
  const [segment, at, id] = decoded.right;
  return E.right({ segment, key: orderKeyAt(at, id) });
};

// ------------------------------------------------------------------------------------------------ search

const prefixPostings = (words: PSortedMap<string, Postings>, prefix: string, into: Postings[]): void =>
  words.forEachFrom(
    (k) => k >= prefix,
    (k, p) => {
      if (!k.startsWith(prefix)) return false;
      into.push(p);
      return true;
    },
  );

/** A query word up to `indexed` characters long is one list of the prefix index; a longer one a prefix scan. */
const wordPostings = (words: PSortedMap<string, Postings>, prefixes: PHashMap<Postings>, indexed: number, w: string, into: Postings[]): void => {
  if (w.length > indexed) return prefixPostings(words, w, into);
  const p = prefixes.get(w);
  if (p !== undefined) into.push(p);
};

/**
 * The entry is found by these digits in the client's current cell phone or the conversation's number.
 * E.164 is "+" and digits, so the digits are looked for in it as it is (no copy per candidate).
 */
const hasPhoneDigits = (entry: InboxEntry, digits: string): boolean =>
  (entry.client?.phone?.includes(digits) ?? false) || (entry.conversation?.phone.includes(digits) ?? false);

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Every string of `n` digits. */
const digitStrings = (n: number): ReadonlyArray<string> => (n === 0 ? [''] : digitStrings(n - 1).flatMap((rest) => DIGITS.map((d) => d + rest)));

const phoneMatches = (b: BusinessInbox, digits: string): Postings => {
  const universe = b.entries.size;
  const window = (key: string): Postings => b.phoneGrams.get(key) ?? NO_POSTINGS;
  if (digits.length === PHONE_WINDOW) return window(digits);
  // Shorter: every number holding them has a window that begins or ends with them.
  if (digits.length < PHONE_WINDOW) {
    const lists: Postings[] = [];
    for (const around of digitStrings(PHONE_WINDOW - digits.length)) lists.push(window(digits + around), window(around + digits));
    return unionAll(lists, universe);
  }
  const lists: Postings[] = [];
  for (let i = 0; i + PHONE_WINDOW <= digits.length; i += 1) lists.push(window(digits.slice(i, i + PHONE_WINDOW)));
  const found: number[] = [];
  // Longer: the windows narrow the candidates down; the digits must appear as a whole.
  forEachOrdinal(intersectAll(lists, universe) ?? NO_POSTINGS, (ordinal) => {
    const entry = b.entries.get(ordinal);
    if (entry !== undefined && hasPhoneDigits(entry, digits)) found.push(ordinal);
  });
  return Int32Array.from(found);
};

/**
 * R2: the entries a search finds (see `search-text.ts` for the matching rules): every word of the query
 * is a prefix of a word of the client's name, e-mail, UID or id, or of a message of the conversation —
 * or the query is (part of) its phone number. Null for a blank query (no search).
 */
export const searchEntries = (b: BusinessInbox, query: string): Postings | null => {
  const words = isFormattedPhoneQuery(query) ? [] : queryWords(query);
  const digits = phoneQueryDigits(query);
  if (words.length === 0 && digits === null) return null;
  const universe = b.entries.size;
  const perWord = words.map((w) => {
    const lists: Postings[] = [];
    wordPostings(b.profileWords, b.profilePrefixes, PROFILE_PREFIX, w, lists);
    wordPostings(b.textWords, b.textPrefixes, TEXT_PREFIX, w, lists);
    return unionAll(lists, universe);
  });
  const byWords = intersectAll(perWord, universe) ?? NO_POSTINGS;
  return digits === null ? byWords : unionAll([byWords, phoneMatches(b, digits)], universe);
};

const anyOf = (index: PHashMap<Postings>, values: ReadonlyArray<string> | undefined, universe: number): Postings | null =>
  values === undefined || values.length === 0
    ? null
    : unionAll(
        values.flatMap((v) => {
          const p = index.get(v);
          return p === undefined ? [] : [p];
        }),
        universe,
      );

// ------------------------------------------------------------------------------------------------ folders

/** V4–V7: exactly the conversations in `folder` for this viewer (see `folderKeysOf`). */
export const folderPostings = (b: BusinessInbox, viewer: StaffId, folder: Folder): Postings => {
  const get = (key: string): Postings => b.folders.get(key) ?? NO_POSTINGS;
  if (folder === 'archived') return get('archived');
  if (!b.individual) return get(`shared:${folder}`);
  const universe = b.entries.size;
  const unmarked = differenceOf(get(`fresh:${folder}`), get(staffFolderKey(viewer, 'marked')), universe);
  return unionAll([unmarked, get(staffFolderKey(viewer, folder))], universe);
};

// ------------------------------------------------------------------------------------------------ pages

interface Hit {
  readonly segment: 0 | 1;
  readonly key: OrderKey;
  readonly entry: InboxEntry;
  readonly record: ConversationRecord;
}

/** Below this many candidates they are fetched and sorted; above it the inbox order is walked. */
const SORT_AT_MOST = 2048;

/**
 * R1–R3 and V9: one page of a business's inbox, as the viewer sees it. Pinned conversations come first,
 * and only in the plain `all` view (no filter, no search); with a folder view, a filter or a search they
 * are hidden. Order: newest last activity first, ties by conversation id.
 */
export const inboxPage = (state: InboxState, query: InboxQuery): E.Either<DomainError, InboxPage> => {
  const found = businessFor(state, 'inbox', query.viewer, query.businessId);
  if (E.isLeft(found)) return found;
  const b = found.right;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    return E.left(invalid('limit', `a page has 1 to ${MAX_PAGE_SIZE} rows`));
  const view = query.view ?? 'all';
  if (!INBOX_VIEWS.includes(view)) return E.left(invalid('view', `the view is one of ${INBOX_VIEWS.join(', ')}`));
  let cursor: InboxCursor | null = null;
  if (query.cursor !== undefined) {
    const decoded = decodeCursor(query.cursor);
    if (E.isLeft(decoded)) return decoded;
    cursor = decoded.right;
  }
  const f = query.filters ?? {};
  if ((f.lastActivityFrom !== undefined && !Timestamp.is(f.lastActivityFrom)) || (f.lastActivityTo !== undefined && !Timestamp.is(f.lastActivityTo)))
    return E.left(invalid('filters', 'the activity range takes instants like 2026-11-23T17:06:00.000Z'));
  const from = f.lastActivityFrom === undefined ? undefined : Date.parse(f.lastActivityFrom);
  const to = f.lastActivityTo === undefined ? undefined : Date.parse(f.lastActivityTo);

  const universe = b.entries.size;
  const searched = query.search === undefined ? null : searchEntries(b, query.search);
  const restrictions: Postings[] = [];
  for (const p of [
    searched,
    anyOf(b.clientTypes, f.clientTypes, universe),
    anyOf(b.groups, f.groups, universe),
    anyOf(b.homeLocations, f.homeLocations, universe),
  ])
    if (p !== null) restrictions.push(p);
  const plain = view === 'all' && restrictions.length === 0 && from === undefined && to === undefined;
  const viewer = query.viewer.staffId;
  if (view !== 'all') restrictions.push(folderPostings(b, viewer, view));

  const inView = (r: ConversationRecord): boolean => (view === 'all' ? !r.archived : folderFor(r, viewer, b.individual) === view);
  const want = limit + 1;
  const hits: Hit[] = [];

  // V9: pinned first, only in the plain inbox.
  if (plain && (cursor === null || cursor.segment === 0)) {
    const at = cursor?.key;
    b.pinnedOrder.forEachFrom(
      (k) => at === undefined || compareOrderKeys(k, at) > 0,
      (key, ordinal) => {
        const entry = b.entries.get(ordinal);
        const record = entry?.conversation;
        if (entry !== undefined && record != null && inView(record)) hits.push({ segment: 0, key, entry, record });
        return hits.length < want;
      },
    );
  }

  if (hits.length < want) {
    const after = cursor !== null && cursor.segment === 1 ? cursor.key : null;
    // Everything past the cursor and before the end of the range: monotone along the inbox order.
    const started = (k: OrderKey): boolean => (after === null || compareOrderKeys(k, after) > 0) && (to === undefined || k.ms < to);
    const beforeRange = (k: OrderKey): boolean => from !== undefined && k.ms < from;
    // Pinned conversations were listed above (plain inbox) or are hidden (V9).
    const accept = (record: ConversationRecord): boolean => !record.pinned && inView(record);
    const restrict = intersectAll(restrictions, universe);

    if (restrict !== null && sizeOf(restrict) <= SORT_AT_MOST) {
      // The first `room` of the candidates in inbox order, kept sorted as they are found. Newest entries
      // first (they are the likeliest to be active lately), so most candidates are compared with the
      // last kept one only, instead of sorting them all.
      const room = want - hits.length;
      const best: Hit[] = [];
      forEachOrdinalDescending(restrict, (ordinal) => {
        const entry = b.entries.get(ordinal);
        const record = entry?.conversation;
        if (entry === undefined || record == null) return;
        const key = record.orderKey;
        const last = best[best.length - 1];
        if (best.length === room && last !== undefined && compareOrderKeys(key, last.key) >= 0) return;
        if (!accept(record) || !started(key) || beforeRange(key)) return;
        let lo = 0;
        let hi = best.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const other = best[mid];
          if (other !== undefined && compareOrderKeys(other.key, key) < 0) lo = mid + 1;
          else hi = mid;
        }
        // Shifted by hand: `splice` allocates an array for what it removes, at every insertion.
        const hit: Hit = { segment: 1, key, entry, record };
        if (best.length < room) best.push(hit);
        for (let i = best.length - 1; i > lo; i -= 1) {
          const moved = best[i - 1];
          if (moved !== undefined) best[i] = moved;
        }
        best[lo] = hit;
      });
      hits.push(...best);
    } else {
      const allowed = restrict === null ? null : membership(restrict, universe);
      b.order.forEachFrom(started, (key, ordinal) => {
        if (beforeRange(key)) return false;
        if (allowed !== null && !allowed(ordinal)) return true;
        const entry = b.entries.get(ordinal);
        const record = entry?.conversation;
        if (entry !== undefined && record != null && accept(record)) hits.push({ segment: 1, key, entry, record });
        return hits.length < want;
      });
    }
  }

  const page = hits.slice(0, limit);
  const last = page[page.length - 1];
  return E.right({
    rows: page.map((h) => inboxRow(h.entry, h.record, viewer, b.individual)),
    nextCursor: hits.length > limit && last !== undefined ? encodeCursor({ segment: last.segment, key: last.key }) : null,
  });
};

/** R1: one conversation as the viewer sees it in the inbox. */
export const inboxConversation = (
  state: InboxState,
  query: { readonly viewer: StaffActor; readonly businessId: BusinessId; readonly conversationId: ConversationId },
): E.Either<DomainError, InboxRow> => {
  const found = businessFor(state, 'conversation', query.viewer, query.businessId);
  if (E.isLeft(found)) return found;
  const b = found.right;
  const ordinal = b.ordinals.get(query.conversationId);
  const entry = ordinal === undefined ? undefined : b.entries.get(ordinal);
  const record = entry?.conversation;
  return entry === undefined || record == null
    ? E.left({ code: 'conversation-not-found', message: 'there is no such conversation' })
    : E.right(inboxRow(entry, record, query.viewer.staffId, b.individual));
};

/**
 * R4: unread inbound messages across the business's conversations for this viewer — their own count with
 * B3 on, the shared one with B3 off (V7) — leaving out muted conversations (V8). O(1): kept by the fold.
 */
export const unreadBadge = (state: InboxState, query: { readonly viewer: StaffActor; readonly businessId: BusinessId }): E.Either<DomainError, number> => {
  const found = businessFor(state, 'unreadBadge', query.viewer, query.businessId);
  if (E.isLeft(found)) return found;
  const { badge, individual } = found.right;
  return E.right(individual ? badge.fresh + (badge.staff.get(query.viewer.staffId) ?? 0) : badge.shared);
};

