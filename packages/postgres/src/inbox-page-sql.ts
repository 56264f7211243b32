import { qualified } from './schema-path.js';
import { ONCE_TABLE } from './search-query.js';

// The statement of one inbox page (`inbox-query.ts`), shaped so that PostgreSQL walks an index in inbox order
// and stops at the page: the plain inbox walks the order of the business's conversations; a folder view walks,
// by B3, the conversations of that shared folder (off), or (on) the viewer's own marks in that folder beside the
// conversations of that folder for a viewer without a mark. The mode is read in the statement (one snapshot
// with the rows); each branch is gated by it, so only one kind runs. Every branch keeps the page's limit.
//
// Parameters (`inbox-query.ts` binds them): $1 business, $2–$4 the cursor (segment, last activity, id),
// $5 rows to fetch, $6 viewer, $7 view, $8 plain, $9–$13 the filters; a search's after these. Each is typed
// in `q`, also those a shape leaves out (PostgreSQL refuses a parameter it cannot type).

export interface PageShape {
  readonly schema: string;
  /** `all`, or a folder view. */
  readonly folderView: boolean;
  /** The plain inbox: view `all` with no filter and no search, the only one that lists pinned rows (V9). */
  readonly plain: boolean;
  /** The segment of the cursor's row, or null on a first page. */
  readonly cursorSegment: 0 | 1 | null;
  readonly filters: { readonly clientTypes: boolean; readonly groups: boolean; readonly homeLocations: boolean; readonly from: boolean; readonly to: boolean };
  /** R2's conditions (`search-query.ts`): on `c.conversation_id` in the walk, and on `walked.conversation_id` after the filters. */
  readonly search: { readonly fetched: string | null; readonly probed: string | null; readonly once: string | null } | null;
}

const COLUMNS = 'c.segment, c.last_activity_ms, c.conversation_id, c.record, cl.card';

/** Rows after the cursor in inbox order (segment, newest last activity, id); `ms <= $3` lets the walk start there. */
const afterCursor = (shape: PageShape, alias: string): string => {
  const rest = `(${alias}.last_activity_ms < $3::bigint OR (${alias}.last_activity_ms = $3::bigint AND ${alias}.conversation_id > ($4::text COLLATE "C")))`;
  switch (shape.cursorSegment) {
    case null:
      return '';
    case 1:
      return `AND ${alias}.segment = 1 AND ${alias}.last_activity_ms <= $3::bigint AND ${rest}`;
    case 0:
      return `AND (${alias}.segment = 1 OR ${rest})`;
  }
};

const filterConditions = (shape: PageShape): string =>
  [
    shape.filters.clientTypes ? 'AND cl.client_type = ANY($9::text[])' : '',
    shape.filters.groups ? 'AND cl.groups && $10::text[]' : '',
    shape.filters.homeLocations ? 'AND cl.home_location = ANY($11::text[])' : '',
    shape.filters.from ? 'AND c.last_activity_ms >= $12::bigint' : '',
    shape.filters.to ? 'AND c.last_activity_ms < $13::bigint' : '',
    shape.search?.fetched == null ? '' : `AND ${shape.search.fetched}`,
  ]
    .filter((s) => s !== '')
    .join('\n            ');

/** The business's conversations and their cards, `c` and `cl`; the card is joined in the clients key's collation (`conversation_id` is "C"), else its index goes unused. */
const conversations = (schema: string): string =>
  `${qualified(schema, 'message_center_inbox_conversations')} c
           LEFT JOIN ${qualified(schema, 'message_center_inbox_clients')} cl ON cl.business_id = c.business_id AND cl.client_id = (c.conversation_id COLLATE "default")`;

const ORDER = 'ORDER BY c.segment, c.last_activity_ms DESC, c.conversation_id';

/**
 * Up to $5 rows of `select` in `order`. A common search word is probed on each row only once the filters have
 * passed it (`OFFSET 0` keeps the planner from moving the probe under the walk, where it ran on every row),
 * and the walk stops when the page is full.
 */
const walk = (shape: PageShape, select: string, order: string): string =>
  shape.search?.probed == null
    ? `${select}
       ${order} LIMIT $5`
    : `SELECT * FROM (${select}
         ${order} OFFSET 0) walked
        WHERE ${shape.search.probed}
        LIMIT $5`;

/** R1, R3, V9: the plain inbox (pinned first) or view `all` with filters or a search (pinned hidden), archived rows left out. */
const allRows = (shape: PageShape): string =>
  walk(
    shape,
    `SELECT ${COLUMNS}
      FROM ${conversations(shape.schema)}
     WHERE c.business_id = q.business_id AND NOT c.archived ${shape.plain ? '' : 'AND c.segment = 1'}
           ${afterCursor(shape, 'c')}
           ${filterConditions(shape)}`,
    ORDER,
  );

/** V4–V7: the viewer's folder, by B3 from the shared mark, their own mark, or (no mark) the fresh one; pinned rows hidden (V9). */
const folderRows = (shape: PageShape): string => {
  const marks = qualified(shape.schema, 'message_center_inbox_read_marks');
  const rest = filterConditions(shape);
  return `SELECT * FROM (
      (${walk(
        shape,
        `SELECT ${COLUMNS}
         FROM ${conversations(shape.schema)}
        WHERE NOT b.individual AND c.business_id = q.business_id AND c.shared_folder = $7::text AND c.segment = 1
              ${afterCursor(shape, 'c')}
              ${rest}`,
        ORDER,
      )})
      UNION ALL
      (${walk(
        shape,
        `SELECT ${COLUMNS}
         FROM ${marks} m
         JOIN ${conversations(shape.schema)} ON c.business_id = m.business_id AND c.conversation_id = m.conversation_id
        WHERE b.individual AND m.business_id = q.business_id AND m.staff_id = $6 AND m.folder = $7::text AND m.segment = 1
              ${afterCursor(shape, 'm')}
              ${rest}`,
        'ORDER BY m.last_activity_ms DESC, m.conversation_id',
      )})
      UNION ALL
      (${walk(
        shape,
        `SELECT ${COLUMNS}
         FROM ${conversations(shape.schema)}
        WHERE b.individual AND c.business_id = q.business_id AND c.fresh_folder = $7::text AND c.segment = 1
              AND NOT EXISTS (SELECT 1 FROM ${marks} o WHERE o.business_id = c.business_id AND o.staff_id = $6 AND o.conversation_id = c.conversation_id)
              ${afterCursor(shape, 'c')}
              ${rest}`,
        ORDER,
      )})
    ) c
    ${ORDER}
    LIMIT $5`;
};

/** One statement: the business's row (B1, B3) and, when it is enabled, up to $5 rows of the page in inbox order. */
export const pageStatement = (shape: PageShape): string =>
  `${shape.search?.once == null ? '' : `WITH ${ONCE_TABLE} AS MATERIALIZED (${shape.search.once})`}
   SELECT b.enabled, b.individual, p.segment, p.record, p.card
     FROM (SELECT $1::text AS business_id, $2::smallint, $3::bigint, $4::text, $5::integer, $6::text, $7::text, $8::boolean,
                  $9::text[], $10::text[], $11::text[], $12::bigint, $13::bigint) q
     LEFT JOIN ${qualified(shape.schema, 'message_center_inbox_businesses')} b ON b.business_id = q.business_id
     LEFT JOIN LATERAL (
       ${shape.folderView ? folderRows(shape) : allRows(shape)}
     ) p ON b.enabled
    ORDER BY p.segment, p.last_activity_ms DESC, p.conversation_id`;
