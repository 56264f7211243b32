/**
 * The conversation pane: the client's history with each outbound message's delivery status and media,
 * the Options menu (Mute/Unmute, Mark as Unread, Archive, Pin/Unpin) and the reply box. Opening a
 * conversation marks it read for the staff member (for everyone when individual statuses are off).
 */
import { get, post } from './api.js';
import { byId, elementOf, h, time } from './dom.js';
import type { Page } from './page-state.js';
import { ConversationAnswer, Done, Sent, type Entry } from './wire.js';

export interface ConversationPane {
  /** Opens a conversation (marking it read) and shows it. */
  readonly open: (conversationId: string) => Promise<void>;
  /** Shows the open conversation again, without marking it read. */
  readonly render: () => Promise<void>;
  /** The outbound messages on show, for the simulator's delivery callbacks. */
  readonly outbound: () => ReadonlyArray<{ readonly providerMessageId: string; readonly label: string }>;
}

const entryItem = (entry: Entry): HTMLElement => {
  switch (entry.kind) {
    case 'inbound':
      return h(
        'li',
        { class: 'msg inbound', 'data-kind': 'inbound' },
        h('div', {}, entry.body),
        ...entry.media.map((m) => h('div', {}, h('a', { href: m.url, rel: 'noreferrer', target: '_blank' }, `Attachment (${m.contentType})`))),
        h('div', { class: 'by' }, `client · ${time(entry.at)}`),
      );
    case 'outbound': {
      const by = entry.author.kind === 'staff' && 'staffId' in entry.author ? entry.author.staffId : entry.author.kind;
      return h(
        'li',
        { class: 'msg outbound', 'data-kind': 'outbound', 'data-provider-id': entry.delivery.providerMessageId ?? '' },
        h('div', {}, entry.body),
        h('div', { class: 'by' }, `${by} · ${time(entry.at)} · `, h('span', { class: 'status', 'data-status': entry.delivery.status }, entry.delivery.status), entry.delivery.errorCode === null ? '' : ` (error ${entry.delivery.errorCode})`),
      );
    }
    default:
      return h('li', { class: 'msg system', 'data-kind': entry.kind }, `${entry.kind === 'unsubscribed' ? 'Opted out' : 'Opted back in'}${entry.keyword === null ? '' : ` (${entry.keyword})`} · ${time(entry.at)}`);
  }
};

export const createConversationPane = (page: Page): ConversationPane => {
  const title = byId('pane-title');
  const facts = byId('pane-facts');
  const history = byId('history');
  const options = elementOf('options', HTMLDetailsElement);
  const summary = options.querySelector('summary') ?? options;
  const compose = elementOf('compose', HTMLFormElement);
  const body = elementOf('compose-body', HTMLTextAreaElement);
  const buttons = { mute: byId('opt-mute'), unread: byId('opt-unread'), archive: byId('opt-archive'), pin: byId('opt-pin') };
  let outbound: Array<{ providerMessageId: string; label: string }> = [];
  let current: ConversationAnswer | null = null;

  // Options and Send act on the conversation on screen (`current`), not on one being opened meanwhile.
  const act = async (action: string): Promise<void> => {
    const shown = current;
    if (shown === null) return;
    const done = await post(Done, '/api/action', { staff: page.state.staffId, conversationId: shown.view.conversationId, action });
    page.notify(done.ok ? null : `${action} refused: ${done.message}`);
    options.open = false;
    // The menu closed over the focused button: the keyboard goes back to the menu's toggle.
    summary.focus();
    await page.refresh();
  };
  buttons.mute.addEventListener('click', () => void act(current?.view.muted === true ? 'unmute' : 'mute'));
  buttons.unread.addEventListener('click', () => void act('markUnread'));
  buttons.archive.addEventListener('click', () => void act(current?.view.archived === true ? 'unarchive' : 'archive'));
  buttons.pin.addEventListener('click', () => void act(current?.view.pinned === true ? 'unpin' : 'pin'));
  options.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') options.open = false;
  });

  compose.addEventListener('submit', (event) => {
    event.preventDefault();
    const conversationId = current?.view.conversationId;
    if (conversationId === undefined) return;
    void (async () => {
      const sent = await post(Sent, '/api/send', { staff: page.state.staffId, conversationId, body: body.value });
      if (sent.ok) {
        body.value = '';
        page.notify(sent.value.international === null ? null : sent.value.international.notice);
      } else {
        page.notify(`Not sent: ${sent.message}`);
      }
      await page.refresh();
    })();
  });

  const render = async (): Promise<void> => {
    const conversationId = page.state.selected;
    if (conversationId === null) return;
    const answer = await get(ConversationAnswer, '/api/conversation', [['staff', page.state.staffId], ['id', conversationId]]);
    if (!answer.ok && answer.code === 'unreachable') {
      // Keep what is on screen (and the draft): the server is away for a moment, not the conversation; the
      // live indicator says so, and the page asks again when the stream is back.
      return;
    }
    if (!answer.ok) {
      current = null;
      title.textContent = answer.code === 'forbidden' ? 'Not allowed' : 'Cannot show this conversation';
      facts.textContent = answer.message;
      history.replaceChildren();
      options.hidden = true;
      compose.hidden = true;
      return;
    }
    current = answer.value;
    const { view, client, entries } = answer.value;
    title.textContent = client?.name ?? view.phone;
    const optedOut = view.subscription.status === 'unsubscribed';
    facts.textContent = [view.phone, `folder: ${view.folder}`, view.unreadCount > 0 ? `${view.unreadCount} unread` : '', view.muted ? 'muted' : '', view.pinned ? 'pinned' : '', optedOut ? `opted out${view.subscription.keyword === null ? '' : ` (${view.subscription.keyword})`}` : '']
      .filter((f) => f !== '')
      .join(' · ');
    facts.dataset['folder'] = view.folder;
    buttons.mute.textContent = view.muted ? 'Unmute' : 'Mute';
    buttons.archive.textContent = view.archived ? 'Unarchive' : 'Archive';
    buttons.pin.textContent = view.pinned ? 'Unpin' : 'Pin';
    options.hidden = false;
    compose.hidden = false;
    history.replaceChildren(...(entries === null ? [h('li', { class: 'msg system' }, 'This number is not a client of the business: its history shows once it is recorded as one.')] : entries.map(entryItem)));
    outbound = (entries ?? []).flatMap((e) => (e.kind === 'outbound' && e.delivery.providerMessageId !== null ? [{ providerMessageId: e.delivery.providerMessageId, label: `${e.body.slice(0, 30)} (${e.delivery.status})` }] : []));
  };

  const open = async (conversationId: string): Promise<void> => {
    page.state.selected = conversationId;
    const read = await post(Done, '/api/action', { staff: page.state.staffId, conversationId, action: 'markRead' });
    if (!read.ok && read.code !== 'forbidden') page.notify(`Could not mark as read: ${read.message}`);
    await page.refresh();
    // The keyboard follows to the conversation (below the list at phone width), and its name is read out.
    if (page.state.selected === conversationId) {
      title.focus();
      title.scrollIntoView({ block: 'nearest' });
    }
  };

  return { open, render, outbound: () => outbound };
};
