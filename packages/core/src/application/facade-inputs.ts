import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { NonNegativeInt } from '../domain/business/events.js';
import { ConversationId } from '../domain/conversation/events.js';
import { OptOutTypeCodec } from '../domain/conversation/commands.js';
import type { DomainError } from '../domain/errors.js';
import { BusinessId, ClientId, MessageId, ProviderMessageId, StaffId } from '../domain/values/ids.js';
import { CountryCode } from '../domain/values/country.js';
import { MediaContentType, MediaUrl } from '../domain/values/media.js';
import { describeIoTsErrors } from './event-codec.js';
import { plainSnapshot } from './plain-snapshot.js';
import { MAX_ALERTS_PAGE } from '../read-models/alerts.js';
import { MAX_FINDER_QUERY } from '../read-models/client-finder-query.js';
import { MAX_PAGE_SIZE, type InboxFilters, type InboxView } from '../read-models/inbox-query.js';
import { boundedArray, boundedString, closedObject, InputTimestamp, integerIn, INPUT_LIMITS, taggedUnion } from './input-grammar.js';

/**
 * The facade's inputs. Callers pass plain strings and numbers (each codec's output type); every input is
 * decoded here, so a bad one is refused with `invalid-input` naming each faulty field, before anything
 * is read or written. Every object is closed (an unknown field is refused), every string and array is
 * bounded (`INPUT_LIMITS`), and numbers meant to be whole are whole.
 */
const input = closedObject;
const text = (name: string, max: number) => boundedString(name, max);
const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

const PermissionsInput = boundedArray(text('permission', INPUT_LIMITS.permission), 'permissions', INPUT_LIMITS.permissions);
const StaffActorInput = input('StaffActor', { kind: t.literal('staff'), businessId: BusinessId, staffId: StaffId, permissions: PermissionsInput }, {});
const AutomationActorInput = input('AutomationActor', { kind: t.literal('automation'), businessId: BusinessId, name: text('name', INPUT_LIMITS.automationName) }, {});
const ActorInput = taggedUnion('Actor', 'kind', ['staff', StaffActorInput], ['automation', AutomationActorInput]);
const HostActorInput = input('HostActor', { kind: t.literal('host'), businessId: BusinessId }, {});
/** B0: business set-up, client records and usage come from staff with a permission or from the host. */
const BusinessActorInput = taggedUnion('BusinessActor', 'kind', ['staff', StaffActorInput], ['host', HostActorInput]);
const AllotmentInput = input('Allotment', { messagesPerPeriod: t.intersection([NonNegativeInt, integerIn('messagesPerPeriod', 0, 1_000_000_000)]), overage: t.keyof({ refuse: null, allow: null }) }, {});
const PhoneText = text('phone number', INPUT_LIMITS.phoneText);

/** Suggestions asked at once, at most. */
export const MAX_SUGGESTIONS = 50;
const AreaCode = t.refinement(t.string, (s) => /^[0-9]{2,5}$/.test(s), 'areaCode (2 to 5 digits)');
export const EnableMessageCenterInput = input(
  'EnableMessageCenterInput',
  { businessId: BusinessId, actor: BusinessActorInput, country: CountryCode, number: PhoneText, allotment: AllotmentInput },
  { individualReadStatus: t.boolean },
);
export const ChangeNumberInput = input('ChangeNumberInput', { businessId: BusinessId, actor: BusinessActorInput, number: PhoneText }, {});
/** Issue 13: `country` defaults to the business's once it is enabled; `areaCode` is a local area code (digits). */
export const SuggestNumbersInput = input(
  'SuggestNumbersInput',
  { businessId: BusinessId, actor: BusinessActorInput },
  { country: CountryCode, areaCode: AreaCode, limit: integerIn('limit', 1, MAX_SUGGESTIONS) },
);
export const SetIndividualReadStatusInput = input(
  'SetIndividualReadStatusInput',
  { businessId: BusinessId, actor: BusinessActorInput, individual: t.boolean },
  {},
);
export const ChangePlanInput = input('ChangePlanInput', { businessId: BusinessId, actor: BusinessActorInput, allotment: AllotmentInput }, {});
export const RecordClientInput = input(
  'RecordClientInput',
  { businessId: BusinessId, actor: BusinessActorInput, clientId: ClientId, uid: text('uid', INPUT_LIMITS.uid), name: text('name', INPUT_LIMITS.name) },
  {
    email: nullable(text('email', INPUT_LIMITS.email)),
    cellPhone: nullable(PhoneText),
    clientType: text('clientType', INPUT_LIMITS.clientType),
    groups: boundedArray(text('group', INPUT_LIMITS.group), 'groups', INPUT_LIMITS.groups),
    homeLocation: nullable(text('homeLocation', INPUT_LIMITS.homeLocation)),
  },
);
/** A conversation is named by its client, or (for numbers that match no client) by its id `tel:+E164`. */
export const SendMessageInput = input(
  'SendMessageInput',
  { businessId: BusinessId, actor: ActorInput, body: text('body', INPUT_LIMITS.outboundBody) },
  { clientId: ClientId, conversationId: ConversationId, messageId: MessageId },
);
/** V2 (issue 13): one file of an MMS, bounded before its codec reads it. */
const MediaInput = input(
  'Media',
  {
    url: t.intersection([text('url', INPUT_LIMITS.mediaUrl), MediaUrl]),
    contentType: t.intersection([text('contentType', INPUT_LIMITS.mediaContentType), MediaContentType]),
  },
  {},
);
/**
 * `receivedAt` is the provider's time; it may be at most `INPUT_LIMITS.maxClockSkewMs` ahead of the clock.
 * `media`: the MMS's files (absent: none); a media-only message has an empty body.
 */
