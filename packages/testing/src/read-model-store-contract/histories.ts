/**
 * Real histories for read-model tests (the read-model store contract, the PostgreSQL projections): a Message
 * Center on core's in-memory store, driven through its
 * facade (enable a business, change its plan, record clients, send and receive messages), with a clock the
 * history moves across billing periods. Every event is one the Message Center writes; refusals (allotment
 * exhausted, an opted-out phone, a number nobody owns) are part of the history and append nothing.
 */
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { walk, type Walk } from './inbox-walk.js';
import {
  BusinessId,
  ConversationId,
  StaffId,
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createInMemorySmsTransport,
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
export const NEVER_ENABLED: BusinessId = must(BusinessId.is, 'b3');
const BUSINESS_NUMBERS = ['+12015550123', '+12015550124'];
const CLIENTS = ['c1', 'c2', 'c-3'];
/** Client phones and a stranger's (a number no client has: its conversation is `tel:+E164`). */
const PHONES = ['+14155552671', '+16465550142', '+12125551234', '+14155550212'];
/**
 * R3: the profiles a client step records (client type, groups, home location). Values shared between profiles
 * so that filters pick some and not others; the last one holds empty strings, which core indexes as no value.
 */
export const PROFILES: ReadonlyArray<{ readonly clientType: string; readonly groups: ReadonlyArray<string>; readonly homeLocation: string | null }> = [
  { clientType: 'member', groups: ['yoga', 'vip'], homeLocation: 'Downtown' },
  { clientType: 'prospect', groups: [], homeLocation: null },
  { clientType: 'member', groups: ['pilates'], homeLocation: 'Uptown' },
  { clientType: 'staff, "quoted"', groups: ['vip', 'yoga', 'vip'], homeLocation: 'Uptown' },
  { clientType: '', groups: ['', 'pilates'], homeLocation: '' },
];
export const CLIENT_TYPES = ['member', 'prospect', 'staff, "quoted"', '', 'nobody'];
export const GROUPS = ['yoga', 'vip', 'pilates', '', 'nobody'];
export const HOME_LOCATIONS = ['Downtown', 'Uptown', '', 'nowhere'];
const BODIES = ['Hi', 'Merci beaucoup, à bientôt', 'x'.repeat(200), '👍'.repeat(90), 'STOP', 'start', 'See you at 10', 'nul \u0000 and a lone \ud83d surrogate'];

export type HistoryStep =
  | { readonly kind: 'enable'; readonly business: number; readonly limit: number; readonly overage: 'refuse' | 'allow' }
  | { readonly kind: 'plan'; readonly business: number; readonly limit: number; readonly overage: 'refuse' | 'allow' }
  /** `profile`: which of {@link PROFILES} (none: the facade's defaults). */
  | { readonly kind: 'client'; readonly business: number; readonly client: number; readonly phone: number; readonly profile?: number }
  | { readonly kind: 'send'; readonly business: number; readonly client: number; readonly body: number }
  /** `tie`: received at the history's first instant (the provider's time), so that conversations tie on last activity. */
  | { readonly kind: 'inbound'; readonly business: number; readonly phone: number; readonly body: number; readonly tie?: boolean }
  /** Time passes: a history spans several billing periods. */
  | { readonly kind: 'later'; readonly hours: number }
  /** The inbox's steps: a staff member reads or marks unread (V6, V7), a conversation flag (V5, V8, V9), B3 switched. */
  | { readonly kind: 'read' | 'unread'; readonly business: number; readonly staff: number; readonly conversation: number }
  | { readonly kind: 'flag'; readonly business: number; readonly action: ConversationAction; readonly conversation: number }
  | { readonly kind: 'mode'; readonly business: number; readonly individual: boolean }
  /** V10: the outbox hands pending messages to the transport (which refuses some), the provider reports a status. */
  | { readonly kind: 'dispatch' }
  | { readonly kind: 'status'; readonly sent: number; readonly status: 'sent' | 'delivered' | 'undelivered' | 'failed' };

export type ConversationAction = 'archive' | 'unarchive' | 'mute' | 'unmute' | 'pin' | 'unpin';
/** Setting a flag twice as often as clearing it, so that histories end with some of each. */
const action: fc.Arbitrary<ConversationAction> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom<ConversationAction>('archive', 'mute', 'pin') },
  { weight: 1, arbitrary: fc.constantFrom<ConversationAction>('unarchive', 'unmute', 'unpin') },
);

