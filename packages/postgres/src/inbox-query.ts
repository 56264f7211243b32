import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import type { BusinessId, DomainError, InboxFilters, InboxPage, InboxRow, InboxView, StaffActor } from '@message-center/core';
import { DEFAULT_PAGE_SIZE, INBOX_VIEWS, MAX_PAGE_SIZE, Timestamp, authorize, decodeCursor, encodeCursor, inboxRow, notEnabled, type OrderKey } from '@message-center/core/internals';
import { cardOf, recordOf } from './inbox-records.js';
import { storedText } from './stored-text.js';
import { databaseFailure } from './migration-errors.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { poolSecrets } from './pool-secrets.js';
import { columnOf, numberColumnOf } from './rows.js';
import type { DatabaseFailure } from './runner-errors.js';
import { qualified, schemaNameProblem } from './schema-path.js';
import { FILTER_VALUES, pageStatement, type FilterCheck } from './inbox-page-sql.js';
import { WALK, WORDS_COUNTED, fewestClients, probedFilters, searchCondition, searchWayOf, wordCountsStatement, type ListFilterKind, type PageWay } from './search-query.js';
import { searchTermsOf } from './search-rules.js';

// R1 (the inbox: the plain view and the folder views V4–V7) and R3 (the filters) read from the inbox
// projection's tables (R4, the badge: `badge-query.ts`), answering as core's `inboxPage` does over the in-memory
// read model: the same authorization (core's `authorize`), the same refusals in the same order, the same rows
// (built by core's `inboxRow` from the stored record and card), the same page boundaries and the same cursors.
// The folders are not decided here: the projection stores core's `folderFor` of each record (for the shared
// mark, for a viewer without a mark, and for each staff mark), and a view picks the one that applies. R2
// (search) restricts the rows to those core's search finds (`search-query.ts`).

export type InboxQueryError = DomainError | DatabaseFailure;

export interface PlainInboxQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
  /** `nextCursor` of the previous page (core's cursors and these are the same). */
  readonly cursor?: string | undefined;
  /** Rows per page, 1–200; default 50. */
  readonly limit?: number | undefined;
}

/** R1, R2 and R3 as core's `InboxQuery`. */
export interface PgInboxQuery extends PlainInboxQuery {
  /** Default `all` (every conversation not archived); else a folder of V4–V7 for this viewer. */
  readonly view?: InboxView | undefined;
  /** R2: client name, phone number (any formatting), e-mail, UID, client id or message text, as core reads it. */
  readonly search?: string | undefined;
  /** R3: any of the values within a filter, every filter given together; an empty list is no filter. */
  readonly filters?: InboxFilters | undefined;
}

export interface PgQueryOptions {
  /** The schema `migrate` put the tables in (default `public`). */
  readonly schema?: string;
  /**
   * R2, R3: how a page meets its search words and list filters. By default the cheapest by counts
   * (`search-query.ts`): walk the inbox order probing each id's words and filters or sieving it by a set hashed
   * once, fetch the rarest word's matches, start from a list filter's clients that have the rarest word, or fetch
   * a rare filter's clients. `walk` probes every word and filter, `sieve` sieves by the first word (or the digits'
   * numbers) and every list filter, `fetch` always fetches from the rarest word (with none, from the smallest
   * filter), `filter` always starts from the list filter with the fewest clients when there is one: each answers
   * the same, and the tests hold each to core's answers.
   */
  readonly searchWay?: 'walk' | 'fetch' | 'filter' | 'sieve';
}

const invalid = (field: string, message: string): DomainError => ({ code: 'invalid-input', message, problems: [field] });

// ------------------------------------------------------------------------------------------------ common

export const schemaProblem = (schema: string): DomainError | null => {
  const problem = schemaNameProblem(schema);
  return problem === null ? null : invalid('schema', `schema ${JSON.stringify(schema)} ${problem}`);
};

export const unreadable = (what: string): DatabaseFailure => ({ code: 'database-error', message: `the inbox tables hold a ${what} this code cannot read`, sqlState: null });

export const rowsOf = async (pool: Pool, sql: string, values: ReadonlyArray<unknown>, what: string): Promise<E.Either<DatabaseFailure, ReadonlyArray<unknown>>> => {
  try {
    return E.right((await pool.query(sql, [...values])).rows);
  } catch (cause: unknown) {
    return E.left(databaseFailure(cause, what, poolSecrets(pool)));
  }
};

