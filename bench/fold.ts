import { conversationDecider, type ConversationState } from '@message-center/core/internals';
import { generateWorkload } from './workload.js';
import { mutableFold } from './mutable-fold.js';
import { fmt, gc, heapMiB, measure } from './report.js';

/** Issue 2: folding a 1M-event workload with the real fold/evolve against a hand-written mutable loop. */
export const foldBench = (): void => {
  const conversations = Number(process.env['BENCH_CONVERSATIONS'] ?? 10_000);
  const perConversation = Number(process.env['BENCH_EVENTS_PER_CONVERSATION'] ?? 100);
  console.log(`\nFold of a generated workload: ${fmt(conversations)} conversations × ${perConversation} events`);
  const streams = generateWorkload(conversations, perConversation);
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
  const perState = ((after - before) * 2 ** 20) / states.length / 1024;
  console.log(`  memory of ${fmt(states.length)} folded conversation states: ${(after - before).toFixed(1)} MiB (${perState.toFixed(2)} KiB per conversation)`);
};
