/**
 * Generated worlds for the read-model properties: two businesses, a few clients each (accented names,
 * phones from several countries, changing profiles), strangers texting in, staff and automations sending,
 * reads, mark-unread, archive/mute/pin, delivery callbacks, B3 switches and plan changes — every command
 * decided by the real deciders, so every history is one the Message Center could have written.
 */
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  BusinessId,
  ClientId,
  CountryCode,
  Media,
  MessageId,
  NonNegativeInt,
  ProviderMessageId,
  SEND_PERMISSION,
  StaffId,
  timestampFromMillis,
  type Actor,
  type ClientProfile,
  type ConversationId,
  type DeliveryStatus,
  type E164,
  type StaffActor,
  type Timestamp,
  PERMISSIONS,
} from '@message-center/core';
import type { ConversationState } from '@message-center/core/internals';
import {
  billingPeriodOf,
  businessDecider,
  businessStream,
  clientDecider,
  clientStream,
  conversationDecider,
  conversationStream,
  telConversationId,
  type BusinessState,
  type ClientState,
  type ConversationCommand,
  type ConversationEvent,
  type DomainEvent,
  type EventEnvelope,
} from '@message-center/core/internals';
import { mobileArb } from '@message-center/testing';

export const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};

export const B1 = must(BusinessId.is, 'b1');
// A dash in the id: its stream names escape it (mc-conversation-b%2D2-c1), and read models must read them right.
export const B2 = must(BusinessId.is, 'b-2');
export const BUSINESSES: ReadonlyArray<BusinessId> = [B1, B2];
const BUSINESS_NUMBERS: ReadonlyArray<string> = ['+12015550123', '+12015550124'];
export const C1 = must(ClientId.is, 'c1');
export const CLIENTS: ReadonlyArray<ClientId> = [C1, ...['c2', 'c3', 'c4', 'c-5'].map((c) => must(ClientId.is, c))];
export const S1 = must(StaffId.is, 's1');
export const STAFF: ReadonlyArray<StaffId> = [S1, must(StaffId.is, 's2'), must(StaffId.is, 's3')];
const US = must(CountryCode.is, 'US');

/** Staff who may read the inbox (B0: `send-email-sms`) and the usage (`manage-message-center`). */
export const viewerOf = (businessId: BusinessId, staffId: StaffId): StaffActor => ({ kind: 'staff', businessId, staffId, permissions: [SEND_PERMISSION, PERMISSIONS.manageMessageCenter] });

export const NAMES = ['Zoë Ørsted', 'José García', "Anne-Marie O'Brien", 'Ray Smith', 'Łukasz Nowak', 'Smithers Jones', 'Ann Lee'];
export const TYPES = ['member', 'guest', 'vip'];
export const GROUPS = ['yoga', 'spin', 'kids'];
export const LOCATIONS = ['Downtown', 'Harbor'];
export const BODIES = [
  'Your appointment is confirmed for Monday at 10:00.',
  'Can I reschedule to Tuesday?',
  'Running 5 minutes late, sorry!',
  'Merci beaucoup, à bientôt',
  'STOP',
  'start',
  'See you then 👍',
  'x'.repeat(120),
  'Balance due: $45.00 — reply YES to pay',
];

