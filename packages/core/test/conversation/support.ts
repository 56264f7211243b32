/**
 * Shared helpers of the conversation property tests: typed builders of commands and events, a decide-and-fold
 * step, the history walk (state and events after every step), and the independent V4–V7 reference computed
 * from the EVENTS of a history (never from the decider's state).
 */
import { expect } from 'vitest';
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  ClientId,
  E164,
  MessageId,
  NonNegativeInt,
  ProviderMessageId,
  SEND_PERMISSION,
  StaffId,
  timestampFromMillis,
  type Actor,
  type DeliveryStatus,
  type DomainError,
  type Folder,
  type MediaList,
  type StaffActor,
  type Timestamp,
} from '@message-center/core';
import type { ConversationState } from '@message-center/core/internals';
import {
  conversationDecider,
  type ConversationCommand,
  type ConversationEvent,
  type OptOutType,
  type SendContext,
} from '@message-center/core/internals';
import { FIXTURE, commandsArb, runCommands, staff, timestampsArb, type History } from '@message-center/testing';

export type Decision = E.Either<DomainError, ReadonlyArray<ConversationEvent>>;
type Command<T extends ConversationCommand['type']> = Extract<ConversationCommand, { readonly type: T }>;

const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`test value rejected by its codec: ${String(value)}`);
  return value;
};

export const messageId = (s: string): MessageId => must(MessageId.is, s);
export const providerId = (s: string): ProviderMessageId => must(ProviderMessageId.is, s);
export const staffId = (s: string): StaffId => must(StaffId.is, s);
export const clientId = (s: string): ClientId => must(ClientId.is, s);
export const phone = (s: string): E164 => must(E164.is, s);

/** Minute `n` of a day well after every generated history (those end in 2027). */
export const at = (n = 0): Timestamp => timestampFromMillis(Date.UTC(2028, 0, 1) + n * 60_000);

// ---------------------------------------------------------------------------------------------- actors

export const s1 = staff('s1');
export const s2 = staff('s2');
/** Staff of the business without the send permission (may read, archive, mute, pin). */
export const noPermission = staff('s3', { permissions: ['view-reports'] });
export const otherBusinessStaff = staff('s1', { businessId: FIXTURE.otherBusinessId });
export const automation: Actor = { kind: 'automation', businessId: FIXTURE.businessId, name: 'appointment-reminder' };
export const otherAutomation: Actor = { kind: 'automation', businessId: FIXTURE.otherBusinessId, name: 'marketing' };
export const viewer = (id: string): StaffActor => staff(id, { permissions: [SEND_PERMISSION] });

/** The staff ids generated histories use, plus one who never acts. */
export const VIEWERS: ReadonlyArray<StaffId> = ['s1', 's2', 's3', 's9'].map(staffId);

/** Staff allowed to send (V1), drawn from the same small pool as histories. */
export const allowedSenderArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constantFrom('s1', 's2', 's3').map((id) => staff(id, { permissions: ['view-reports', SEND_PERMISSION] })),
  fc.constant(automation),
);

/** Everyone V1 refuses: staff without `send-email-sms`, staff and automations of another business. */
export const forbiddenSenderArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constantFrom('s1', 's2', 's3').map((id) => staff(id, { permissions: [] })),
  fc.constantFrom('s1', 's2', 's3').map((id) => staff(id, { permissions: ['view-reports', 'send-email'] })),
  fc.constantFrom('s1', 's2', 's3').map((id) => staff(id, { businessId: FIXTURE.otherBusinessId })),
  fc.constant(otherAutomation),
);

// ---------------------------------------------------------------------------------------------- commands

const base = { businessId: FIXTURE.businessId, conversationId: FIXTURE.conversationId } as const;

export const okContext = (options: { readonly limit?: number; readonly used?: number; readonly overage?: 'refuse' | 'allow' } = {}): SendContext => ({
  business: {
    number: FIXTURE.businessNumber,
    allotment: { messagesPerPeriod: must(NonNegativeInt.is, options.limit ?? 1_000), overage: options.overage ?? 'refuse' },
    usedInPeriod: options.used ?? 0,
  },
  recipient: { clientId: FIXTURE.conversationId, phone: FIXTURE.clientPhone, problem: null, phoneOptedOut: null },
});

