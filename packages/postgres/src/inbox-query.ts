import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import type { BusinessId, DomainError, InboxPage, InboxRow, StaffActor } from '@message-center/core';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Timestamp, authorize, inboxRow, notEnabled, orderKeyAt, type OrderKey } from '@message-center/core/internals';
import { cardOf, recordOf } from './inbox-records.js';
import { databaseFailure } from './migration-errors.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { poolSecrets } from './pool-secrets.js';
import { columnOf } from './rows.js';
import type { DatabaseFailure } from './runner-errors.js';
import { qualified, schemaNameProblem } from './schema-path.js';

// R1 (the plain inbox: view `all`, no search, no filter) and R4 (the unread badge) read from the inbox
// projection's tables, answering as core's `inboxPage` and `unreadBadge` do over the in-memory read model:
// the same authorization (core's `authorize`), the same refusals in the same order, the same rows (built by
// core's `inboxRow` from the stored record and card), the same page boundaries and the same cursors.

export type InboxQueryError = DomainError | DatabaseFailure;

export interface PlainInboxQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
  /** `nextCursor` of the previous page (core's cursors and these are the same). */
  readonly cursor?: string | undefined;
  /** Rows per page, 1–200; default 50. */
  readonly limit?: number | undefined;
}

export interface BadgeQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
}

export interface PgQueryOptions {
  /** The schema `migrate` put the tables in (default `public`). */
  readonly schema?: string;
}

const invalid = (field: string, message: string): DomainError => ({ code: 'invalid-input', message, problems: [field] });

// ------------------------------------------------------------------------------------------------ cursor

/** Core's cursor: base64url of `[segment, at, id]` (segment 0: among the pinned at the top; 1: the rest). */
interface Cursor {
  readonly segment: 0 | 1;
  readonly key: OrderKey;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.segment, c.key.at, c.key.id]), 'utf8').toString('base64url');

const decodeCursor = (cursor: string): E.Either<DomainError, Cursor> => {
  const bad = invalid('cursor', 'the cursor is not one this inbox gave out');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return E.left(bad);
  }
  if (!Array.isArray(json) || json.length !== 3) return E.left(bad);
  const [segment, at, id]: unknown[] = json;
  if ((segment !== 0 && segment !== 1) || !Timestamp.is(at) || typeof id !== 'string') return E.left(bad);
  return E.right({ segment, key: orderKeyAt(at, id) });
};

// ------------------------------------------------------------------------------------------------ common

const schemaProblem = (schema: string): DomainError | null => {
  const problem = schemaNameProblem(schema);
  return problem === null ? null : invalid('schema', `schema ${JSON.stringify(schema)} ${problem}`);
};

const unreadable = (what: string): DatabaseFailure => ({ code: 'database-error', message: `the inbox tables hold a ${what} this code cannot read`, sqlState: null });

const rowsOf = async (pool: Pool, sql: string, values: ReadonlyArray<unknown>, what: string): Promise<E.Either<DatabaseFailure, ReadonlyArray<unknown>>> => {
  try {
    return E.right((await pool.query(sql, [...values])).rows);
  } catch (cause: unknown) {
    return E.left(databaseFailure(cause, what, poolSecrets(pool)));
  }
};

/** B1 as core: a business the read model does not know, or not enabled, is refused. */
const businessOf = (row: unknown): E.Either<InboxQueryError, { readonly individual: boolean }> => {
  const enabled = columnOf(row, 'enabled');
  const individual = columnOf(row, 'individual');
  return enabled === true && typeof individual === 'boolean' ? E.right({ individual }) : E.left(notEnabled);
};

// ------------------------------------------------------------------------------------------------ R1

