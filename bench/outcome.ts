import type { MessageCenterError } from '@message-center/core';

/** A TaskEither's result, spelled out: fp-ts is not a dependency the bench's entry points name. */
export type Outcome<A> = { readonly _tag: 'Left'; readonly left: MessageCenterError } | { readonly _tag: 'Right'; readonly right: A };

/** Runs a facade call and hands back its answer; a refusal stops the bench (its figures would mean nothing). */
export const must = async <A>(task: () => Promise<Outcome<A>>): Promise<A> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};
