/**
 * New conversation: the To: field finds clients by name, phone, e-mail, UID or client id (every client,
 * with or without a conversation), says who cannot be texted and why, and sends the first message.
 */
import { get, post } from './api.js';
import { byId, elementOf, h } from './dom.js';
import type { Page } from './page-state.js';
import { FoundClients, Sent } from './wire.js';

type Found = FoundClients['clients'][number];

export const createNewConversation = (page: Page, opened: (conversationId: string) => Promise<void>): void => {
  const dialog = elementOf('new-dialog', HTMLDialogElement);
  const to = elementOf('to', HTMLInputElement);
  const results = byId('to-results');
  const chosenLine = byId('to-chosen');
  const body = elementOf('new-body', HTMLTextAreaElement);
  const error = byId('new-error');
  let found: ReadonlyArray<Found> = [];
  let active = -1;
  let chosen: Found | null = null;
  // Searches are numbered: only the latest one's answer is shown, and Enter picks from it only once it is in.
  let asked = 0;
  let answered = 0;

  const choose = (client: Found): void => {
    chosen = client;
    asked += 1; // an answer still on its way is for a search the user is done with
    answered = asked;
    to.setAttribute('aria-busy', 'false');
    found = [];
    active = -1;
    to.value = client.name;
    chosenLine.textContent = client.canText ? `To ${client.name} (${client.cellPhone ?? ''})` : `${client.name} cannot be texted: ${client.reason?.message ?? ''}`;
    results.replaceChildren();
    to.setAttribute('aria-expanded', 'false');
    to.removeAttribute('aria-activedescendant');
    body.focus();
  };

  const show = (): void => {
    results.replaceChildren(
      ...found.map((c, i) =>
        h(
          'li',
          { role: 'option', id: `to-option-${i}`, 'aria-selected': String(i === active), 'aria-disabled': String(!c.canText), onclick: () => choose(c) },
          `${c.name} · ${c.cellPhone ?? 'no cell phone'} · ${c.uid}${c.canText ? '' : ` — ${c.reason?.code ?? ''}`}`,
        ),
      ),
    );
    to.setAttribute('aria-expanded', String(found.length > 0));
    if (active >= 0) to.setAttribute('aria-activedescendant', `to-option-${active}`);
    else to.removeAttribute('aria-activedescendant');
  };

  to.addEventListener('input', () => {
    chosen = null;
    chosenLine.textContent = '';
    const ask = ++asked;
    to.setAttribute('aria-busy', 'true');
    void (async () => {
      const answer = await get(FoundClients, '/api/clients', [['staff', page.state.staffId], ['q', to.value]]);
      if (ask !== asked) return; // a later keystroke's answer wins
      answered = ask;
      to.setAttribute('aria-busy', 'false');
      found = answer.ok ? answer.value.clients : [];
      error.textContent = answer.ok ? '' : answer.message;
      active = found.length > 0 ? 0 : -1;
      show();
    })();
  });
  to.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (found.length === 0) return;
      active = (active + (event.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length;
      show();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      // Until the answer to what is typed now is in, the list on screen is for other letters.
      if (answered !== asked) return;
      const client = found[active];
      if (client !== undefined) choose(client);
    }
  });

  byId('new-conversation').addEventListener('click', () => {
    to.value = '';
    body.value = '';
    error.textContent = '';
    chosenLine.textContent = '';
    chosen = null;
    found = [];
    asked += 1;
    answered = asked;
    show();
    dialog.showModal();
    to.focus();
  });
  byId('new-cancel').addEventListener('click', () => dialog.close());
  elementOf('new-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    const client = chosen;
    if (client === null) {
      error.textContent = 'Choose a client under To: first.';
      return;
    }
    void (async () => {
      const sent = await post(Sent, '/api/send', { staff: page.state.staffId, clientId: client.clientId, body: body.value });
      if (!sent.ok) {
        error.textContent = `Not sent: ${sent.message}`;
        return;
      }
      dialog.close();
      page.notify(sent.value.international === null ? null : sent.value.international.notice);
      await opened(sent.value.conversationId);
    })();
  });
};
