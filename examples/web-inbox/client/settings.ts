/** Settings → Display Statuses: the business's individual read/unread switch (B3). */
import { post } from './api.js';
import { byId, elementOf } from './dom.js';
import type { Page } from './page-state.js';
import * as t from 'io-ts';

const Individual = t.type({ individual: t.boolean });

export const createSettings = (page: Page): void => {
  const dialog = elementOf('settings-dialog', HTMLDialogElement);
  const individual = elementOf('individual', HTMLInputElement);
  const error = byId('settings-error');
  byId('open-settings').addEventListener('click', () => {
    individual.checked = page.state.session.individualReadStatus;
    error.textContent = '';
    dialog.showModal();
  });
  individual.addEventListener('change', () => {
    void (async () => {
      const answer = await post(Individual, '/api/settings/display-statuses', { staff: page.state.staffId, individual: individual.checked });
      if (answer.ok) {
        page.state.session = { ...page.state.session, individualReadStatus: answer.value.individual };
        error.textContent = '';
      } else {
        individual.checked = !individual.checked;
        error.textContent = `Not changed: ${answer.message}`;
      }
      await page.refresh();
    })();
  });
};
