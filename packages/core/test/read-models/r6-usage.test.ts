import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { BusinessId } from '@message-center/core';
import { billingPeriodOf, businessStream, type EventEnvelope } from '@message-center/core/internals';
import { emptyUsage, foldUsage, usageHistory, usageOfPeriod } from '../../src/read-models/usage.js';
import { foldSplit } from './support.js';
import { B1, B2, BUSINESSES, S1, cutsArb, must, viewerOf, worldArb } from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

interface Counts {
  inbound: number;
  outbound: number;
  overage: number;
  inboundSegments: number;
  outboundSegments: number;
}

/** B4/R6 from the log: every message counts 1 in the UTC month of its time; the limit is the plan at the month's end. */
const reference = (log: ReadonlyArray<EventEnvelope>, businessId: BusinessId) => {
  const streams = new Set<string>();
  const periods = new Map<string, Counts>();
  const plans: Array<{ period: string; limit: number; overage: string }> = [];
  for (const { streamId, event } of log) {
    if (event.type === 'MessageCenterEnabled' && event.data.businessId === businessId)
      plans.push({ period: billingPeriodOf(event.data.at), limit: event.data.allotment.messagesPerPeriod, overage: event.data.allotment.overage });
    if (event.type === 'PlanChanged' && streamId === businessStream(businessId))
      plans.push({ period: billingPeriodOf(event.data.at), limit: event.data.allotment.messagesPerPeriod, overage: event.data.allotment.overage });
    if (event.type === 'ConversationStarted' && event.data.businessId === businessId) streams.add(streamId);
    if ((event.type === 'InboundReceived' || event.type === 'OutboundSent') && streams.has(streamId)) {
      const p = billingPeriodOf(event.data.at);
      const c = periods.get(p) ?? { inbound: 0, outbound: 0, overage: 0, inboundSegments: 0, outboundSegments: 0 };
      if (event.type === 'InboundReceived') {
        c.inbound += 1;
        c.inboundSegments += event.data.segments;
      } else {
        c.outbound += 1;
        c.outboundSegments += event.data.segments;
        if (event.data.overage) c.overage += 1;
      }
      periods.set(p, c);
    }
  }
  return [...periods]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([period, c]) => {
      const plan = plans.filter((p) => p.period <= period).pop() ?? plans[0];
      const limit = plan?.limit ?? 0;
      const used = c.inbound + c.outbound;
      return {
        period,
        inbound: c.inbound,
        outbound: c.outbound,
        used,
        limit,
        overagePolicy: plan?.overage,
        remaining: Math.max(0, limit - used),
        beyondLimit: Math.max(0, used - limit),
        overageMessages: c.overage,
        segments: { inbound: c.inboundSegments, outbound: c.outboundSegments },
      };
    });
};


describe('R6 usage', () => {
  test.prop([worldArb(), cutsArb], { numRuns: heavyRuns(50) })(
    'R6 B4 every message counts 1 in its billing period, against the allotment of the plan in force at the period\'s end',
    (world, cuts) => {
      const state = foldSplit(emptyUsage, foldUsage, world.log, cuts);
      for (const businessId of BUSINESSES) {
        const history = usageHistory(state, { viewer: viewerOf(businessId, S1), businessId });
        const expected = reference(world.log, businessId);
        expect(E.isRight(history) ? history.right : history.left.code).toEqual(expected);
        for (const period of expected) {
          const one = usageOfPeriod(state, { viewer: viewerOf(businessId, S1), businessId, period: period.period });
          expect(E.isRight(one) ? one.right : one.left.code).toEqual(period);
        }
      }
    },
    HEAVY_TIMEOUT,
  );

  it('R6 R1 refusals: another business\'s staff (forbidden), a malformed period, a business without the Message Center', () => {
    const world = fc.sample(worldArb(30), { numRuns: 1, seed: 5 })[0];
    const [b1, b2] = [B1, B2];
    if (world === undefined) return;
    const state = foldUsage(emptyUsage, world.log);
    const code = <A>(r: E.Either<{ readonly code: string }, A>): string => (E.isLeft(r) ? r.left.code : 'ok');
    expect(code(usageOfPeriod(state, { viewer: viewerOf(b2, S1), businessId: b1, period: '2026-01' }))).toBe('forbidden');
    expect(code(usageHistory(state, { viewer: viewerOf(b2, S1), businessId: b1 }))).toBe('forbidden');
    expect(code(usageOfPeriod(state, { viewer: viewerOf(b1, S1), businessId: b1, period: '2026-13' }))).toBe('invalid-input');
    expect(code(usageOfPeriod(state, { viewer: viewerOf(b1, S1), businessId: b1, period: '2031-01' }))).toBe('ok');
    const unknown = must(BusinessId.is, 'nobody');
    expect(code(usageHistory(state, { viewer: viewerOf(unknown, S1), businessId: unknown }))).toBe('message-center-not-enabled');
  });
});
