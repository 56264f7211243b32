import { qualified } from './schema-path.js';
import { ONCE_TABLE, type ListFilterKind } from './search-query.js';

// The statement of one inbox page (`inbox-query.ts`), in two steps: first the page's ids, walked in inbox order on
// an index that holds the order (segment, last activity, id) and stops at the page; then their rows and cards,
// fetched by key. Every condition of the page is on the walked id: the activity range and the cursor on the
// index's own columns, R3's list filters and R2's search as conditions on `k.conversation_id`. A set hashed once
// (a sieve) is checked first (PostgreSQL orders a row's conditions by cost), then the probes by key, one after the
// other in the order given (list filters, then words), each only on the ids that passed all before it. The walk
// reads only the index (its visibility map set), where reading each row and joining its card to check a filter
// cost ~5 µs a row at 100,000 conversations.
//
// The plain inbox walks the order of the business's conversations; a folder view walks, by B3, the conversations
// of that shared folder (off), or (on) the viewer's own marks in that folder beside the conversations of that
// folder for a viewer without a mark. The mode is read in the statement (one snapshot with the rows); each branch
// is gated by it, so only one kind runs. Every branch keeps the page's limit.
//
// Parameters (`inbox-query.ts` binds them): $1 business, $2–$4 the cursor (segment, last activity, id),
// $5 rows to fetch, $6 viewer, $7 view, $8 plain, $9–$13 the filters; a search's after these. Each is typed
// in `q`, also those a shape leaves out (PostgreSQL refuses a parameter it cannot type).

/**
 * How a list filter is checked on a walked id: a probe of the id's filter rows by key, its clients hashed once
 * (`sieve`), or its clients read once and each fetched by key (`fetch`: the page is then sorted, not walked).
 */
export type FilterCheck = 'probe' | 'sieve' | 'fetch';

export interface PageShape {
  readonly schema: string;
  /** `all`, or a folder view. */
  readonly folderView: boolean;
  /** The plain inbox: view `all` with no filter and no search, the only one that lists pinned rows (V9). */
  readonly plain: boolean;
  /** The segment of the cursor's row, or null on a first page. */
  readonly cursorSegment: 0 | 1 | null;
  /** R3's list filters of the page and how each is checked. */
  readonly listFilters: Readonly<Partial<Record<ListFilterKind, FilterCheck>>>;
  /** R3's activity range: whether each end is given. */
  readonly range: { readonly from: boolean; readonly to: boolean };
  /**
   * R2's conditions on `k.conversation_id` (`search-query.ts`): sets (a driving set, a sieve), probes checked in
   * order after the list filters', and the set the statement computes once for them.
   */
  readonly search: { readonly sets: ReadonlyArray<string>; readonly probes: ReadonlyArray<string>; readonly once: string | null } | null;
}

/** Each list filter's values: the page statement's parameters $9–$11. */
export const FILTER_VALUES: Readonly<Record<ListFilterKind, string>> = { client_type: '$9::text[]', group: '$10::text[]', home_location: '$11::text[]' };

const FILTER_KINDS: ReadonlyArray<ListFilterKind> = ['client_type', 'group', 'home_location'];

/** Rows after the cursor in inbox order (segment, newest last activity, id); `ms <= $3` lets the walk start there. */
const afterCursor = (shape: PageShape): string => {
  const rest = `(k.last_activity_ms < $3::bigint OR (k.last_activity_ms = $3::bigint AND k.conversation_id > ($4::text COLLATE "C")))`;
  switch (shape.cursorSegment) {
    case null:
      return '';
    case 1:
      return `AND k.segment = 1 AND k.last_activity_ms <= $3::bigint AND ${rest}`;
    case 0:
      return `AND (k.segment = 1 OR ${rest})`;
  }
};

/** The clients of a business with any of the values of a list filter: a range of migration 11's key each. */
const filterClients = (schema: string, kind: ListFilterKind): string =>
  `SELECT f.client_id COLLATE "C" FROM ${qualified(schema, 'message_center_inbox_client_filters')} f
    WHERE f.business_id = $1::text AND f.kind = '${kind}' AND f.value = ANY(${FILTER_VALUES[kind]})`;

/**
 * A list filter on the walked id. A sieve is `IN (…) IS TRUE`: an uncorrelated `IN` that is not a top-level
 * condition stays a subplan, which PostgreSQL hashes once; at the top level it would be turned into a join the
 * planner may drive from the set, and the walk would no longer stop at the page. A probe is an `EXISTS` that
 * `OFFSET 0` keeps a subplan run per id: as a join it ran after every condition of the walk (a word's probe on
 * each id before the filter's), and as a plain subplan PostgreSQL may hash all of the filter's
 * clients instead, counting on more ids than a walk that stops at the page reads (45,392 clients hashed for a
 * page of 51); as it is, it runs on the ids the walk reaches it with (`inOrder`).
 */
const filterCondition = (schema: string, kind: ListFilterKind, check: FilterCheck): string =>
  check === 'sieve'
    ? `(k.conversation_id IN (${filterClients(schema, kind)})) IS TRUE`
    : check === 'fetch'
      ? `k.conversation_id = ANY(ARRAY(${filterClients(schema, kind)}))`
      : `EXISTS (SELECT 1 FROM ${qualified(schema, 'message_center_inbox_client_filters')} f
                  WHERE f.business_id = $1::text AND f.kind = '${kind}' AND f.value = ANY(${FILTER_VALUES[kind]}) AND f.client_id = (k.conversation_id COLLATE "default")
                  OFFSET 0)`;

/**
 * Probes checked one after the other, each only when those before it passed: PostgreSQL orders a scan's
 * conditions by its cost estimates, which put a word's probe (~6 µs) before a filter's (~2 µs) as often as not;
 * a CASE is evaluated in its order.
 */
