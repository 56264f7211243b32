import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { makeDecider } from '../decider.js';
import type { DomainError } from '../errors.js';
import { BusinessId } from '../values/ids.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';
import type { NumberEvent } from './events.js';

export const AssignNumber = t.readonly(
  t.type({ type: t.literal('AssignNumber'), number: E164, businessId: BusinessId, at: Timestamp }),
  'AssignNumber',
);
export const ReleaseNumber = t.readonly(
  t.type({ type: t.literal('ReleaseNumber'), number: E164, businessId: BusinessId, at: Timestamp }),
  'ReleaseNumber',
);
export const NumberCommand = t.union([AssignNumber, ReleaseNumber], 'NumberCommand');
export type NumberCommand = t.TypeOf<typeof NumberCommand>;

export interface NumberState {
  readonly holder: BusinessId | null;
}

const decide = (c: NumberCommand, s: NumberState): E.Either<DomainError, ReadonlyArray<NumberEvent>> => {
  const data = { number: c.number, businessId: c.businessId, at: c.at };
  switch (c.type) {
    case 'AssignNumber':
      if (s.holder === c.businessId) return E.right([]);
      if (s.holder !== null)
        return E.left({ code: 'number-in-use', message: `${c.number} is the number of another business`, number: c.number });
      return E.right([{ type: 'NumberAssigned', data }]);
    case 'ReleaseNumber':
      // Only the holder releases; anything else is already the case.
      return E.right(s.holder === c.businessId ? [{ type: 'NumberReleased', data }] : []);
  }
};

export const numberDecider = makeDecider<NumberCommand, NumberState, NumberEvent>({
  initialState: { holder: null },
  decide,
  apply: (draft, event) => {
    draft.holder = event.type === 'NumberAssigned' ? event.data.businessId : null;
  },
});
