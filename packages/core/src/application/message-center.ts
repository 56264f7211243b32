import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import { authorize, COMMAND_OPERATION, type Operation } from '../domain/authorization.js';
import type { Actor, BusinessActor } from '../domain/actor.js';
import { businessDecider } from '../domain/business/decider.js';
import type { BusinessCommand } from '../domain/business/commands.js';
import { numberDecider } from '../domain/number/decider.js';
import { NumberEvent } from '../domain/number/events.js';
import { BusinessEvent } from '../domain/business/events.js';
import type { BusinessState, EnabledBusiness } from '../domain/business/state.js';
import { clientDecider } from '../domain/client/decider.js';
import type { ClientState } from '../domain/client/state.js';
import { ClientEvent } from '../domain/client/events.js';
import type { ConversationCommand, SendContext } from '../domain/conversation/commands.js';
import { conversationDecider } from '../domain/conversation/decider.js';
import { ConversationEvent, telConversationId, type ConversationId, type DeliveryStatus } from '../domain/conversation/events.js';
import type { ConversationState, OutboundDelivery, SubscriptionStatus } from '../domain/conversation/state.js';
import type { DomainError } from '../domain/errors.js';
import { billingPeriodOf } from '../domain/policies/allotment.js';
import { isDeliveryStatus } from '../domain/policies/delivery-status.js';
import { folderFor, unreadCountFor, type Folder } from '../domain/policies/folder.js';
import { businessAddress, clientAddress, conversationAddress, conversationStream, numberAddress, streamName, type StreamAddress } from '../domain/streams.js';
import { BusinessId, ClientId, MessageId, type ProviderMessageId, type StaffId } from '../domain/values/ids.js';
import { E164, parseCellPhone, parsePhone, describePhoneProblem } from '../domain/values/phone-number.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import { clientsWithPhone, outboxKey, pendingMessages, usageIn, type Directory, type PendingOutbound } from '../read-models/directory.js';
import { createStateCache, decodeOwnEvent, executeCommand, loadAggregate, type Aggregate } from './command-handler.js';
import { createDirectoryFeed, type UnknownEventPolicy } from './directory-feed.js';
import { createProjectionRunner } from './projections.js';
import { readModelsProjection, type ReadModels } from '../read-models/read-models.js';
import { inboxPage, unreadBadge, type InboxPage } from '../read-models/inbox-query.js';
import { alertsAfter, newAlerts, type Alert, type AlertsPage } from '../read-models/alerts.js';
import { usageOfPeriod, type PeriodUsage } from '../read-models/usage.js';
import { contactHistoryOf, type ContactHistoryView } from '../read-models/contact-history.js';
import { DomainEvent } from '../domain/events.js';
import { makeEventDecoder, type Upcaster } from './event-codec.js';
import { internalError, type MessageCenterError } from './errors.js';
import { notAheadOf } from './input-grammar.js';
import type { ConversationView, DispatchReport, MessageCenter, MessageCenterOptions, ReceivedMessage, Result, SentMessage } from './message-center-api.js';
import * as In from './inputs.js';
import { systemClock, type Clock } from './ports/clock.js';
import { compareLogPositions, type EventStore, type RecordedEvent } from './ports/event-store.js';
import { randomIds, type IdGenerator } from './ports/id-generator.js';
import type { SmsTransport } from './ports/sms-transport.js';



const fromEither = <A>(e: E.Either<DomainError, A>): Result<A> => TE.fromEither(e);

/** Decodes a caller's input, then runs the use case; whatever it throws becomes `internal-error` (the facade never throws). */
const decoded =
  <A, O>(codec: t.Type<A, O, unknown>, value: unknown) =>
  <B>(f: (a: A) => Result<B>): Result<B> =>
  async () => {
    const input = In.decodeInput(codec, value);
    if (E.isLeft(input)) return input;
    try {
      return await f(input.right)();
    } catch (cause) {
      return E.left(internalError(cause));
    }
  };

