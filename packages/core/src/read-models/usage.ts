/**
 * R6 (B4): messages counted against the plan's allotment, per business and billing period. Every inbound
 * and every outbound message counts 1 in the period of its time (`billingPeriodOf`: calendar months in
 * UTC), as the decider counts them; segments are summed too for hosts that bill by segment. The limit of a
 * period is the allotment of the plan in force at its end (a plan changed mid-month applies to that month).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { UsageViewer } from '../domain/actor.js';
import { authorize } from '../domain/authorization.js';
import type { AllotmentData } from '../domain/business/events.js';
import { notEnabled, type DomainError } from '../domain/errors.js';
import { billingPeriodOf, type Allotment } from '../domain/policies/allotment.js';
import type { BusinessId } from '../domain/values/ids.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import type { EventEnvelope } from '../domain/log.js';
import { PHashMap, PSortedMap, compareStrings, withEdit } from './persistent.js';
import type { Projection } from './projection.js';
import { businessOfStream } from './stream-ids.js';

export interface PeriodCounts {
  readonly inbound: number;
  readonly outbound: number;
  /** Outbound messages sent beyond the allotment under the overage policy (flagged by the decider). */
  readonly overage: number;
  readonly inboundSegments: number;
  readonly outboundSegments: number;
}

export interface BusinessUsage {
  /** B1/B4: the plans in order, each from when it was set. */
  readonly plans: ReadonlyArray<{ readonly since: Timestamp; readonly allotment: AllotmentData }>;
  /** `YYYY-MM` → counts. */
  readonly periods: PSortedMap<string, PeriodCounts>;
}

export interface UsageState {
  /** Conversation stream → its business (message events carry no business id). */
  readonly conversations: PHashMap<BusinessId>;
  readonly businesses: PSortedMap<BusinessId, BusinessUsage>;
}

export const emptyUsage: UsageState = {
  conversations: PHashMap.empty(),
  businesses: PSortedMap.empty<BusinessId, BusinessUsage>(compareStrings),
};

const NO_COUNTS: PeriodCounts = { inbound: 0, outbound: 0, overage: 0, inboundSegments: 0, outboundSegments: 0 };

const emptyBusinessUsage: BusinessUsage = { plans: [], periods: PSortedMap.empty<string, PeriodCounts>(compareStrings) };

export const foldUsage = (state: UsageState, batch: ReadonlyArray<EventEnvelope>): UsageState =>
  batch.length === 0
    ? state
    : withEdit((edit) => {
        let { conversations, businesses } = state;
        const update = (businessId: BusinessId, f: (b: BusinessUsage) => BusinessUsage): void => {
          businesses = businesses.set(businessId, f(businesses.get(businessId) ?? emptyBusinessUsage), edit);
        };
        for (const { streamId, event } of batch) {
          switch (event.type) {
            case 'MessageCenterEnabled':
              update(event.data.businessId, (b) => ({ ...b, plans: [...b.plans, { since: event.data.at, allotment: event.data.allotment }] }));
              break;
            case 'PlanChanged': {
              const businessId = businessOfStream(streamId);
              if (businessId !== null)
                update(businessId, (b) => ({ ...b, plans: [...b.plans, { since: event.data.at, allotment: event.data.allotment }] }));
              break;
            }
            case 'ConversationStarted':
              conversations = conversations.set(streamId, event.data.businessId, edit);
              break;
            case 'InboundReceived':
            case 'OutboundSent': {
              const businessId = conversations.get(streamId);
              if (businessId === undefined) break;
              const period = billingPeriodOf(event.data.at);
              const data = event.data;
              update(businessId, (b) => {
                const c = b.periods.get(period) ?? NO_COUNTS;
                const next: PeriodCounts =
                  event.type === 'InboundReceived'
                    ? { ...c, inbound: c.inbound + 1, inboundSegments: c.inboundSegments + data.segments }
                    : {
                        ...c,
                        outbound: c.outbound + 1,
                        outboundSegments: c.outboundSegments + data.segments,
                        overage: c.overage + (event.data.overage ? 1 : 0),
                      };
                return { plans: b.plans, periods: b.periods.set(period, next, edit) };
              });
              break;
            }
            default:
              break;
          }
        }
        return { conversations, businesses };
      });

export const usageProjection: Projection<UsageState> = { name: 'usage', initial: emptyUsage, fold: foldUsage };

export interface PeriodUsage {
  readonly period: string;
  readonly inbound: number;
  readonly outbound: number;
  /** inbound + outbound: what counts against the allotment (B4). */
  readonly used: number;
  readonly limit: number;
  readonly overagePolicy: 'refuse' | 'allow';
  readonly remaining: number;
  /** Messages beyond the limit (inbound is always recorded, and overage may allow outbound). */
  readonly beyondLimit: number;
  readonly overageMessages: number;
  readonly segments: { readonly inbound: number; readonly outbound: number };
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** R6: one period's report from its counts and the plan in force at its end (shared with other read-model stores). */
export const periodReport = (period: string, c: PeriodCounts, allotment: Allotment): PeriodUsage => {
  const used = c.inbound + c.outbound;
  return {
    period,
    inbound: c.inbound,
    outbound: c.outbound,
    used,
    limit: allotment.messagesPerPeriod,
    overagePolicy: allotment.overage,
    remaining: Math.max(0, allotment.messagesPerPeriod - used),
    beyondLimit: Math.max(0, used - allotment.messagesPerPeriod),
    overageMessages: c.overage,
    segments: { inbound: c.inboundSegments, outbound: c.outboundSegments },
  };
};

const reportOf = (b: BusinessUsage, period: string): PeriodUsage => {
  // The plan in force at the end of the period; before the first plan, the first one.
  let allotment: Allotment = b.plans[0]?.allotment ?? { messagesPerPeriod: 0, overage: 'refuse' };
  for (const plan of b.plans) if (billingPeriodOf(plan.since) <= period) allotment = plan.allotment;
  return periodReport(period, b.periods.get(period) ?? NO_COUNTS, allotment);
};

const businessUsage = (state: UsageState, viewer: UsageViewer, businessId: BusinessId): E.Either<DomainError, BusinessUsage> => {
  const authorized = authorize('usage', viewer, businessId);
  if (E.isLeft(authorized)) return authorized;
  const b = state.businesses.get(businessId);
  return b === undefined || b.plans.length === 0 ? E.left(notEnabled) : E.right(b);
};

/** R6: usage of one billing period (`YYYY-MM`; the facade passes the current one by default). */
export const usageOfPeriod = (
  state: UsageState,
  query: { readonly viewer: UsageViewer; readonly businessId: BusinessId; readonly period: string },
): E.Either<DomainError, PeriodUsage> => {
  if (!PERIOD.test(query.period))
    return E.left({ code: 'invalid-input', message: 'period: a billing period like 2026-11', problems: ['period'] });
  return E.map((b: BusinessUsage) => reportOf(b, query.period))(businessUsage(state, query.viewer, query.businessId));
};

/** R6: every period with messages, oldest first. */
export const usageHistory = (
  state: UsageState,
  query: { readonly viewer: UsageViewer; readonly businessId: BusinessId },
): E.Either<DomainError, ReadonlyArray<PeriodUsage>> =>
  E.map((b: BusinessUsage) => {
    const reports: PeriodUsage[] = [];
    b.periods.forEach((period) => {
      reports.push(reportOf(b, period));
    });
    return reports;
  })(businessUsage(state, query.viewer, query.businessId));
