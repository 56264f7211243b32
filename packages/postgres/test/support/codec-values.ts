/** A fixture value as its codec's brand; a value the codec refuses is a broken fixture, not a test result. */
export const must = <A>(is: (u: unknown) => u is A, value: string): A => {
  if (!is(value)) throw new RangeError(`rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};
