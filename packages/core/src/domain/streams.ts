import { boundedMemo } from './collections/bounded-memo.js';
import { BusinessId, ClientId, ProviderMessageId } from './values/ids.js';
import { E164 } from './values/phone-number.js';
import { ConversationId } from './conversation/events.js';

/**
 * The stream-name grammar, encode and decode in one place (DESIGN §2 Streams):
 *
 *   name      = prefix component *("-" component)
 *   component = the id with "%" → "%25", "-" → "%2D" and each lone UTF-16 surrogate → "%uXXXX"
 *
 * Ids may contain "-", so a bare join made `acme` + `eu-7` and `acme-eu` + `7` one stream. Escaping the
 * separator and the escape character makes every component free of "-", so a name splits back into exactly
 * the ids it was made of. Lone surrogates are escaped because stores that speak UTF-8 (EventStoreDB over
 * gRPC) turn every one of them into U+FFFD, which would merge distinct ids on the wire. An id with none of
 * these characters is its own component, so the streams of such ids keep the names they always had.
 */

/** Every stream of the Message Center starts with this prefix; read models subscribe to it. */
export const STREAM_PREFIX = 'mc-';
export const BUSINESS_STREAM_PREFIX = 'mc-business-';
export const NUMBER_STREAM_PREFIX = 'mc-number-';
export const CLIENT_STREAM_PREFIX = 'mc-client-';
export const CONVERSATION_STREAM_PREFIX = 'mc-conversation-';
/** V2 (issue 12): one stream per (business, provider message id), claimed by the first delivery. */
export const INBOUND_CLAIM_STREAM_PREFIX = 'mc-inbound-';
/** V3 (issue 12): one stream per (business, phone): the phone's opt-out, whatever client or conversation said it. */
export const PHONE_SUBSCRIPTION_STREAM_PREFIX = 'mc-subscription-';
/** B4 (issue 12): one stream per (business, billing period): the consistency boundary of the allotment. */
export const USAGE_LEDGER_STREAM_PREFIX = 'mc-usage-';
const PERIOD = /^\d{4}-\d{2}$/;

/** Which aggregate a stream holds, and the ids that name it. */
export type StreamAddress =
  | { readonly kind: 'business'; readonly businessId: BusinessId }
  | { readonly kind: 'number'; readonly number: E164 }
  | { readonly kind: 'client'; readonly businessId: BusinessId; readonly clientId: ClientId }
  | { readonly kind: 'conversation'; readonly businessId: BusinessId; readonly conversationId: ConversationId }
  | { readonly kind: 'inbound-claim'; readonly businessId: BusinessId; readonly providerMessageId: ProviderMessageId }
  | { readonly kind: 'phone-subscription'; readonly businessId: BusinessId; readonly phone: E164 }
  | { readonly kind: 'usage-ledger'; readonly businessId: BusinessId; readonly period: string };

const SEPARATOR = '-';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNSAFE = /%|-|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPE = /%(?:(25)|(2D)|u(D[89A-F][0-9A-F]{2}))/g;
// A cheap first look (every id of a command passes here): most ids hold none of these, and need no replace.
const MAYBE_UNSAFE = /[%\-\uD800-\uDFFF]/;

