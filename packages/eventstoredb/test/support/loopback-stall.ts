/**
 * Stalls of the loopback server: it keeps accepting connections and calls (and answers HTTP/2 pings,
 * as grpc-js does on its own) but leaves chosen RPCs unanswered, or answers them late. That is what a
 * hung server, a lost answer or a long GC pause looks like to a client, and only the adapter's deadlines
 * get a caller out of it. Test-only code.
 */

/** The RPCs that can be stalled. `Read` covers reads and subscriptions. */
export const STALLABLE_RPCS = ['Read', 'Append', 'BatchAppend', 'Delete', 'Tombstone', 'GetSupportedMethods'] as const;
export type StallableRpc = (typeof STALLABLE_RPCS)[number];

/**
 * What a stalled RPC does with a call it receives (on `BatchAppend`: with each append it receives):
 * - `'ignore'`: nothing, ever; a write is not applied;
 * - `'apply-silently'`: a write is applied, its answer never sent (the answer was lost on the way);
 * - `{ lateByMs }`: a write is applied at once and answered after the delay; a read starts after it.
 * A call received while stalled keeps its behaviour after `resume()`: only later calls are answered.
 */
export type StallBehaviour = 'ignore' | 'apply-silently' | { readonly lateByMs: number };

/** How a handler sends an answer of a call received under some behaviour (never, now, or later). */
export type Deliver = (answer: () => void) => void;

export interface StallControl {
  /** Stalls these RPCs (replacing any earlier stall) until `resume()`. */
  readonly stall: (rpcs: ReadonlyArray<StallableRpc>, behaviour?: StallBehaviour) => void;
  readonly resume: () => void;
  /** Calls (on `BatchAppend`: appends) received while their RPC was stalled. */
  readonly stalled: Readonly<Record<StallableRpc, number>>;
  /** The behaviour of a call received now (counted), or `undefined` if its RPC is not stalled. */
  readonly take: (rpc: StallableRpc) => StallBehaviour | undefined;
  /** How to deliver the answer of a call received under `behaviour`. */
  readonly deliverer: (behaviour: StallBehaviour | undefined) => Deliver;
  /** Forgets late answers still waiting (the server stopped: their calls are gone). */
  readonly cancelLateAnswers: () => void;
}

const now: Deliver = (answer) => answer();
const never: Deliver = () => undefined;

export const stallControl = (initial: ReadonlyArray<StallableRpc> = []): StallControl => {
  let rpcs = new Set<StallableRpc>(initial);
  let current: StallBehaviour = 'ignore';
  const stalled: Record<StallableRpc, number> = { Read: 0, Append: 0, BatchAppend: 0, Delete: 0, Tombstone: 0, GetSupportedMethods: 0 };
  const timers = new Set<NodeJS.Timeout>();

  return {
    stall: (which, behaviour = 'ignore') => {
      rpcs = new Set(which);
      current = behaviour;
    },
    resume: () => {
      rpcs = new Set();
    },
    stalled,
    take: (rpc) => {
      if (!rpcs.has(rpc)) return undefined;
      stalled[rpc] += 1;
      return current;
    },
    deliverer: (behaviour) => {
      if (behaviour === undefined) return now;
      if (typeof behaviour === 'string') return never;
      return (answer) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, behaviour.lateByMs);
        timers.add(timer);
      };
    },
    cancelLateAnswers: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
};
