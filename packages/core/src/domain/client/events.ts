import * as t from 'io-ts';
import { BusinessId, ClientId } from '../values/ids.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';

/**
 * C2: the cell phone as the host gave it, and what came of validating it: either a valid E.164 mobile
 * number or the problem that keeps the client from receiving SMS.
 */
export const CellPhoneCodec = t.readonly(
  t.type({ raw: t.union([t.string, t.null]), e164: t.union([E164, t.null]), problem: t.union([t.string, t.null]) }),
  'CellPhone',
);

/** C1: the client's profile, recorded whole each time the host reports a change. */
export const ClientProfileRecorded = t.readonly(
  t.type({
    type: t.literal('ClientProfileRecorded'),
    data: t.readonly(
      t.type({
        businessId: BusinessId,
        clientId: ClientId,
        uid: t.string,
        name: t.string,
        email: t.union([t.string, t.null]),
        cellPhone: CellPhoneCodec,
        clientType: t.string,
        groups: t.readonlyArray(t.string),
        homeLocation: t.union([t.string, t.null]),
        at: Timestamp,
      }),
    ),
  }),
  'ClientProfileRecorded',
);

/** The client stream has one kind of event; the alias keeps the three aggregates alike. */
export const ClientEvent = ClientProfileRecorded;
export type ClientEvent = t.TypeOf<typeof ClientEvent>;
export type CellPhone = t.TypeOf<typeof CellPhoneCodec>;
