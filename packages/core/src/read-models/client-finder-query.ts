/**
 * R2 (issue 13): `findClients`, the To: picker. One query finds a client of the business by any of:
 *
 * - client id, exactly (ids are opaque: case counts);
 * - UID or e-mail address, whole, case- and accent-insensitive;
 * - e-mail address by its beginning ("maria.g");
 * - name: every word of the query begins a word of the name (`search-text.ts`: accents, case and
 *   punctuation ignored; "zoe ors" finds Zoë Ørsted);
 * - cell phone in any formatting: the query's digits (a national trunk zero dropped) are the number's last
 *   digits, at least 3 of them. They are the full number when they cover its national significant number.
 *
 * Ranking: exact matches first (id, UID, e-mail, full number), then name matches, then the partial ones
 * (e-mail beginning, last digits); within a rank by folded name, then client id. A blank query lists every
 * client by name. Pages follow that order through an opaque cursor.
 *
 * Authorization is the caller's: the facade asks `authorize('findClients' …)` as for the inbox (staff of
 * the business with `send-email-sms`) before it calls this. The query only ever reads the business asked for.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import type { ConversationId } from '../domain/conversation/events.js';
import type { DomainError } from '../domain/errors.js';
import type { BusinessId, ClientId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import { exactly, startingWith } from './client-finder-index.js';
import { compareNameKeys, reversedDigits, wholeKeyOf, type BusinessClients, type ClientFinderState, type ClientRecord, type NameKey } from './client-finder.js';
import { MAX_PAGE_SIZE } from './inbox-query.js';
import { NO_POSTINGS, differenceOf, forEachOrdinal, intersectAll, membership, sizeOf, unionAll, type Postings } from './postings.js';
import { isFormattedPhoneQuery, phoneDigits, phoneQueryDigits, queryWords } from './search-text.js';

// ------------------------------------------------------------------------------------------------ types

export interface FindClientsQuery {
  readonly businessId: BusinessId;
  /** Name, phone (any formatting), e-mail, UID or client id; blank lists every client. */
  readonly query: string;
  /** Rows per page, 1–200; default {@link DEFAULT_FINDER_PAGE}. */
  readonly limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** Why a client cannot be texted now: the refusal `sendMessage` would give. */
export type CannotText = Extract<DomainError, { readonly code: 'client-has-no-valid-cell-phone' | 'client-unsubscribed' }>;

/** How a client matched: its rank. */
export type ClientMatchKind = 'exact' | 'name' | 'partial';

export interface FoundClient {
  readonly clientId: ClientId;
  readonly uid: string;
  readonly name: string;
  /** C2: the valid cell phone, or null. */
  readonly cellPhone: E164 | null;
  readonly email: string | null;
  /** C2 and V3: a valid cell phone whose number has not opted out. */
  readonly canText: boolean;
  /** Null when `canText`. */
  readonly reason: CannotText | null;
  /** The client's conversation, if one exists (its id is the client id). */
  readonly conversationId: ConversationId | null;
  readonly match: ClientMatchKind;
}

