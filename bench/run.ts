/**
 * `pnpm bench`: measures, never asserts. Results are recorded by hand in docs/benchmarks.md.
 * Run with `--expose-gc` (the root script does) so memory figures are taken after a full collection.
 */
import { performance } from 'node:perf_hooks';
import { conversationDecider, type ConversationState } from '@message-center/core';
import { generateWorkload } from './workload.js';
import { mutableFold } from './mutable-fold.js';

const CONVERSATIONS = Number(process.env['BENCH_CONVERSATIONS'] ?? 10_000);
const PER_CONVERSATION = Number(process.env['BENCH_EVENTS_PER_CONVERSATION'] ?? 100);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

const gc = (): void => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
};
const heapMiB = (): number => process.memoryUsage().heapUsed / 2 ** 20;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Best and median of several rounds, in events per second. */
const measure = (name: string, events: number, run: () => unknown): number => {
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    gc();
    const start = performance.now();
    run();
    const ms = performance.now() - start;
    rates.push(events / (ms / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  console.log(`  ${name.padEnd(52)} ${fmt(median).padStart(12)} events/s (median of ${ROUNDS}; best ${fmt(rates[rates.length - 1] ?? 0)})`);
  return median;
};

console.log(`Message Center benchmarks — Node ${process.version}, ${process.arch}`);
console.log(`\nFold of a generated workload: ${fmt(CONVERSATIONS)} conversations × ${PER_CONVERSATION} events`);
const streams = generateWorkload(CONVERSATIONS, PER_CONVERSATION);
const total = streams.reduce((n, s) => n + s.length, 0);
console.log(`  ${fmt(total)} events`);

const batch = measure('real fold (one immer produce per stream)', total, () => {
  for (const events of streams) conversationDecider.fold(conversationDecider.initialState, events);
});
const perEvent = measure('real evolve, event by event (one produce per event)', total, () => {
  for (const events of streams) {
    let state = conversationDecider.initialState;
    for (const event of events) state = conversationDecider.evolve(state, event);
  }
});
const mutable = measure('hand-written mutable loop', total, () => {
  for (const events of streams) mutableFold(events);
});
console.log(`  ratio mutable / real fold: ${(mutable / batch).toFixed(2)}×; mutable / evolve-per-event: ${(mutable / perEvent).toFixed(2)}×`);

gc();
const before = heapMiB();
const states: ConversationState[] = streams.map((events) => conversationDecider.fold(conversationDecider.initialState, events));
gc();
const after = heapMiB();
console.log(`  memory of ${fmt(states.length)} folded conversation states: ${(after - before).toFixed(1)} MiB (${(((after - before) * 2 ** 20) / states.length / 1024).toFixed(2)} KiB per conversation)`);
