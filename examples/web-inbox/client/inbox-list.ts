/**
 * The conversation list: the views (All / Unread / Read / Replied / Archived), search, filters, rows with
 * their unread counts, and the unread badge of the top navigation. Pinned rows come first under All and
 * are hidden under a view, a search or a filter: the library decides, this only renders its pages.
 */
import { get } from './api.js';
import { byId, elementOf, h, time } from './dom.js';
import type { Page } from './page-state.js';
import { Badge, InboxPage, type InboxRow } from './wire.js';

const VIEWS = [
  ['all', 'All'],
  ['unread', 'Unread'],
  ['read', 'Read'],
  ['replied', 'Replied'],
  ['archived', 'Archived'],
] as const;

export interface InboxList {
  readonly render: () => Promise<void>;
}

const rowLabel = (row: InboxRow): string => row.client?.name ?? row.phone;

const lastLine = (row: InboxRow): string => {
  const last = row.lastMessage;
  if (last === null) return '';
  const media = last.mediaCount > 0 ? `[${last.mediaCount} picture${last.mediaCount === 1 ? '' : 's'}] ` : '';
  return `${last.direction === 'inbound' ? '←' : '→'} ${media}${last.text}${last.status === null ? '' : ` (${last.status})`}`;
};

export const createInboxList = (page: Page, open: (conversationId: string) => void): InboxList => {
  const rows = byId('rows');
  const empty = byId('rows-empty');
  const more = elementOf('more', HTMLButtonElement);
  const search = elementOf('search', HTMLInputElement);
  const from = elementOf('filter-from', HTMLInputElement);
  const to = elementOf('filter-to', HTMLInputElement);
  const type = elementOf('filter-type', HTMLSelectElement);
  const group = elementOf('filter-group', HTMLSelectElement);
  const location = elementOf('filter-location', HTMLSelectElement);
  const badge = byId('badge');
  let cursor: string | null = null;

  const views = byId('views');
  const viewButtons = VIEWS.map(([view, label]) =>
    h('button', { type: 'button', role: 'radio', 'aria-checked': String(view === page.state.view), 'data-view': view, onclick: () => choose(view) }, label),
  );
  views.append(...viewButtons);
  // Arrow keys move between the views, as in any radio group.
  views.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const at = VIEWS.findIndex(([view]) => view === page.state.view);
    const next = VIEWS[(at + (event.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length];
    if (next === undefined) return;
    choose(next[0]);
    viewButtons.find((b) => b.dataset['view'] === next[0])?.focus();
  });
  const mark = (view: string): void => {
    for (const b of viewButtons) {
      b.setAttribute('aria-checked', String(b.dataset['view'] === view));
      b.tabIndex = b.dataset['view'] === view ? 0 : -1;
    }
  };
  const choose = (view: string): void => {
    page.state.view = view;
    mark(view);
    void load(false);
  };
  mark(page.state.view);

  const query = (): Array<readonly [string, string]> => {
    const q: Array<readonly [string, string]> = [['staff', page.state.staffId], ['view', page.state.view]];
    if (search.value.trim() !== '') q.push(['search', search.value]);
    if (from.value !== '') q.push(['from', from.value]);
    if (to.value !== '') q.push(['to', to.value]);
    if (type.value !== '') q.push(['clientType', type.value]);
    if (group.value !== '') q.push(['group', group.value]);
    if (location.value !== '') q.push(['location', location.value]);
    return q;
  };

  const rowItem = (row: InboxRow): HTMLElement => {
    const unread = row.unreadCount > 0 || row.folder === 'unread';
    const flags = [row.pinned ? 'pinned' : '', row.muted ? 'muted' : '', row.subscription.status === 'unsubscribed' ? 'opted out' : ''].filter((f) => f !== '');
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: `row${unread ? ' unread' : ''}`,
          'data-conversation': row.conversationId,
          'data-folder': row.folder,
          'aria-current': String(row.conversationId === page.state.selected),
          onclick: () => open(row.conversationId),
        },
        h('span', { class: 'name' }, rowLabel(row)),
        h('span', { class: 'meta' }, row.unreadCount > 0 ? h('span', { class: 'count', 'aria-label': `${row.unreadCount} unread` }, String(row.unreadCount)) : null, ` ${time(row.lastActivityAt)}`),
        h('span', { class: 'last' }, lastLine(row)),
        h('span', { class: 'meta' }, row.folder, ...flags.map((f) => h('span', { class: 'flag', 'data-flag': f }, f))),
      ),
    );
  };

  const load = async (append: boolean): Promise<void> => {
    const q = query();
    if (append && cursor !== null) q.push(['cursor', cursor]);
    const [answer, count] = await Promise.all([get(InboxPage, '/api/inbox', q), get(Badge, '/api/badge', [['staff', page.state.staffId]])]);
    if (count.ok) {
      badge.textContent = String(count.value.unread);
      badge.dataset['count'] = String(count.value.unread);
    } else {
      badge.textContent = '–';
      badge.dataset['count'] = '0';
    }
    if (!answer.ok) {
      rows.replaceChildren();
      empty.hidden = false;
      empty.textContent = answer.code === 'forbidden' ? 'This staff member may not view the Message Center (the “Send Email/SMS to clients” permission is missing).' : `${answer.code}: ${answer.message}`;
      more.hidden = true;
      return;
    }
    if (!append) rows.replaceChildren();
    rows.append(...answer.value.rows.map(rowItem));
    empty.hidden = rows.childElementCount > 0;
    empty.textContent = 'No conversation here.';
    cursor = answer.value.nextCursor;
    more.hidden = cursor === null;
  };

  const render = (): Promise<void> => load(false);
  more.addEventListener('click', () => void load(true));
  let typing: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => void render(), 150);
  });
  byId('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void render();
  });
  for (const input of [from, to, type, group, location]) input.addEventListener('change', () => void render());
  return { render };
};
