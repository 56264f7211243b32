import * as t from 'io-ts';
import { BusinessId } from '../values/ids.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';

/**
 * A phone number serves one business at a time, or inbound SMS could not be routed (B1/B2). Its own
 * stream `mc-number-{E164}` is where two businesses racing for it meet: the append's expected revision
 * lets exactly one of them win.
 */
export const NumberAssigned = t.readonly(
  t.type({
    type: t.literal('NumberAssigned'),
    data: t.readonly(t.type({ number: E164, businessId: BusinessId, at: Timestamp })),
  }),
  'NumberAssigned',
);

/** The business moved to another number (B2); the number may now serve another business. */
export const NumberReleased = t.readonly(
  t.type({
    type: t.literal('NumberReleased'),
    data: t.readonly(t.type({ number: E164, businessId: BusinessId, at: Timestamp })),
  }),
  'NumberReleased',
);

export const NumberEvent = t.union([NumberAssigned, NumberReleased], 'NumberEvent');
export type NumberEvent = t.TypeOf<typeof NumberEvent>;