export const ReceiveInboundInput = input(
  'ReceiveInboundInput',
  { to: PhoneText, from: PhoneText, body: text('body', INPUT_LIMITS.inboundBody), providerMessageId: ProviderMessageId },
  { optOutType: nullable(OptOutTypeCodec), receivedAt: InputTimestamp, media: boundedArray(MediaInput, 'media', INPUT_LIMITS.media) },
);
export const RecordDeliveryStatusInput = input(
  'RecordDeliveryStatusInput',
  { providerMessageId: ProviderMessageId, status: text('status', INPUT_LIMITS.status) },
  { errorCode: nullable(integerIn('errorCode', 0, INPUT_LIMITS.errorCode)) },
);
export const ConversationActionInput = input(
  'ConversationActionInput',
  { businessId: BusinessId, conversationId: ConversationId, actor: ActorInput },
  {},
);
export const StaffConversationActionInput = input(
  'StaffConversationActionInput',
  { businessId: BusinessId, conversationId: ConversationId, actor: StaffActorInput },
  {},
);
export const ConversationQueryInput = input(
  'ConversationQueryInput',
  { businessId: BusinessId, conversationId: ConversationId, viewer: StaffActorInput },
  {},
);
export const UsageQueryInput = input('UsageQueryInput', { businessId: BusinessId, viewer: BusinessActorInput }, { period: text('period', INPUT_LIMITS.period) });

// R1/R3: the inbox read model's `InboxView` and `InboxFilters` are the one source of these two codecs.
// `satisfies` makes the compiler refuse a view or a filter that one has and the other lacks (or a filter
// value the read model cannot take), without changing the codecs' own types.
const inboxViews = { all: null, unread: null, read: null, replied: null, archived: null } satisfies { readonly [V in InboxView]: null };
const InboxViewCodec = t.keyof(inboxViews, 'InboxView');
const filterValues = (name: string, max: number) => boundedArray(text(name, max), name, INPUT_LIMITS.filterValues);
const inboxFilters = {
  lastActivityFrom: InputTimestamp,
  lastActivityTo: InputTimestamp,
  clientTypes: filterValues('clientTypes', INPUT_LIMITS.clientType),
  groups: filterValues('groups', INPUT_LIMITS.group),
  homeLocations: filterValues('homeLocations', INPUT_LIMITS.homeLocation),
} satisfies { readonly [K in keyof InboxFilters]-?: t.Type<NonNullable<InboxFilters[K]>, unknown, unknown> };
const InboxFiltersCodec = input('InboxFilters', {}, inboxFilters);
/** R1–R3 */
export const InboxQueryInput = input(
  'InboxQueryInput',
  { businessId: BusinessId, viewer: StaffActorInput },
  {
    view: InboxViewCodec,
    search: text('search', INPUT_LIMITS.search),
    filters: InboxFiltersCodec,
    cursor: text('cursor', INPUT_LIMITS.cursor),
    limit: integerIn('limit', 1, MAX_PAGE_SIZE),
  },
);
/** R2 (issue 13): the To: picker; a blank or absent query lists every client by name. */
export const FindClientsInput = input(
  'FindClientsInput',
  { businessId: BusinessId, viewer: StaffActorInput },
  { query: text('query', MAX_FINDER_QUERY), cursor: text('cursor', INPUT_LIMITS.cursor), limit: integerIn('limit', 1, MAX_PAGE_SIZE) },
);
/** R4 */
export const BadgeQueryInput = input('BadgeQueryInput', { businessId: BusinessId, viewer: StaffActorInput }, {});
/** R7 */
export const AlertsQueryInput = input(
  'AlertsQueryInput',
  { businessId: BusinessId, viewer: StaffActorInput },
  { after: text('after', INPUT_LIMITS.cursor), limit: integerIn('limit', 1, MAX_ALERTS_PAGE) },
);
/** R5: `asOf` may be at most `INPUT_LIMITS.maxClockSkewMs` ahead of the clock. */
export const ContactHistoryQueryInput = input(
  'ContactHistoryQueryInput',
  { businessId: BusinessId, viewer: StaffActorInput, clientId: ClientId },
  { asOf: InputTimestamp },
);

