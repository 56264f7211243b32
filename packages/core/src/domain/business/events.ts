import * as t from 'io-ts';
import { BusinessId } from '../values/ids.js';
import { CountryCode } from '../values/country.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';

/** Named and exported so that declaration files can refer to the brand (an inline one cannot be named). */
export interface NonNegativeIntBrand {
  readonly NonNegativeInt: unique symbol;
}
export const NonNegativeInt = t.brand(
  t.number,
  (n): n is t.Branded<number, NonNegativeIntBrand> => Number.isSafeInteger(n) && n >= 0,
  'NonNegativeInt',
);
export type NonNegativeInt = t.TypeOf<typeof NonNegativeInt>;

/** B4: messages per billing period, and whether sending beyond it is refused or billed as overage. */
export const AllotmentCodec = t.readonly(
  t.type({ messagesPerPeriod: NonNegativeInt, overage: t.keyof({ refuse: null, allow: null }) }),
  'Allotment',
);

export const MessageCenterEnabled = t.readonly(
  t.type({
    type: t.literal('MessageCenterEnabled'),
    data: t.readonly(
      t.type({
        businessId: BusinessId,
        country: CountryCode,
        number: E164,
        numberCountry: CountryCode,
        allotment: AllotmentCodec,
        individualReadStatus: t.boolean,
        at: Timestamp,
      }),
    ),
  }),
  'MessageCenterEnabled',
);

export const BusinessNumberChanged = t.readonly(
  t.type({
    type: t.literal('BusinessNumberChanged'),
    data: t.readonly(
      t.type({ previousNumber: E164, number: E164, numberCountry: CountryCode, at: Timestamp }),
    ),
  }),
  'BusinessNumberChanged',
);

export const ReadStatusModeChanged = t.readonly(
  t.type({
    type: t.literal('ReadStatusModeChanged'),
    data: t.readonly(t.type({ individual: t.boolean, at: Timestamp })),
  }),
  'ReadStatusModeChanged',
);

export const PlanChanged = t.readonly(
  t.type({
    type: t.literal('PlanChanged'),
    data: t.readonly(t.type({ allotment: AllotmentCodec, at: Timestamp })),
  }),
  'PlanChanged',
);

/**
 * Issue 13, seed 002: numbers the system suggested to the business (from its provider's account); enabling
 * or changing the number accepts one of them, or a number the account already holds for two-way SMS.
 * May come before `MessageCenterEnabled` (a business chooses its number first).
 */
export const NumbersSuggested = t.readonly(
  t.type({
    type: t.literal('NumbersSuggested'),
    data: t.readonly(t.type({ businessId: BusinessId, numbers: t.readonlyArray(E164), at: Timestamp })),
  }),
  'NumbersSuggested',
);

export const BusinessEvent = t.union(
  [MessageCenterEnabled, BusinessNumberChanged, ReadStatusModeChanged, PlanChanged, NumbersSuggested],
  'BusinessEvent',
);
export type BusinessEvent = t.TypeOf<typeof BusinessEvent>;
export type AllotmentData = t.TypeOf<typeof AllotmentCodec>;