const escapeOne = (c: string): string =>
  c === '%' ? '%25' : c === '-' ? '%2D' : `%u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** One id as a name component: no "-" left in it, and unchanged when it holds no "%", "-" or lone surrogate. */
// Remembered: ids with a "-" are common ("client-42"), and every command names its streams again.
const escaped = boundedMemo(10_000, (id: string): string => id.replace(UNSAFE, escapeOne));
export const encodeStreamComponent = (id: string): string => (MAYBE_UNSAFE.test(id) ? escaped(id) : id);

/**
 * The id a component was made from, or null when the component is not one `encodeStreamComponent` gives
 * (a bare "-", an unknown escape, or an escape it would not have written): each id has exactly one name.
 */
export const decodeStreamComponent = (component: string): string | null => {
  if (component.includes(SEPARATOR)) return null;
  const id = component.replace(ESCAPE, (_m, pct: string | undefined, dash: string | undefined, unit: string | undefined) =>
    pct !== undefined ? '%' : dash !== undefined ? '-' : String.fromCharCode(Number.parseInt(unit ?? '', 16)),
  );
  return encodeStreamComponent(id) === component ? id : null;
};

const PREFIXES: { readonly [K in StreamAddress['kind']]: string } = {
  business: BUSINESS_STREAM_PREFIX,
  number: NUMBER_STREAM_PREFIX,
  client: CLIENT_STREAM_PREFIX,
  conversation: CONVERSATION_STREAM_PREFIX,
  'inbound-claim': INBOUND_CLAIM_STREAM_PREFIX,
  'phone-subscription': PHONE_SUBSCRIPTION_STREAM_PREFIX,
  'usage-ledger': USAGE_LEDGER_STREAM_PREFIX,
};

const componentsOf = (address: StreamAddress): ReadonlyArray<string> => {
  switch (address.kind) {
    case 'business':
      return [address.businessId];
    case 'number':
      return [address.number];
    case 'client':
      return [address.businessId, address.clientId];
    case 'conversation':
      return [address.businessId, address.conversationId];
    case 'inbound-claim':
      return [address.businessId, address.providerMessageId];
    case 'phone-subscription':
      return [address.businessId, address.phone];
    case 'usage-ledger':
      return [address.businessId, address.period];
  }
};

/** The one stream name of an address. Distinct addresses never share a name. */
export const streamName = (address: StreamAddress): string =>
  `${PREFIXES[address.kind]}${componentsOf(address).map(encodeStreamComponent).join(SEPARATOR)}`;

/**
 * The address a stream name was made from, or null for any other name: another prefix, a wrong number of
 * components, an id its codec refuses, or a spelling `streamName` would not have written.
 */
export const parseStreamName = (name: string): StreamAddress | null => {
  const address = addressOf(name);
  return address !== null && streamName(address) === name ? address : null;
};

const addressOf = (name: string): StreamAddress | null => {
  const split = (prefix: string): ReadonlyArray<string | null> | null =>
    name.startsWith(prefix) ? name.slice(prefix.length).split(SEPARATOR).map(decodeStreamComponent) : null;
  const business = split(BUSINESS_STREAM_PREFIX);
  if (business !== null) {
    const [businessId, ...rest] = business;
    return rest.length === 0 && BusinessId.is(businessId) ? { kind: 'business', businessId } : null;
  }
  const number = split(NUMBER_STREAM_PREFIX);
  if (number !== null) {
    const [e164, ...rest] = number;
    return rest.length === 0 && E164.is(e164) ? { kind: 'number', number: e164 } : null;
  }
  const client = split(CLIENT_STREAM_PREFIX);
  if (client !== null) {
    const [businessId, clientId, ...rest] = client;
    return rest.length === 0 && BusinessId.is(businessId) && ClientId.is(clientId) ? { kind: 'client', businessId, clientId } : null;
  }
  const conversation = split(CONVERSATION_STREAM_PREFIX);
  if (conversation !== null) {
    const [businessId, conversationId, ...rest] = conversation;
    return rest.length === 0 && BusinessId.is(businessId) && ConversationId.is(conversationId)
      ? { kind: 'conversation', businessId, conversationId }
      : null;
  }
  const claim = split(INBOUND_CLAIM_STREAM_PREFIX);
  if (claim !== null) {
    const [businessId, providerMessageId, ...rest] = claim;
    return rest.length === 0 && BusinessId.is(businessId) && ProviderMessageId.is(providerMessageId)
      ? { kind: 'inbound-claim', businessId, providerMessageId }
      : null;
  }
  const subscription = split(PHONE_SUBSCRIPTION_STREAM_PREFIX);
  if (subscription !== null) {
    const [businessId, phone, ...rest] = subscription;
    return rest.length === 0 && BusinessId.is(businessId) && E164.is(phone) ? { kind: 'phone-subscription', businessId, phone } : null;
  }
  const ledger = split(USAGE_LEDGER_STREAM_PREFIX);
  if (ledger !== null) {
    const [businessId, period, ...rest] = ledger;
    return rest.length === 0 && BusinessId.is(businessId) && typeof period === 'string' && PERIOD.test(period) ? { kind: 'usage-ledger', businessId, period } : null;
  }
  return null;
};

export const businessAddress = (businessId: BusinessId): StreamAddress => ({ kind: 'business', businessId });
export const numberAddress = (number: E164): StreamAddress => ({ kind: 'number', number });
export const clientAddress = (businessId: BusinessId, clientId: ClientId): StreamAddress => ({ kind: 'client', businessId, clientId });
export const conversationAddress = (businessId: BusinessId, conversationId: ConversationId): StreamAddress => ({
  kind: 'conversation',
  businessId,
  conversationId,
});

export const inboundClaimAddress = (businessId: BusinessId, providerMessageId: ProviderMessageId): StreamAddress => ({
  kind: 'inbound-claim',
  businessId,
  providerMessageId,
});

export const phoneSubscriptionAddress = (businessId: BusinessId, phone: E164): StreamAddress => ({ kind: 'phone-subscription', businessId, phone });

export const usageLedgerAddress = (businessId: BusinessId, period: string): StreamAddress => ({ kind: 'usage-ledger', businessId, period });

export const businessStream = (businessId: BusinessId): string => streamName(businessAddress(businessId));
export const numberStream = (number: E164): string => streamName(numberAddress(number));
export const clientStream = (businessId: BusinessId, clientId: ClientId): string => streamName(clientAddress(businessId, clientId));
export const conversationStream = (businessId: BusinessId, conversationId: ConversationId): string =>
  streamName(conversationAddress(businessId, conversationId));

/** Two addresses are the same stream exactly when their names are equal (`streamName` is one-to-one). */
export const sameStream = (a: StreamAddress, b: StreamAddress): boolean => streamName(a) === streamName(b);