export interface FoundClientsPage {
  readonly clients: ReadonlyArray<FoundClient>;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_FINDER_PAGE = 20;
/** Longer than any id, UID or e-mail address worth typing; longer queries are refused, not cut. */
export const MAX_FINDER_QUERY = 256;

// ------------------------------------------------------------------------------------------------ can text

const unsubscribed: CannotText = {
  code: 'client-unsubscribed',
  message: 'the client has opted out of SMS (replied STOP); they must text START to opt in again',
};

/**
 * C2 and V3 as `sendMessage` decides them: a valid cell phone; the phone's own subscription stream once it
 * has said anything, else the client's conversation's record when it was about this number.
 */
const cannotText = (b: BusinessClients, r: ClientRecord): CannotText | null => {
  if (r.cellPhone === null)
    return { code: 'client-has-no-valid-cell-phone', message: `the client cannot receive SMS: ${r.phoneProblem ?? 'no valid cell phone'}` };
  // As the send decides: the business texting its own number would loop through the provider.
  if (r.cellPhone === b.number) return { code: 'client-has-no-valid-cell-phone', message: "the client cannot receive SMS: the cell phone is the business's own number" };
  const phone = b.phoneOptOuts.get(r.cellPhone);
  const conversation = b.conversations.get(r.clientId);
  const optedOut = phone ?? (conversation !== undefined && conversation.unsubscribed && conversation.phone === r.cellPhone);
  return optedOut ? unsubscribed : null;
};

const found = (b: BusinessClients, r: ClientRecord, match: ClientMatchKind): FoundClient => {
  const reason = cannotText(b, r);
  return {
    clientId: r.clientId,
    uid: r.uid,
    name: r.name,
    cellPhone: r.cellPhone,
    email: r.email,
    canText: reason === null,
    reason,
    conversationId: b.conversations.get(r.clientId)?.conversationId ?? null,
    match,
  };
};

// ------------------------------------------------------------------------------------------------ phones

// E.164 country calling codes are prefix-free: the first 1, 2 or 3 digits that are one are the code.
// Codes not in the metadata (non-geographic ones such as 800 or 882) all have 3 digits.
const CALLING_CODES: ReadonlySet<string> = new Set(getCountries().map((c) => getCountryCallingCode(c)));

/** How many digits of an E.164 number follow its country calling code. */
const nationalLength = (digits: string): number => {
  for (let n = 1; n < 3; n += 1) if (CALLING_CODES.has(digits.slice(0, n))) return digits.length - n;
  return digits.length - 3;
};

// ------------------------------------------------------------------------------------------------ cursor

const CursorCodec = t.tuple([t.union([t.literal(0), t.literal(1), t.literal(2)]), t.string, t.string]);

interface Cursor {
  readonly rank: number;
  readonly key: NameKey;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.rank, c.key.name, c.key.id]), 'utf8').toString('base64url');

const invalid = (field: string, message: string): DomainError => ({ code: 'invalid-input', message, problems: [field] });

