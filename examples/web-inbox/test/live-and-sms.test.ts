/**
 * Live updates and two-way SMS in a real headless Chromium: an inbound text, a delivery status and another
 * staff member's action reach an open page without reloading it (Server-Sent Events); Display Statuses
 * splits two staff members' folders; STOP refuses sending with the reason; MMS shows its media; a late
 * status callback does not overwrite a later status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningWebInbox } from '../app/server.js';
import { useChromium, screenshot, type Page } from './support/browser.js';
import { badge, clientTexts, openInbox, problemsOf, row, rowIds, startApp, twilioReports, until } from './support/inbox-app.js';

const chromium = useChromium();
let app: RunningWebInbox;
let pages: Page[] = [];

afterEach(async (context) => {
  const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  for (const [i, page] of pages.entries()) {
    await screenshot(page, pages.length === 1 ? name : `${name}-${i + 1}`);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  }
  pages = [];
  await app.close();
});

const open = async (staffId: string): Promise<Page> => {
  const page = await openInbox(chromium(), app, staffId);
  // Set once; a reload would lose it, so a test that still sees it knows the page was never reloaded.
  await page.evaluate("document.body.setAttribute('data-not-reloaded', 'yes')");
  pages.push(page);
  return page;
};
/** How many times the page has refreshed, once no refresh has happened for 300 ms. */
const quiet = async (page: Page): Promise<number> => {
  const count = async () => Number(await page.getAttribute('body', 'data-refreshed'));
  let seen = await count();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await count();
    if (now === seen) return now;
    seen = now;
  }
};
const notReloaded = async (page: Page): Promise<void> => expect(await page.getAttribute('body', 'data-not-reloaded')).toBe('yes');

describe('web inbox: live, two-way SMS', () => {
  it('an inbound text shows as a new row and in the badge without reloading (Server-Sent Events)', async () => {
    app = await startApp();
    const p = await open('dana');
    expect(await badge(p)).toBe('4');
    await clientTexts(app, '+1 202 555 0170', 'Hi, is this the salon? Do you do balayage?');
    await until('the unknown sender’s row', async () => (await rowIds(p))[0], 'tel:+12025550170');
    await until('the badge', () => badge(p), '5');
    await clientTexts(app, '+16465550142', 'Any news about Saturday?');
    await until('Ben’s unread count', () => row(p, 'ben').locator('.count').textContent(), '2');
    await until('the badge again', () => badge(p), '6');
    await notReloaded(p);
  });

  it('another staff member’s action shows without reloading; with Display Statuses on, two staff members’ folders differ', async () => {
    app = await startApp();
    const dana = await open('dana');
    const eli = await open('eli');
    // Individual statuses off: Dana reading Ana's conversation reads it for everyone, and Eli sees it live.
    await row(dana, 'ana').click();
    await until('Ana read in Eli’s list, live', () => row(eli, 'ana').getAttribute('data-folder'), 'read');
    await until('Eli’s badge', () => badge(eli), '2');
    // Dana turns on "Display individual read/unread status for staff members".
    await dana.click('#open-settings');
    await dana.check('#individual');
    await until('the setting took', () => dana.locator('#settings-error').textContent(), '');
    await dana.click('#settings-dialog button[value=close]');
    await clientTexts(app, '+16465550142', 'Still there?');
    await until('Ben unread for Eli', () => row(eli, 'ben').getAttribute('data-folder'), 'unread');
    const refreshed = await quiet(eli);
    await row(dana, 'ben').click();
    await until('Ben read for Dana', () => row(dana, 'ben').getAttribute('data-folder'), 'read');
    // Eli's list is told of Dana's read (an event), asks again, and still shows Ben unread: his own status.
    await until('Eli’s page refreshed after Dana’s read', async () => Number(await eli.getAttribute('body', 'data-refreshed')) > refreshed, true);
    expect(await row(eli, 'ben').getAttribute('data-folder')).toBe('unread');
    expect(await row(eli, 'ben').locator('.count').textContent()).toBe('2');
    await notReloaded(dana);
    await notReloaded(eli);
  });

  it('STOP from the client panel: the row says opted out, sending is refused with the reason; START allows it again', async () => {
    app = await startApp();
    const p = await open('dana');
    await p.selectOption('#sim-from', '+16465550142');
    await p.click('#sim-stop');
    await until('Ben opted out, live', () => row(p, 'ben').locator('[data-flag="opted out"]').count(), 1);
    await row(p, 'ben').click();
    await until('the opt-out in the history', () => p.locator('#history .msg.system').first().textContent().then((t) => t?.startsWith('Opted out (STOP)') ?? false), true);
    await p.fill('#compose-body', 'We have 2pm free!');
    await p.click('#compose button[type=submit]');
    await until('the refusal with its reason', () => p.locator('#notice').textContent().then((t) => t !== null && t.startsWith('Not sent:') && t.includes('opted out')), true);
    expect(await p.locator('#history .msg.outbound').count()).toBe(0);
    await p.click('#sim-start');
    await until('Ben subscribed again', () => row(p, 'ben').locator('[data-flag="opted out"]').count(), 0);
    await p.fill('#compose-body', 'We have 2pm free!');
    await p.click('#compose button[type=submit]');
    await until('sent after START', () => p.locator('#history .msg.outbound').count(), 1);
  });

  it('delivery status arrives live, and a late “sent” does not overwrite “delivered”; an MMS shows its media', async () => {
    app = await startApp();
    const p = await open('dana');
    await row(p, 'ana').click();
    const outbound = p.locator('#history .msg.outbound').first();
    await until('queued at first', () => outbound.locator('.status').textContent(), 'queued');
    const providerId = (await outbound.getAttribute('data-provider-id')) ?? '';
    expect(providerId).toMatch(/^SM[0-9a-f]{32}$/);
    await twilioReports(app, providerId, 'delivered');
    await until('delivered, live', () => outbound.locator('.status').textContent(), 'delivered');
    await twilioReports(app, providerId, 'sent');
    // The MMS comes after the late "sent": once the page shows it, it has seen everything before it.
    await clientTexts(app, '+14155552671', 'This colour?', 1);
    await until('the MMS with its picture', () => p.locator('#history .msg.inbound a').last().textContent(), 'Attachment (image/jpeg)');
    expect(await outbound.locator('.status').textContent(), 'a late “sent” does not overwrite “delivered”').toBe('delivered');
    expect(await p.locator('#history .msg.inbound a').last().getAttribute('href')).toMatch(/^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/);
    await notReloaded(p);
  });

  it('the signed webhook refuses a forged request: the panel’s path is the real one', async () => {
    app = await startApp();
    const p = await open('dana');
    const forged = await fetch(`${app.url}/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'Zm9yZ2Vk' },
      body: 'MessageSid=SM00000000000000000000000000000001&AccountSid=AC00000000000000000000000000000001&From=%2B16465550142&To=%2B14155550100&Body=STOP&NumMedia=0',
    });
    expect(forged.status).toBe(403);
    // A text that comes after the forged STOP: once it shows, the STOP would have too.
    await clientTexts(app, '+16465550142', 'Still on for Saturday');
    await until('the later text', () => row(p, 'ben').locator('.last').textContent(), '← Still on for Saturday');
    expect(await row(p, 'ben').locator('[data-flag="opted out"]').count()).toBe(0);
  });
});
