import { enableMapSet, produce, type Draft } from 'immer';
import type * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from './errors.js';
import { withEdit, type Edit } from './collections/edit.js';

// Aggregate states keep ids in Maps (never in plain objects, where an id like `__proto__` would be unsafe).
enableMapSet();

/**
 * A decider (Equinox/Chassaing): the whole behaviour of an aggregate as three pure parts.
 * `decide` says which events a command produces (or why it is refused); `evolve` folds one event into
 * the state; `fold` folds a batch at once, so replaying a long stream copies the state once, not once per
 * event.
 */
export interface Decider<C, S, Ev> {
  readonly initialState: S;
  readonly decide: (command: C, state: S) => E.Either<DomainError, ReadonlyArray<Ev>>;
  readonly evolve: (state: S, event: Ev) => S;
  readonly fold: (state: S, events: ReadonlyArray<Ev>) => S;
}

/**
 * A decider for a small state, produced with immer: `fold` folds a batch inside ONE `produce`. Immer
 * copies a drafted `Map` whole when it changes, so a state that grows with its stream is made with
 * {@link makePersistentDecider} instead.
 */
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

/** The state being folded: its fields may be reassigned, the values in them are still immutable. */
export type Working<S> = { -readonly [K in keyof S]: S[K] };

/**
 * A decider for a state that grows with its stream (a conversation's deliveries, a billing period's counted
 * messages), issue 14: its collections are persistent maps (`collections/persistent-map.ts`), so a command on
 * a conversation of 10,000 messages copies a few small nodes rather than every entry. `fold` shallow-copies
 * the state once per batch and lets `apply` reassign its fields, the batch's {@link Edit} updating in place
 * only nodes the batch created; the result is frozen. No state returned before ever changes.
 */
export const makePersistentDecider = <C, S extends object, Ev>(parts: {
  readonly initialState: S;
  readonly decide: (command: C, state: S) => E.Either<DomainError, ReadonlyArray<Ev>>;
  readonly apply: (working: Working<S>, event: Ev, edit: Edit) => void;
}): Decider<C, S, Ev> => {
  const fold = (state: S, events: ReadonlyArray<Ev>): S =>
    events.length === 0
      ? state
      : withEdit((edit) => {
          const working: Working<S> = { ...state };
          for (const event of events) parts.apply(working, event, edit);
          return Object.freeze(working);
        });
  return {
    initialState: Object.freeze(parts.initialState),
    decide: parts.decide,
    evolve: (state, event) => fold(state, [event]),
    fold,
  };
};