/** B1 as core: a business the read model does not know, or not enabled, is refused. */
export const businessOf = (row: unknown): E.Either<InboxQueryError, { readonly individual: boolean }> => {
  const enabled = columnOf(row, 'enabled');
  const individual = columnOf(row, 'individual');
  return enabled === true && typeof individual === 'boolean' ? E.right({ individual }) : E.left(notEnabled);
};

// ------------------------------------------------------------------------------------------------ R1, R2, R3

/** A list filter of the page: its kind and its values (stored text). */
interface ListFilter {
  readonly kind: ListFilterKind;
  readonly values: ReadonlyArray<string>;
}

/**
 * How the page meets its list filters and search words (`search-query.ts`): counted, then the cheapest way, unless
 * `way` forces one. A page with neither is walked as it is.
 */
const pageWayFor = async (
  pool: Pool,
  schema: string,
  business: unknown,
  words: ReadonlyArray<string>,
  filters: ReadonlyArray<ListFilter>,
  limit: number,
  folderView: boolean,
  businessId: string,
  way: PgQueryOptions['searchWay'],
): Promise<E.Either<DatabaseFailure, PageWay>> => {
  // Forced: sieve by the first word, or a digits' numbers (a formatted number has no word), and every filter.
  if (way === 'sieve') return E.right({ search: { kind: 'walk', sieve: 0 }, sieves: filters.map((f) => f.kind), fetchedFilter: null });
  if ((words.length === 0 && filters.length === 0) || way === 'walk') return E.right(probedFilters(WALK));
  // The longest words (likelier rare) are counted, at most COUNTED_WORDS of them: counting sums up to
  // WORDS_COUNTED kept counts a word, and a text may hold thousands.
  const candidates = countedWords(words);
  const valuesOf = (kind: ListFilterKind): ReadonlyArray<string> | null => filters.find((f) => f.kind === kind)?.values ?? null;
  const counted = await rowsOf(
    pool,
    wordCountsStatement(schema),
    [business, candidates.map(storedText), valuesOf('client_type'), valuesOf('group'), valuesOf('home_location'), WORDS_COUNTED],
    `searching the inbox of ${businessId}`,
  );
  if (E.isLeft(counted)) return counted;
  // count(*), bigint and the ordinal come back as strings; an unreadable count is taken as common (walked: right, maybe slower).
  const first = counted.right[0];
  let rarest: { readonly index: number; readonly matches: number; readonly whole: boolean } | null = null;
  for (const row of counted.right) {
    const place = (numberColumnOf(row, 'i') ?? 0) - 1;
    const word = Number.isSafeInteger(place) ? candidates[place] : undefined;
    const index = word === undefined ? -1 : words.indexOf(word);
    const matches = numberColumnOf(row, 'n');
    if (index >= 0 && matches !== null && (rarest === null || matches < rarest.matches)) rarest = { index, matches, whole: columnOf(row, 'whole') === true };
  }
  // An unreadable count is taken as every conversation (never sieved, never the filter a page starts from).
  const counts = filters.map((f) => ({ kind: f.kind, clients: numberColumnOf(first, f.kind) ?? Number.POSITIVE_INFINITY }));
  const smallest = fewestClients(counts);
  // With no word counted, forcing `fetch` or `filter` fetches the page from the smallest filter's clients.
  const fromFilter: PageWay = { search: WALK, sieves: [], fetchedFilter: smallest?.kind ?? null };
  if (way === 'fetch') return E.right(rarest === null ? fromFilter : probedFilters({ kind: 'word', word: rarest.index }));
  if (way === 'filter') return E.right(rarest === null ? fromFilter : probedFilters(smallest === null ? WALK : { kind: 'filter', word: rarest.index, filter: smallest.kind }));
  return E.right(searchWayOf({ rarest, filters: counts, conversations: numberColumnOf(first, 'conversations'), limit, folderView }));
};

/** Words a search counts before choosing its way, at most. */
const COUNTED_WORDS = 16;

/** The words counted: the longest COUNTED_WORDS (a longer prefix matches fewer words). */
const countedWords = (words: ReadonlyArray<string>): ReadonlyArray<string> => [...words].sort((a, b) => b.length - a.length).slice(0, COUNTED_WORDS);

