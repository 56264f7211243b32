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

/** Rows per page; the library answers at most 200. */
const PAGE = 50;

export interface InboxList {
  /** Shows the list again from its first page, keeping as many rows as "Load more" had brought in. */
  readonly render: () => Promise<void>;
}

const rowLabel = (row: InboxRow): string => row.client?.name ?? row.phone;

const lastLine = (row: InboxRow): string => {
  const last = row.lastMessage;
  if (last === null) return '';
  const media = last.mediaCount > 0 ? `[${last.mediaCount} picture${last.mediaCount === 1 ? '' : 's'}] ` : '';
  return `${last.direction === 'inbound' ? '←' : '→'} ${media}${last.text}${last.status === null ? '' : ` (${last.status})`}`;
};

/** A day of `<input type=date>` as the instant it starts or ends where the browser is (rows show local times). */
const localDayBound = (day: string, end: boolean): string | null => {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (parts === null) return null;
  const at = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]) + (end ? 1 : 0));
  return new Date(at.getTime() - (end ? 1 : 0)).toISOString();
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
  // Every load takes a number; an answer that is not the latest one's is dropped (a slow answer to an
  // older view or search must not replace a newer one).
  let latest = 0;

  const views = byId('views');
  const viewButtons = VIEWS.map(([view, label]) =>
    h('button', { type: 'button', role: 'radio', 'aria-checked': String(view === page.state.view), 'data-view': view, onclick: () => choose(view) }, label),
  );
  views.append(...viewButtons);
  // Arrow keys, Home and End move between the views, as in any radio group.
  views.addEventListener('keydown', (event) => {
    const at = VIEWS.findIndex(([view]) => view === page.state.view);
    const step: Readonly<Record<string, number>> = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: VIEWS.length - 1 };
    const target = step[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = VIEWS[(target + VIEWS.length) % VIEWS.length];
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
    void load('first');
  };
  mark(page.state.view);

  const query = (): Array<readonly [string, string]> => {
    const q: Array<readonly [string, string]> = [['staff', page.state.staffId], ['view', page.state.view]];
    if (search.value.trim() !== '') q.push(['search', search.value]);
    const fromAt = localDayBound(from.value, false);
    const toAt = localDayBound(to.value, true);
    if (fromAt !== null) q.push(['from', fromAt]);
    if (toAt !== null) q.push(['to', toAt]);
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

  const showBadge = async (): Promise<void> => {
    const count = await get(Badge, '/api/badge', [['staff', page.state.staffId]]);
    if (!count.ok && count.code === 'unreachable') return; // the last count stays until the server is back
    badge.textContent = count.ok ? String(count.value.unread) : '–';
    badge.dataset['count'] = count.ok ? String(count.value.unread) : '0';
  };

  /**
   * `first`: the list from its first page again, with at least as many rows as it showed (a live update must
   * not take away what "Load more" brought in); `more`: the next page, appended.
   */
  const load = async (what: 'first' | 'more'): Promise<void> => {
    const ticket = ++latest;
    const q = query();
    const wanted = what === 'first' ? Math.max(PAGE, rows.childElementCount) : PAGE;
    const fetched: InboxRow[] = [];
    let next: string | null = what === 'more' ? cursor : null;
    const badgeShown = showBadge();
    do {
      const answer = await get(InboxPage, '/api/inbox', [...q, ['limit', String(PAGE)], ...(next === null ? [] : [['cursor', next] as const])]);
      if (ticket !== latest) return;
      if (!answer.ok && answer.code === 'unreachable') {
        // The rows on screen stay; the live indicator says the server is away.
        await badgeShown;
        return;
      }
      if (!answer.ok) {
        rows.replaceChildren();
        empty.hidden = false;
        empty.dataset['reason'] = answer.code;
        empty.textContent = answer.code === 'forbidden' ? 'This staff member may not view the Message Center (the “Send Email/SMS to clients” permission is missing).' : `${answer.code}: ${answer.message}`;
        more.hidden = true;
        await badgeShown;
        return;
      }
      fetched.push(...answer.value.rows);
      next = answer.value.nextCursor;
    } while (next !== null && fetched.length < wanted);
    await badgeShown;
    if (ticket !== latest) return;
    // The row that had the keyboard keeps it when the list is drawn again.
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['conversation'] : undefined;
    const items = fetched.map(rowItem);
    if (what === 'first') rows.replaceChildren(...items);
    else rows.append(...items);
    if (focused !== undefined) rows.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(focused)}"]`)?.focus();
    empty.hidden = rows.childElementCount > 0;
    empty.dataset['reason'] = 'empty';
    empty.textContent = 'No conversation here.';
    cursor = next;
    more.hidden = cursor === null;
  };

  more.addEventListener('click', () => void load('more'));
  let typing: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => void load('first'), 150);
  });
  byId('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void load('first');
  });
  for (const input of [from, to, type, group, location]) input.addEventListener('change', () => void load('first'));
  return { render: () => load('first') };
};
