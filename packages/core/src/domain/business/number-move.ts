import type { E164 } from '../values/phone-number.js';
import type { BusinessEvent } from './events.js';

/** B1/B2: the number a business decision moves the business to, and the one it leaves (null on enabling). */
export interface NumberMove {
  readonly to: E164;
  readonly from: E164 | null;
}

/**
 * The move among decided business events, if any: the number registry must assign `to` before the business
 * records it, and release `from` after (a number serves one business at a time).
 */
export const numberMoveOf = (events: ReadonlyArray<BusinessEvent>): NumberMove | null => {
  for (const e of events) {
    if (e.type === 'MessageCenterEnabled') return { to: e.data.number, from: null };
    if (e.type === 'BusinessNumberChanged') return { to: e.data.number, from: e.data.previousNumber };
  }
  return null;
};
