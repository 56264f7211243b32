/** The longest delay `setTimeout` honours (a larger one fires at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What `task` settles with, or `onTimeout()` if it has not settled within `ms`. The task itself is not
 * cancelled (the SDK's `messages.create` takes no signal). Callers pass tasks that never reject; should
 * one reject anyway, the deadline answers for it rather than an unhandled rejection.
 */
export const withDeadline = <A>(task: Promise<A>, ms: number, onTimeout: () => A): Promise<A> =>
  new Promise<A>((resolve) => {
    const timer = setTimeout(() => resolve(onTimeout()), Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    void task.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => undefined,
    );
  });