export const send = (
  options: {
    readonly id?: string;
    readonly actor?: Actor;
    readonly body?: string;
    readonly context?: SendContext;
    readonly at?: Timestamp;
  } = {},
): Command<'SendMessage'> => ({
  type: 'SendMessage',
  ...base,
  actor: options.actor ?? s1,
  messageId: messageId(options.id ?? 'out-1'),
  body: options.body ?? 'Your appointment is tomorrow at 10:00.',
  context: options.context ?? okContext(),
  claim: null,
  at: options.at ?? at(),
});

export const inbound = (
  options: { readonly sid?: string; readonly body?: string; readonly media?: MediaList; readonly optOutType?: OptOutType | null; readonly at?: Timestamp } = {},
): Command<'ReceiveInbound'> => {
  const sid = options.sid ?? 'SM-in-1';
  return {
    type: 'ReceiveInbound',
    ...base,
    clientId: FIXTURE.conversationId,
    messageId: messageId(`in-${sid}`),
    providerMessageId: providerId(sid),
    from: FIXTURE.clientPhone,
    to: FIXTURE.businessNumber,
    body: options.body ?? 'See you then',
    media: options.media ?? [],
    optOutType: options.optOutType ?? null,
    at: options.at ?? at(),
  };
};

export const dispatched = (id: string, sid = `SM-${id}`, status: DeliveryStatus = 'queued'): Command<'RecordDispatched'> => ({
  type: 'RecordDispatched',
  ...base,
  messageId: messageId(id),
  providerMessageId: providerId(sid),
  status,
  at: at(),
});

export const dispatchFailed = (id: string, providerCode: number | null, reason = 'invalid-number'): Command<'RecordDispatchFailed'> => ({
  type: 'RecordDispatchFailed',
  ...base,
  messageId: messageId(id),
  reason,
  providerCode,
  message: 'refused by the provider',
  at: at(),
});

export const callback = (sid: string, status: DeliveryStatus, errorCode: number | null = null): Command<'RecordDeliveryStatus'> => ({
  type: 'RecordDeliveryStatus',
  ...base,
  providerMessageId: providerId(sid),
  status,
  errorCode,
  at: at(),
});

export const markRead = (actor: StaffActor): Command<'MarkRead'> => ({ type: 'MarkRead', ...base, actor, at: at() });
export const markUnread = (actor: StaffActor): Command<'MarkUnread'> => ({ type: 'MarkUnread', ...base, actor, at: at() });

export type ToggleType = 'Archive' | 'Unarchive' | 'Mute' | 'Unmute' | 'Pin' | 'Unpin';
export const toggle = (type: ToggleType, actor: Actor = s1): Command<ToggleType> => ({ type, ...base, actor, at: at() });

// ---------------------------------------------------------------------------------------------- deciding

export const decide = (command: ConversationCommand, state: ConversationState): Decision => conversationDecider.decide(command, state);
export const fold = (state: ConversationState, events: ReadonlyArray<ConversationEvent>): ConversationState =>
  conversationDecider.fold(state, events);
export const initial = conversationDecider.initialState;

/** The events of an accepted decision; fails the test when it was refused. */
export const accepted = (decision: Decision): ReadonlyArray<ConversationEvent> => {
  if (E.isLeft(decision)) {
    expect.fail(`expected the command to be accepted, it was refused: ${decision.left.code} (${decision.left.message})`);
  }
  return decision.right;
};

/** The error code of a refusal, or `accepted` with the events. */
export const outcome = (decision: Decision): string | ReadonlyArray<ConversationEvent> =>
  E.isLeft(decision) ? decision.left.code : decision.right;

/** Decides and folds, failing the test if the command is refused. */
export const step = (state: ConversationState, command: ConversationCommand): { readonly events: ReadonlyArray<ConversationEvent>; readonly state: ConversationState } => {
  const events = accepted(decide(command, state));
  return { events, state: fold(state, events) };
};

export const run = (commands: ReadonlyArray<ConversationCommand>, from: ConversationState = initial): ConversationState =>
  commands.reduce((s, c) => step(s, c).state, from);

export const types = (events: ReadonlyArray<ConversationEvent>): ReadonlyArray<ConversationEvent['type']> => events.map((e) => e.type);

// ---------------------------------------------------------------------------------------------- histories

export interface Moment {
  /** The events recorded up to and including this step. */
  readonly events: ReadonlyArray<ConversationEvent>;
  readonly state: ConversationState;
}

