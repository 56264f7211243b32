/**
 * The seeds' inbox flows in a real headless Chromium: the To: field, mark as unread, archive, pin,
 * permissions and keyboard use. Each test starts its own server and saves a screenshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningWebInbox } from '../app/server.js';
import { useChromium, screenshot, type Page } from './support/browser.js';
import { badge, clientTexts, openInbox, problemsOf, row, rowIds, startApp, until } from './support/inbox-app.js';

const chromium = useChromium();
let app: RunningWebInbox | null = null;
let page: Page | null = null;

afterEach(async (context) => {
  if (page !== null) {
    await screenshot(page, context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  }
  await app?.close();
  app = null;
  page = null;
});

const start = async (staffId = 'dana'): Promise<Page> => {
  app = await startApp();
  page = await openInbox(chromium(), app, staffId);
  return page;
};

const option = async (p: Page, action: string): Promise<void> => {
  await p.click('#options summary');
  await p.click(`#options button:text-is("${action}")`);
};

describe('web inbox: the seeds’ flows in a browser', () => {
  it('New conversation: the To: field finds a client by name, phone digits, e-mail or UID, and the first message is sent', async () => {
    const p = await start();
    await p.click('#new-conversation');
    // The last digits of the phone in any formatting, the e-mail's start, the UID, the client id, the name.
    for (const query of ['chlo', '123 456', '(7400) 123456', 'chloe.martin@', 'c-1003', 'chloe']) {
      await p.fill('#to', query);
      await until(`the answer to ${query}`, () => p.getAttribute('#to', 'aria-busy'), 'false');
      await until(`To: ${query}`, () => p.locator('#to-results [role=option]').first().textContent(), 'Chloé Martin · +447400123456 · C-1003');
    }
    await p.keyboard.press('Enter');
    await p.fill('#new-body', 'Hi Chloé, your gift card is ready.');
    await p.click('#new-send');
    await until('the new conversation is open', () => p.locator('#pane-title').textContent(), 'Chloé Martin');
    await until('the sent message shows', () => p.locator('#history .msg.outbound').first().textContent().then((t) => t?.startsWith('Hi Chloé, your gift card is ready.') ?? false), true);
    // A UK mobile from a US business: sent, with the notice that replies may not arrive.
    expect(await p.locator('#notice').isVisible()).toBe(true);
    expect(await row(p, 'chloe').count()).toBe(1);
  });

  it('Mark as Unread shows the client responses since the last outbound message (0 after a reply)', async () => {
    const p = await start();
    expect(await badge(p)).toBe('4');
    await row(p, 'ana').click();
    await until('opening Ana’s conversation reads it', () => row(p, 'ana').getAttribute('data-folder'), 'read');
    expect(await badge(p)).toBe('2');
    await option(p, 'Mark as Unread');
    await until('Ana is unread again', () => row(p, 'ana').getAttribute('data-folder'), 'unread');
    // Dana's text, then Ana's two answers: two client responses since the last outbound message.
    expect(await row(p, 'ana').locator('.count').textContent()).toBe('2');
    expect(await badge(p)).toBe('4');
    await p.fill('#compose-body', 'Of course, bring her along!');
    await p.click('#compose button[type=submit]');
    await until('the reply moves Ana to Replied', () => row(p, 'ana').getAttribute('data-folder'), 'replied');
    await option(p, 'Mark as Unread');
    await until('marked unread after the reply', () => row(p, 'ana').getAttribute('data-folder'), 'unread');
    expect(await row(p, 'ana').locator('.count').count()).toBe(0);
  });

  it('Archive: the conversation leaves All for Archived, and the client’s next text brings it back to Unread', async () => {
    const p = await start();
    await row(p, 'ben').click();
    await option(p, 'Archive');
    await until('Ben leaves All', async () => (await rowIds(p)).includes('ben'), false);
    await p.click('#views [data-view=archived]');
    await until('the Archived view', () => rowIds(p), ['ben']);
    await p.click('#views [data-view=unread]');
    await until('Ben not under Unread', async () => (await rowIds(p)).includes('ben'), false);
    await clientTexts(app ?? fail(), '+16465550142', 'Hello? Saturday?');
    await until('Ben back under Unread, live', async () => (await rowIds(p)).includes('ben'), true);
    expect(await row(p, 'ben').getAttribute('data-folder')).toBe('unread');
  });

  it('Pin: pinned first under All, hidden under a view, a filter and a search', async () => {
    const p = await start();
    await row(p, 'ana').click();
    await option(p, 'Pin');
    await until('Ana pinned first under All', async () => (await rowIds(p))[0], 'ana');
    expect(await row(p, 'ana').locator('[data-flag=pinned]').count()).toBe(1);
    await option(p, 'Mark as Unread');
    await p.click('#views [data-view=unread]');
    await until('the Unread view without the pinned row', () => rowIds(p), ['zoe', 'ben']);
    await p.click('#views [data-view=all]');
    await p.click('#filters summary');
    await p.selectOption('#filter-group', 'colour');
    // Ana is the one client in the colour group with a conversation: pinned, so hidden.
    await until('the group filter hides the pinned row', () => rowIds(p), []);
    expect(await p.getAttribute('#rows-empty', 'data-reason'), 'an empty answer, not an error').toBe('empty');
    await p.selectOption('#filter-group', '');
    await p.fill('#search', 'ana');
    await until('a search hides the pinned row', () => rowIds(p), []);
    expect(await p.getAttribute('#rows-empty', 'data-reason'), 'an empty answer, not an error').toBe('empty');
    await p.fill('#search', '');
    await row(p, 'ana').click();
    await option(p, 'Unpin');
    await p.fill('#search', 'lima');
    await until('unpinned, the search finds Ana', () => rowIds(p), ['ana']);
  });

  it('Mute and unmute from the Options menu', async () => {
    const p = await start();
    await row(p, 'zoe').click();
    await option(p, 'Mute');
    await until('Zoë muted', () => row(p, 'zoe').locator('[data-flag=muted]').count(), 1);
    await option(p, 'Unmute');
    await until('Zoë unmuted', () => row(p, 'zoe').locator('[data-flag=muted]').count(), 0);
  });

  it('B0: staff without the “Send Email/SMS to clients” permission see why, and nothing of the inbox', async () => {
    const p = await start('front-desk');
    await until('the refusal', () => p.locator('#rows-empty').textContent().then((t) => t?.includes('permission') ?? false), true);
    expect(await rowIds(p)).toEqual([]);
    expect(await badge(p)).toBe('–');
  });

  it('Keyboard: the views are a radio group moved with the arrow keys; the To: list with the arrow keys and Enter', async () => {
    const p = await start();
    await p.focus('#views [data-view=all]');
    await p.keyboard.press('ArrowRight');
    expect(await p.locator('#views [data-view=unread]').getAttribute('aria-checked')).toBe('true');
    expect(await p.locator(':focus').getAttribute('data-view')).toBe('unread');
    await until('only unread rows', () => rowIds(p), ['zoe', 'ben', 'ana']);
    await p.click('#new-conversation');
    // A blank To: lists every client.
    await p.keyboard.type('x');
    await p.keyboard.press('Backspace');
    await until('the answer to a blank To:', () => p.getAttribute('#to', 'aria-busy'), 'false');
    await until('every client', async () => (await p.locator('#to-results [role=option]').count()) > 1, true);
    await p.keyboard.press('ArrowDown');
    const second = await p.locator('#to-results [aria-selected=true]').textContent();
    await p.keyboard.press('Enter');
    expect(second?.startsWith(await p.inputValue('#to'))).toBe(true);
    expect(await p.locator(':focus').getAttribute('id')).toBe('new-body');
  });
});

function fail(): never {
  throw new Error('no app');
}
