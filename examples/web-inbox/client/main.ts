/**
 * The web inbox page: loads the session, lets the visitor act as one staff member, and keeps the list,
 * the badge and the open conversation current from the server's event stream.
 */
import { get } from './api.js';
import { byId, elementOf, h } from './dom.js';
import { createConversationPane } from './conversation-pane.js';
import { createInboxList } from './inbox-list.js';
import { createNewConversation } from './new-conversation.js';
import type { Page, PageState } from './page-state.js';
import { createSettings } from './settings.js';
import { createSimulatorPanel } from './simulator-panel.js';
import { openLiveChannel } from './live-channel.js';
import { Session } from './wire.js';

const start = async (): Promise<void> => {
  const notice = byId('notice');
  const notify = (message: string | null): void => {
    notice.hidden = message === null;
    notice.textContent = message ?? '';
  };
  const session = await get(Session, '/api/session', []);
  if (!session.ok) {
    notify(`The server cannot be reached: ${session.message}`);
    return;
  }
  const fromUrl = new URLSearchParams(location.search).get('staff');
  const staffIds = session.value.staff.map((s) => s.staffId);
  const state: PageState = { session: session.value, staffId: fromUrl !== null && staffIds.includes(fromUrl) ? fromUrl : (staffIds[0] ?? ''), view: 'all', selected: null };

  let refreshing: Promise<void> | null = null;
  let again = false;
  const refresh = async (): Promise<void> => {
    // One refresh at a time; events that arrive during one ask for exactly one more.
    if (refreshing !== null) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        await Promise.all([list.render(), pane.render()]);
        simulator.render();
      } while (again);
    })();
    try {
      await refreshing;
    } finally {
      refreshing = null;
      document.body.dataset['refreshed'] = String(Number(document.body.dataset['refreshed'] ?? '0') + 1);
    }
  };
  const page: Page = { state, refresh, notify };
  // Another staff member may change Display Statuses: the setting shown is asked again after each change.
  const refreshSession = async (): Promise<void> => {
    const again = await get(Session, '/api/session', []);
    if (again.ok) state.session = again.value;
  };
  const pane = createConversationPane(page);
  const list = createInboxList(page, (id) => void pane.open(id));
  const simulator = createSimulatorPanel(page, pane.outbound);
  createNewConversation(page, pane.open);
  createSettings(page);

  const staff = elementOf('staff', HTMLSelectElement);
  staff.replaceChildren(...state.session.staff.map((s) => h('option', { value: s.staffId, selected: s.staffId === state.staffId }, s.name)));
  staff.addEventListener('change', () => {
    state.staffId = staff.value;
    history.replaceState(null, '', `?staff=${encodeURIComponent(staff.value)}`);
    notify(null);
    void refresh();
  });

  const live = byId('live');
  openLiveChannel((text) => {
    live.textContent = text;
  }).onChange(() => {
    void refresh();
    void refreshSession();
  });
  await refresh();
  document.body.dataset['ready'] = 'true';
};

void start();
