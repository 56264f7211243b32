import { foldAlerts, emptyAlerts, DEFAULT_ALERT_RETENTION, type AlertsState } from './alerts.js';
import { emptyClientFinder, foldClientFinder, type ClientFinderState } from './client-finder.js';
import { emptyInbox, foldInbox, type InboxState } from './inbox.js';
import type { Projection } from './projection.js';
import { emptyUsage, foldUsage, type UsageState } from './usage.js';

/** The read models the facade queries (contact history is folded per client on demand). */
export interface ReadModels {
  readonly inbox: InboxState;
  readonly alerts: AlertsState;
  readonly usage: UsageState;
  /** Every client of every business, for `findClients` (the To: picker). */
  readonly clients: ClientFinderState;
}

/** Which read models a projection keeps; one left out stays empty (another store answers for it). */
export interface ReadModelParts {
  readonly inbox: boolean;
  readonly usage: boolean;
  readonly alerts: boolean;
  readonly clients: boolean;
}

export const ALL_READ_MODELS: ReadModelParts = { inbox: true, usage: true, alerts: true, clients: true };

/**
 * Inbox, alerts, usage and the client finder folded together from one catch-up, so they always agree on a
 * position; `parts` leaves out those a shared read-model store answers (the facade's `readModelStore`), so
 * a host whose inbox lives in a database neither folds nor keeps it.
 */
export const readModelsProjection = (options: { readonly alertRetention?: number; readonly parts?: ReadModelParts } = {}): Projection<ReadModels> => {
  const retain = options.alertRetention ?? DEFAULT_ALERT_RETENTION;
  const parts = options.parts ?? ALL_READ_MODELS;
  return {
    name: 'message-center',
    initial: { inbox: emptyInbox, alerts: emptyAlerts, usage: emptyUsage, clients: emptyClientFinder },
    fold: (state, batch) =>
      batch.length === 0
        ? state
        : {
            inbox: parts.inbox ? foldInbox(state.inbox, batch) : state.inbox,
            alerts: parts.alerts ? foldAlerts(state.alerts, batch, retain) : state.alerts,
            usage: parts.usage ? foldUsage(state.usage, batch) : state.usage,
            clients: parts.clients ? foldClientFinder(state.clients, batch) : state.clients,
          },
  };
};
