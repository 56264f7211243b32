/**
 * Issue 12 item 7: the facade under faults, model-based. A store with latency, lost races and failures
 * (before and after writes), a transport that fails, throws, hangs or is slow, concurrent dispatchers and
 * restarts (a crash and a new facade on the same store). After every step: no SMS to a phone that opted
 * out, from a retired number or to a client's old phone; each message at most once to the provider; no
 * acknowledged inbound lost and none recorded twice; the allotment never exceeded; the badge equal to the
 * inbox; no call throws, hangs or answers internal-error. All in virtual time, so latency costs nothing.
 *
 * Runs: `heavyRuns(200)`, i.e. 200 sequences at the default FC_NUM_RUNS (100), scaled by it (FC_NUM_RUNS=5000
 * gives 10,000). FC_SEED with the printed path replays a failure.
 */
import { fc } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { storeFaultPlanArb, transportFaultPlanArb } from '@message-center/testing';
import { PHONES } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { heavyRuns } from '../heavy-property.js';
import { ChangeNumber, ChangePhone, Dispatch, Inbound, Read, RecordSharingClient, Restart, Send, SendBurst, type InboundSpec } from './model/commands.js';
import { finishRun, startRun, tallyOf } from './model/setup.js';

const RUNS = heavyRuns(200);
const MAX_COMMANDS = 30;
// ~25 ms a run on an idle 2-core machine; the limit leaves room for a loaded one and for shrinking.
const TIMEOUT_MS = Math.max(60_000, RUNS * 300);

const index = fc.nat({ max: 30 });
const inboundSpec: fc.Arbitrary<InboundSpec> = fc.record({
  phone: fc.nat({ max: PHONES.length }),
  kind: fc.constantFrom('text' as const, 'text' as const, 'stop' as const, 'start' as const),
  word: index,
  optOutType: fc.boolean(),
  redeliver: fc.option(index, { freq: 3 }),
  toRetired: fc.nat({ max: 9 }).map((n) => n === 0),
});

// Listed more than once to weigh them: fc.commands picks among the entries uniformly.
const send = fc.tuple(index, index, fc.option(index, { freq: 5 })).map(([c, b, r]) => new Send(c, b, r));
const inbound = inboundSpec.map((s) => new Inbound(s));
const dispatch = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([n, processes]) => new Dispatch(n, processes));
const commands = fc.commands(
  [
    send,
    send,
    send,
    fc.array(index, { minLength: 2, maxLength: 3 }).map((cs) => new SendBurst(cs)),
    inbound,
    inbound,
    inbound,
    inbound,
    dispatch,
    dispatch,
    fc.tuple(fc.option(fc.integer({ min: 0, max: 20 }), { freq: 2 }), fc.nat({ max: 3 })).map(([ms, t]) => new Restart(ms, t > 0)),
    fc.tuple(index, fc.nat({ max: PHONES.length - 1 })).map(([c, p]) => new ChangePhone(c, p)),
    index.map((p) => new RecordSharingClient(p)),
    fc.constant(null).map(() => new ChangeNumber()),
    index.map((c) => new Read(c)),
  ],
  { maxCommands: MAX_COMMANDS, size: 'max' },
);

const runPlan = fc.record({
  storePlan: storeFaultPlanArb(),
  transportPlan: transportFaultPlanArb({ maxLatencyMs: 50, slowMs: 500 }),
  allotment: fc.integer({ min: 3, max: 10 }),
  keyedIds: fc.boolean(),
});

beforeEach(useVirtualTime);
afterEach(useRealTime);

describe('issue 12: the facade under faults (model-based)', () => {
  it(
    `${RUNS} sequences of up to ${MAX_COMMANDS} steps keep every invariant after every step`,
    async () => {
      // The outbox's at-least-once edge, measured: how often a message reached the provider again, by cause.
      const tally = { runs: 0, messages: 0, repeats: new Map<string, number>() };
      await fc.assert(
        fc.asyncProperty(runPlan, commands, async (plan, cmds) => {
          const { model, real } = await startRun(plan);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          await finishRun(model, real);
          const run = tallyOf(real);
          tally.runs += 1;
          tally.messages += run.messages;
          for (const [cause, n] of run.repeats) tally.repeats.set(cause, (tally.repeats.get(cause) ?? 0) + n);
        }),
        { numRuns: RUNS },
      );
      const repeats = [...tally.repeats].map(([cause, n]) => `${cause} ${n}`).join(', ') || 'none';
      console.info(`outbox edge over ${tally.runs} passing runs: ${tally.messages} messages reached the provider; sent again after their claim expired: ${repeats}`);
    },
    TIMEOUT_MS,
  );
});