const plainPage = async (pool: Pool, query: PlainInboxQuery, schema: string): Promise<E.Either<InboxQueryError, InboxPage>> => {
  const badSchema = schemaProblem(schema);
  if (badSchema !== null) return E.left(badSchema);
  const authorized = authorize('inbox', query.viewer, query.businessId);
  if (E.isLeft(authorized)) return authorized;
  // Checked here, reported after the business (core's order): a disabled business is refused first.
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const badLimit = !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE ? invalid('limit', `a page has 1 to ${MAX_PAGE_SIZE} rows`) : null;
  const cursor = query.cursor === undefined ? E.right(null) : decodeCursor(query.cursor);
  const after = E.isRight(cursor) ? cursor.right : null;
  // One statement: the business's mode and the rows come from one snapshot, even while the runner commits.
  const fetched = await rowsOf(
    pool,
    `SELECT b.enabled, b.individual, p.segment, p.record, p.card
       FROM (SELECT $1::text AS business_id) q
       LEFT JOIN ${qualified(schema, 'message_center_inbox_businesses')} b ON b.business_id = q.business_id
       LEFT JOIN LATERAL (
         SELECT c.segment, c.last_activity_ms, c.conversation_id, c.record, cl.card
           FROM ${qualified(schema, 'message_center_inbox_conversations')} c
           LEFT JOIN ${qualified(schema, 'message_center_inbox_clients')} cl ON cl.business_id = c.business_id AND cl.client_id = c.conversation_id
          WHERE c.business_id = q.business_id AND NOT c.archived
            AND ($2::smallint IS NULL OR c.segment > $2 OR (c.segment = $2 AND (c.last_activity_ms < $3::bigint
                 OR (c.last_activity_ms = $3::bigint AND c.conversation_id > ($4::text COLLATE "C")))))
          ORDER BY c.segment, c.last_activity_ms DESC, c.conversation_id
          LIMIT $5
       ) p ON b.enabled
      ORDER BY p.segment, p.last_activity_ms DESC, p.conversation_id`,
    [query.businessId, after?.segment ?? null, after?.key.ms ?? 0, after?.key.id ?? '', badLimit === null ? limit + 1 : 1],
    `reading the inbox of ${query.businessId}`,
  );
  if (E.isLeft(fetched)) return fetched;
  const business = businessOf(fetched.right[0]);
  if (E.isLeft(business)) return business;
  if (badLimit !== null) return E.left(badLimit);
  if (E.isLeft(cursor)) return cursor;
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
 * R1 and V9: one page of the plain inbox (view `all`, no search, no filter) as the viewer sees it, as core's
 * `inboxPage` answers it: pinned conversations first, then newest last activity first, ties by conversation
 * id, archived ones left out. Never rejects.
 */
export const plainInboxFromPg =
  (pool: Pool, query: PlainInboxQuery, options: PgQueryOptions = {}): TE.TaskEither<InboxQueryError, InboxPage> =>
  () =>
    plainPage(pool, query, options.schema ?? DEFAULT_SCHEMA);

// ------------------------------------------------------------------------------------------------ R4

const badge = async (pool: Pool, query: BadgeQuery, schema: string): Promise<E.Either<InboxQueryError, number>> => {
  const badSchema = schemaProblem(schema);
  if (badSchema !== null) return E.left(badSchema);
  const authorized = authorize('unreadBadge', query.viewer, query.businessId);
  if (E.isLeft(authorized)) return authorized;
  // V7: B3 on, the viewer's own count where they have a mark, else that of someone who never opened it; B3
  // off, the shared count. V8: muted conversations count for nothing. The counts are core's, stored per row.
  const fetched = await rowsOf(
    pool,
    `SELECT b.enabled, b.individual,
            (SELECT coalesce(sum(CASE WHEN b.individual THEN coalesce(m.unread, c.fresh_unread) ELSE c.shared_unread END), 0)::text
               FROM ${qualified(schema, 'message_center_inbox_conversations')} c
               LEFT JOIN ${qualified(schema, 'message_center_inbox_read_marks')} m
                 ON b.individual AND m.business_id = c.business_id AND m.staff_id = $2 AND m.conversation_id = c.conversation_id
              WHERE c.business_id = q.business_id AND NOT c.muted) AS badge
       FROM (SELECT $1::text AS business_id) q
       LEFT JOIN ${qualified(schema, 'message_center_inbox_businesses')} b ON b.business_id = q.business_id`,
    [query.businessId, query.viewer.staffId],
    `reading the unread badge of ${query.businessId}`,
  );
  if (E.isLeft(fetched)) return fetched;
  const row = fetched.right[0];
  const business = businessOf(row);
  if (E.isLeft(business)) return business;
  const total = columnOf(row, 'badge');
  return typeof total === 'string' && /^\d+$/.test(total) ? E.right(Number(total)) : E.left(unreadable('badge total'));
};

/** R4: the viewer's unread badge (V7 by B3, V8 without muted conversations), as core's `unreadBadge` answers it. Never rejects. */
export const unreadBadgeFromPg =
  (pool: Pool, query: BadgeQuery, options: PgQueryOptions = {}): TE.TaskEither<InboxQueryError, number> =>
  () =>
    badge(pool, query, options.schema ?? DEFAULT_SCHEMA);
