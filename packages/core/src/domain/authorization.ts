import * as E from 'fp-ts/lib/Either.js';
import { SEND_PERMISSION, type Actor } from './actor.js';
import { forbidden, type DomainError } from './errors.js';
import type { BusinessId } from './values/ids.js';

const who = (actor: Actor): string => (actor.kind === 'staff' ? `staff ${actor.staffId}` : `automation ${actor.name}`);

/** V1/R1: an actor acts only for their own business, so no business ever sees another's conversations. */
export const authorizeMember = <A extends Actor>(actor: A, businessId: BusinessId): E.Either<DomainError, A> =>
  actor.businessId === businessId ? E.right(actor) : E.left(forbidden(`${who(actor)} does not belong to business ${businessId}`));

/** V1: staff need the `send-email-sms` permission; automations of the business may send. */
export const authorizeSend = (actor: Actor, businessId: BusinessId): E.Either<DomainError, Actor> =>
  E.chain((a: Actor): E.Either<DomainError, Actor> =>
    a.kind === 'staff' && !a.permissions.includes(SEND_PERMISSION)
      ? E.left(forbidden(`staff ${a.staffId} lacks the permission ${SEND_PERMISSION}`))
      : E.right(a),
  )(authorizeMember(actor, businessId));
