/**
 * fp-ts's `TaskEither`, with the combinators of the facade's hot paths written out directly. In fp-ts
 * 2.16 `chain` and `chainFirst` go through `dual`, which copies its arguments twice on every call:
 * about 8 % of a send or an inbound message (issue 14). Same signatures, same semantics (a Left stops
 * the chain; a rejection propagates); everything else is fp-ts's own (local exports shadow `export *`).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';

export * from 'fp-ts/lib/TaskEither.js';

export const chain =
  <E1, A, B>(f: (a: A) => TaskEither<E1, B>) =>
  (ma: TaskEither<E1, A>): TaskEither<E1, B> =>
  async () => {
    const a = await ma();
    return E.isLeft(a) ? a : f(a.right)();
  };

export const chainFirst =
  <E1, A, B>(f: (a: A) => TaskEither<E1, B>) =>
  (ma: TaskEither<E1, A>): TaskEither<E1, A> =>
  async () => {
    const a = await ma();
    if (E.isLeft(a)) return a;
    const b = await f(a.right)();
    return E.isLeft(b) ? b : a;
  };

export const map =
  <A, B>(f: (a: A) => B) =>
  <E1>(ma: TaskEither<E1, A>): TaskEither<E1, B> =>
  async () => {
    const a = await ma();
    return E.isLeft(a) ? a : E.right(f(a.right));
  };
