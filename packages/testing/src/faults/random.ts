/**
 * A small seeded generator (mulberry32) for fault decisions. Faults are drawn from it in call order, so
 * the same seed and the same sequence of calls give the same faults: a failing run replays exactly.
 */
export interface FaultRandom {
  /** A float in [0, 1). */
  readonly next: () => number;
  /** True with probability `rate` (0 never draws, so a zero rate leaves the sequence untouched). */
  readonly chance: (rate: number) => boolean;
  /** An integer in [min, max]. */
  readonly between: (min: number, max: number) => number;
}

export const seededRandom = (seed: number): FaultRandom => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (rate) => rate > 0 && next() < rate,
    between: (min, max) => (max <= min ? min : min + Math.floor(next() * (max - min + 1))),
  };
};
