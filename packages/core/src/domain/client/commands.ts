import * as t from 'io-ts';
import { BusinessActor } from '../actor.js';
import { BusinessId, ClientId } from '../values/ids.js';
import { CountryCode } from '../values/country.js';
import { Timestamp } from '../values/timestamp.js';

/**
 * C1: the host reports a client's profile (whole, each time it changes). `cellPhone` is as the host has
 * it; it is parsed in `defaultCountry` (the business country) when written without a country code.
 */
export const RecordClient = t.readonly(
  t.type({
    type: t.literal('RecordClient'),
    businessId: BusinessId,
    actor: BusinessActor,
    clientId: ClientId,
    uid: t.string,
    name: t.string,
    email: t.union([t.string, t.null]),
    cellPhone: t.union([t.string, t.null]),
    clientType: t.string,
    groups: t.readonlyArray(t.string),
    homeLocation: t.union([t.string, t.null]),
    defaultCountry: CountryCode,
    at: Timestamp,
  }),
  'RecordClient',
);
export type RecordClient = t.TypeOf<typeof RecordClient>;
export type ClientCommand = RecordClient;