/** The page statement's parameter holding the business (`inbox-page-sql.ts`: $1), usable anywhere in it. */
const BUSINESS = '$1::text';

/** A list filter as core reads it: absent or empty is no filter. */
const listFilter = (values: ReadonlyArray<string> | undefined): ReadonlyArray<string> | null => (values === undefined || values.length === 0 ? null : values);

const inboxPageOf = async (pool: Pool, query: PgInboxQuery, schema: string, way: PgQueryOptions['searchWay']): Promise<E.Either<InboxQueryError, InboxPage>> => {
  const badSchema = schemaProblem(schema);
  if (badSchema !== null) return E.left(badSchema);
  if (way !== undefined && way !== 'walk' && way !== 'fetch' && way !== 'filter' && way !== 'sieve') return E.left(invalid('searchWay', 'searchWay is walk, fetch, filter or sieve'));
  const authorized = authorize('inbox', query.viewer, query.businessId);
  if (E.isLeft(authorized)) return authorized;
  // Checked here, reported after the business (core's order: business, limit, view, cursor, filters).
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const badLimit = !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE ? invalid('limit', `a page has 1 to ${MAX_PAGE_SIZE} rows`) : null;
  const view = query.view ?? 'all';
  const badView = INBOX_VIEWS.includes(view) ? null : invalid('view', `the view is one of ${INBOX_VIEWS.join(', ')}`);
  const cursor = query.cursor === undefined ? E.right(null) : decodeCursor(query.cursor);
  const after = E.isRight(cursor) ? cursor.right : null;
  const f = query.filters ?? {};
  const badRange =
    (f.lastActivityFrom !== undefined && !Timestamp.is(f.lastActivityFrom)) || (f.lastActivityTo !== undefined && !Timestamp.is(f.lastActivityTo))
      ? invalid('filters', 'the activity range takes instants like 2026-11-23T17:06:00.000Z')
      : null;
  const from = badRange !== null || f.lastActivityFrom === undefined ? null : Date.parse(f.lastActivityFrom);
  const to = badRange !== null || f.lastActivityTo === undefined ? null : Date.parse(f.lastActivityTo);
  const [clientTypes, groups, homeLocations] = [listFilter(f.clientTypes), listFilter(f.groups), listFilter(f.homeLocations)];
  // R2: null when the text searches for nothing (blank, punctuation only): no search, as in core.
  const terms = query.search === undefined ? null : searchTermsOf(query.search);
  // V9: the pinned conversations lead the plain inbox only; a folder view, a search or any filter hides them.
  const plain = view === 'all' && terms === null && clientTypes === null && groups === null && homeLocations === null && from === null && to === null;
  const refused = badLimit !== null || badView !== null || E.isLeft(cursor) || badRange !== null;
  // The list filters as stored text: parameters of the page statement, and what the search's counts read.
  const stored = { clientTypes: clientTypes?.map(storedText) ?? null, groups: groups?.map(storedText) ?? null, homeLocations: homeLocations?.map(storedText) ?? null };
  const values: ReadonlyArray<unknown> = [
    storedText(query.businessId),
    after?.segment ?? null,
    after?.key.ms ?? 0,
    storedText(after?.key.id ?? ''),
    refused ? 1 : limit + 1,
    storedText(query.viewer.staffId),
    badView === null ? view : 'all',
    plain,
    stored.clientTypes,
    stored.groups,
    stored.homeLocations,
    from,
    to,
  ];
  // R2: the word (and list filter) the page starts from, if any (the other words are probed while walking);
  // the condition takes the parameters after these.
  const listFilters: ReadonlyArray<ListFilter> = [
    ...(stored.clientTypes === null ? [] : [{ kind: 'client_type' as const, values: stored.clientTypes }]),
    ...(stored.groups === null ? [] : [{ kind: 'group' as const, values: stored.groups }]),
    ...(stored.homeLocations === null ? [] : [{ kind: 'home_location' as const, values: stored.homeLocations }]),
  ];
  // A page with digits starts from their numbers (few but for the last four digits), its filters probed.
  const pageWay =
    refused || (terms?.digits != null && way !== 'sieve')
      ? E.right(probedFilters(WALK))
      : await pageWayFor(pool, schema, values[0], terms?.words ?? [], listFilters, limit, view !== 'all', query.businessId, way);
  if (E.isLeft(pageWay)) return pageWay;
  const search = terms === null ? null : searchCondition(schema, terms, pageWay.right.search, BUSINESS, values.length + 1, FILTER_VALUES);
  const checkOf = (kind: ListFilterKind): FilterCheck => (pageWay.right.fetchedFilter === kind ? 'fetch' : pageWay.right.sieves.includes(kind) ? 'sieve' : 'probe');
  // One statement: the business's mode and the rows come from one snapshot, even while the runner commits.
  // V4–V7: the viewer's folder is the one core's `folderFor` gave the record for their own mark (B3 on, a
  // mark row), for someone without a mark (B3 on, none), or for the shared mark (B3 off).
  const fetched = await rowsOf(
    pool,
    pageStatement({
      schema,
      folderView: badView === null && view !== 'all',
      plain,
      cursorSegment: after?.segment ?? null,
      listFilters: Object.fromEntries(listFilters.map((f) => [f.kind, checkOf(f.kind)])),
      range: { from: from !== null, to: to !== null },
      search,
    }),
    [...values, ...(search?.values ?? [])],
    `reading the inbox of ${query.businessId}`,
  );
  if (E.isLeft(fetched)) return fetched;
  const business = businessOf(fetched.right[0]);
  if (E.isLeft(business)) return business;
  if (badLimit !== null) return E.left(badLimit);
  if (badView !== null) return E.left(badView);
  if (E.isLeft(cursor)) return cursor;
  if (badRange !== null) return E.left(badRange);
  const hits: Array<{ readonly segment: 0 | 1; readonly row: InboxRow; readonly key: OrderKey }> = [];
  for (const found of fetched.right) {
    const json = columnOf(found, 'record');
    if (json === null) continue; // the business's row alone: no conversation on this page
    const record = recordOf(json);
    const segment = columnOf(found, 'segment');
    const cardJson = columnOf(found, 'card');
    const card = cardJson === null ? null : cardOf(cardJson);
    if (record === null || (segment !== 0 && segment !== 1) || (cardJson !== null && card === null)) return E.left(unreadable('conversation row'));
    hits.push({
      segment,
      key: record.orderKey,
      row: inboxRow({ ordinal: 0, id: record.conversationId, client: card, conversation: record }, record, query.viewer.staffId, business.right.individual),
    });
  }
  const page = hits.slice(0, limit);
  const last = page[page.length - 1];
  return E.right({
    rows: page.map((h) => h.row),
    nextCursor: hits.length > limit && last !== undefined ? encodeCursor({ segment: last.segment, key: last.key }) : null,
  });
};

