/**
 * B1–B4: a business enables the Message Center, changes its number, its read-status setting and its plan.
 * Enabling and changing the number also claim the number in the number registry (the claim saga below),
 * so that a number serves one business at a time.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { BusinessCommand } from '../../domain/business/commands.js';
import { numberMoveOf } from '../../domain/business/number-move.js';
import type { BusinessState } from '../../domain/business/state.js';
import { notEnabled } from '../../domain/errors.js';
import { businessAddress, numberAddress } from '../../domain/streams.js';
import type { BusinessId } from '../../domain/values/ids.js';
import { checkAvailability } from '../../domain/policies/availability.js';
import type { CountryCode } from '../../domain/values/country.js';
import { parsePhone, type E164 } from '../../domain/values/phone-number.js';
import type { MessageCenterError } from '../errors.js';
import type { ProvisioningError } from '../ports/number-provisioning.js';
import * as In from '../facade-inputs.js';
import type { Result } from '../message-center-api.js';
import { execute, load, type Deps } from './deps.js';
import { command, fromEither } from './use-case.js';

type BusinessDeps = Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates' | 'numbers'>;

/** B1/B2: the registry's command on one number: an append with an expected revision, so of two racing businesses one wins. */
const numberCommand = (deps: BusinessDeps, type: 'AssignNumber' | 'ReleaseNumber', businessId: BusinessId, number: E164): Result<void> =>
  pipe(
    execute(deps, deps.aggregates.number, numberAddress(number), () => TE.right({ type, number, businessId, at: deps.clock.now() })),
    TE.map(() => undefined),
  );

/**
 * The number claim saga. Decides the business command on the current state first (so a refusal claims
 * nothing), claims the number the decision moves to, then runs the command for real — on the state just
 * loaded, reloading only if another writer got in meanwhile — and releases the number it moved away from.
 * Should the command lose a race after the claim, the business keeps the claim and can retry with the
 * same number. Answers with the business's number afterwards.
 */
const withNumberClaim = (deps: BusinessDeps, businessId: BusinessId, decision: (heldByAccount: boolean) => BusinessCommand, raw: string, country: (state: BusinessState) => CountryCode | null): Result<{ readonly number: E164 }> => {
  const { business } = deps.aggregates;
  const address = businessAddress(businessId);
  return pipe(
    load(deps, business, address),
    TE.bindTo('loaded'),
    TE.bind('offer', ({ loaded }) => offerOf(deps, loaded.state, raw, country(loaded.state))),
    TE.chain(({ loaded, offer }) =>
      pipe(
        fromEither(business.decider.decide(decision(offer.heldByAccount), loaded.state)),
        TE.map((events) => ({ loaded, offer, move: numberMoveOf(events) })),
      ),
    ),
    TE.chain(({ loaded, offer, move }) =>
      pipe(
        // A suggested number is taken into the account (bought) once the rules accepted it, before it is claimed.
        move === null || offer.acquire === null ? TE.right(undefined) : acquire(deps, offer.acquire),
        TE.chain(() => (move === null ? TE.right(undefined) : numberCommand(deps, 'AssignNumber', businessId, move.to))),
        TE.chain(() =>
          pipe(
            execute(deps, business, address, () => TE.right(decision(offer.heldByAccount)), { loaded }),
            // Lost to a concurrent command (or the store): the number claimed for it goes back to the registry,
            // unless the business uses it after all (a concurrent twin enabled it with the same number).
            TE.orElse((error) => (move === null ? TE.left(error) : releaseUnused(deps, businessId, move.to, error))),
          ),
        ),
        TE.chain(({ state, events }) => {
          const left = move?.from ?? null;
          return left === null || events.length === 0 ? TE.right(state) : pipe(numberCommand(deps, 'ReleaseNumber', businessId, left), TE.map(() => state));
        }),
      ),
    ),
    TE.chain((state: BusinessState) => (state.enabled === null ? TE.left(notEnabled) : TE.right({ number: state.enabled.number }))),
  );
};

/** Gives a claimed number back when the business did not take it (best effort); answers the command's error. */
const releaseUnused =
  <A>(deps: BusinessDeps, businessId: BusinessId, number: E164, error: MessageCenterError): Result<A> =>
  async () => {
    await pipe(
      load(deps, deps.aggregates.business, businessAddress(businessId)),
      TE.chain(({ state }) => (state.enabled?.number === number ? TE.right(undefined) : numberCommand(deps, 'ReleaseNumber', businessId, number))),
    )();
    return E.left(error);
  };

/** What the provider's account says of the number asked for: held for two-way SMS, or to be acquired (suggested). */
interface Offer {
  readonly heldByAccount: boolean;
  readonly acquire: E164 | null;
}

/**
 * Issue 13: a number the account holds for two-way SMS is accepted as it is; a suggested one is acquired
 * once the rules accepted it; any other is left to the decider to refuse (`number-not-offered`). A number
 * that does not parse is also left to the decider, which says why.
 */
