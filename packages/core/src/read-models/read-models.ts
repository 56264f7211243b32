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

/** Inbox, alerts, usage and the client finder folded together from one catch-up, so they always agree on a position. */
export const readModelsProjection = (options: { readonly alertRetention?: number } = {}): Projection<ReadModels> => {
  const retain = options.alertRetention ?? DEFAULT_ALERT_RETENTION;
  return {
    name: 'message-center',
    initial: { inbox: emptyInbox, alerts: emptyAlerts, usage: emptyUsage, clients: emptyClientFinder },
    fold: (state, batch) =>
      batch.length === 0
        ? state
        : {
            inbox: foldInbox(state.inbox, batch),
            alerts: foldAlerts(state.alerts, batch, retain),
            usage: foldUsage(state.usage, batch),
            clients: foldClientFinder(state.clients, batch),
          },
  };
};
