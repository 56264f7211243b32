// The fault harness (issue 12) must be trustworthy before it accuses the facade: transparent without
// faults (the EventStore contract), deterministic per seed, and exact about what it injected.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, E164, MessageId, ProviderMessageId, type EventToAppend, type OutgoingSms } from '@message-center/core';
import {
  always,
  createFaultJournal,
  createFaultyEventStore,
  createFaultyTransport,
  describeEventStoreContract,
  healthyStorePlan,
  inboundSid,
  repeatedHandOvers,
  storeFaultPlanArb,
  transportFaultPlanArb,
  twilioMessageSidArb,
  type FaultJournal,
  type StoreFaultChoice,
  type StoreFaultPlan,
} from '../src/index.js';

describeEventStoreContract('faulty store without faults, over the in-memory store', async () => {
  const inner = createInMemoryEventStore();
  return {
    store: createFaultyEventStore(inner).store,
    deleteStream: async (streamId) => {
      const deleted = await inner.deleteStream(streamId)();
      if (E.isLeft(deleted)) throw new Error(deleted.left.message);
    },
  };
});

const event = (type = 'Noted'): EventToAppend => ({ id: randomUUID(), type, data: { note: type }, metadata: { schemaVersion: 1 } });
const plan = (overrides: Partial<StoreFaultPlan>): StoreFaultPlan => ({ ...healthyStorePlan, ...overrides });
const tick = (): Promise<'pending'> => new Promise((resolve) => setImmediate(() => resolve('pending')));

describe('faulty EventStore', () => {
  it('unavailable-after-write: the events are stored although the caller is told store-unavailable', async () => {
    const inner = createInMemoryEventStore();
    const faulty = createFaultyEventStore(inner, { decide: () => 'unavailable-after' });
    const answer = await faulty.store.appendToStream('s-1', [event()], { expectedRevision: 'no-stream' })();
    expect(answer).toMatchObject({ left: { code: 'store-unavailable' } });
    expect(await inner.readStream('s-1')()).toMatchObject({ right: [{ type: 'Noted' }] });
    expect(faulty.journal.appends()).toMatchObject([{ streamId: 's-1', answer: 'unavailable-after-write' }]);
  });

  it('an injected conflict or unavailable-before writes nothing; a conflict is never injected for `any`', async () => {
    const inner = createInMemoryEventStore();
    let choice: StoreFaultChoice = 'conflict';
    const faulty = createFaultyEventStore(inner, { decide: () => choice });
    expect(await faulty.store.appendToStream('s-1', [event()], { expectedRevision: 'no-stream' })()).toMatchObject({
      left: { code: 'concurrency-conflict', streamId: 's-1', expected: 'no-stream', actual: null },
    });
    expect(E.isRight(await faulty.store.appendToStream('s-1', [event()], { expectedRevision: 'any' })())).toBe(true);
    choice = 'unavailable-before';
    expect(await faulty.store.appendToStream('s-1', [event()], { expectedRevision: 0n })()).toMatchObject({ left: { code: 'store-unavailable' } });
    expect(await inner.readStream('s-1')()).toMatchObject({ right: [{ revision: 0n }] });
  });

  it('the same seed and calls give the same faults', async () => {
    const faultsOf = async (seed: number): Promise<ReadonlyArray<string>> => {
      const faulty = createFaultyEventStore(createInMemoryEventStore(), {
        plan: plan({ seed, conflictRate: 0.2, unavailableBeforeRate: 0.2, unavailableAfterRate: 0.2, readUnavailableRate: 0.2 }),
      });
      const answers: string[] = [];
      for (let n = 0; n < 40; n += 1) {
        const a = await faulty.store.appendToStream(`s-${n}`, [event()], { expectedRevision: 'no-stream' })();
        const r = await faulty.store.readStream(`s-${n}`)();
        answers.push(`${E.isLeft(a) ? a.left.code : 'ok'}/${E.isLeft(r) ? r.left.code : r.right.length}`);
      }
      return answers;
    };
    const first = await faultsOf(7);
    expect(await faultsOf(7)).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(3);
  });

  it('a stall holds calls until resume; a stall after apply stores the write and holds its answer', async () => {
    const inner = createInMemoryEventStore();
    const faulty = createFaultyEventStore(inner);
    faulty.stall('after-apply');
    const held = faulty.store.appendToStream('s-1', [event()], { expectedRevision: 'no-stream' })();
    expect(await Promise.race([held, tick()])).toBe('pending');
    expect(await inner.readStream('s-1')()).toMatchObject({ right: [{ revision: 0n }] });
    expect(faulty.held()).toBe(1);
    faulty.resume();
    expect(E.isRight(await held)).toBe(true);
  });

  it('a crashed session never answers again, and the journal says when it crashed', async () => {
    const faulty = createFaultyEventStore(createInMemoryEventStore());
    const session = faulty.session('gen-1');
    session.crash();
    expect(await Promise.race([session.store.readAll()(), tick()])).toBe('pending');
    expect(faulty.journal.entries).toMatchObject([{ kind: 'note', label: 'crash:gen-1' }]);
    expect(E.isRight(await faulty.store.readAll()())).toBe(true);
  });
});

