/**
 * Real histories for the runner's tests: a Message Center on core's in-memory store, driven through its
 * facade (enable a business, change its plan, record clients, send and receive messages), with a clock the
 * history moves across billing periods. Every event is one the Message Center writes; refusals (allotment
 * exhausted, an opted-out phone, a number nobody owns) are part of the history and append nothing.
 */
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  BusinessId,
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  timestampFromMillis,
  type Clock,
  type IdGenerator,
  type InMemoryEventStore,
  type LogPosition,
  type MessageCenter,
  type MessageCenterError,
  type PeriodUsage,
  type Result,
} from '@message-center/core';

const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};

// A dash in an id is escaped in stream names (mc-conversation-b%2D2-…): the projection must map them right.
export const BUSINESSES: ReadonlyArray<BusinessId> = [must(BusinessId.is, 'b1'), must(BusinessId.is, 'b-2')];
/** A business that never enables the Message Center: both sides answer message-center-not-enabled. */
export const NEVER_ENABLED = must(BusinessId.is, 'b3');
const BUSINESS_NUMBERS = ['+12015550123', '+12015550124'];
const CLIENTS = ['c1', 'c2', 'c-3'];
/** Client phones and a stranger's (a number no client has: its conversation is `tel:+E164`). */
const PHONES = ['+14155552671', '+16465550142', '+12125551234', '+14155550212'];
const BODIES = ['Hi', 'Merci beaucoup, à bientôt', 'x'.repeat(200), '👍'.repeat(90), 'STOP', 'start', 'See you at 10'];

export type HistoryStep =
  | { readonly kind: 'enable'; readonly business: number; readonly limit: number; readonly overage: 'refuse' | 'allow' }
  | { readonly kind: 'plan'; readonly business: number; readonly limit: number; readonly overage: 'refuse' | 'allow' }
  | { readonly kind: 'client'; readonly business: number; readonly client: number; readonly phone: number }
  | { readonly kind: 'send'; readonly business: number; readonly client: number; readonly body: number }
  | { readonly kind: 'inbound'; readonly business: number; readonly phone: number; readonly body: number }
  /** Time passes: a history spans several billing periods. */
  | { readonly kind: 'later'; readonly hours: number };

const business = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });
const allotment = { limit: fc.integer({ min: 0, max: 8 }), overage: fc.constantFrom('refuse' as const, 'allow' as const) };