const offerOf = (deps: BusinessDeps, state: BusinessState, raw: string, country: CountryCode | null): Result<Offer> => {
  const parsed = parsePhone(raw, country ?? undefined);
  if (E.isLeft(parsed)) return TE.right({ heldByAccount: false, acquire: null });
  const number = parsed.right.e164;
  return pipe(
    deps.numbers.lookUp(number),
    TE.mapLeft(provisioningFailure),
    TE.map((held): Offer => (held !== null && held.sms ? { heldByAccount: true, acquire: null } : { heldByAccount: false, acquire: state.suggested.has(number) ? number : null })),
  );
};

const acquire = (deps: BusinessDeps, number: E164): Result<void> =>
  pipe(
    deps.numbers.acquire(number),
    TE.mapLeft(provisioningFailure),
    TE.map(() => undefined),
  );

/** A provider's failure, named as such (its message never carries credentials: the port's contract). */
const provisioningFailure = (e: ProvisioningError): MessageCenterError => e;

/**
 * Issue 13, seed 002: local numbers the business may choose from, asked of the provider's account and
 * recorded on the business (`NumbersSuggested`), so enabling or changing the number is decided from events.
 * Only numbers the business's country may use (B1) are offered.
 */
export const suggestNumbers = (deps: BusinessDeps) =>
  command('RecordNumberSuggestions', In.SuggestNumbersInput, (i) =>
    pipe(
      load(deps, deps.aggregates.business, businessAddress(i.businessId)),
      TE.chain(({ state }) => {
        const country = i.country ?? state.enabled?.country ?? null;
        if (country === null)
          return TE.left<MessageCenterError, never>({ code: 'invalid-input', message: 'name the country: the Message Center is not enabled yet', problems: ['country'] });
        return pipe(
          deps.numbers.suggest({ country, areaCode: i.areaCode ?? null, limit: i.limit ?? DEFAULT_SUGGESTIONS }),
          TE.mapLeft(provisioningFailure),
          TE.map((found) => found.filter((s) => usableBy(country, s.number))),
        );
      }),
      TE.chainFirst((found) =>
        execute(deps, deps.aggregates.business, businessAddress(i.businessId), () =>
          TE.right({ type: 'RecordNumberSuggestions' as const, businessId: i.businessId, actor: i.actor, numbers: found.map((s) => s.number), at: deps.clock.now() }),
        ),
      ),
    ),
  );

const DEFAULT_SUGGESTIONS = 10;

/** B1: a number the business's country may use. */
const usableBy = (country: CountryCode, number: E164): boolean => {
  const parsed = parsePhone(number);
  return E.isRight(parsed) && parsed.right.country !== null && checkAvailability(country, parsed.right.country) === null;
};

/** B3/B4: a setting of an enabled business, decided and recorded on its stream; nothing to claim. */
const recordSetting = (deps: BusinessDeps, businessId: BusinessId, decision: () => BusinessCommand): Result<void> =>
  pipe(
    execute(deps, deps.aggregates.business, businessAddress(businessId), () => TE.right(decision())),
    TE.map(() => undefined),
  );

/** B1 */
export const enableMessageCenter = (deps: BusinessDeps) =>
  command('EnableMessageCenter', In.EnableMessageCenterInput, (i) =>
    withNumberClaim(deps, i.businessId, (heldByAccount) => ({
      type: 'EnableMessageCenter',
      businessId: i.businessId,
      actor: i.actor,
      country: i.country,
      number: i.number,
      heldByAccount,
      allotment: i.allotment,
      individualReadStatus: i.individualReadStatus ?? false,
      at: deps.clock.now(),
    }), i.number, () => i.country),
  );

/** B2: afterwards inbound SMS to the old number is refused as `number-retired`. */
export const changeNumber = (deps: BusinessDeps) =>
  command('ChangeNumber', In.ChangeNumberInput, (i) =>
    withNumberClaim(
      deps,
      i.businessId,
      (heldByAccount) => ({ type: 'ChangeNumber', businessId: i.businessId, actor: i.actor, number: i.number, heldByAccount, at: deps.clock.now() }),
      i.number,
      (state) => state.enabled?.country ?? null,
    ),
  );

/** B3: "Display individual read/unread status for staff members". */
export const setIndividualReadStatus = (deps: BusinessDeps) =>
  command('SetIndividualReadStatus', In.SetIndividualReadStatusInput, (i) =>
    recordSetting(deps, i.businessId, () => ({ type: 'SetIndividualReadStatus', businessId: i.businessId, actor: i.actor, individual: i.individual, at: deps.clock.now() })),
  );

/** B4: the plan's allotment and overage policy. */
export const changePlan = (deps: BusinessDeps) =>
  command('ChangePlan', In.ChangePlanInput, (i) =>
    recordSetting(deps, i.businessId, () => ({ type: 'ChangePlan', businessId: i.businessId, actor: i.actor, allotment: i.allotment, at: deps.clock.now() })),
  );
