/**
 * The page's JSON API: each route is one call of the facade, as the staff member the page acts for. The
 * facade checks the permission (B0) and every input; this layer only reads the request and maps the
 * answer to HTTP. Nothing here decides what a staff member may see.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { MessageCenter, MessageCenterError } from '@message-center/core';
import { BUSINESS_ID, staffMember, type StaffMember } from './roster.js';

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What a route reads of the request: the query string, and for a POST its JSON body. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface ApiContext {
  readonly mc: MessageCenter;
  /** The Display Statuses setting as last set through this page (the library has no query for it). */
  readonly settings: { individualReadStatus: boolean };
  /** Session facts the page shows (the roster, whether this is the demo). */
  readonly session: () => unknown;
}

const HTTP_STATUS: Readonly<Partial<Record<MessageCenterError['code'], number>>> = {
  forbidden: 403,
  'invalid-input': 400,
  'conversation-not-found': 404,
  'client-not-found': 404,
  'message-not-found': 404,
  'read-model-unavailable': 503,
  'internal-error': 500,
};

const failure = (error: MessageCenterError): ApiAnswer => ({ status: HTTP_STATUS[error.code] ?? 422, body: { error: { code: error.code, message: error.message } } });
const refused = (status: number, code: string, message: string): ApiAnswer => ({ status, body: { error: { code, message } } });

const answer = async <A>(task: TE.TaskEither<MessageCenterError, A>, shape: (a: A) => unknown = (a) => a): Promise<ApiAnswer> => {
  const result = await task();
  return E.isRight(result) ? { status: 200, body: shape(result.right) } : failure(result.left);
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (query: URLSearchParams, name: string): ReadonlyArray<string> => query.getAll(name).filter((v) => v !== '');

/** An instant the page computed (the start or end of a day where the browser is); the facade checks it. */
const instant = (value: string | null): string | null => (value === null || value === '' ? null : value);

const inboxFilters = (query: URLSearchParams) => {
  const from = instant(query.get('from'));
  const to = instant(query.get('to'));
  const clientTypes = list(query, 'clientType');
  const groups = list(query, 'group');
  const homeLocations = list(query, 'location');
  return {
    ...(from === null ? {} : { lastActivityFrom: from }),
    ...(to === null ? {} : { lastActivityTo: to }),
    ...(clientTypes.length === 0 ? {} : { clientTypes }),
    ...(groups.length === 0 ? {} : { groups }),
    ...(homeLocations.length === 0 ? {} : { homeLocations }),
  };
};

/** Rows per page: 1–200 as the library allows, 50 when not given. */
const pageSize = (value: string | null): number => {
  const n = Number(value ?? '50');
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 50;
};

const VIEWS = ['all', 'unread', 'read', 'replied', 'archived'] as const;
const view = (value: string | null) => VIEWS.find((v) => v === value) ?? 'all';

const ACTIONS = ['mute', 'unmute', 'pin', 'unpin', 'archive', 'unarchive', 'markRead', 'markUnread'] as const;
type Action = (typeof ACTIONS)[number];

type Route = (request: ApiRequest, staff: StaffMember, context: ApiContext) => Promise<ApiAnswer>;

const inbox: Route = ({ query }, { actor }, { mc }) => {
  const search = query.get('search') ?? '';
  const cursor = query.get('cursor');
  const filters = inboxFilters(query);
  return answer(
    mc.inbox({
      businessId: BUSINESS_ID,
      viewer: actor,
      view: view(query.get('view')),
      limit: pageSize(query.get('limit')),
      ...(search.trim() === '' ? {} : { search }),
      ...(Object.keys(filters).length === 0 ? {} : { filters }),
      ...(cursor === null || cursor === '' ? {} : { cursor }),
    }),
  );
};

const badge: Route = (_, { actor }, { mc }) => answer(mc.unreadBadge({ businessId: BUSINESS_ID, viewer: actor }), (unread) => ({ unread }));

const conversation: Route = async ({ query }, { actor }, { mc }) => {
  const conversationId = query.get('id') ?? '';
  const found = await mc.conversation({ businessId: BUSINESS_ID, conversationId, viewer: actor })();
  if (E.isLeft(found)) return failure(found.left);
  const clientId = found.right.clientId;
  if (clientId === null) return { status: 200, body: { view: found.right, client: null, entries: null } };
  return answer(mc.contactHistory({ businessId: BUSINESS_ID, viewer: actor, clientId }), (h) => ({ view: found.right, client: h.client, entries: h.entries }));
};

const clients: Route = ({ query }, { actor }, { mc }) => answer(mc.findClients({ businessId: BUSINESS_ID, viewer: actor, query: query.get('q') ?? '', limit: 8 }));

const act: Route = ({ body }, { actor }, { mc }) => {
  const action = ACTIONS.find((a) => a === body['action']);
  const conversationId = text(body['conversationId']);
  if (action === undefined || conversationId === null) return Promise.resolve(refused(400, 'invalid-input', `action must be one of ${ACTIONS.join(', ')}, with a conversationId`));
  const input = { businessId: BUSINESS_ID, conversationId, actor };
  const run: Readonly<Record<Action, () => TE.TaskEither<MessageCenterError, void>>> = {
    mute: () => mc.mute(input),
    unmute: () => mc.unmute(input),
    pin: () => mc.pin(input),
    unpin: () => mc.unpin(input),
    archive: () => mc.archive(input),
    unarchive: () => mc.unarchive(input),
    markRead: () => mc.markRead(input),
    markUnread: () => mc.markUnread(input),
  };
  return answer(run[action](), () => ({ done: action }));
};

const send: Route = ({ body }, { actor }, { mc }) => {
  const clientId = text(body['clientId']);
  const conversationId = text(body['conversationId']);
  const message = text(body['body']) ?? '';
  return answer(
    mc.sendMessage({
      businessId: BUSINESS_ID,
      actor,
      body: message,
      ...(clientId === null ? {} : { clientId }),
      ...(conversationId === null ? {} : { conversationId }),
    }),
  );
};

const displayStatuses: Route = async ({ body }, { actor }, { mc, settings }) => {
  const individual = body['individual'];
  if (typeof individual !== 'boolean') return refused(400, 'invalid-input', 'individual must be true or false');
  const result = await mc.setIndividualReadStatus({ businessId: BUSINESS_ID, actor, individual })();
  if (E.isLeft(result)) return failure(result.left);
  settings.individualReadStatus = individual;
  return { status: 200, body: { individual } };
};

const ROUTES: Readonly<Record<string, Route>> = {
  'GET /api/inbox': inbox,
  'GET /api/badge': badge,
  'GET /api/conversation': conversation,
  'GET /api/clients': clients,
  'POST /api/action': act,
  'POST /api/send': send,
  'POST /api/settings/display-statuses': displayStatuses,
};

/** The answer to an API request, or null when the path is not the API's. Never throws for bad input. */
export const answerApi = async (request: ApiRequest, context: ApiContext): Promise<ApiAnswer | null> => {
  if (request.method === 'GET' && request.path === '/api/session') return { status: 200, body: context.session() };
  const route = ROUTES[`${request.method} ${request.path}`];
  if (route === undefined) return request.path.startsWith('/api/') ? refused(404, 'not-found', `no ${request.method} ${request.path}`) : null;
  const staffId = request.method === 'GET' ? request.query.get('staff') : text(request.body['staff']);
  const staff = staffMember(staffId);
  if (staff === null) return refused(400, 'unknown-staff', 'staff must name a member of the roster (GET /api/session)');
  return route(request, staff, context);
};