/** The state and the event list after every step of a history (the first moment is before any step). */
export const momentsOf = (history: History): ReadonlyArray<Moment> => {
  const moments: Moment[] = [{ events: [], state: initial }];
  const events: ConversationEvent[] = [];
  history.steps.forEach((s, i) => {
    if (E.isRight(s.result)) events.push(...s.result.right);
    const next = history.steps[i + 1];
    moments.push({ events: [...events], state: next === undefined ? history.state : next.before });
  });
  return moments;
};

/** A history whose conversation exists from the first step on (it starts with a client's message). */
export const startedHistoryArb = (maxLength = 40): fc.Arbitrary<History> =>
  commandsArb(maxLength).chain((commands) =>
    timestampsArb(commands.length + 1).map((times) => runCommands([inbound({ sid: 'SM-first', body: 'Hello?' }), ...commands], times)),
  );

// ---------------------------------------------------------------------------------------------- V4–V7 reference

export interface ReferenceView {
  readonly folder: Folder;
  readonly unreadCount: number;
}

const lastIndex = <A>(xs: ReadonlyArray<A>, p: (a: A) => boolean): number => {
  for (let i = xs.length - 1; i >= 0; i -= 1) {
    const x = xs[i];
    if (x !== undefined && p(x)) return i;
  }
  return -1;
};

/**
 * V4–V7 written out declaratively over the event list, by positions in it:
 * - archived: the last of {archived, unarchived, a message in or out} is an archive (V5);
 * - the read events that count for a viewer: their own with B3 on, everyone's with B3 off (V7);
 * - marked unread: a counting mark-unread comes after both the last outbound and the last counting read;
 * - read position: the highest `upToSeq` of the counting reads;
 * - unread count (V6): the inbound messages after the last outbound, all of them when marked unread, else
 *   those beyond the read position;
 * - folder (V4): archived, else unread (count > 0 or marked), else replied (last message outbound), else read.
 */
export const referenceView = (
  events: ReadonlyArray<ConversationEvent>,
  viewerId: StaffId,
  individual: boolean,
  options: { readonly ignoreArchive?: boolean } = {},
): ReferenceView => {
  const archiveIdx = lastIndex(events, (e) => e.type === 'ConversationArchived');
  const leaveArchiveIdx = lastIndex(
    events,
    (e) => e.type === 'ConversationUnarchived' || e.type === 'InboundReceived' || e.type === 'OutboundSent',
  );
  const archived = options.ignoreArchive !== true && archiveIdx > leaveArchiveIdx;

  const counts = (e: ConversationEvent): boolean =>
    (e.type === 'ConversationRead' || e.type === 'ConversationMarkedUnread') && (!individual || e.data.staffId === viewerId);
  const lastOutboundIdx = lastIndex(events, (e) => e.type === 'OutboundSent');
  const lastReadIdx = lastIndex(events, (e) => e.type === 'ConversationRead' && counts(e));
  const lastMarkIdx = lastIndex(events, (e) => e.type === 'ConversationMarkedUnread' && counts(e));
  const markedUnread = lastMarkIdx > lastOutboundIdx && lastMarkIdx > lastReadIdx;
  const readPosition = Math.max(0, ...events.map((e) => (e.type === 'ConversationRead' && counts(e) ? e.data.upToSeq : 0)));

  const inboundAfterLastOutbound = events.flatMap((e, i) => (e.type === 'InboundReceived' && i > lastOutboundIdx ? [e.data.seq] : []));
  const unreadCount = markedUnread ? inboundAfterLastOutbound.length : inboundAfterLastOutbound.filter((seq) => seq > readPosition).length;

  const messages = events.filter((e) => e.type === 'InboundReceived' || e.type === 'OutboundSent');
  const last = messages[messages.length - 1];
  const folder: Folder = archived
    ? 'archived'
    : markedUnread || unreadCount > 0
      ? 'unread'
      : last !== undefined && last.type === 'OutboundSent'
        ? 'replied'
        : 'read';
  return { folder, unreadCount };
};

// ---------------------------------------------------------------------------------------------- specs

/** The events the real decider records for these commands, in order: the `given` of a readable spec. */
export const recorded = (...commands: ReadonlyArray<ConversationCommand>): ReadonlyArray<ConversationEvent> => {
  const events: ConversationEvent[] = [];
  let state = initial;
  for (const command of commands) {
    const decided = step(state, command);
    events.push(...decided.events);
    state = decided.state;
  }
  return events;
};
