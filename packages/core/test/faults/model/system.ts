/**
 * The system under test of the model run: a fault world, the facade of the current process (a restart
 * crashes it and starts another on the same store), and how each facade call is driven in virtual time.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { MessageCenter, MessageCenterError } from '@message-center/core';
import { describeUnsettled, settle } from '../support/virtual-time.js';
import type { Facade, FaultWorld } from '../support/world.js';

export interface Real {
  readonly world: FaultWorld;
  current: Facade;
  /** Facades started so far, for their labels. */
  generation: number;
}

/** A violation of an invariant: the message names the rule and the evidence. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

/**
 * Drives one facade call to its answer. The facade never throws, never hangs and never answers
 * `internal-error` (a transport that throws or hangs is a typed failure, issue 12 item 2).
 */
export const call = async <A>(real: Real, label: string, work: () => Promise<E.Either<MessageCenterError, A>>): Promise<E.Either<MessageCenterError, A>> => {
  const result = await settle(work(), { progress: real.world.progress });
  if (result.kind !== 'resolved') throw new InvariantViolation(`${label} ${describeUnsettled(result)}`);
  const answer = result.value;
  if (E.isLeft(answer) && answer.left.code === 'internal-error') throw new InvariantViolation(`${label} answered internal-error: ${answer.left.message}`);
  return answer;
};

/** Like `call`, for several calls made at once. */
export const callAll = async <A>(
  real: Real,
  label: string,
  works: ReadonlyArray<() => Promise<E.Either<MessageCenterError, A>>>,
): Promise<ReadonlyArray<E.Either<MessageCenterError, A>>> => {
  const answers = await call(real, label, async () => E.right(await Promise.all(works.map((w) => w()))));
  if (E.isLeft(answers)) return [];
  for (const a of answers.right)
    if (E.isLeft(a) && a.left.code === 'internal-error') throw new InvariantViolation(`${label} answered internal-error: ${a.left.message}`);
  return answers.right;
};

const HOST_ATTEMPTS = 3;

/**
 * What a host does with set-up calls (client profiles, the number): retries a few times, and if the
 * store keeps failing, another instance finally gets it through (the checker, on the healthy store).
 * So the model knows the outcome for certain. These calls are idempotent: same input, same state.
 */
export const hostCall = async <A>(real: Real, label: string, work: (mc: MessageCenter) => () => Promise<E.Either<MessageCenterError, A>>): Promise<A> => {
  for (let attempt = 0; attempt < HOST_ATTEMPTS; attempt += 1) {
    const answer = await call(real, label, work(real.current.mc));
    if (E.isRight(answer)) return answer.right;
  }
  const last = await call(real, `${label} (on the healthy store)`, work(real.world.checker));
  if (E.isLeft(last)) throw new Error(`${label} failed even on the healthy store: ${last.left.code}: ${last.left.message}`);
  return last.right;
};
