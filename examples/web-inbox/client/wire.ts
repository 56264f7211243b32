/**
 * What the server's JSON API answers, checked on arrival (io-ts): the page renders only what it has
 * checked, so a changed server shows an error instead of `undefined` in a cell.
 */
import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

export const ApiError = t.type({ error: t.type({ code: t.string, message: t.string }) });

export const Session = t.type({
  businessId: t.string,
  businessNumber: t.string,
  demo: t.boolean,
  staff: t.array(t.type({ staffId: t.string, name: t.string, permissions: t.array(t.string) })),
  clients: t.array(t.type({ name: t.string, phone: t.string })),
  individualReadStatus: t.boolean,
});
export type Session = t.TypeOf<typeof Session>;

const Author = t.type({ kind: t.string });
const Subscription = t.type({ status: t.keyof({ subscribed: null, unsubscribed: null }), keyword: nullable(t.string) });

export const InboxRow = t.type({
  conversationId: t.string,
  phone: t.string,
  folder: t.string,
  pinned: t.boolean,
  muted: t.boolean,
  archived: t.boolean,
  unreadCount: t.number,
  lastActivityAt: t.string,
  subscription: Subscription,
  client: nullable(t.type({ clientId: t.string, name: t.string, clientType: t.string, groups: t.array(t.string), homeLocation: nullable(t.string) })),
  lastMessage: nullable(t.type({ direction: t.string, text: t.string, status: nullable(t.string), mediaCount: t.number, author: Author })),
});
export type InboxRow = t.TypeOf<typeof InboxRow>;

export const InboxPage = t.type({ rows: t.array(InboxRow), nextCursor: nullable(t.string) });
export type InboxPage = t.TypeOf<typeof InboxPage>;

export const Badge = t.type({ unread: t.number });

const Media = t.type({ url: t.string, contentType: t.string });
const StaffAuthor = t.type({ kind: t.literal('staff'), staffId: t.string });
const Entry = t.union([
  t.type({ kind: t.literal('inbound'), messageId: t.string, at: t.string, body: t.string, media: t.array(Media) }),
  t.type({ kind: t.literal('outbound'), messageId: t.string, at: t.string, body: t.string, author: t.union([StaffAuthor, Author]), delivery: t.type({ status: t.string, providerMessageId: nullable(t.string), errorCode: nullable(t.number) }) }),
  t.type({ kind: t.keyof({ unsubscribed: null, resubscribed: null }), at: t.string, keyword: nullable(t.string) }),
]);
export type Entry = t.TypeOf<typeof Entry>;

export const ConversationAnswer = t.type({
  view: t.type({ conversationId: t.string, clientId: nullable(t.string), phone: t.string, folder: t.string, unreadCount: t.number, pinned: t.boolean, muted: t.boolean, archived: t.boolean, subscription: Subscription, international: nullable(t.type({ notice: t.string })) }),
  client: nullable(t.type({ name: t.string })),
  entries: nullable(t.array(Entry)),
});
export type ConversationAnswer = t.TypeOf<typeof ConversationAnswer>;

export const FoundClients = t.type({
  clients: t.array(t.type({ clientId: t.string, name: t.string, cellPhone: nullable(t.string), email: nullable(t.string), uid: t.string, canText: t.boolean, reason: nullable(t.type({ code: t.string, message: t.string })), conversationId: nullable(t.string) })),
});
export type FoundClients = t.TypeOf<typeof FoundClients>;

export const Sent = t.type({ messageId: t.string, status: t.string, conversationId: t.string, international: nullable(t.type({ notice: t.string })) });
export const Done = t.type({});
export const WebhookAnswer = t.type({ status: t.number, body: t.string, providerMessageId: t.string });
