/**
 * A sleep that can be cut short. A wake while nobody sleeps is remembered, so the next sleep returns at once:
 * an event that arrives while the runner is busy is not missed by the wait that follows.
 */
export interface Pause {
  readonly sleep: (ms: number) => Promise<void>;
  readonly wake: () => void;
}

export const createPause = (): Pause => {
  let wakeSleeper: (() => void) | null = null;
  let woken = false;
  return {
    sleep: (ms) => {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wakeSleeper = null;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakeSleeper = done;
      });
    },
    wake: () => {
      if (wakeSleeper === null) woken = true;
      else wakeSleeper();
    },
  };
};