/** Staff of each business (the viewers of the inbox tests); the third never reads anything. */
export const STAFF: ReadonlyArray<StaffId> = ['s1', 's2', 's3'].map((id) => must(StaffId.is, id));
/** Every conversation a history may have: a client's, or a number's that no client had (`tel:+E164`). */
const CONVERSATIONS: ReadonlyArray<ConversationId> = [...CLIENTS, ...PHONES.map((phone) => `tel:${phone}`)].map((id) => must(ConversationId.is, id));

export const staffOf = (businessId: BusinessId, staffId: StaffId): { readonly kind: 'staff'; readonly businessId: BusinessId; readonly staffId: StaffId; readonly permissions: ReadonlyArray<string> } => ({
  kind: 'staff',
  businessId,
  staffId,
  permissions: ['send-email-sms'],
});

const business = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });
const allotment = { limit: fc.integer({ min: 0, max: 8 }), overage: fc.constantFrom('refuse' as const, 'allow' as const) };

const stepArb: fc.Arbitrary<HistoryStep> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('enable' as const), business, ...allotment }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('plan' as const), business, ...allotment }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant('client' as const), business, client: fc.nat({ max: CLIENTS.length - 1 }), phone: fc.nat({ max: PHONES.length - 1 }), profile: fc.nat({ max: PROFILES.length }) },
      { requiredKeys: ['kind', 'business', 'client', 'phone'] },
    ),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), business, client: fc.nat({ max: CLIENTS.length - 1 }), body: fc.nat({ max: BODIES.length - 1 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('inbound' as const), business, phone: fc.nat({ max: PHONES.length - 1 }), body: fc.nat({ max: BODIES.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('later' as const), hours: fc.integer({ min: 1, max: 500 }) }) },
);

// Mostly the conversations a history has (the clients', the stranger's); the others are refused (not found).
const conversation = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 2, CLIENTS.length + 3) }, { weight: 1, arbitrary: fc.nat({ max: CONVERSATIONS.length - 1 }) });
// B3 on more often than not: individual read marks are where the viewers' answers part.
const individual = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const readStepArb: fc.Arbitrary<HistoryStep> = fc.record({ kind: fc.constantFrom('read' as const, 'unread' as const), business, staff: fc.nat({ max: STAFF.length - 2 }), conversation });
const inboxStepArb: fc.Arbitrary<HistoryStep> = fc.oneof(
  { weight: 6, arbitrary: stepArb },
  { weight: 4, arbitrary: readStepArb },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('flag' as const), business, action, conversation }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('inbound' as const), business, phone: fc.nat({ max: PHONES.length - 1 }), body: fc.nat({ max: BODIES.length - 1 }), tie: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mode' as const), business, individual }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dispatch' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), sent: fc.nat({ max: 30 }), status: fc.constantFrom('sent' as const, 'delivered' as const, 'undelivered' as const, 'failed' as const) }) },
);

/**
 * An inbox history: as {@link historyArb}, the second business enabled too, B3 of the first set either way, with reads, marks, archive, pin,
 * mute and B3 switches among the messages.
 */
export const inboxHistoryArb = (maxSteps = 60): fc.Arbitrary<ReadonlyArray<HistoryStep>> =>
  fc
    .tuple(
      fc.record({ kind: fc.constant('enable' as const), business: fc.constant(0), limit: fc.constant(1000), overage: fc.constant('allow' as const) }),
      fc.record({ kind: fc.constant('enable' as const), business: fc.constant(1), limit: fc.constant(1000), overage: fc.constant('allow' as const) }),
      individual,
      fc.array(inboxStepArb, { minLength: Math.min(20, maxSteps), maxLength: maxSteps }),
      // A few reads last, so that some read marks are still the latest word when the inbox is compared.
      fc.array(readStepArb, { maxLength: 4 }),
    )
    .map(([first, second, individual, rest, lastReads]): ReadonlyArray<HistoryStep> => [first, second, ...inboxClients(individual), ...rest, ...lastReads]);

/** After both businesses are enabled, an inbox history's start: B3 of b1 as given, b1's clients with the profiles of their index. */
const inboxClients = (individual: boolean): ReadonlyArray<HistoryStep> => [
  { kind: 'mode', business: 0, individual },
  ...CLIENTS.map((_, client): HistoryStep => ({ kind: 'client', business: 0, client, phone: client, profile: client })),
];

