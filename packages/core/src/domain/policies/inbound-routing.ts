/**
 * B2 and V2: where an inbound SMS goes. First the business, by the number it was sent to (a number the
 * business moved away from is retired: nothing is delivered); then, within the business, the client whose
 * cell phone sent it. The application layer looks the facts up; the rules are here.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from '../errors.js';
import type { BusinessId, ClientId } from '../values/ids.js';
import type { E164 } from '../values/phone-number.js';
import type { Timestamp } from '../values/timestamp.js';

/** Who a number belongs to: the business, and whether it is still that business's number (B2). */
export interface NumberOwner {
  readonly businessId: BusinessId;
  readonly current: boolean;
}

/** B2: the business an SMS to `to` is for; a number no business has, or one it changed away from, is refused. */
export const businessForNumber = (to: E164, owner: NumberOwner | undefined): E.Either<DomainError, BusinessId> => {
  if (owner === undefined) return E.left({ code: 'unknown-number', message: `${to} is not the number of any business`, number: to });
  if (!owner.current) return E.left({ code: 'number-retired', message: `${to} is no longer the business's number; the SMS is not delivered`, number: to });
  return E.right(owner.businessId);
};

/**
 * V2: an SMS that claims to come from one of the business's own numbers (current or given up) is no
 * client's: a loop through the provider, a misconfigured number or a spoofed sender. It is refused, or it
 * would open a conversation with the business itself.
 */
export const fromOwnNumber = (from: E164, businessId: BusinessId, fromOwner: NumberOwner | undefined): E.Either<DomainError, void> =>
  fromOwner !== undefined && fromOwner.businessId === businessId
    ? E.left({ code: 'invalid-input', message: `${from} is a number of this business, not a client's`, problems: ['from'] })
    : E.right(undefined);

/** A client of the business with the sender's cell phone, and when staff last wrote to them. */
export interface ClientCandidate {
  readonly clientId: ClientId;
  readonly lastOutboundAt: Timestamp | null;
}

/**
 * V2: several clients may share a phone (a family); the reply goes to the one last written to (ties and
 * never-written-to: the smallest client id). None: the SMS opens a conversation keyed by the number.
 */
export const clientForPhone = (candidates: ReadonlyArray<ClientCandidate>): ClientId | null => {
  let best: ClientCandidate | null = null;
  for (const candidate of [...candidates].sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0))) {
    if (best === null || (candidate.lastOutboundAt ?? '') > (best.lastOutboundAt ?? '')) best = candidate;
  }
  return best?.clientId ?? null;
};
