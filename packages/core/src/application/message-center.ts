/**
 * The composition root: `createMessageCenter` wires the ports, the aggregates and the two projections the
 * use cases share, then answers the `MessageCenter` interface with a table of use cases. Each use case
 * lives in `use-cases/` and is readable alone; the rules they apply live in `domain/`, the views they
 * answer with in `read-models/`.
 */
import { DomainEvent } from '../domain/events.js';
import { directoryProjection } from '../read-models/directory.js';
import { newAlerts } from '../read-models/alerts.js';
import { ALL_READ_MODELS, readModelsProjection } from '../read-models/read-models.js';
import { createAggregates } from './aggregates.js';
import { randomIds, systemClock } from './default-ports.js';
import { makeEventDecoder } from './event-codec.js';
import type { MessageCenter, MessageCenterOptions } from './message-center-api.js';
import { createProjectionRunner } from './projection-runner.js';
import { changeNumber, changePlan, enableMessageCenter, setIndividualReadStatus, suggestNumbers } from './use-cases/business.js';
import { readAction, toggle } from './use-cases/conversation-actions.js';
import type { Deps } from './use-cases/deps.js';
import { recordDeliveryStatus } from './use-cases/delivery-status.js';
import { alerts, contactHistory, conversation, findClients, inbox, unreadBadge, usage } from './use-cases/queries.js';
import { receiveInbound } from './use-cases/receive-inbound.js';
import { recordClient } from './use-cases/record-client.js';
import { dispatchPending } from './use-cases/dispatch.js';
import { sendMessage } from './use-cases/send-message.js';
import { checkOptions } from './options.js';
import { createInMemoryNumberProvisioning } from './in-memory-number-provisioning.js';
import { inMemoryReadModelStore } from './in-memory-read-model-store.js';

export const createMessageCenter = (options: MessageCenterOptions): MessageCenter => {
  const { store, onAlert } = options;
  const clock = options.clock ?? systemClock;
  const upcasters = options.upcasters ?? [];
  const unknownEvents = options.unknownEvents ?? 'fail';
  const createdAt = clock.now();
  const { transportTimeoutMs, dispatchLeaseMs, maxAttempts } = checkOptions(options);
  // With a shared read-model store, inbox, usage and alerts are its to answer: this process neither folds nor
  // keeps them (alerts only when `onAlert` wants them pushed as batches are folded here).
  const parts = options.readModelStore === undefined ? ALL_READ_MODELS : { ...ALL_READ_MODELS, inbox: false, usage: false, alerts: onAlert !== undefined };
  const readModels = createProjectionRunner(store, readModelsProjection({ parts, ...(options.alertRetention === undefined ? {} : { alertRetention: options.alertRetention }) }), {
    unknownEvents,
    upcasters,
    // A restarted facade folds the whole history on its first catch-up: only alerts recorded since this
    // facade was created are pushed, so staff are not notified again of old messages.
    ...(onAlert === undefined
      ? {}
      : { onUpdate: ({ state, previous }) => newAlerts(previous.alerts, state.alerts).forEach((a) => (a.at >= createdAt ? onAlert(a) : undefined)) }),
  });
  const deps: Deps = {
    store,
    transport: options.transport,
    numbers: options.numbers ?? createInMemoryNumberProvisioning(),
    transportTimeoutMs,
    dispatchLeaseMs,
    clock,
    ids: options.ids ?? randomIds,
    maxAttempts,
    aggregates: createAggregates(upcasters, options.cachedStates ?? 10_000),
    decodeEvent: makeEventDecoder(DomainEvent, upcasters),
    // Two projections on the one catch-up engine: the write side's lookups, caught up before the commands
    // that need them (cheap: no inbox indexing on the command path), and the read models behind queries.
    directory: createProjectionRunner(store, directoryProjection, { unknownEvents, upcasters }),
    readModels,
    readModelStore: options.readModelStore ?? inMemoryReadModelStore(readModels),
  };

  return {
    enableMessageCenter: enableMessageCenter(deps),
    changeNumber: changeNumber(deps),
    suggestNumbers: suggestNumbers(deps),
    setIndividualReadStatus: setIndividualReadStatus(deps),
    changePlan: changePlan(deps),
    recordClient: recordClient(deps),
    sendMessage: sendMessage(deps),
    dispatchPending: dispatchPending(deps),
    receiveInbound: receiveInbound(deps),
    recordDeliveryStatus: recordDeliveryStatus(deps),
    markRead: readAction('MarkRead')(deps),
    markUnread: readAction('MarkUnread')(deps),
    archive: toggle('Archive')(deps),
    unarchive: toggle('Unarchive')(deps),
    mute: toggle('Mute')(deps),
    unmute: toggle('Unmute')(deps),
    pin: toggle('Pin')(deps),
    unpin: toggle('Unpin')(deps),
    conversation: conversation(deps),
    inbox: inbox(deps),
    findClients: findClients(deps),
    unreadBadge: unreadBadge(deps),
    alerts: alerts(deps),
    usage: usage(deps),
    contactHistory: contactHistory(deps),
    startLive: (onError) => deps.readModels.startLive(onError === undefined ? {} : { onError }),
    stopLive: () => deps.readModels.stopLive(),
    skippedUnknownEvents: () => deps.directory.skippedUnknown() + deps.readModels.skippedUnknown(),
  };
};