/** How every inbox history starts (`inboxHistoryArb`), for the hand-written ones: both businesses enabled (1,000 messages, overage allowed), then `inboxClients`. */
export const inboxStart = (individual: boolean): ReadonlyArray<HistoryStep> => [
  { kind: 'enable', business: 0, limit: 1000, overage: 'allow' },
  { kind: 'enable', business: 1, limit: 1000, overage: 'allow' },
  ...inboxClients(individual),
];

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
  // Outbound messages stay pending until a `dispatch` step; the transport refuses one body, so some fail.
  const transport = createInMemorySmsTransport({
    fail: (sms) => (sms.body === 'See you at 10' ? { code: 'rejected', message: 'refused by the test', providerCode: 21610, status: 400 } : null),
  });
  const mc = createMessageCenter({ store, clock, ids: counterIds(), numbers: createInMemoryNumberProvisioning({ account: 'any' }), transport });
  const periods = new Set<string>([period(START - 40 * 24 * 3600 * 1000), period(START)]);

  const run = async <A>(task: Result<A>): Promise<void> => {
    const outcome: E.Either<MessageCenterError, A> = await task();
    // Refusals belong to the history; a defect or a store failure is the test's problem.
    if (E.isLeft(outcome) && (outcome.left.code === 'internal-error' || outcome.left.code === 'store-unavailable'))
      throw new Error(`history step failed: ${outcome.left.code}: ${outcome.left.message}`);
  };

  const step = async (s: HistoryStep): Promise<void> => {
    if (s.kind === 'dispatch') return run(mc.dispatchPending());
    if (s.kind === 'status') {
      const sent = transport.sent[s.sent % Math.max(1, transport.sent.length)];
      return sent === undefined ? undefined : run(mc.recordDeliveryStatus({ providerMessageId: sent.providerMessageId, status: s.status }));
    }
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
        return run(
          mc.recordClient({
            businessId,
            actor: host(businessId),
            clientId: CLIENTS[s.client] ?? 'c1',
            uid: `U-${s.client}`,
            name: `Client ${s.client}`,
            cellPhone: PHONES[s.phone] ?? null,
            ...(s.profile === undefined ? {} : (PROFILES[s.profile] ?? {})),
          }),
        );
      case 'send':
        return run(mc.sendMessage({ businessId, actor: automation(businessId), clientId: CLIENTS[s.client] ?? 'c1', body: BODIES[s.body] ?? 'Hi' }));
      case 'inbound':
        return run(
          mc.receiveInbound({
            to: number,
            from: PHONES[s.phone] ?? PHONES[0] ?? '',
            body: BODIES[s.body] ?? 'Hi',
            providerMessageId: `SM${String(clock.millis())}`,
            ...(s.tie === true ? { receivedAt: new Date(START).toISOString() } : {}),
          }),
        );
      case 'read':
      case 'unread': {
        const input = { businessId, conversationId: CONVERSATIONS[s.conversation] ?? 'c1', actor: staffOf(businessId, STAFF[s.staff] ?? STAFF[0] ?? must(StaffId.is, 's1')) };
        return run(s.kind === 'read' ? mc.markRead(input) : mc.markUnread(input));
      }
      case 'flag': {
        const input = { businessId, conversationId: CONVERSATIONS[s.conversation] ?? 'c1', actor: automation(businessId) };
        return run(mc[s.action](input));
      }
      case 'mode':
        return run(mc.setIndividualReadStatus({ businessId, actor: host(businessId), individual: s.individual }));
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

/** Core's in-memory inbox, every page of the plain inbox walked through its cursors (or the refusal's code). */
export const corePlainInbox = (world: World, businessId: BusinessId, viewer: StaffId, limit: number): Promise<Walk> =>
  walk((cursor) => world.mc.inbox({ businessId, viewer: staffOf(businessId, viewer), limit, ...(cursor === undefined ? {} : { cursor }) })());

/** Core's in-memory unread badge (or the refusal's code). */
export const coreBadge = async (world: World, businessId: BusinessId, viewer: StaffId): Promise<number | string> => {
  const answer = await world.mc.unreadBadge({ businessId, viewer: staffOf(businessId, viewer) })();
  return E.isRight(answer) ? answer.right : answer.left.code;
};
