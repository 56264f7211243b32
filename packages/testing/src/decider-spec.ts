import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import type { DomainError, DomainErrorCode } from '@message-center/core';
import type { Decider } from '@message-center/core/internals';

export interface Then<Ev> {
  /** The command produces exactly these events, or is refused with this error code. */
  readonly then: (expected: ReadonlyArray<Ev> | { readonly code: DomainErrorCode }) => void;
  /** The raw decision, for assertions of your own. */
  readonly decision: () => E.Either<DomainError, ReadonlyArray<Ev>>;
}

/**
 * Given/when/then specifications of a decider, in the style of Equinox and Emmett:
 * `spec.given([...events]).when(command).then([...events])` or `.then({ code: 'client-unsubscribed' })`.
 * The given events are folded with the decider's own `fold`, so the spec exercises evolve too.
 */
export const deciderSpec = <C, S, Ev>(decider: Decider<C, S, Ev>) => ({
  given: (events: ReadonlyArray<Ev>) => ({
    when: (command: C): Then<Ev> => {
      const decision = () => decider.decide(command, decider.fold(decider.initialState, events));
      return {
        decision,
        then: (expected) => {
          const result = decision();
          if ('code' in expected) {
            expect(E.isLeft(result) ? result.left.code : { decided: E.isRight(result) ? result.right : [] }).toEqual(expected.code);
          } else {
            expect(E.isRight(result) ? result.right : { refused: result.left }).toEqual(expected);
          }
        },
      };
    },
  }),
});
