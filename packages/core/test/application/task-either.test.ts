import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as FP from 'fp-ts/lib/TaskEither.js';
import * as TE from '../../src/application/use-cases/task-either.js';

// Issue 14: the use cases' own chain, chainFirst and map answer exactly as fp-ts's for every outcome of
// either step: a Right, a Left, or a task that throws.
type Step = { readonly kind: 'right'; readonly value: number } | { readonly kind: 'left'; readonly error: string } | { readonly kind: 'throw'; readonly message: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.integer().map((value) => ({ kind: 'right' as const, value })),
  fc.string().map((error) => ({ kind: 'left' as const, error })),
  fc.string().map((message) => ({ kind: 'throw' as const, message })),
);

const task =
  (step: Step): FP.TaskEither<string, number> =>
  async () => {
    if (step.kind === 'throw') throw new Error(step.message);
    return step.kind === 'right' ? E.right(step.value) : E.left(step.error);
  };

const outcome = async <A>(t: FP.TaskEither<string, A>): Promise<unknown> => {
  try {
    return { settled: await t() };
  } catch (error) {
    return { threw: error instanceof Error ? error.message : String(error) };
  }
};

describe('use-case TaskEither combinators', () => {
  test.prop([stepArb, stepArb])('chain and chainFirst agree with fp-ts on every pair of outcomes', async (first, second) => {
    const next = (a: number): FP.TaskEither<string, number> => (second.kind === 'right' ? task({ kind: 'right', value: second.value + a }) : task(second));
    expect(await outcome(TE.chain(next)(task(first)))).toEqual(await outcome(FP.chain(next)(task(first))));
    expect(await outcome(TE.chainFirst(next)(task(first)))).toEqual(await outcome(FP.chainFirst(next)(task(first))));
  });

  test.prop([stepArb])('map agrees with fp-ts', async (first) => {
    const f = (a: number): string => `n=${a}`;
    expect(await outcome(TE.map(f)(task(first)))).toEqual(await outcome(FP.map(f)(task(first))));
  });
});
