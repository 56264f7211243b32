import * as t from 'io-ts';

// Ids come from the host application (business, client, staff) or from the IdGenerator (messages).
// They are opaque: 1..128 characters, no whitespace and no control characters, so they are safe in
// stream names and logs.
const isId = (s: string): boolean => s.length > 0 && s.length <= 128 && !/[\s\p{Cc}]/u.test(s);

export interface BusinessIdBrand {
  readonly BusinessId: unique symbol;
}
export const BusinessId = t.brand(t.string, (s): s is t.Branded<string, BusinessIdBrand> => isId(s), 'BusinessId');
export type BusinessId = t.TypeOf<typeof BusinessId>;

export interface ClientIdBrand {
  readonly ClientId: unique symbol;
}
// `tel:` is reserved for conversations with numbers that match no client (V2).
export const ClientId = t.brand(
  t.string,
  (s): s is t.Branded<string, ClientIdBrand> => isId(s) && !s.startsWith('tel:'),
  'ClientId',
);
export type ClientId = t.TypeOf<typeof ClientId>;

export interface StaffIdBrand {
  readonly StaffId: unique symbol;
}
export const StaffId = t.brand(t.string, (s): s is t.Branded<string, StaffIdBrand> => isId(s), 'StaffId');
export type StaffId = t.TypeOf<typeof StaffId>;

export interface MessageIdBrand {
  readonly MessageId: unique symbol;
}
export const MessageId = t.brand(t.string, (s): s is t.Branded<string, MessageIdBrand> => isId(s), 'MessageId');
export type MessageId = t.TypeOf<typeof MessageId>;

/** The SMS provider's id of a message (Twilio `MessageSid`, `SM…`/`MM…`). */
export interface ProviderMessageIdBrand {
  readonly ProviderMessageId: unique symbol;
}
export const ProviderMessageId = t.brand(
  t.string,
  (s): s is t.Branded<string, ProviderMessageIdBrand> => isId(s),
  'ProviderMessageId',
);
export type ProviderMessageId = t.TypeOf<typeof ProviderMessageId>;
