/**
 * V3 per phone (issue 12): the opt-out of a phone to a business lives in its own stream. Written by STOP and
 * START (or Twilio's OptOutType) before the inbound message is recorded, and by Twilio's 21610; read by
 * every send decision and again right before dispatch.
 */
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { PhoneSubscriptionCommand, PhoneSubscriptionState } from '../../domain/phone-subscription/decider.js';
import { phoneSubscriptionAddress } from '../../domain/streams.js';
import type { BusinessId } from '../../domain/values/ids.js';
import type { E164 } from '../../domain/values/phone-number.js';
import type { Result } from '../message-center-api.js';
import { execute, load, persistent, type Deps } from './deps.js';

type SubscriptionDeps = Pick<Deps, 'store' | 'ids' | 'maxAttempts' | 'aggregates'>;

/** The phone's subscription to the business as its stream has it. */
export const phoneSubscription = (deps: SubscriptionDeps, businessId: BusinessId, phone: E164): Result<PhoneSubscriptionState> =>
  pipe(
    load(deps, deps.aggregates.phoneSubscription, phoneSubscriptionAddress(businessId, phone)),
    TE.map(({ state }) => state),
  );

/** Records an opt-out or opt-in of the phone (idempotent: the state it is already in records nothing). */
export const recordPhoneSubscription = (deps: SubscriptionDeps, command: PhoneSubscriptionCommand): Result<PhoneSubscriptionState> =>
  pipe(
    // An opt-out is a fact from outside that must not be lost: retried as hard as an inbound message.
    execute(persistent(deps), deps.aggregates.phoneSubscription, phoneSubscriptionAddress(command.businessId, command.phone), () => TE.right(command)),
    TE.map(({ state }) => state),
  );
