/**
 * Issue 14's goals, each a ratio of two measurements taken side by side in this one run, printed with its
 * target. `BENCH_SCALE=small` runs every goal on smaller inputs in under a minute, so a change can be
 * checked quickly; the full scale is the one the targets are about.
 */
import { ConversationEvent, conversationDecider, encodeEvent, makeEventDecoder, type RecordedEvent } from '@message-center/core/internals';
import { commandCostGoal } from './goals-command-cost.js';
import { facadeOverheadGoal } from './goals-facade-overhead.js';
import { rebuildGoals } from './goals-rebuild.js';
import { webhookGoals } from './goals-webhook.js';
import { generateWorkload } from './workload.js';
import { mutableFold } from './mutable-fold.js';
import { fmt, gc, loadLine, machineLine } from './report.js';

export const SMALL = process.env['BENCH_SCALE'] === 'small';

export interface GoalResult {
  readonly goal: string;
  /** What was measured, both sides, in words and figures. */
  readonly measured: string;
  readonly ratio: number;
  readonly target: string;
  readonly held: boolean;
}

/** Medians of alternating rounds of two workloads, so both meet the same machine state. */
export const sideBySide = (rounds: number, a: () => number, b: () => number): readonly [number, number] => {
  const as: number[] = [];
  const bs: number[] = [];
  // Warm-up rounds: the rounds then compare JIT-compiled code, not the compiler.
  for (let w = 0; w < 3; w += 1) {
    a();
    b();
  }
  for (let r = 0; r < rounds; r += 1) {
    gc();
    as.push(a());
    gc();
    bs.push(b());
  }
  return [median(as), median(bs)];
};

export const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const timed = (run: () => unknown): number => {
  const start = performance.now();
  run();
  return performance.now() - start;
};

/** Goal 2 (P1): the real fold of the workload against a hand-written mutable fold of the same events. */
const foldGoal = (): GoalResult => {
  const conversations = SMALL ? 1_000 : 10_000;
  const streams = generateWorkload(conversations, 100);
  const events = streams.reduce((n, s) => n + s.length, 0);
  const [real, mutable] = sideBySide(
    5,
    () => timed(() => {
      for (const s of streams) conversationDecider.fold(conversationDecider.initialState, s);
    }),
    () => timed(() => {
      for (const s of streams) mutableFold(s);
    }),
  );
  const ratio = real === 0 ? 0 : mutable / real;
  return {
    goal: '2. P1 fold ≥ 0.5× a mutable fold',
    measured: `${fmt(events)} events: real fold ${fmt(events / (real / 1000))}/s, mutable ${fmt(events / (mutable / 1000))}/s`,
    ratio,
    target: '≥ 0.5',
    held: ratio >= 0.5,
  };
};

/**
 * Goal 5 (P2): reading stored events — each checked against its codec (and upcast), then folded — against
 * `JSON.parse` of the same stored events: what reading costs beyond the parse a store does anyway.
 */
const decodeGoal = (): GoalResult => {
  const conversations = SMALL ? 1_000 : 10_000;
  const streams = generateWorkload(conversations, 100);
  const decode = makeEventDecoder(ConversationEvent);
  const recorded: RecordedEvent[][] = streams.map((events, c) =>
    events.map((event, i) => {
      const stored = encodeEvent(event, `e-${c}-${i}`);
      return { id: stored.id, streamId: `mc-conversation-b-c${c}`, revision: BigInt(i), position: { commit: 0n, prepare: 0n }, type: stored.type, data: stored.data, metadata: stored.metadata, created: '2026-11-30T00:00:00.000Z' };
    }),
  );
  const stored: string[] = recorded.flatMap((events) => events.map((e) => JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata })));
  const total = stored.length;
  const [read, parse] = sideBySide(
    5,
    () => timed(() => {
      for (const events of recorded) {
        const decoded: ConversationEvent[] = [];
        for (const e of events) {
          const d = decode(e);
          if (d._tag === 'Left') throw new Error(d.left.message);
          decoded.push(d.right);
        }
        conversationDecider.fold(conversationDecider.initialState, decoded);
      }
    }),
    () => timed(() => {
      for (const s of stored) JSON.parse(s);
    }),
  );
  const ratio = read / parse;
  return {
    goal: '5. P2 decode + fold ≤ 2× JSON.parse of the stored events',
    measured: `${fmt(total)} events, ${fmt(conversations)} phones: decode + fold ${fmt(total / (read / 1000))}/s, JSON.parse ${fmt(total / (parse / 1000))}/s`,
    ratio,
    target: '≤ 2',
    held: ratio <= 2,
  };
};

export const goalsBench = async (): Promise<void> => {
  console.log(`\nIssue 14 goals (${SMALL ? 'BENCH_SCALE=small' : 'full scale'}) — ${machineLine()}`);
  const results: GoalResult[] = [];
  const record = (r: GoalResult): void => {
    results.push(r);
    console.log(`  ${r.held ? 'held  ' : 'MISSED'} ${r.goal}: ${r.ratio.toFixed(2)} (target ${r.target}) — ${r.measured}`);
  };
  // BENCH_GOALS=1,5 runs only those goals.
  const only = process.env['BENCH_GOALS']?.split(',');
  const wanted = (n: number): boolean => only === undefined || only.includes(String(n));
  if (wanted(1)) {
    record(await commandCostGoal('receiveInbound'));
    record(await commandCostGoal('sendMessage'));
  }
  if (wanted(2)) record(foldGoal());
  if (wanted(3)) for (const r of await webhookGoals()) record(r);
  if (wanted(4)) {
    record(await facadeOverheadGoal('receiveInbound'));
    record(await facadeOverheadGoal('sendMessage'));
  }
  if (wanted(5)) record(decodeGoal());
  if (wanted(6)) for (const r of await rebuildGoals()) record(r);
  console.log(`\n  | goal | ratio | target | held | measured |\n  | --- | ---: | --- | --- | --- |`);
  for (const r of results) console.log(`  | ${r.goal} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.held ? 'yes' : '**no**'} | ${r.measured} |`);
  console.log(`  load after: ${loadLine()}`);
};
