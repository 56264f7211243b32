import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { Actor, StaffActor } from '../domain/actor.js';
import { AllotmentCodec } from '../domain/business/events.js';
import { ConversationId } from '../domain/conversation/events.js';
import { OptOutTypeCodec } from '../domain/conversation/commands.js';
import type { DomainError } from '../domain/errors.js';
import { BusinessId, ClientId, MessageId, ProviderMessageId } from '../domain/values/ids.js';
import { CountryCode } from '../domain/values/country.js';
import { Timestamp } from '../domain/values/timestamp.js';
import { describeIoTsErrors } from './event-codec.js';

/**
 * The facade's inputs. Callers pass plain strings and numbers (each codec's output type); every input is
 * decoded here, so a bad one is refused with `invalid-input` naming each faulty field, before anything
 * is read or written.
 */
const input = <P extends t.Props, O extends t.Props>(name: string, required: P, optional: O) =>
  t.intersection([t.type(required), t.partial(optional)], name);

export const EnableMessageCenterInput = input(
  'EnableMessageCenterInput',
  { businessId: BusinessId, country: CountryCode, number: t.string, allotment: AllotmentCodec },
  { individualReadStatus: t.boolean },
);
export const ChangeNumberInput = input('ChangeNumberInput', { businessId: BusinessId, number: t.string }, {});
export const SetIndividualReadStatusInput = input(
  'SetIndividualReadStatusInput',
  { businessId: BusinessId, individual: t.boolean },
  {},
);
export const ChangePlanInput = input('ChangePlanInput', { businessId: BusinessId, allotment: AllotmentCodec }, {});
export const RecordClientInput = input(
  'RecordClientInput',
  { businessId: BusinessId, clientId: ClientId, uid: t.string, name: t.string },
  {
    email: t.union([t.string, t.null]),
    cellPhone: t.union([t.string, t.null]),
    clientType: t.string,
    groups: t.readonlyArray(t.string),
    homeLocation: t.union([t.string, t.null]),
  },
);
/** A conversation is named by its client, or (for numbers that match no client) by its id `tel:+E164`. */
export const SendMessageInput = input(
  'SendMessageInput',
  { businessId: BusinessId, actor: Actor, body: t.string },
  { clientId: ClientId, conversationId: ConversationId, messageId: MessageId },
);
export const ReceiveInboundInput = input(
  'ReceiveInboundInput',
  { to: t.string, from: t.string, body: t.string, providerMessageId: ProviderMessageId },
  { optOutType: t.union([OptOutTypeCodec, t.null]), receivedAt: Timestamp },
);
export const RecordDeliveryStatusInput = input(
  'RecordDeliveryStatusInput',
  { providerMessageId: ProviderMessageId, status: t.string },
  { errorCode: t.union([t.number, t.null]) },
);
export const ConversationActionInput = input(
  'ConversationActionInput',
  { businessId: BusinessId, conversationId: ConversationId, actor: Actor },
  {},
);
export const StaffConversationActionInput = input(
  'StaffConversationActionInput',
  { businessId: BusinessId, conversationId: ConversationId, actor: StaffActor },
  {},
);
export const ConversationQueryInput = input(
  'ConversationQueryInput',
  { businessId: BusinessId, conversationId: ConversationId, viewer: StaffActor },
  {},
);
export const UsageQueryInput = input('UsageQueryInput', { businessId: BusinessId, viewer: StaffActor }, { period: t.string });

const InboxViewCodec = t.keyof({ all: null, unread: null, read: null, replied: null, archived: null }, 'InboxView');
const InboxFiltersCodec = t.partial(
  {
    lastActivityFrom: Timestamp,
    lastActivityTo: Timestamp,
    clientTypes: t.readonlyArray(t.string),
    groups: t.readonlyArray(t.string),
    homeLocations: t.readonlyArray(t.string),
  },
  'InboxFilters',
);
/** R1–R3 */
export const InboxQueryInput = input(
  'InboxQueryInput',
  { businessId: BusinessId, viewer: StaffActor },
  { view: InboxViewCodec, search: t.string, filters: InboxFiltersCodec, cursor: t.string, limit: t.number },
);
/** R4 */
export const BadgeQueryInput = input('BadgeQueryInput', { businessId: BusinessId, viewer: StaffActor }, {});
/** R7 */
export const AlertsQueryInput = input('AlertsQueryInput', { businessId: BusinessId, viewer: StaffActor }, { after: t.string, limit: t.number });
/** R5 */
export const ContactHistoryQueryInput = input(
  'ContactHistoryQueryInput',
  { businessId: BusinessId, viewer: StaffActor, clientId: ClientId },
  { asOf: Timestamp },
);

export type EnableMessageCenterInput = t.OutputOf<typeof EnableMessageCenterInput>;
export type ChangeNumberInput = t.OutputOf<typeof ChangeNumberInput>;
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
export type BadgeQueryInput = t.OutputOf<typeof BadgeQueryInput>;
export type AlertsQueryInput = t.OutputOf<typeof AlertsQueryInput>;
export type ContactHistoryQueryInput = t.OutputOf<typeof ContactHistoryQueryInput>;

export const decodeInput = <A, O>(codec: t.Type<A, O, unknown>, value: unknown): E.Either<DomainError, A> =>
  E.mapLeft((errors: t.Errors): DomainError => {
    const problems = describeIoTsErrors(errors);
    return { code: 'invalid-input', message: `${codec.name}: ${problems.slice(0, 3).join('; ')}`, problems };
  })(codec.decode(value));
