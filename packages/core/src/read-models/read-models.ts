import { foldAlerts, emptyAlerts, DEFAULT_ALERT_RETENTION, type AlertsState } from './alerts.js';
import { emptyInbox, foldInbox, type InboxState } from './inbox.js';
import type { Projection } from './projection.js';
import { emptyUsage, foldUsage, type UsageState } from './usage.js';

/** The read models the facade queries (contact history is folded per client on demand). */
export interface ReadModels {
  readonly inbox: InboxState;
  readonly alerts: AlertsState;
  readonly usage: UsageState;
}

/** Inbox, alerts and usage folded together from one catch-up, so they always agree on a position. */
export const readModelsProjection = (options: { readonly alertRetention?: number } = {}): Projection<ReadModels> => {
  const retain = options.alertRetention ?? DEFAULT_ALERT_RETENTION;
  return {
    name: 'message-center',
    initial: { inbox: emptyInbox, alerts: emptyAlerts, usage: emptyUsage },
    fold: (state, batch) =>
      batch.length === 0
        ? state
        : { inbox: foldInbox(state.inbox, batch), alerts: foldAlerts(state.alerts, batch, retain), usage: foldUsage(state.usage, batch) },
  };
};