const media = (contentType: string, n: number): Media =>
  must(Media.is, { url: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages/MM${'1'.repeat(32)}/Media/ME${String(n).padStart(32, '0')}`, contentType });
/** V2 (issue 13): what an inbound message carries besides its text: mostly nothing; sometimes photos or a file, with text or alone. */
export const INBOUND_MEDIA: ReadonlyArray<{ readonly mediaOnly: boolean; readonly media: ReadonlyArray<Media> }> = [
  { mediaOnly: false, media: [] },
  { mediaOnly: false, media: [media('image/jpeg', 1)] },
  { mediaOnly: true, media: [media('image/jpeg', 2)] },
  { mediaOnly: true, media: [media('image/png', 3), media('image/gif', 4)] },
  { mediaOnly: true, media: [media('application/pdf', 5)] },
  { mediaOnly: true, media: [media('image/jpeg', 6), media('video/mp4', 7), media('text/vcard', 8)] },
];

/**
 * The preview of a message as docs/decisions.md ("MMS (issue 13)") states the rule, written out for the
 * read-model tests: the first 100 characters of its text when it has any; for media alone, 📷 when every
 * file is an image, else 📎, with the count when there are several.
 */
export const expectedPreviewText = (body: string, media: ReadonlyArray<Media>): string => {
  if (media.length === 0 || body.trim() !== '') return Array.from(body).slice(0, 100).join('');
  const images = media.filter((m) => m.contentType.toLowerCase().startsWith('image/')).length;
  if (images === media.length) return media.length === 1 ? '📷 Photo' : `📷 ${media.length} photos`;
  return media.length === 1 ? '📎 Attachment' : `📎 ${media.length} attachments`;
};

type Target = { readonly kind: 'client'; readonly index: number } | { readonly kind: 'stranger'; readonly index: number };
type Toggle = 'Archive' | 'Unarchive' | 'Mute' | 'Unmute' | 'Pin' | 'Unpin';

export type WorldCommand =
  | {
      readonly kind: 'profile';
      readonly business: number;
      readonly client: number;
      readonly name: number;
      readonly email: boolean;
      readonly phone: 'own' | 'other' | 'none';
      readonly type: number;
      readonly groups: ReadonlyArray<number>;
      readonly location: number | null;
    }
  | { readonly kind: 'send'; readonly business: number; readonly target: Target; readonly staff: number | null; readonly body: number }
  | { readonly kind: 'inbound'; readonly business: number; readonly target: Target; readonly body: number; readonly media: number }
  | { readonly kind: 'dispatch'; readonly business: number; readonly target: Target; readonly pick: number; readonly outcome: 'ok' | 'fail' | '21610' }
  | { readonly kind: 'status'; readonly business: number; readonly target: Target; readonly pick: number; readonly status: DeliveryStatus }
  | { readonly kind: 'read'; readonly business: number; readonly target: Target; readonly staff: number; readonly unread: boolean }
  | { readonly kind: 'toggle'; readonly business: number; readonly target: Target; readonly staff: number; readonly toggle: Toggle }
  | { readonly kind: 'b3'; readonly business: number; readonly on: boolean }
  | { readonly kind: 'plan'; readonly business: number; readonly limit: number; readonly overage: 'refuse' | 'allow' };

// Most commands go to a few conversations, so each one lives through many steps.
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 2 }).map((index): Target => ({ kind: 'client', index })) },
  { weight: 2, arbitrary: fc.nat({ max: CLIENTS.length - 1 }).map((index): Target => ({ kind: 'client', index })) },
  { weight: 1, arbitrary: fc.nat({ max: 1 }).map((index): Target => ({ kind: 'stranger', index })) },
);
const businessArb = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: BUSINESSES.length - 1 }) });
const staffArb = fc.nat({ max: STAFF.length - 1 });

export const worldCommandArb: fc.Arbitrary<WorldCommand> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('profile' as const),
      business: businessArb,
      client: fc.nat({ max: CLIENTS.length - 1 }),
      name: fc.nat({ max: NAMES.length - 1 }),
      email: fc.boolean(),
      phone: fc.constantFrom('own' as const, 'own' as const, 'own' as const, 'other' as const, 'none' as const),
      type: fc.nat({ max: TYPES.length - 1 }),
      groups: fc.subarray([0, 1, 2]),
      location: fc.option(fc.nat({ max: LOCATIONS.length - 1 }), { nil: null }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      business: businessArb,
      target: targetArb,
      staff: fc.option(staffArb, { nil: null, freq: 4 }),
      body: fc.nat({ max: BODIES.length - 1 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('inbound' as const),
      business: businessArb,
      target: targetArb,
      body: fc.nat({ max: BODIES.length - 1 }),
      media: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: INBOUND_MEDIA.length - 1 }) }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('dispatch' as const),
      business: businessArb,
      target: targetArb,
      pick: fc.nat(),
      outcome: fc.constantFrom('ok' as const, 'ok' as const, 'ok' as const, 'fail' as const, '21610' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      business: businessArb,
      target: targetArb,
      pick: fc.nat(),
      status: fc.constantFrom<DeliveryStatus>('sent', 'delivered', 'undelivered', 'failed', 'read', 'queued'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('read' as const), business: businessArb, target: targetArb, staff: staffArb, unread: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('toggle' as const),
      business: businessArb,
      target: targetArb,
      staff: staffArb,
      toggle: fc.constantFrom<Toggle>('Archive', 'Unarchive', 'Mute', 'Unmute', 'Pin', 'Unpin'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('b3' as const), business: businessArb, on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('plan' as const),
      business: businessArb,
      limit: fc.integer({ min: 0, max: 8 }),
      overage: fc.constantFrom('refuse' as const, 'allow' as const),
    }),
  },
);

export interface ConversationFacts {
  readonly streamId: string;
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly state: ConversationState;
  readonly events: ReadonlyArray<ConversationEvent>;
}

export interface World {
  readonly log: ReadonlyArray<EventEnvelope>;
  readonly individual: ReadonlyMap<BusinessId, boolean>;
  readonly conversations: ReadonlyMap<string, ConversationFacts>;
  readonly profiles: ReadonlyMap<string, ClientProfile>;
  /** Events of each client's two streams, in log order (for the contact history). */
  readonly clientEvents: (businessId: BusinessId, clientId: ClientId) => ReadonlyArray<DomainEvent>;
  readonly phones: ReadonlyArray<ReadonlyArray<E164>>;
  readonly strangers: ReadonlyArray<E164>;
}

export const profileKey = (businessId: BusinessId, clientId: ClientId): string => `${businessId}\u0000${clientId}`;

export interface Setup {
  /** Per business, per client: the phone the client normally has. */
  readonly phones: ReadonlyArray<ReadonlyArray<E164>>;
  readonly strangers: ReadonlyArray<E164>;
  readonly individual: ReadonlyArray<boolean>;
  /** Minutes between commands: 0 gives equal times (ties in the inbox order). */
  readonly gaps: ReadonlyArray<number>;
  readonly late: ReadonlyArray<boolean>;
}

/** Runs world commands through the deciders, in order, recording every accepted event in one log. */
export const runWorld = (commands: ReadonlyArray<WorldCommand>, setup: Setup, clients: ReadonlyArray<ClientId> = CLIENTS): World => {
  const log: EventEnvelope[] = [];
  const businessStates = new Map<BusinessId, BusinessState>();
  const clientStates = new Map<string, ClientState>();
  const conversations = new Map<string, ConversationFacts>();
  const usage = new Map<string, number>();
  let messageCounter = 0;
  let clock = Date.UTC(2026, 0, 28, 9, 0);
  let at: Timestamp = timestampFromMillis(clock);

  const append = (streamId: string, events: ReadonlyArray<DomainEvent>, businessId: BusinessId): void => {
    for (const event of events) {
      const n = BigInt(log.length + 1);
      const revision = BigInt(log.filter((e) => e.streamId === streamId).length);
      log.push({ streamId, revision, position: { commit: n, prepare: n }, event });
      if (event.type === 'InboundReceived' || event.type === 'OutboundSent') {
        const key = `${businessId}|${billingPeriodOf(event.data.at)}`;
        usage.set(key, (usage.get(key) ?? 0) + 1);
      }
    }
  };

  BUSINESSES.forEach((businessId, i) => {
    const decision = businessDecider.decide(
      {
        type: 'EnableMessageCenter',
        businessId,
        actor: { kind: 'host', businessId },
        country: US,
        number: BUSINESS_NUMBERS[i] ?? '',
        heldByAccount: true,
        allotment: { messagesPerPeriod: must(NonNegativeInt.is, 1000), overage: 'refuse' },
        individualReadStatus: setup.individual[i] ?? false,
        at,
      },
      businessDecider.initialState,
    );
    if (E.isLeft(decision)) throw new Error(decision.left.message);
    businessStates.set(businessId, businessDecider.fold(businessDecider.initialState, decision.right));
    append(businessStream(businessId), decision.right, businessId);
  });

  const conversationOf = (businessId: BusinessId, target: Target): { conversationId: ConversationId; clientId: ClientId | null; phone: E164 | null } | null => {
    if (target.kind === 'stranger') {
      const phone = setup.strangers[target.index];
      const id = phone === undefined ? null : telConversationId(phone);
      return phone === undefined || id === null ? null : { conversationId: id, clientId: null, phone };
    }
    const clientId = clients[target.index];
    if (clientId === undefined) return null;
    const profile = clientStates.get(profileKey(businessId, clientId))?.profile ?? null;
    if (profile === null) return null;
    return { conversationId: clientId, clientId, phone: profile.cellPhone.e164 };
  };

  const runConversation = (businessId: BusinessId, conversationId: ConversationId, command: (s: ConversationState) => ConversationCommand | null): void => {
    const streamId = conversationStream(businessId, conversationId);
    const facts = conversations.get(streamId);
    const state = facts?.state ?? conversationDecider.initialState;
    const c = command(state);
    if (c === null) return;
    const decision = conversationDecider.decide(c, state);
    if (E.isLeft(decision) || decision.right.length === 0) return;
    conversations.set(streamId, {
      streamId,
      businessId,
      conversationId,
      state: conversationDecider.fold(state, decision.right),
      events: [...(facts?.events ?? []), ...decision.right],
    });
    append(streamId, decision.right, businessId);
  };

  const newMessageId = (): MessageId => must(MessageId.is, `m${(messageCounter += 1)}`);
  const outboundIds = (s: ConversationState): ReadonlyArray<MessageId> => [...s.outbound.keys()];

  commands.forEach((command, step) => {
    clock += (setup.gaps[step % setup.gaps.length] ?? 1) * 60_000;
    at = timestampFromMillis(clock);
    const businessId = BUSINESSES[command.business] ?? BUSINESSES[0];
    if (businessId === undefined) return;
    const business = businessStates.get(businessId)?.enabled ?? null;
    if (business === null) return;
    switch (command.kind) {
      case 'profile': {
        const clientId = clients[command.client];
        if (clientId === undefined) return;
        const own = setup.phones[command.business]?.[command.client] ?? null;
        const other = setup.strangers[0] ?? null;
        const name = NAMES[command.name] ?? 'Nobody';
        const key = profileKey(businessId, clientId);
        const state = clientStates.get(key) ?? clientDecider.initialState;
        const decision = clientDecider.decide(
          {
            type: 'RecordClient',
            businessId,
            actor: { kind: 'host', businessId },
            clientId,
            uid: `UID-${command.client}${command.business}`,
            name,
            email: command.email ? `${name.split(' ')[0]?.toLowerCase() ?? 'x'}.${clientId}@example.com` : null,
            cellPhone: command.phone === 'own' ? own : command.phone === 'other' ? other : null,
            clientType: TYPES[command.type] ?? '',
            groups: command.groups.map((g) => GROUPS[g] ?? 'none'),
            homeLocation: command.location === null ? null : (LOCATIONS[command.location] ?? null),
            defaultCountry: US,
            at,
          },
          state,
        );
        if (E.isLeft(decision)) return;
        clientStates.set(key, clientDecider.fold(state, decision.right));
        append(clientStream(businessId, clientId), decision.right, businessId);
        return;
      }
      case 'send': {
        const target = conversationOf(businessId, command.target);
        if (target === null) return;
        const staffId = command.staff === null ? null : STAFF[command.staff];
        const actor: Actor =
          staffId === null || staffId === undefined
            ? { kind: 'automation', businessId, name: 'appointment-reminder' }
            : { kind: 'staff', businessId, staffId, permissions: [SEND_PERMISSION] };
        const used = usage.get(`${businessId}|${billingPeriodOf(at)}`) ?? 0;
        runConversation(businessId, target.conversationId, () => ({
          type: 'SendMessage',
          businessId,
          conversationId: target.conversationId,
          actor,
          messageId: newMessageId(),
          body: BODIES[command.body] ?? 'hello',
          context: {
            business: { number: business.number, allotment: business.allotment, usedInPeriod: used },
            recipient: { phoneOptedOut: null, clientId: target.clientId, phone: target.phone, problem: target.phone === null ? 'no cell phone' : null },
          },
          claim: null,
          at,
        }));
        return;
      }
      case 'inbound': {
        const target = conversationOf(businessId, command.target);
        if (target === null || target.phone === null) return;
        const phone = target.phone;
        const id = (messageCounter += 1);
        // A provider may deliver a message late: its time is when it was received, before "now".
        const receivedAt = setup.late[step % setup.late.length] === true ? timestampFromMillis(clock - 30 * 60_000) : at;
        const attached = INBOUND_MEDIA[command.media] ?? { mediaOnly: false, media: [] };
        runConversation(businessId, target.conversationId, () => ({
          type: 'ReceiveInbound',
          businessId,
          conversationId: target.conversationId,
          clientId: target.clientId,
          messageId: must(MessageId.is, `in${id}`),
          providerMessageId: must(ProviderMessageId.is, `SMin${id}`),
          from: phone,
          to: business.number,
          body: attached.mediaOnly ? '' : (BODIES[command.body] ?? 'hi'),
          media: attached.media,
          optOutType: null,
          at: receivedAt,
        }));
        return;
      }
      case 'dispatch': {
        const target = conversationOf(businessId, command.target);
        if (target === null) return;
        runConversation(businessId, target.conversationId, (s) => {
          const ids = outboundIds(s);
          const messageId = ids[command.pick % Math.max(1, ids.length)];
          if (messageId === undefined) return null;
          const base = { businessId, conversationId: target.conversationId, messageId, at };
          return command.outcome === 'ok'
            ? { type: 'RecordDispatched', ...base, providerMessageId: must(ProviderMessageId.is, `SM-${messageId}`), status: 'queued' }
            : {
                type: 'RecordDispatchFailed',
                ...base,
                reason: command.outcome === '21610' ? 'recipient-unsubscribed' : 'invalid-number',
                providerCode: command.outcome === '21610' ? 21610 : 21211,
                message: 'refused',
              };
        });
        return;
      }
      case 'status': {
        const target = conversationOf(businessId, command.target);
        if (target === null) return;
        runConversation(businessId, target.conversationId, (s) => {
          const dispatched = [...s.outbound.values()].flatMap((d) => (d.providerMessageId === null ? [] : [d.providerMessageId]));
          const providerMessageId = dispatched[command.pick % Math.max(1, dispatched.length)];
          if (providerMessageId === undefined) return null;
          return {
            type: 'RecordDeliveryStatus',
            businessId,
            conversationId: target.conversationId,
            providerMessageId,
            status: command.status,
            errorCode: command.status === 'undelivered' ? 30003 : null,
            at,
          };
        });
        return;
      }
      case 'read':
      case 'toggle': {
        const target = conversationOf(businessId, command.target);
        const staffId = STAFF[command.staff];
        if (target === null || staffId === undefined) return;
        const actor: StaffActor = { kind: 'staff', businessId, staffId, permissions: [SEND_PERMISSION] };
        const type = command.kind === 'read' ? (command.unread ? 'MarkUnread' : 'MarkRead') : command.toggle;
        runConversation(businessId, target.conversationId, () => ({ type, businessId, conversationId: target.conversationId, actor, at }));
        return;
      }
      case 'b3':
      case 'plan': {
        const state = businessStates.get(businessId) ?? businessDecider.initialState;
        const decision = businessDecider.decide(
          command.kind === 'b3'
            ? { type: 'SetIndividualReadStatus', businessId, actor: { kind: 'host', businessId }, individual: command.on, at }
            : { type: 'ChangePlan', businessId, actor: { kind: 'host', businessId }, allotment: { messagesPerPeriod: must(NonNegativeInt.is, command.limit), overage: command.overage }, at },
          state,
        );
        if (E.isLeft(decision)) return;
        businessStates.set(businessId, businessDecider.fold(state, decision.right));
        append(businessStream(businessId), decision.right, businessId);
        return;
      }
    }
  });

  const profiles = new Map<string, ClientProfile>();
  for (const [key, s] of clientStates) if (s.profile !== null) profiles.set(key, s.profile);
  return {
    log,
    individual: new Map(BUSINESSES.map((b) => [b, businessStates.get(b)?.enabled?.individualReadStatus ?? false])),
    conversations,
    profiles,
    clientEvents: (businessId, clientId) => {
      const streams = new Set([clientStream(businessId, clientId), conversationStream(businessId, clientId)]);
      return log.filter((e) => streams.has(e.streamId)).map((e) => e.event);
    },
    phones: setup.phones,
    strangers: setup.strangers,
  };
};

const setupArb: fc.Arbitrary<Setup> = fc.record({
  phones: fc.tuple(
    fc.uniqueArray(mobileArb(), { minLength: CLIENTS.length, maxLength: CLIENTS.length }),
    fc.uniqueArray(mobileArb(), { minLength: CLIENTS.length, maxLength: CLIENTS.length }),
  ),
  strangers: fc.uniqueArray(mobileArb(), { minLength: 2, maxLength: 2 }),
  individual: fc.tuple(fc.boolean(), fc.boolean()),
  gaps: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(60 * 24 * 9) }), {
    minLength: 1,
    maxLength: 8,
  }),
  late: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { minLength: 1, maxLength: 8 }),
});

/** A generated world: clients are recorded first more often than not, so conversations have profiles. */
export const worldArb = (maxCommands = 70): fc.Arbitrary<World> =>
  fc
    .tuple(setupArb, fc.array(worldCommandArb, { minLength: Math.min(30, maxCommands), maxLength: maxCommands, size: '+1' }), fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }))
    .map(([setup, commands, profilesFirst]) => {
      const intro: WorldCommand[] = profilesFirst
        ? BUSINESSES.flatMap((_, business) =>
            CLIENTS.map((__, client): WorldCommand => ({
              kind: 'profile',
              business,
              client,
              name: (client + business) % NAMES.length,
              email: client % 2 === 0,
              phone: 'own',
              type: client % TYPES.length,
              groups: [client % GROUPS.length],
              location: client % 3 === 0 ? null : client % LOCATIONS.length,
            })),
          )
        : [];
      return runWorld([...intro, ...commands], setup);
    });

/** Splits a log into consecutive batches at the given cut points (for replay = incremental). */
export const splitAt = <A>(xs: ReadonlyArray<A>, cuts: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<A>> => {
  const points = [...new Set(cuts.map((c) => c % (xs.length + 1)))].sort((a, b) => a - b);
  const batches: A[][] = [];
  let from = 0;
  for (const p of [...points, xs.length]) {
    batches.push(xs.slice(from, p));
    from = p;
  }
  return batches;
};

export const cutsArb = fc.array(fc.nat(), { maxLength: 6 });