const stepArb: fc.Arbitrary<HistoryStep> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('enable' as const), business, ...allotment }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('plan' as const), business, ...allotment }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('client' as const), business, client: fc.nat({ max: CLIENTS.length - 1 }), phone: fc.nat({ max: PHONES.length - 1 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), business, client: fc.nat({ max: CLIENTS.length - 1 }), body: fc.nat({ max: BODIES.length - 1 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('inbound' as const), business, phone: fc.nat({ max: PHONES.length - 1 }), body: fc.nat({ max: BODIES.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('later' as const), hours: fc.integer({ min: 1, max: 500 }) }) },
);

/** A history: b1 enabled with its clients first (so most histories count something), then up to `maxSteps` steps. */
export const historyArb = (maxSteps = 40): fc.Arbitrary<ReadonlyArray<HistoryStep>> =>
  fc
    .tuple(
      fc.record({ kind: fc.constant('enable' as const), business: fc.constant(0), ...allotment }),
      fc.array(stepArb, { minLength: Math.min(10, maxSteps), maxLength: maxSteps }),
    )
    .map(([first, rest]): ReadonlyArray<HistoryStep> => [
      first,
      ...CLIENTS.map((_, client): HistoryStep => ({ kind: 'client', business: 0, client, phone: client })),
      ...rest,
    ]);

/** The end of January, so that the first weeks of a history already cross into February. */
const START = Date.UTC(2026, 0, 28, 9, 0, 0);

/** A clock the history moves: every reading one second later, `later` steps jump ahead. */
const historyClock = (): Clock & { readonly advance: (ms: number) => void; readonly millis: () => number } => {
  let now = START;
  return {
    now: () => {
      const at = timestampFromMillis(now);
      now += 1000;
      return at;
    },
    advance: (ms) => {
      now += ms;
    },
    millis: () => now,
  };
};

/** Deterministic UUIDs (the store wants UUID event ids). */
const counterIds = (): IdGenerator => {
  let n = 0;
  return {
    uuid: () => {
      n += 1;
      return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    },
  };
};

const host = (businessId: BusinessId) => ({ kind: 'host' as const, businessId });
/** Sends come from staff or an automation (B0), not from the host. */
const automation = (businessId: BusinessId) => ({ kind: 'automation' as const, businessId, name: 'reminders' });

export interface World {
  readonly store: InMemoryEventStore;
  readonly mc: MessageCenter;
  /** Plays steps on this world (refusals are fine; a defect throws). */
  readonly play: (steps: ReadonlyArray<HistoryStep>) => Promise<void>;
  /** Every billing period the clock went through, and one before the first. */
  readonly periods: () => ReadonlyArray<string>;
}

const period = (millis: number): string => new Date(millis).toISOString().slice(0, 7);

export const newWorld = (): World => {
  const store = createInMemoryEventStore();
  const clock = historyClock();
  const mc = createMessageCenter({ store, clock, ids: counterIds(), numbers: createInMemoryNumberProvisioning({ account: 'any' }) });
  const periods = new Set<string>([period(START - 40 * 24 * 3600 * 1000), period(START)]);

  const run = async <A>(task: Result<A>): Promise<void> => {
    const outcome: E.Either<MessageCenterError, A> = await task();
    // Refusals belong to the history; a defect or a store failure is the test's problem.
    if (E.isLeft(outcome) && (outcome.left.code === 'internal-error' || outcome.left.code === 'store-unavailable'))
      throw new Error(`history step failed: ${outcome.left.code}: ${outcome.left.message}`);
  };

  const step = async (s: HistoryStep): Promise<void> => {
    if (s.kind === 'later') {
      clock.advance(s.hours * 3600 * 1000);
      periods.add(period(clock.millis()));
      return;
    }
    const businessId = BUSINESSES[s.business] ?? NEVER_ENABLED;
    const number = BUSINESS_NUMBERS[s.business] ?? '+12015550199';
    switch (s.kind) {
      case 'enable':
        return run(mc.enableMessageCenter({ businessId, actor: host(businessId), country: 'US', number, allotment: { messagesPerPeriod: s.limit, overage: s.overage } }));
      case 'plan':
        return run(mc.changePlan({ businessId, actor: host(businessId), allotment: { messagesPerPeriod: s.limit, overage: s.overage } }));
      case 'client':
        return run(mc.recordClient({ businessId, actor: host(businessId), clientId: CLIENTS[s.client] ?? 'c1', uid: `U-${s.client}`, name: `Client ${s.client}`, cellPhone: PHONES[s.phone] ?? null }));
      case 'send':
        return run(mc.sendMessage({ businessId, actor: automation(businessId), clientId: CLIENTS[s.client] ?? 'c1', body: BODIES[s.body] ?? 'Hi' }));
      case 'inbound':
        return run(mc.receiveInbound({ to: number, from: PHONES[s.phone] ?? PHONES[0] ?? '', body: BODIES[s.body] ?? 'Hi', providerMessageId: `SM${String(clock.millis())}` }));
    }
  };

  return {
    store,
    mc,
    play: async (steps) => {
      for (const s of steps) await step(s);
    },
    periods: () => [...periods].sort(),
  };
};

/** What a usage answer is, for comparing two sides: the report, or the refusal's code. */
export const usageAnswer = (answer: E.Either<{ readonly code: string }, PeriodUsage>): PeriodUsage | string => (E.isRight(answer) ? answer.right : answer.left.code);

/** Core's in-memory usage read model, through the facade (it catches up first). */
export const coreUsage = async (world: World, businessId: BusinessId, p: string): Promise<PeriodUsage | string> =>
  usageAnswer(await world.mc.usage({ businessId, viewer: host(businessId), period: p })());

/** The position of the store's last `mc-` event (null: none). */
export const headOf = async (store: InMemoryEventStore): Promise<LogPosition | null> => {
  const all = await store.readAll({ streamPrefix: 'mc-' })();
  if (E.isLeft(all)) throw new Error(`readAll failed: ${all.left.message}`);
  return all.right[all.right.length - 1]?.position ?? null;
};
