/**
 * Remembers the answers of a pure function of a string, in two generations of at most `generation` entries:
 * when the young one is full it becomes the old one (the older answers are forgotten), and an answer found
 * in the old one moves back to the young one. Keys in use stay remembered past the limit, where clearing
 * the whole memo made every key costly again at once; memory stays bounded by two generations.
 */
export const boundedMemo = <A extends {} | null>(generation: number, compute: (key: string) => A): ((key: string) => A) => {
  let young = new Map<string, A>();
  let old = new Map<string, A>();
  return (key) => {
    const known = young.get(key);
    if (known !== undefined) return known;
    const value = old.get(key) ?? compute(key);
    if (young.size >= generation) {
      old = young;
      young = new Map();
    }
    young.set(key, value);
    return value;
  };
};
