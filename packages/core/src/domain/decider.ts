import { enableMapSet, produce, type Draft } from 'immer';
import type * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from './errors.js';

// Aggregate states keep ids in Maps (never in plain objects, where an id like `__proto__` would be unsafe).
enableMapSet();

/**
 * A decider (Equinox/Chassaing): the whole behaviour of an aggregate as three pure parts.
 * `decide` says which events a command produces (or why it is refused); `evolve` folds one event into
 * the state; `fold` folds a batch inside ONE immer `produce`, so replaying a long stream creates one
 * draft, not one per event.
 */
export interface Decider<C, S, Ev> {
  readonly initialState: S;
  readonly decide: (command: C, state: S) => E.Either<DomainError, ReadonlyArray<Ev>>;
  readonly evolve: (state: S, event: Ev) => S;
  readonly fold: (state: S, events: ReadonlyArray<Ev>) => S;
}

export const makeDecider = <C, S, Ev>(parts: {
  readonly initialState: S;
  readonly decide: (command: C, state: S) => E.Either<DomainError, ReadonlyArray<Ev>>;
  /** Applies one event to a draft; written once, used by `evolve` and `fold` alike. */
  readonly apply: (draft: Draft<S>, event: Ev) => void;
}): Decider<C, S, Ev> => {
  const fold = (state: S, events: ReadonlyArray<Ev>): S =>
    events.length === 0
      ? state
      : produce(state, (draft) => {
          for (const event of events) parts.apply(draft, event);
        });
  return {
    initialState: parts.initialState,
    decide: parts.decide,
    evolve: (state, event) => fold(state, [event]),
    fold,
  };
};