const inOrder = (probes: ReadonlyArray<string>): string => {
  const [first, ...rest] = probes;
  if (first === undefined) return 'true';
  return rest.length === 0 ? first : `CASE WHEN ${first} THEN ${inOrder(rest)} ELSE false END`;
};

/** The page's conditions on the walked id `k`; `first` are probes checked before the page's own (a branch's). */
const conditions = (shape: PageShape, first: ReadonlyArray<string> = []): string => {
  const filters = FILTER_KINDS.flatMap((kind) => {
    const check = shape.listFilters[kind];
    return check === undefined ? [] : [{ check, sql: filterCondition(shape.schema, kind, check) }];
  });
  const probes = [...first, ...filters.filter((f) => f.check === 'probe').map((f) => f.sql), ...(shape.search?.probes ?? [])];
  return [
    afterCursor(shape),
    shape.range.from ? 'AND k.last_activity_ms >= $12::bigint' : '',
    shape.range.to ? 'AND k.last_activity_ms < $13::bigint' : '',
    ...filters.filter((f) => f.check !== 'probe').map((f) => `AND ${f.sql}`),
    ...(shape.search?.sets ?? []).map((set) => `AND ${set}`),
    probes.length === 0 ? '' : `AND ${inOrder(probes)}`,
  ]
    .filter((s) => s !== '')
    .join('\n            ');
};

const ORDER = 'ORDER BY k.segment, k.last_activity_ms DESC, k.conversation_id';

const KEYS = 'k.segment, k.last_activity_ms, k.conversation_id';

/** A folder's ids are all of segment 1, which its index holds in its predicate, not in a column: read from it alone. */
const FOLDER_KEYS = '1::smallint AS segment, k.last_activity_ms, k.conversation_id';
const FOLDER_ORDER = 'ORDER BY k.last_activity_ms DESC, k.conversation_id';

/** R1, R3, V9: the plain inbox (pinned first) or view `all` with filters or a search (pinned hidden), archived rows left out. */
const allIds = (shape: PageShape): string =>
  `SELECT ${KEYS}
     FROM ${qualified(shape.schema, 'message_center_inbox_conversations')} k
    WHERE k.business_id = q.business_id AND NOT k.archived ${shape.plain ? '' : 'AND k.segment = 1'}
          ${conditions(shape)}
    ${ORDER} LIMIT $5`;

/** V4–V7: the viewer's folder, by B3 from the shared mark, their own mark, or (no mark) the fresh one; pinned rows hidden (V9). */
const folderIds = (shape: PageShape): string => {
  const marks = qualified(shape.schema, 'message_center_inbox_read_marks');
  // The fresh folder lists the conversations the viewer has no mark on: the first probe of that walk (a viewer who
  // has read most of the business passes few of its ids), before the page's filters and words.
  const noMark = `NOT EXISTS (SELECT 1 FROM ${marks} o WHERE o.business_id = k.business_id AND o.staff_id = $6 AND o.conversation_id = k.conversation_id OFFSET 0)`;
  const conversations = qualified(shape.schema, 'message_center_inbox_conversations');
  return `SELECT * FROM (
      (SELECT ${FOLDER_KEYS} FROM ${conversations} k
        WHERE NOT b.individual AND k.business_id = q.business_id AND k.shared_folder = $7::text AND k.segment = 1
              ${conditions(shape)}
        ${FOLDER_ORDER} LIMIT $5)
      UNION ALL
      (SELECT ${FOLDER_KEYS} FROM ${marks} k
        WHERE b.individual AND k.business_id = q.business_id AND k.staff_id = $6 AND k.folder = $7::text AND k.segment = 1
              ${conditions(shape)}
        ${FOLDER_ORDER} LIMIT $5)
      UNION ALL
      (SELECT ${FOLDER_KEYS} FROM ${conversations} k
        WHERE b.individual AND k.business_id = q.business_id AND k.fresh_folder = $7::text AND k.segment = 1
              ${conditions(shape, [noMark])}
        ${FOLDER_ORDER} LIMIT $5)
    ) k
    ${ORDER}
    LIMIT $5`;
};

/**
 * One statement: the business's row (B1, B3) and, when it is enabled, up to $5 rows of the page in inbox order:
 * the ids walked, then each one's row and card by key (the card in the clients key's collation: `conversation_id`
 * is "C", and the index goes unused otherwise).
 */
export const pageStatement = (shape: PageShape): string =>
  `${shape.search?.once == null ? '' : `WITH ${ONCE_TABLE} AS MATERIALIZED (${shape.search.once})`}
   SELECT b.enabled, b.individual, p.segment, p.record, p.card
     FROM (SELECT $1::text AS business_id, $2::smallint, $3::bigint, $4::text, $5::integer, $6::text, $7::text, $8::boolean,
                  $9::text[], $10::text[], $11::text[], $12::bigint, $13::bigint) q
     LEFT JOIN ${qualified(shape.schema, 'message_center_inbox_businesses')} b ON b.business_id = q.business_id
     LEFT JOIN LATERAL (
       SELECT c.segment, c.last_activity_ms, c.conversation_id, c.record, cl.card
         FROM (${shape.folderView ? folderIds(shape) : allIds(shape)}) k
         JOIN ${qualified(shape.schema, 'message_center_inbox_conversations')} c ON c.business_id = q.business_id AND c.conversation_id = k.conversation_id
         LEFT JOIN ${qualified(shape.schema, 'message_center_inbox_clients')} cl ON cl.business_id = q.business_id AND cl.client_id = (k.conversation_id COLLATE "default")
     ) p ON b.enabled
    ORDER BY p.segment, p.last_activity_ms DESC, p.conversation_id`;