export type EnableMessageCenterInput = t.OutputOf<typeof EnableMessageCenterInput>;
export type ChangeNumberInput = t.OutputOf<typeof ChangeNumberInput>;
export type SuggestNumbersInput = t.OutputOf<typeof SuggestNumbersInput>;
export type SetIndividualReadStatusInput = t.OutputOf<typeof SetIndividualReadStatusInput>;
export type ChangePlanInput = t.OutputOf<typeof ChangePlanInput>;
export type RecordClientInput = t.OutputOf<typeof RecordClientInput>;
export type SendMessageInput = t.OutputOf<typeof SendMessageInput>;
export type ReceiveInboundInput = t.OutputOf<typeof ReceiveInboundInput>;
export type RecordDeliveryStatusInput = t.OutputOf<typeof RecordDeliveryStatusInput>;
export type ConversationActionInput = t.OutputOf<typeof ConversationActionInput>;
export type StaffConversationActionInput = t.OutputOf<typeof StaffConversationActionInput>;
export type ConversationQueryInput = t.OutputOf<typeof ConversationQueryInput>;
export type UsageQueryInput = t.OutputOf<typeof UsageQueryInput>;
export type InboxQueryInput = t.OutputOf<typeof InboxQueryInput>;
export type FindClientsInput = t.OutputOf<typeof FindClientsInput>;
export type BadgeQueryInput = t.OutputOf<typeof BadgeQueryInput>;
export type AlertsQueryInput = t.OutputOf<typeof AlertsQueryInput>;
export type ContactHistoryQueryInput = t.OutputOf<typeof ContactHistoryQueryInput>;

/**
 * Decodes what a caller passed. The value is first copied as plain data (`plainSnapshot` reads each field
 * once and refuses functions and symbols; a proxy or getter that throws is caught), so nothing the caller
 * holds can change or throw later; anything that cannot be read or decoded is `invalid-input`, never an
 * exception.
 */
export const decodeInput = <A, O>(codec: t.Type<A, O, unknown>, value: unknown): E.Either<DomainError, A> => {
  let snapshot: unknown;
  try {
    snapshot = plainSnapshot(value);
  } catch (cause) {
    return E.left(unreadable(codec.name, cause));
  }
  try {
    return E.mapLeft((errors: t.Errors): DomainError => {
      const problems = describeIoTsErrors(errors);
      return { code: 'invalid-input', message: `${codec.name}: ${problems.slice(0, 3).join('; ')}`, problems };
    })(codec.decode(snapshot));
  } catch (cause) {
    return E.left(unreadable(codec.name, cause));
  }
};

/** Names the kind of failure only: a thrown message may carry anything the caller put in it. */
const unreadable = (name: string, cause: unknown): DomainError => {
  const kind = cause instanceof Error ? cause.name : typeof cause;
  return { code: 'invalid-input', message: `${name}: the input could not be read as plain data (${kind})`, problems: ['(root): not plain data'] };
};