const decodeCursor = (cursor: string): E.Either<DomainError, Cursor> =>
  pipe(
    E.tryCatch((): unknown => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')), E.toError),
    E.chainW(CursorCodec.decode),
    E.bimap(
      () => invalid('cursor', 'the cursor is not one this search gave out'),
      ([rank, name, id]) => ({ rank, key: { name, id } }),
    ),
  );

// ------------------------------------------------------------------------------------------------ matching

/**
 * The clients of each rank, best first (null: every client), before the better ranks are taken out. Each
 * is computed only when a page reaches it: a page of name matches never scans e-mail addresses.
 */
const matchers = (b: BusinessClients, query: string): ReadonlyArray<readonly [ClientMatchKind, () => Postings | null]> => {
  const universe = b.clients.size;
  // Ranks keep their place in the list, so a cursor's rank means the same for every query.
  if (query === '') return [['exact', () => NO_POSTINGS], ['name', () => null]];
  const folded = wholeKeyOf(query);
  const digits = phoneQueryDigits(query);
  // Shared by the exact rank (the full number) and the partial one (its last digits).
  const byDigits = digits === null ? NO_POSTINGS : startingWith(b.phones, reversedDigits(digits), universe);
  const exact = (): Postings => {
    const ordinals: number[] = [];
    const byId = b.ordinals.get(query);
    if (byId !== undefined) ordinals.push(byId);
    if (folded !== null) {
      forEachOrdinal(b.uids.get(folded) ?? NO_POSTINGS, (o) => ordinals.push(o));
      forEachOrdinal(exactly(b.emails, folded), (o) => ordinals.push(o));
    }
    if (digits !== null)
      forEachOrdinal(byDigits, (o) => {
        const phone = b.clients.get(o)?.cellPhone;
        if (phone != null && digits.length >= nationalLength(phoneDigits(phone))) ordinals.push(o);
      });
    return Int32Array.from(new Set(ordinals)).sort();
  };
  const byName = (): Postings => {
    const words = isFormattedPhoneQuery(query) ? [] : queryWords(query);
    return words.length === 0 ? NO_POSTINGS : (intersectAll(words.map((w) => startingWith(b.names, w, universe)), universe) ?? NO_POSTINGS);
  };
  const partial = (): Postings => unionAll([folded === null ? NO_POSTINGS : startingWith(b.emails, folded, universe), byDigits], universe);
  return [
    ['exact', exact],
    ['name', byName],
    ['partial', partial],
  ];
};

/**
 * The first `room` clients of a set after `after`, in name order, by one pass over the set: a client
 * after the last one kept is dismissed with one comparison.
 */
const selectFirst = (b: BusinessClients, set: Postings, past: (k: NameKey) => boolean, room: number): ReadonlyArray<ClientRecord> => {
  const best: ClientRecord[] = [];
  forEachOrdinal(set, (o) => {
    const r = b.clients.get(o);
    const last = best[best.length - 1];
    if (r === undefined || !past(r.nameKey) || (best.length === room && last !== undefined && compareNameKeys(r.nameKey, last.nameKey) >= 0)) return;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = best[mid];
      if (other !== undefined && compareNameKeys(other.nameKey, r.nameKey) < 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, r);
    if (best.length > room) best.pop();
  });
  return best;
};

/** Below this many clients a rank is selected from directly; above it the name order is walked first. */
const SELECT_AT_MOST = 2048;
/** A step of the walk costs about a sixteenth of a client looked at by `selectFirst` (bench/client-finder.ts). */
const WALK_STEPS_PER_CLIENT = 16;

/**
 * The first `room` clients of one rank (null: every client) after `after`, in name order. A large rank
 * fills a page after about room / density steps of the name order when its clients are spread over it;
 * but they may be bunched ("maria" finds the names that begin with it, all together, maybe late). So a
 * walk gets as many steps as one pass over the rank would cost, then gives way to that pass: at worst
 * twice the cost of the pass (the rent-or-buy bound), never a walk over the whole business for a small rank.
 */
const firstOf = (b: BusinessClients, rank: Postings | null, after: NameKey | null, room: number): ReadonlyArray<ClientRecord> => {
  const past = (k: NameKey): boolean => after === null || compareNameKeys(k, after) > 0;
  if (rank !== null && sizeOf(rank) <= SELECT_AT_MOST) return selectFirst(b, rank, past, room);
  const universe = b.clients.size;
  const allowed = rank === null ? null : membership(rank, universe);
  const budget = rank === null ? Infinity : WALK_STEPS_PER_CLIENT * sizeOf(rank);
  const out: ClientRecord[] = [];
  let steps = 0;
  b.byName.forEachFrom(past, (_, o) => {
    steps += 1;
    const r = allowed === null || allowed(o) ? b.clients.get(o) : undefined;
    if (r !== undefined) out.push(r);
    return out.length < room && steps < budget;
  });
  return out.length < room && steps >= budget && rank !== null ? selectFirst(b, rank, past, room) : out;
};

// ------------------------------------------------------------------------------------------------ the query

/**
 * R2: one page of the clients of a business that match the query, best first (see the module comment).
 * A business the read model has never heard of has no clients.
 */
export const findClients = (state: ClientFinderState, q: FindClientsQuery): E.Either<DomainError, FoundClientsPage> => {
  const limit = q.limit ?? DEFAULT_FINDER_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return E.left(invalid('limit', `a page has 1 to ${MAX_PAGE_SIZE} clients`));
  if (q.query.length > MAX_FINDER_QUERY) return E.left(invalid('query', `a search has at most ${MAX_FINDER_QUERY} characters`));
  let cursor: Cursor | null = null;
  if (q.cursor !== undefined) {
    const decoded = decodeCursor(q.cursor);
    if (E.isLeft(decoded)) return decoded;
    cursor = decoded.right;
  }
  const b = state.businesses.get(q.businessId);
  if (b === undefined) return E.right({ clients: [], nextCursor: null });

  const universe = b.clients.size;
  const want = limit + 1;
  const hits: Array<{ readonly record: ClientRecord; readonly rank: number; readonly kind: ClientMatchKind }> = [];
  let better: Postings = NO_POSTINGS;
  for (const [rank, [kind, matching]] of matchers(b, q.query.trim()).entries()) {
    if (hits.length >= want) break;
    const matches = matching();
    // A client is listed once, at its best rank.
    const own = matches === null ? null : differenceOf(matches, better, universe);
    if (matches !== null) better = unionAll([better, matches], universe);
    if (cursor !== null && rank < cursor.rank) continue;
    const after = cursor !== null && rank === cursor.rank ? cursor.key : null;
    for (const record of firstOf(b, own, after, want - hits.length)) hits.push({ record, rank, kind });
  }

  const page = hits.slice(0, limit);
  const last = page[page.length - 1];
  return E.right({
    clients: page.map((h) => found(b, h.record, h.kind)),
    nextCursor: hits.length > limit && last !== undefined ? encodeCursor({ rank: last.rank, key: last.record.nameKey }) : null,
  });
};
