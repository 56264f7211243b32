/**
 * The demo's "text as a client" panel: the server signs each form as Twilio would and posts it to its own
 * webhook, so STOP/START, MMS and out-of-order status callbacks take the real path.
 */
import { post, type Answer } from './api.js';
import type * as t from 'io-ts';
import { byId, elementOf, h } from './dom.js';
import type { Page } from './page-state.js';
import { WebhookAnswer } from './wire.js';

export const createSimulatorPanel = (page: Page, outbound: () => ReadonlyArray<{ readonly providerMessageId: string; readonly label: string }>): { readonly render: () => void } => {
  const panel = byId('simulator');
  const from = elementOf('sim-from', HTMLSelectElement);
  const other = elementOf('sim-other', HTMLInputElement);
  const body = elementOf('sim-body', HTMLTextAreaElement);
  const picture = elementOf('sim-picture', HTMLInputElement);
  const message = elementOf('sim-message', HTMLSelectElement);
  const report = elementOf('sim-report', HTMLSelectElement);
  const result = byId('sim-result');
  panel.hidden = !page.state.session.demo;
  from.replaceChildren(...page.state.session.clients.map((c) => h('option', { value: c.phone }, `${c.name} (${c.phone})`)));

  const show = (what: string, answer: Answer<t.TypeOf<typeof WebhookAnswer>>): void => {
    result.textContent = answer.ok ? `${what}: webhook answered ${answer.value.status}${answer.value.status === 200 ? '' : ` ${answer.value.body}`}` : `${what}: ${answer.message}`;
  };

  const text = async (words: string): Promise<void> => {
    const sender = other.value.trim() === '' ? from.value : other.value.trim();
    show(`“${words.slice(0, 20)}” from ${sender}`, await post(WebhookAnswer, '/api/simulate/text', { from: sender, body: words, pictures: picture.checked ? 1 : 0 }));
  };
  elementOf('sim-text', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    void text(body.value);
  });
  byId('sim-stop').addEventListener('click', () => void text('STOP'));
  byId('sim-start').addEventListener('click', () => void text('START'));
  elementOf('sim-status', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    if (message.value === '') {
      result.textContent = 'Open a conversation with an outbound message first.';
      return;
    }
    void (async () => show(`status ${report.value}`, await post(WebhookAnswer, '/api/simulate/status', { providerMessageId: message.value, status: report.value })))();
  });

  return {
    render: () => {
      const keep = message.value;
      message.replaceChildren(...outbound().map((m) => h('option', { value: m.providerMessageId, selected: m.providerMessageId === keep }, m.label)));
    },
  };
};
