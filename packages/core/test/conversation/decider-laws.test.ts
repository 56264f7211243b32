/**
 * Laws of the conversation decider that hold for every rule at once: folding is a left fold whatever the batching,
 * a refused command leaves no trace, and deciding is a pure function of the command and the state.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { ConversationState } from '@message-center/core/internals';
import { ConversationEvent, conversationDecider, conversationFacts } from '@message-center/core/internals';
import { conversationCommandArb, conversationEventArb, historyArb } from '@message-center/testing';
import { momentsOf } from './support.js';
import { HEAVY_TIMEOUT } from '../heavy-property.js';

const { fold, evolve, decide, initialState } = conversationDecider;

/** Cut points into a list of length n: the list split into consecutive (possibly empty) batches. */
const batchesOf = <A>(xs: ReadonlyArray<A>, cuts: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<A>> => {
  const points = [0, ...cuts.map((c) => c % (xs.length + 1)).sort((a, b) => a - b), xs.length];
  return points.slice(1).map((end, i) => xs.slice(points[i] ?? 0, end));
};

const cutsArb = fc.array(fc.nat(), { maxLength: 6 });

describe('conversation decider laws', () => {
  test.prop([historyArb(), fc.nat()])(
    'fold: fold(fold(s, a), b) equals fold(s, a ++ b) for any split of a history, and folding event by event with evolve',
    (history, cut) => {
      const k = cut % (history.events.length + 1);
      const a = history.events.slice(0, k);
      const b = history.events.slice(k);
      const batch = fold(initialState, history.events);
      expect(fold(fold(initialState, a), b)).toStrictEqual(batch);
      expect(history.events.reduce(evolve, initialState)).toStrictEqual(batch);
      expect(batch).toStrictEqual(history.state);
    },
    HEAVY_TIMEOUT,
  );

  test.prop([historyArb(40), historyArb(40), cutsArb])(
    'fold: folding any batching of the events onto any state equals folding them at once',
    (start, more, cuts) => {
      const batches = batchesOf(more.events, cuts);
      const incremental = batches.reduce((s: ConversationState, batch) => fold(s, batch), start.state);
      expect(incremental).toStrictEqual(fold(start.state, more.events));
    },
  );

  test.prop([fc.array(conversationEventArb, { maxLength: 30 }), cutsArb])(
    'fold: batch = incremental = event by event also for arbitrary event sequences (not only decided ones)',
    (events, cuts) => {
      const batch = fold(initialState, events);
      expect(batchesOf(events, cuts).reduce((s: ConversationState, b) => fold(s, b), initialState)).toStrictEqual(batch);
      expect(events.reduce(evolve, initialState)).toStrictEqual(batch);
    },
  );

  test.prop([historyArb(40)])('fold: a folded state is frozen, and folding more onto it leaves it as it was (issue 14: persistent maps)', (history) => {
    const state = fold(initialState, history.events);
    expect(Object.isFrozen(state)).toBe(true);
    const before = structuredClone(conversationFacts(state));
    fold(state, history.events);
    expect(conversationFacts(state)).toStrictEqual(before);
  });

  test.prop([historyArb()])('decide: every refused command leaves the state as it was before it in the history', (history) => {
    const moments = momentsOf(history);
    history.steps.forEach((s, i) => {
      if (E.isRight(s.result) && s.result.right.length > 0) return;
      // Refused, or accepted with nothing to record: the state after the step is the state before it.
      expect(moments[i + 1]?.state).toStrictEqual(s.before);
      expect(moments[i + 1]?.events).toEqual(moments[i]?.events);
    });
  });

  test.prop([historyArb(40), conversationCommandArb])(
    'decide: deterministic (same command and state, same result) and it never changes the state it is given',
    (history, command) => {
      // A deep copy in plain data (the state's persistent maps as native ones), taken before deciding.
      const snapshot = structuredClone(conversationFacts(history.state));
      const first = decide(command, history.state);
      const second = decide(command, history.state);
      expect(second).toStrictEqual(first);
      expect(conversationFacts(history.state)).toStrictEqual(snapshot);
      // And the same on a state rebuilt from the events: the decision depends on the state's value only.
      expect(decide(command, fold(initialState, history.events))).toStrictEqual(first);
    },
  );

  test.prop([historyArb(40)])('decide: every decided event is a valid ConversationEvent for its io-ts codec', (history) => {
    for (const e of history.events) expect(ConversationEvent.is(e)).toBe(true);
  });
});
