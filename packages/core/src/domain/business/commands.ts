import * as t from 'io-ts';
import { BusinessActor } from '../actor.js';
import { BusinessId } from '../values/ids.js';
import { CountryCode } from '../values/country.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';
import { AllotmentCodec } from './events.js';

const command = <T extends string, D extends t.Props>(type: T, props: D) =>
  t.readonly(t.type({ type: t.literal(type), ...props }), type);

/**
 * B1: the number is given as the host has it, in any formatting; it is parsed in the business country. It
 * must be one the system suggested, or one the provider's account holds for two-way SMS (`heldByAccount`,
 * looked up by the application before deciding).
 */
export const EnableMessageCenter = command('EnableMessageCenter', {
  businessId: BusinessId,
  actor: BusinessActor,
  country: CountryCode,
  number: t.string,
  heldByAccount: t.boolean,
  allotment: AllotmentCodec,
  individualReadStatus: t.boolean,
  at: Timestamp,
});
export type EnableMessageCenter = t.TypeOf<typeof EnableMessageCenter>;

/** B2 */
export const ChangeNumber = command('ChangeNumber', { businessId: BusinessId, actor: BusinessActor, number: t.string, heldByAccount: t.boolean, at: Timestamp });
export type ChangeNumber = t.TypeOf<typeof ChangeNumber>;

/** B3 */
export const SetIndividualReadStatus = command('SetIndividualReadStatus', {
  businessId: BusinessId,
  actor: BusinessActor,
  individual: t.boolean,
  at: Timestamp,
});
export type SetIndividualReadStatus = t.TypeOf<typeof SetIndividualReadStatus>;

/** B4 */
export const ChangePlan = command('ChangePlan', { businessId: BusinessId, actor: BusinessActor, allotment: AllotmentCodec, at: Timestamp });
export type ChangePlan = t.TypeOf<typeof ChangePlan>;

/** Issue 13: the provider's suggestions, recorded so that the number rule is decided from events. */
export const RecordNumberSuggestions = command('RecordNumberSuggestions', {
  businessId: BusinessId,
  actor: BusinessActor,
  numbers: t.readonlyArray(E164),
  at: Timestamp,
});
export type RecordNumberSuggestions = t.TypeOf<typeof RecordNumberSuggestions>;

export const BusinessCommand = t.union([EnableMessageCenter, ChangeNumber, SetIndividualReadStatus, ChangePlan, RecordNumberSuggestions]);
export type BusinessCommand = t.TypeOf<typeof BusinessCommand>;
