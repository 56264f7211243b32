import type { BusinessId } from '../values/ids.js';
import type { CountryCode } from '../values/country.js';
import type { E164 } from '../values/phone-number.js';
import type { AllotmentData } from './events.js';

export interface EnabledBusiness {
  readonly businessId: BusinessId;
  readonly country: CountryCode;
  readonly number: E164;
  /** B2: numbers the business used before; inbound addressed to them is refused. */
  readonly retiredNumbers: ReadonlyArray<E164>;
  readonly allotment: AllotmentData;
  /** B3: "Display individual read/unread status for staff members". */
  readonly individualReadStatus: boolean;
}

/** A record rather than a union, so that one immer draft can live through the whole fold. */
export interface BusinessState {
  readonly enabled: EnabledBusiness | null;
  /** Issue 13: the latest numbers the system suggested to the business (enabled or not yet), oldest first. */
  readonly suggested: ReadonlySet<E164>;
}

export const initialBusinessState: BusinessState = { enabled: null, suggested: new Set() };