const notEnabled: DomainError = { code: 'message-center-not-enabled', message: 'the Message Center is not enabled for this business' };

export const createMessageCenter = (options: MessageCenterOptions): MessageCenter => {
  const { store, transport } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const upcasters = options.upcasters ?? [];
  const maxAttempts = options.maxAttempts ?? 10;
  const cacheSize = options.cachedStates ?? 10_000;
  const deps = { store, ids };
  const directory = createDirectoryFeed(store, { unknownEvents: options.unknownEvents ?? 'fail', upcasters });
  const onAlert = options.onAlert;
  const createdAt = clock.now();
  const readModels = createProjectionRunner(store, readModelsProjection({ ...(options.alertRetention === undefined ? {} : { alertRetention: options.alertRetention }) }), {
    unknownEvents: options.unknownEvents ?? 'fail',
    upcasters,
    // A restarted facade folds the whole history on its first catch-up: only alerts recorded since this
    // facade was created are pushed, so staff are not notified again of old messages.
    ...(onAlert === undefined
      ? {}
      : { onUpdate: ({ state, previous }) => newAlerts(previous.alerts, state.alerts).forEach((a) => (a.at >= createdAt ? onAlert(a) : undefined)) }),
  });
  const decodeAny = makeEventDecoder(DomainEvent, upcasters);

  /** B0, asked before anything is read, claimed or appended; the deciders and read models ask again. */
  const allowed = (operation: Operation, actor: Actor | BusinessActor, businessId: BusinessId): Result<void> =>
    fromEither(E.map(() => undefined)(authorize(operation, actor, businessId)));

  /**
   * Every query is authorized first (a refusal reads nothing), then reads the read models after catching up,
   * so an answer includes every command that returned before it.
   */
  const query = <Q extends { readonly viewer: Actor | BusinessActor; readonly businessId: BusinessId }, A>(
    operation: Operation,
    q: Q,
    answer: (models: ReadModels, q: Q) => E.Either<DomainError, A>,
  ): Result<A> =>
    pipe(
      allowed(operation, q.viewer, q.businessId),
      TE.chain(() => readModels.catchUp()),
      TE.chain((models) => fromEither(answer(models, q))),
    );

  /**
   * R5: the client's profile stream and conversation stream, decoded, in the order they were written. Every
   * event is checked to belong to the stream it was read from, as every aggregate load is.
   */
  const clientEvents = (businessId: BusinessId, clientId: ClientId): Result<ReadonlyArray<DomainEvent>> => async () => {
    const addresses: ReadonlyArray<StreamAddress> = [clientAddress(businessId, clientId), conversationAddress(businessId, clientId)];
    const reads = await Promise.all(addresses.map(async (address) => ({ address, read: await store.readStream(streamName(address))() })));
    const recorded: Array<{ readonly address: StreamAddress; readonly r: RecordedEvent }> = [];
    for (const { address, read } of reads) {
      if (E.isLeft(read)) return read;
      for (const r of read.right) recorded.push({ address, r });
    }
    recorded.sort((a, b) => compareLogPositions(a.r.position, b.r.position));
    const events: DomainEvent[] = [];
    for (const { address, r } of recorded) {
      const event = decodeOwnEvent(address, r, decodeAny);
      if (E.isLeft(event)) return event;
      events.push(event.right);
    }
    return E.right(events);
  };

  const business: Aggregate<Parameters<typeof businessDecider.decide>[0], BusinessState, BusinessEvent> = {
    decider: businessDecider,
    decode: makeEventDecoder(BusinessEvent, upcasters),
    cache: createStateCache(cacheSize),
  };
  const client = { decider: clientDecider, decode: makeEventDecoder(ClientEvent, upcasters), cache: createStateCache<ClientState>(cacheSize) };
  const numbers = { decider: numberDecider, decode: makeEventDecoder(NumberEvent, upcasters) };
  const conversation: Aggregate<ConversationCommand, ConversationState, ConversationEvent> = {
    decider: conversationDecider,
    decode: makeEventDecoder(ConversationEvent, upcasters),
    cache: createStateCache(cacheSize),
  };

  const newMessageId = (key?: string): Result<MessageId> => {
    const id = key !== undefined && ids.uuidFromKey !== undefined ? ids.uuidFromKey(key) : ids.uuid();
    return MessageId.is(id) ? TE.right(id) : TE.left({ code: 'invalid-input', message: `the IdGenerator gave an unusable id ${JSON.stringify(id)}`, problems: [] });
  };

  const enabledBusiness = (businessId: BusinessId): Result<EnabledBusiness> =>
    pipe(
      loadAggregate(store, business, businessAddress(businessId)),
      TE.chain(({ state }) => (state.enabled === null ? TE.left(notEnabled) : TE.right(state.enabled))),
    );

  /**
   * B1/B2: a number serves one business at a time. The claim is an append to the number's own stream
   * with an expected revision, so of two businesses racing for a number exactly one wins.
   */
  const numberCommand = (type: 'AssignNumber' | 'ReleaseNumber', businessId: BusinessId, number: E164) =>
    executeCommand(deps, numbers, numberAddress(number), () => TE.right({ type, number, businessId, at: clock.now() }), { maxAttempts });

  /**
   * Decides a business command on the current state first (so a refusal claims nothing), claims the
   * number the decision moves to, then runs the command for real. Should the command lose a race after
   * the claim, the business keeps the claim and can retry with the same number.
   */
  const withNumberClaim = (
    businessId: BusinessId,
    command: () => BusinessCommand,
  ): Result<{ readonly state: BusinessState; readonly released: E164 | null }> =>
    pipe(
      loadAggregate(store, business, businessAddress(businessId)),
      TE.chain(({ state }) => fromEither(businessDecider.decide(command(), state))),
      TE.chain((events) => {
        const moved = events.flatMap((e): ReadonlyArray<{ readonly to: E164; readonly from: E164 | null }> =>
          e.type === 'MessageCenterEnabled'
            ? [{ to: e.data.number, from: null }]
            : e.type === 'BusinessNumberChanged'
              ? [{ to: e.data.number, from: e.data.previousNumber }]
              : [],
        )[0];
        return pipe(
          moved === undefined ? TE.right(undefined) : pipe(numberCommand('AssignNumber', businessId, moved.to), TE.map(() => undefined)),
          TE.chain(() => executeCommand(deps, business, businessAddress(businessId), () => TE.right(command()), { maxAttempts })),
          TE.chain(({ state, events: applied }): Result<{ readonly state: BusinessState; readonly released: E164 | null }> => {
            const previous = moved?.from ?? null;
            return previous === null || applied.length === 0
              ? TE.right({ state, released: null })
              : pipe(numberCommand('ReleaseNumber', businessId, previous), TE.map(() => ({ state, released: previous })));
          }),
        );
      }),
    );

  const runConversation = (
    businessId: BusinessId,
    conversationId: ConversationId,
    command: (state: ConversationState) => Result<ConversationCommand>,
    idempotencyKey?: string,
  ) =>
    executeCommand(deps, conversation, conversationAddress(businessId, conversationId), command, {
      maxAttempts,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });

  /** Hands one outbox entry to the transport and records what came of it. */
  const dispatchOne = (pending: PendingOutbound): Result<DeliveryStatus> => {
    if (transport === undefined) return TE.right('pending');
    return async () => {
      const sent = await transport.send({ messageId: pending.messageId, from: pending.from, to: pending.to, body: pending.body })();
      if (E.isLeft(sent) && sent.left.code === 'retryable') return E.right<MessageCenterError, DeliveryStatus>('pending');
      const at = clock.now();
      const base = { businessId: pending.businessId, conversationId: pending.conversationId, messageId: pending.messageId, at };
      const recorded = await runConversation(pending.businessId, pending.conversationId, () =>
        TE.right(
          E.isRight(sent)
            ? {
                type: 'RecordDispatched' as const,
                ...base,
                providerMessageId: sent.right.providerMessageId,
                status: isDeliveryStatus(sent.right.status) ? sent.right.status : 'queued',
              }
            : { type: 'RecordDispatchFailed' as const, ...base, reason: sent.left.code, providerCode: sent.left.providerCode, message: sent.left.message },
        ),
      )();
      return E.map(({ state }: { readonly state: ConversationState }) => state.outbound.get(pending.messageId)?.status ?? 'pending')(recorded);
    };
  };

  const conversationView = (state: ConversationState, viewer: StaffId, individual: boolean): E.Either<DomainError, ConversationView> => {
    const identity = state.identity;
    if (identity === null) return E.left({ code: 'conversation-not-found', message: 'there is no such conversation' });
    return E.right({
      businessId: identity.businessId,
      conversationId: identity.conversationId,
      clientId: identity.clientId,
      phone: identity.phone,
      folder: folderFor(state, viewer, individual),
      unreadCount: unreadCountFor(state, viewer, individual),
      archived: state.archived,
      pinned: state.pinned,
      muted: state.muted,
      subscription: state.subscription,
      messageCount: state.lastSeq,
      lastActivityAt: state.lastActivityAt,
      lastMessageDirection: state.lastOutboundSeq === state.lastSeq ? 'outbound' : 'inbound',
      deliveries: [...state.outbound].map(([messageId, d]) => ({ messageId, ...d })),
    });
  };

    const conversationAction =
    (type: 'Archive' | 'Unarchive' | 'Mute' | 'Unmute' | 'Pin' | 'Unpin') =>
    (input: In.ConversationActionInput): Result<void> =>
      decoded(In.ConversationActionInput, input)((i) =>
        pipe(
          allowed(COMMAND_OPERATION[type], i.actor, i.businessId),
          TE.chain(() => runConversation(i.businessId, i.conversationId, () =>
            TE.right({ type, businessId: i.businessId, conversationId: i.conversationId, actor: i.actor, at: clock.now() }),
          )),
          TE.map(() => undefined),
        ),
      );

  const readAction =
    (type: 'MarkRead' | 'MarkUnread') =>
    (input: In.StaffConversationActionInput): Result<void> =>
      decoded(In.StaffConversationActionInput, input)((i) =>
        pipe(
          allowed(COMMAND_OPERATION[type], i.actor, i.businessId),
          TE.chain(() => runConversation(i.businessId, i.conversationId, () =>
            TE.right({ type, businessId: i.businessId, conversationId: i.conversationId, actor: i.actor, at: clock.now() }),
          )),
          TE.map(() => undefined),
        ),
      );

  return {
    /** B1 */
    enableMessageCenter: (input: In.EnableMessageCenterInput): Result<{ readonly number: E164 }> =>
      decoded(In.EnableMessageCenterInput, input)((i) =>
        pipe(
          allowed('enableMessageCenter', i.actor, i.businessId),
          TE.chain(() =>
          withNumberClaim(i.businessId, () => ({
            type: 'EnableMessageCenter',
            businessId: i.businessId,
            actor: i.actor,
            country: i.country,
            number: i.number,
            allotment: i.allotment,
            individualReadStatus: i.individualReadStatus ?? false,
            at: clock.now(),
          })),
          ),
          TE.chain(({ state }) => (state.enabled === null ? TE.left(notEnabled) : TE.right({ number: state.enabled.number }))),
        ),
      ),

    /** B2: afterwards inbound SMS to the old number is refused as `number-retired`. */
    changeNumber: (input: In.ChangeNumberInput): Result<{ readonly number: E164 }> =>
      decoded(In.ChangeNumberInput, input)((i) =>
        pipe(
          allowed('changeNumber', i.actor, i.businessId),
          TE.chain(() =>
            withNumberClaim(i.businessId, () => ({ type: 'ChangeNumber', businessId: i.businessId, actor: i.actor, number: i.number, at: clock.now() })),
          ),
          TE.chain(({ state }) => (state.enabled === null ? TE.left(notEnabled) : TE.right({ number: state.enabled.number }))),
        ),
      ),

    /** B3 */
    setIndividualReadStatus: (input: In.SetIndividualReadStatusInput): Result<void> =>
      decoded(In.SetIndividualReadStatusInput, input)((i) =>
        pipe(
          allowed('setIndividualReadStatus', i.actor, i.businessId),
          TE.chain(() => executeCommand(
            deps,
            business,
            businessAddress(i.businessId),
            () => TE.right({ type: 'SetIndividualReadStatus' as const, businessId: i.businessId, actor: i.actor, individual: i.individual, at: clock.now() }),
            { maxAttempts },
          )),
          TE.map(() => undefined),
        ),
      ),

    /** B4 */
    changePlan: (input: In.ChangePlanInput): Result<void> =>
      decoded(In.ChangePlanInput, input)((i) =>
        pipe(
          allowed('changePlan', i.actor, i.businessId),
          TE.chain(() => executeCommand(
            deps,
            business,
            businessAddress(i.businessId),
            () => TE.right({ type: 'ChangePlan' as const, businessId: i.businessId, actor: i.actor, allotment: i.allotment, at: clock.now() }),
            { maxAttempts },
          )),
          TE.map(() => undefined),
        ),
      ),

    /** C1/C2: the phone is parsed in the business country; a client without a valid cell phone is recorded but cannot be messaged. */
    recordClient: (input: In.RecordClientInput): Result<{ readonly cellPhone: E164 | null; readonly phoneProblem: string | null }> =>
      decoded(In.RecordClientInput, input)((i) =>
        pipe(
          allowed('recordClient', i.actor, i.businessId),
          TE.chain(() => enabledBusiness(i.businessId)),
          TE.chain((b) =>
            executeCommand(
              deps,
              client,
              clientAddress(i.businessId, i.clientId),
              () =>
                TE.right({
                  type: 'RecordClient' as const,
                  businessId: i.businessId,
                  actor: i.actor,
                  clientId: i.clientId,
                  uid: i.uid,
                  name: i.name,
                  email: i.email ?? null,
                  cellPhone: i.cellPhone ?? null,
                  clientType: i.clientType ?? '',
                  groups: i.groups ?? [],
                  homeLocation: i.homeLocation ?? null,
                  defaultCountry: b.country,
                  at: clock.now(),
                }),
              { maxAttempts },
            ),
          ),
          TE.map(({ state }) => ({ cellPhone: state.profile?.cellPhone.e164 ?? null, phoneProblem: state.profile?.cellPhone.problem ?? null })),
        ),
      ),

    /** V1 (C3: one client per message); then the outbox entry is handed to the transport, if there is one. */
    sendMessage: (input: In.SendMessageInput): Result<SentMessage> =>
      decoded(In.SendMessageInput, input)((i) => {
        const conversationId = i.conversationId ?? i.clientId;
        if (conversationId === undefined || (i.conversationId !== undefined && i.clientId !== undefined && i.conversationId !== i.clientId))
          return TE.left({ code: 'invalid-input', message: 'name the conversation by clientId or by conversationId (one of them)', problems: ['clientId', 'conversationId'] });
        return pipe(
          allowed('sendMessage', i.actor, i.businessId),
          TE.chain(() => (i.messageId === undefined ? newMessageId() : TE.right(i.messageId))),
          TE.chain((messageId) =>
            pipe(
              // Facts of other streams are loaded before the conversation, outside its load→append window.
              TE.Do,
              TE.bind('business', () => loadAggregate(store, business, businessAddress(i.businessId))),
              TE.bind('recipient', () => recipientOf(i.businessId, conversationId)),
              TE.bind('directory', () => directory.catchUp()),
              TE.chain(({ business: b, recipient, directory: dir }) =>
                runConversation(
                  i.businessId,
                  conversationId,
                  () => {
                    const at = clock.now();
                    const enabled = b.state.enabled;
                    const used = usageIn(dir, i.businessId, billingPeriodOf(at));
                    const context: SendContext = {
                      business: enabled === null ? null : { number: enabled.number, allotment: enabled.allotment, usedInPeriod: used.inbound + used.outbound },
                      recipient,
                    };
                    return TE.right({ type: 'SendMessage' as const, businessId: i.businessId, conversationId, actor: i.actor, messageId, body: i.body, context, at });
                  },
                  `outbound:${i.businessId}:${messageId}`,
                ),
              ),
              TE.chain(({ state }) => {
                const delivery = state.outbound.get(messageId);
                const identity = state.identity;
                if (delivery === undefined || identity === null) return TE.left<MessageCenterError, SentMessage>({ code: 'message-not-found', message: `message ${messageId} was not recorded` });
                if (delivery.status !== 'pending' || delivery.providerMessageId !== null)
                  return TE.right({ conversationId, messageId, status: delivery.status });
                return pipe(
                  directory.catchUp(),
                  TE.chain((dir) => {
                    const pending = dir.pendingOutbound.get(outboxKey(conversationStream(i.businessId, conversationId), messageId));
                    return pending === undefined ? TE.right<MessageCenterError, DeliveryStatus>(delivery.status) : dispatchOne(pending);
                  }),
                  TE.map((status) => ({ conversationId, messageId, status })),
                );
              }),
            ),
          ),
        );
      }),

    /**
     * V2/V3 and B2: an SMS to a business number. Routed by the `to` number (a retired one is refused,
     * nothing appended), then to the client with that cell phone (several: the one last written to),
     * else to a conversation keyed by the number. A provider id seen before appends nothing.
     */
    receiveInbound: (input: In.ReceiveInboundInput): Result<ReceivedMessage> =>
      decoded(In.ReceiveInboundInput, input)((i) => {
        const timely = notAheadOf('receivedAt', i.receivedAt, clock.now());
        if (E.isLeft(timely)) return TE.left(timely.left);
        const to = parsePhone(i.to);
        const from = parsePhone(i.from);
        if (E.isLeft(to) || E.isLeft(from))
          return TE.left({
            code: 'invalid-input',
            message: `inbound SMS: ${E.isLeft(to) ? `to: ${describePhoneProblem(to.left)}` : ''}${E.isLeft(from) ? ` from: ${describePhoneProblem(from.left)}` : ''}`.trim(),
            problems: [...(E.isLeft(to) ? ['to'] : []), ...(E.isLeft(from) ? ['from'] : [])],
          });
        const toNumber = to.right.e164;
        const fromNumber = from.right.e164;
        return pipe(
          directory.catchUp(),
          TE.chain((dir) => {
            const owner = dir.numbers.get(toNumber);
            if (owner === undefined)
              return TE.left<MessageCenterError, { dir: Directory; businessId: BusinessId }>({ code: 'unknown-number', message: `${toNumber} is not the number of any business`, number: toNumber });
            if (!owner.current)
              return TE.left({ code: 'number-retired', message: `${toNumber} is no longer the business's number; the SMS is not delivered`, number: toNumber });
            return TE.right({ dir, businessId: owner.businessId });
          }),
          // With key-derived ids, the message id comes from the same key as the event ids: a racing
          // redelivery in another process that is acknowledged idempotently then reports the id stored.
          TE.bindW('messageId', ({ businessId }) => newMessageId(`message:inbound:${businessId}:${i.providerMessageId}`)),
          TE.chain(({ dir, businessId, messageId }) => {
            const clientId = chooseClient(dir, businessId, fromNumber);
            const conversationId = clientId ?? telConversationId(fromNumber);
            if (conversationId === null) return TE.left<MessageCenterError, ReceivedMessage>({ code: 'invalid-input', message: 'bad sender', problems: ['from'] });
            return pipe(
              runConversation(
                businessId,
                conversationId,
                () =>
                  TE.right({
                    type: 'ReceiveInbound' as const,
                    businessId,
                    conversationId,
                    clientId,
                    messageId,
                    providerMessageId: i.providerMessageId,
                    from: fromNumber,
                    to: toNumber,
                    body: i.body,
                    optOutType: i.optOutType ?? null,
                    at: i.receivedAt ?? clock.now(),
                  }),
                `inbound:${businessId}:${i.providerMessageId}`,
              ),
              TE.map(({ events, state }) => ({
                businessId,
                conversationId,
                messageId: state.seenInbound.get(i.providerMessageId) ?? messageId,
                duplicate: events.length === 0,
                subscription: state.subscription,
              })),
            );
          }),
        );
      }),

    /** V10: a status callback. An unknown provider id is refused with `message-not-found`, changing nothing. */
    recordDeliveryStatus: (input: In.RecordDeliveryStatusInput): Result<{ readonly status: DeliveryStatus; readonly changed: boolean }> =>
      decoded(In.RecordDeliveryStatusInput, input)((i) => {
        const status = i.status;
        if (!isDeliveryStatus(status) || status === 'pending')
          return TE.left({ code: 'invalid-input', message: `unknown delivery status ${JSON.stringify(status)}`, problems: ['status'] });
        return pipe(
          directory.catchUp(),
          TE.chain((dir) => {
            const streamId = dir.providerMessages.get(i.providerMessageId);
            const entry = streamId === undefined ? undefined : dir.conversations.get(streamId);
            if (entry === undefined)
              return TE.left<MessageCenterError, { readonly status: DeliveryStatus; readonly changed: boolean }>({
                code: 'message-not-found',
                message: `no outbound message has the provider id ${i.providerMessageId}`,
              });
            return pipe(
              runConversation(entry.businessId, entry.conversationId, () =>
                TE.right({
                  type: 'RecordDeliveryStatus' as const,
                  businessId: entry.businessId,
                  conversationId: entry.conversationId,
                  providerMessageId: i.providerMessageId,
                  status,
                  errorCode: i.errorCode ?? null,
                  at: clock.now(),
                }),
              ),
              TE.map(({ events, state }) => ({
                status: statusOf(state, i.providerMessageId),
                changed: events.length > 0,
              })),
            );
          }),
        );
      }),

    markRead: readAction('MarkRead'),
    markUnread: readAction('MarkUnread'),
    archive: conversationAction('Archive'),
    unarchive: conversationAction('Unarchive'),
    mute: conversationAction('Mute'),
    unmute: conversationAction('Unmute'),
    pin: conversationAction('Pin'),
    unpin: conversationAction('Unpin'),

    /** Hands every outbox entry that has not reached the transport yet to it (after a restart, or once a transport is configured). */
    dispatchPending: (): Result<DispatchReport> =>
      pipe(
        directory.catchUp(),
        TE.chain((dir) => async () => {
          const report = { dispatched: 0, failed: 0, retryLater: 0 };
          for (const pending of pendingMessages(dir)) {
            const result = await dispatchOne(pending)();
            if (E.isLeft(result)) return result;
            if (result.right === 'pending') report.retryLater += 1;
            else if (result.right === 'failed') report.failed += 1;
            else report.dispatched += 1;
          }
          return E.right(report);
        }),
      ),

    /** A conversation as one staff member sees it (V4–V9). */
    conversation: (query: In.ConversationQueryInput): Result<ConversationView> =>
      decoded(In.ConversationQueryInput, query)((q) =>
        pipe(
          allowed('conversation', q.viewer, q.businessId),
          TE.chain(() => enabledBusiness(q.businessId)),
          TE.chain((b) =>
            pipe(
              loadAggregate(store, conversation, conversationAddress(q.businessId, q.conversationId)),
              TE.chain(({ state }) => fromEither(conversationView(state, q.viewer.staffId, b.individualReadStatus))),
            ),
          ),
        ),
      ),

    /** R1–R3: one page of the inbox as a viewer sees it: a view, a search, filters, cursor paging. */
    inbox: (q: In.InboxQueryInput): Result<InboxPage> =>
      decoded(In.InboxQueryInput, q)((i) => query('inbox', i, (models) => inboxPage(models.inbox, i))),

    /** R4: unread inbound messages for the viewer across conversations, muted ones excluded. */
    unreadBadge: (q: In.BadgeQueryInput): Result<number> =>
      decoded(In.BadgeQueryInput, q)((i) => query('unreadBadge', i, (models) => unreadBadge(models.inbox, i))),

    /** R7: the business's alerts after a cursor, oldest first. */
    alerts: (q: In.AlertsQueryInput): Result<AlertsPage> =>
      decoded(In.AlertsQueryInput, q)((i) => query('alerts', i, (models) => alertsAfter(models.alerts, i))),

    /** R6 (B4): messages counted against the allotment in a billing period (default: the current one). */
    usage: (q: In.UsageQueryInput): Result<PeriodUsage> =>
      decoded(In.UsageQueryInput, q)((i) =>
        query('usage', i, (models) => usageOfPeriod(models.usage, { viewer: i.viewer, businessId: i.businessId, period: i.period ?? billingPeriodOf(clock.now()) })),
      ),

    /** R5: every message in and out with author and delivery status, and opt-out/opt-in changes; `asOf` a past moment. */
    contactHistory: (q: In.ContactHistoryQueryInput): Result<ContactHistoryView> =>
      decoded(In.ContactHistoryQueryInput, q)((i) =>
        pipe(
          fromEither(notAheadOf('asOf', i.asOf, clock.now())),
          TE.chain(() => allowed('contactHistory', i.viewer, i.businessId)),
          TE.chain(() => clientEvents(i.businessId, i.clientId)),
          TE.chain((events) => fromEither(contactHistoryOf(i, events))),
        ),
      ),

    /** Keeps the read models current from a catch-up subscription (alerts then arrive without a query). */
    startLive: (onError?: (error: MessageCenterError) => void): void =>
      readModels.startLive(onError === undefined ? {} : { onError }),
    stopLive: (): Promise<void> => readModels.stopLive(),

    /** How many events of unknown types read models have passed over (with `unknownEvents: 'skip'`). */
    skippedUnknownEvents: (): number => directory.skippedUnknown() + readModels.skippedUnknown(),
  };

  function recipientOf(businessId: BusinessId, conversationId: ConversationId): Result<SendContext['recipient']> {
    if (!ClientId.is(conversationId)) {
      // Only a valid mobile number (not premium-rate, toll-free or a landline), as for a client's cell phone (C2).
      const phone = parseCellPhone(conversationId.slice(4));
      return TE.right(E.isRight(phone) ? { clientId: null, phone: phone.right.e164, problem: null } : { clientId: null, phone: null, problem: describePhoneProblem(phone.left) });
    }
    const clientId = conversationId;
    return pipe(
      loadAggregate(store, client, clientAddress(businessId, clientId)),
      TE.chain(({ state }) =>
        state.profile === null
          ? TE.left<MessageCenterError, SendContext['recipient']>({ code: 'client-not-found', message: `no client ${clientId} in business ${businessId}` })
          : TE.right({ clientId, phone: state.profile.cellPhone.e164, problem: state.profile.cellPhone.problem }),
      ),
    );
  }
};


/** V2: several clients may share a phone (a family); the reply goes to the one last written to. */
const chooseClient = (dir: Directory, businessId: BusinessId, phone: E164): ClientId | null => {
  const candidates = clientsWithPhone(dir, businessId, phone);
  let best: ClientId | null = null;
  let bestAt = '';
  for (const clientId of [...candidates].sort()) {
    const at = dir.conversations.get(conversationStream(businessId, clientId))?.lastOutboundAt ?? '';
    if (best === null || at > bestAt) {
      best = clientId;
      bestAt = at;
    }
  }
  return best;
};


const statusOf = (state: ConversationState, providerMessageId: ProviderMessageId): DeliveryStatus => {
  const messageId = state.outboundByProvider.get(providerMessageId);
  return (messageId === undefined ? undefined : state.outbound.get(messageId)?.status) ?? 'pending';
};
