/**
 * B1–B4: a business enables the Message Center, changes its number, its read-status setting and its plan.
 * Enabling and changing the number also claim the number in the number registry (the claim saga below),
 * so that a number serves one business at a time.
 */
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { BusinessCommand } from '../../domain/business/commands.js';
import { numberMoveOf } from '../../domain/business/number-move.js';
import type { BusinessState } from '../../domain/business/state.js';
import { notEnabled } from '../../domain/errors.js';
import { businessAddress, numberAddress } from '../../domain/streams.js';
import type { BusinessId } from '../../domain/values/ids.js';
import type { E164 } from '../../domain/values/phone-number.js';
import * as In from '../facade-inputs.js';
import type { Result } from '../message-center-api.js';
import { execute, load, type Deps } from './deps.js';
import { command, fromEither } from './use-case.js';

type BusinessDeps = Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates'>;

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
const withNumberClaim = (deps: BusinessDeps, businessId: BusinessId, decision: () => BusinessCommand): Result<{ readonly number: E164 }> => {
  const { business } = deps.aggregates;
  const address = businessAddress(businessId);
  return pipe(
    load(deps, business, address),
    TE.chain((loaded) =>
      pipe(
        fromEither(business.decider.decide(decision(), loaded.state)),
        TE.map((events) => ({ loaded, move: numberMoveOf(events) })),
      ),
    ),
    TE.chain(({ loaded, move }) =>
      pipe(
        move === null ? TE.right(undefined) : numberCommand(deps, 'AssignNumber', businessId, move.to),
        TE.chain(() => execute(deps, business, address, () => TE.right(decision()), { loaded })),
        TE.chain(({ state, events }) => {
          const left = move?.from ?? null;
          return left === null || events.length === 0 ? TE.right(state) : pipe(numberCommand(deps, 'ReleaseNumber', businessId, left), TE.map(() => state));
        }),
      ),
    ),
    TE.chain((state: BusinessState) => (state.enabled === null ? TE.left(notEnabled) : TE.right({ number: state.enabled.number }))),
  );
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
    withNumberClaim(deps, i.businessId, () => ({
      type: 'EnableMessageCenter',
      businessId: i.businessId,
      actor: i.actor,
      country: i.country,
      number: i.number,
      allotment: i.allotment,
      individualReadStatus: i.individualReadStatus ?? false,
      at: deps.clock.now(),
    })),
  );

/** B2: afterwards inbound SMS to the old number is refused as `number-retired`. */
export const changeNumber = (deps: BusinessDeps) =>
  command('ChangeNumber', In.ChangeNumberInput, (i) =>
    withNumberClaim(deps, i.businessId, () => ({ type: 'ChangeNumber', businessId: i.businessId, actor: i.actor, number: i.number, at: deps.clock.now() })),
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