const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture rejected by its codec: ${String(value)}`);
  return value;
};
const sms = (messageId: string): OutgoingSms => ({
  messageId: must(MessageId.is, messageId),
  from: must(E164.is, '+12015550123'),
  to: must(E164.is, '+14155552671'),
  body: 'See you at 10:00.',
});

describe('faulty SmsTransport', () => {
  it('answers each behaviour as Twilio would, and records every hand-over with its outcome', async () => {
    const transport = createFaultyTransport({ decide: (s) => (s.messageId === 'ok' ? 'ok' : s.messageId === 'busy' ? 'retryable' : s.messageId === 'bad' ? 'invalid-number' : undefined) });
    const accepted = await transport.transport.send(sms('ok'))();
    expect(E.isRight(accepted) && ProviderMessageId.is(accepted.right.providerMessageId) && /^SM[0-9a-f]{32}$/.test(accepted.right.providerMessageId)).toBe(true);
    expect(await transport.transport.send(sms('busy'))()).toMatchObject({ left: { code: 'retryable' } });
    expect(await transport.transport.send(sms('bad'))()).toMatchObject({ left: { code: 'invalid-number', providerCode: 21211 } });
    expect(transport.calls().map((c) => c.outcome.kind)).toEqual(['accepted', 'refused', 'refused']);
  });

  it('throws, rejects, or hangs (the provider took a hung one: it has a provider id, no answer)', async () => {
    const transport = createFaultyTransport({ decide: (s) => (s.messageId === 'throw' ? 'throw' : s.messageId === 'reject' ? 'reject' : 'hang') });
    expect(() => transport.transport.send(sms('throw'))).toThrow('injected fault');
    await expect(transport.transport.send(sms('reject'))()).rejects.toThrow('injected fault');
    expect(await Promise.race([transport.transport.send(sms('hang'))(), tick()])).toBe('pending');
    expect(transport.calls().map((c) => c.outcome.kind)).toEqual(['threw', 'threw', 'no-answer']);
  });

  it("keeps Twilio's opt-out list per sender: 21610 until START", async () => {
    const transport = createFaultyTransport();
    transport.provider.optOut('+12015550123', '+14155552671');
    expect(await transport.transport.send(sms('m-1'))()).toMatchObject({ left: { code: 'recipient-unsubscribed', providerCode: 21610 } });
    transport.provider.optIn('+12015550123', '+14155552671');
    expect(E.isRight(await transport.transport.send(sms('m-2'))())).toBe(true);
  });
});

describe('repeated hand-overs', () => {
  const setUp = (): { readonly journal: FaultJournal; readonly send: (session: string, id: string) => Promise<void> } => {
    const journal = createFaultJournal();
    const transport = createFaultyTransport({ journal, plan: always('ok') });
    const sessions = new Map([['a', transport.session('a')], ['b', transport.session('b')]]);
    return {
      journal,
      send: async (session, id) => {
        await sessions.get(session)?.transport.send(sms(id))();
      },
    };
  };

  it('tells a plain duplicate from the at-least-once edges', async () => {
    const racing = setUp();
    await racing.send('a', 'm-1');
    await racing.send('b', 'm-1');
    expect(repeatedHandOvers(racing.journal).map((r) => r.edge)).toEqual([null]);

    const recorded = setUp();
    await recorded.send('a', 'm-1');
    const id = recorded.journal.sends()[0]?.outcome;
    const providerMessageId = id?.kind === 'accepted' ? id.providerMessageId : 'none';
    recorded.journal.add({ kind: 'append', seq: recorded.journal.tick(), session: 'a', streamId: 's', eventTypes: ['X'], dataJson: JSON.stringify([{ providerMessageId }]), answer: 'acknowledged' });
    await recorded.send('b', 'm-1');
    expect(repeatedHandOvers(recorded.journal).map((r) => r.edge)).toEqual([null]);

    const lost = setUp();
    await lost.send('a', 'm-1');
    lost.journal.add({ kind: 'store-fault', seq: lost.journal.tick(), session: 'a', operation: 'append', streamId: 's', fault: 'store-unavailable' });
    await lost.send('a', 'm-1');
    expect(repeatedHandOvers(lost.journal).map((r) => r.edge)).toEqual(['record-lost']);

    const crashed = setUp();
    await crashed.send('a', 'm-1');
    crashed.journal.note('crash:a');
    await crashed.send('b', 'm-1');
    expect(repeatedHandOvers(crashed.journal).map((r) => r.edge)).toEqual(['crash-before-record']);
  });
});

describe('fault arbitraries', () => {
  it('plans stay within their bounds and shrink towards no fault; sids follow Twilio', () => {
    for (const p of fc.sample(storeFaultPlanArb({ maxLatencyMs: 3, conflictPerMille: 10 }), { numRuns: 200, seed: 12 })) {
      expect(p.maxLatencyMs).toBeLessThanOrEqual(3);
      expect(p.conflictRate).toBeLessThanOrEqual(0.01);
    }
    for (const p of fc.sample(transportFaultPlanArb({ maxWeights: { hang: 0 } }), { numRuns: 200, seed: 12 })) expect(p.weights.hang).toBe(0);
    for (const sid of fc.sample(twilioMessageSidArb(), { numRuns: 50, seed: 12 })) expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(inboundSid(255)).toMatch(/^SM[0-9a-f]{32}$/);
  });
});