/**
 * R1, R2, R3, V4–V7 and V9: one page of the inbox as the viewer sees it, as core's `inboxPage` answers the
 * same query. The plain inbox (view `all`, no search, no filter) lists the pinned conversations first;
 * a folder view, a search or a filter hides them. Then newest last activity first, ties by conversation id; view
 * `all` leaves out archived ones, a folder view lists the viewer's folder (B3 picks whose read mark counts).
 * Filters: any of the client types, any of the groups, any of the home locations, last activity in
 * [`lastActivityFrom`, `lastActivityTo`), all together. Search: every word of the text is the start of a word
 * of the client's name, e-mail, UID, id or of a message (case and accents aside), or its digits are in one
 * of the conversation's numbers. Never rejects.
 */
export const inboxPageFromPg =
  (pool: Pool, query: PgInboxQuery, options: PgQueryOptions = {}): TE.TaskEither<InboxQueryError, InboxPage> =>
  () =>
    inboxPageOf(pool, query, options.schema ?? DEFAULT_SCHEMA, options.searchWay);

/**
 * R1 and V9: one page of the plain inbox (view `all`, no search, no filter) as the viewer sees it, as core's
 * `inboxPage` answers it: pinned conversations first, then newest last activity first, ties by conversation
 * id, archived ones left out. Never rejects.
 */
export const plainInboxFromPg =
  (pool: Pool, query: PlainInboxQuery, options: PgQueryOptions = {}): TE.TaskEither<InboxQueryError, InboxPage> =>
  () =>
    inboxPageOf(pool, { viewer: query.viewer, businessId: query.businessId, cursor: query.cursor, limit: query.limit }, options.schema ?? DEFAULT_SCHEMA, undefined);
