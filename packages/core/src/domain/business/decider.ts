import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { authorize, COMMAND_OPERATION } from '../authorization.js';
import { makeDecider } from '../decider.js';
import { notEnabled, type DomainError } from '../errors.js';
import { checkAvailability, type AvailabilityProblem } from '../policies/availability.js';
import { parsePhone, describePhoneProblem, type ParsedPhone } from '../values/phone-number.js';
import type { CountryCode } from '../values/country.js';
import type { BusinessCommand } from './commands.js';
import type { BusinessEvent } from './events.js';
import { initialBusinessState, type BusinessState } from './state.js';

const availabilityError = (p: AvailabilityProblem): DomainError =>
  p.kind === 'country-not-supported'
    ? {
        code: 'country-not-supported',
        message: `the Message Center is not available to businesses in ${p.country}`,
        country: p.country,
      }
    : {
        code: 'number-country-not-allowed',
        message: `a business in ${p.businessCountry} may use a number from ${p.allowed.join(', ')}; this one is from ${p.numberCountry ?? 'an unknown region'}`,
        numberCountry: p.numberCountry,
        allowed: p.allowed,
      };

/** B1: parse the number in the business country and check that both countries are allowed. */
const checkBusinessNumber = (
  country: CountryCode,
  raw: string,
): E.Either<DomainError, ParsedPhone & { readonly country: CountryCode }> =>
  pipe(
    parsePhone(raw, country),
    E.mapLeft((p): DomainError => ({ code: 'invalid-phone-number', message: `business number: ${describePhoneProblem(p)}` })),
    E.chain((parsed) => {
      const problem = checkAvailability(country, parsed.country);
      if (problem !== null) return E.left(availabilityError(problem));
      const numberCountry = parsed.country;
      // checkAvailability refuses a number without a region, so this only narrows the type.
      return numberCountry === null
        ? E.left(availabilityError({ kind: 'number-country-not-allowed', businessCountry: country, numberCountry, allowed: [] }))
        : E.right({ ...parsed, country: numberCountry });
    }),
  );

/**
 * Issue 13, seed 002: "You must select one of the numbers suggested by the system. You can't use your
 * business phone number or any personal number for this purpose. If you previously set up a number for
 * 2-way SMS, you don't have to set up a new number."
 */
const checkOffered = (number: ParsedPhone, heldByAccount: boolean, state: BusinessState): E.Either<DomainError, void> =>
  heldByAccount || state.suggested.has(number.e164)
    ? E.right(undefined)
    : E.left({
        code: 'number-not-offered',
        message: `${number.e164} was not suggested by the system and the account has no such number for two-way SMS: choose one of the suggested numbers (suggestNumbers); a business phone or a personal number cannot be used`,
        number: number.e164,
      });

/** How many of the latest suggested numbers a business may still choose from (two full asks of 50). */
export const KEPT_SUGGESTIONS = 100;

const decide = (command: BusinessCommand, state: BusinessState): E.Either<DomainError, ReadonlyArray<BusinessEvent>> => {
  const authorized = authorize(COMMAND_OPERATION[command.type], command.actor, command.businessId);
  if (E.isLeft(authorized)) return authorized;
  switch (command.type) {
    case 'EnableMessageCenter': {
      if (state.enabled !== null)
        return E.left({ code: 'message-center-already-enabled', message: 'the Message Center is already enabled for this business' });
      const availability = checkAvailability(command.country, command.country);
      // A business outside every allowed country is refused before its number is even looked at.
      if (availability?.kind === 'country-not-supported') return E.left(availabilityError(availability));
      return pipe(
        checkBusinessNumber(command.country, command.number),
        E.chainFirst((n) => checkOffered(n, command.heldByAccount, state)),
        E.map((n): ReadonlyArray<BusinessEvent> => [
          {
            type: 'MessageCenterEnabled',
            data: {
              businessId: command.businessId,
              country: command.country,
              number: n.e164,
              numberCountry: n.country,
              allotment: command.allotment,
              individualReadStatus: command.individualReadStatus,
              at: command.at,
            },
          },
        ]),
      );
    }
    case 'ChangeNumber': {
      const business = state.enabled;
      if (business === null) return E.left(notEnabled);
      return pipe(
        checkBusinessNumber(business.country, command.number),
        // Keeping the number it has needs no offer.
        E.chainFirst((n) => (n.e164 === business.number ? E.right(undefined) : checkOffered(n, command.heldByAccount, state))),
        E.map((n): ReadonlyArray<BusinessEvent> =>
          n.e164 === business.number
            ? []
            : [
                {
                  type: 'BusinessNumberChanged',
                  data: { previousNumber: business.number, number: n.e164, numberCountry: n.country, at: command.at },
                },
              ],
        ),
      );
    }
    case 'SetIndividualReadStatus':
      if (state.enabled === null) return E.left(notEnabled);
      return E.right(
        state.enabled.individualReadStatus === command.individual
          ? []
          : [{ type: 'ReadStatusModeChanged', data: { individual: command.individual, at: command.at } }],
      );
    case 'RecordNumberSuggestions': {
      const fresh = command.numbers.filter((n) => !state.suggested.has(n));
      return E.right(fresh.length === 0 ? [] : [{ type: 'NumbersSuggested', data: { businessId: command.businessId, numbers: fresh, at: command.at } }]);
    }
    case 'ChangePlan':
      if (state.enabled === null) return E.left(notEnabled);
      return E.right(
        state.enabled.allotment.messagesPerPeriod === command.allotment.messagesPerPeriod &&
          state.enabled.allotment.overage === command.allotment.overage
          ? []
          : [{ type: 'PlanChanged', data: { allotment: command.allotment, at: command.at } }],
      );
  }
};

export const businessDecider = makeDecider<BusinessCommand, BusinessState, BusinessEvent>({
  initialState: initialBusinessState,
  decide,
  apply: (draft, event) => {
    if (event.type === 'NumbersSuggested') {
      for (const n of event.data.numbers) draft.suggested.add(n);
      // Only the latest suggestions stand: a number offered long ago (and many asks ago) is no offer now.
      for (const n of draft.suggested) {
        if (draft.suggested.size <= KEPT_SUGGESTIONS) break;
        draft.suggested.delete(n);
      }
      return;
    }
    if (event.type === 'MessageCenterEnabled') {
      const d = event.data;
      draft.enabled = {
        businessId: d.businessId,
        country: d.country,
        number: d.number,
        retiredNumbers: [],
        allotment: d.allotment,
        individualReadStatus: d.individualReadStatus,
      };
      return;
    }
    const business = draft.enabled;
    // Events of a business that was never enabled cannot be written by this decider; ignore them.
    if (business === null) return;
    switch (event.type) {
      case 'BusinessNumberChanged':
        business.retiredNumbers = [...business.retiredNumbers.filter((n) => n !== event.data.number), event.data.previousNumber];
        business.number = event.data.number;
        return;
      case 'ReadStatusModeChanged':
        business.individualReadStatus = event.data.individual;
        return;
      case 'PlanChanged':
        business.allotment = event.data.allotment;
        return;
    }
  },
});
