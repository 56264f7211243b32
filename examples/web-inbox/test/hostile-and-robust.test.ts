/**
 * The web inbox as an attacker, a careless host and a busy user would meet it: cross-site requests and DNS
 * rebinding refused, seven tabs of one browser all live, a server that goes away and comes back, the
 * keyboard kept where it was, and a phone-width screen.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '@message-center/core';
import { startWebInbox, type RunningWebInbox } from '../app/server.js';
import { useChromium, screenshot, type Page } from './support/browser.js';
import { badge, clientTexts, openInbox, problemsOf, row, rowIds, startApp, until } from './support/inbox-app.js';

const chromium = useChromium();
let app: RunningWebInbox | null = null;
const pages: Page[] = [];

afterEach(async (context) => {
  const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const first = pages.find((page) => !page.isClosed());
  if (first !== undefined) await screenshot(first, name);
  for (const page of pages.splice(0)) {
    if (!page.isClosed()) await page.context().close();
  }
  await app?.close();
  app = null;
});

/** A GET with a Host header of one's choosing (fetch does not let a caller set Host). */
const statusWithHost = (url: string, path: string, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = httpRequest({ host: target.hostname, port: target.port, path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on('error', reject);
    request.end();
  });

const post = (url: string, path: string, headers: Record<string, string>, body: string) => fetch(`${url}${path}`, { method: 'POST', headers, body });

describe('web inbox: hostile requests, many tabs, a server that goes away', () => {
  it('cross-site: a form post (text/plain, urlencoded), a foreign Origin and a rebound Host are refused; the page’s own JSON is not', async () => {
    app = await startApp();
    const send = JSON.stringify({ staff: 'dana', clientId: 'ben', body: 'Your card was charged' });
    const refused = [
      await post(app.url, '/api/send', { 'content-type': 'text/plain' }, send),
      await post(app.url, '/api/send', { 'content-type': 'application/x-www-form-urlencoded' }, `${send}=`),
      await post(app.url, '/api/send', { 'content-type': 'application/json', origin: 'http://evil.example' }, send),
      await post(app.url, '/api/simulate/text', { 'content-type': 'application/json', origin: 'null' }, JSON.stringify({ from: '+16465550142', body: 'STOP' })),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    // DNS rebinding: the page of a hostile name that resolves to this machine asks with its own Host.
    expect(await statusWithHost(app.url, '/api/clients?staff=dana&q=', 'evil.example')).toBe(403);
    expect(await statusWithHost(app.url, '/api/events', 'evil.example:80')).toBe(403);
    expect(await statusWithHost(app.url, '/api/session', `localhost:${new URL(app.url).port}`)).toBe(200);
    const own = await post(app.url, '/api/action', { 'content-type': 'application/json', origin: app.url }, JSON.stringify({ staff: 'dana', conversationId: 'ben', action: 'mute' }));
    expect(own.status).toBe(200);
    const p = await openInbox(chromium(), app, 'dana');
    pages.push(p);
    // Nothing the refused requests asked for happened: Ben was never texted nor opted out.
    await row(p, 'ben').click();
    await until('Ben’s history', () => p.locator('#pane-title').textContent(), 'Ben Okafor');
    expect(await p.locator('#history .msg.outbound').count()).toBe(0);
    expect(await row(p, 'ben').locator('[data-flag="opted out"]').count()).toBe(0);
    expect(problemsOf(p)).toEqual([]);
  });

  it('seven tabs of one browser: all load, all live, and a click in one still answers (one event stream for all)', async () => {
    app = await startApp();
    const url = app.url;
    const context = await chromium().newContext({ viewport: { width: 1100, height: 800 } });
    for (let i = 0; i < 7; i += 1) {
      const tab = await context.newPage();
      await tab.goto(`${url}/?staff=dana`, { timeout: 10_000 });
      await tab.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 10_000 });
      pages.push(tab);
    }
    await clientTexts(app, '+16465550142', 'Seven tabs?');
    for (const [i, tab] of pages.entries()) await until(`tab ${i + 1} live`, () => badge(tab), '5');
    const last = pages[6];
    if (last === undefined) throw new Error('seven tabs');
    await row(last, 'ana').click();
    await until('the click answered in tab 7', () => last.locator('#pane-title').textContent(), 'Ana Lima');
    await pages[0]?.close();
    await clientTexts(app, '+14155552671', 'After the first tab closed');
    await until('another tab took the stream over', () => row(last, 'ana').locator('.last').textContent(), '← After the first tab closed');
  });

  it('the server goes away: sending says so; it comes back on the same port and store: the page follows again', async () => {
    const store = createInMemoryEventStore();
    app = await startWebInbox({ host: '127.0.0.1', port: 0, twilio: null, store, log: () => undefined });
    const port = Number(new URL(app.url).port);
    const p = await openInbox(chromium(), app, 'dana');
    pages.push(p);
    await row(p, 'ana').click();
    await until('Ana open', () => p.locator('#pane-title').textContent(), 'Ana Lima');
    await app.close();
    app = null;
    await until('the page saw the stream end', () => p.locator('#live').textContent(), 'reconnecting…');
    await p.fill('#compose-body', 'Are you there?');
    await p.click('#compose button[type=submit]');
    await until('the notice', () => p.locator('#notice').textContent().then((t) => t?.startsWith('Not sent: the server cannot be reached') ?? false), true);
    app = await startWebInbox({ host: '127.0.0.1', port, twilio: null, store, log: () => undefined });
    await until('live again', () => p.locator('#live').textContent(), '● live', 15_000);
    await clientTexts(app, '+16465550142', 'Back online?');
    await until('a text after the restart shows', () => row(p, 'ben').locator('.last').textContent(), '← Back online?');
    // Failed requests are answers the page shows, not uncaught errors.
    expect(problemsOf(p).filter((m) => !m.includes('ERR_CONNECTION_REFUSED') && !m.includes('Failed to load resource'))).toEqual([]);
  });

  it('keyboard: a row keeps the focus when the list is drawn again, and opening one moves the focus to the conversation', async () => {
    app = await startApp();
    const p = await openInbox(chromium(), app, 'dana');
    pages.push(p);
    await row(p, 'dev').focus();
    await clientTexts(app, '+16465550142', 'A live update while Dev’s row has the focus');
    await until('the update shown', () => row(p, 'ben').locator('.last').textContent(), '← A live update while Dev’s row has the focus');
    expect(await p.locator(':focus').getAttribute('data-conversation')).toBe('dev');
    await p.keyboard.press('Enter');
    await until('the conversation has the focus', () => p.locator(':focus').getAttribute('id'), 'pane-title');
    expect(await p.locator('#pane-title').textContent()).toBe('Dev Patel');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter'); // opens Options
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter'); // Mute
    await until('muted', () => row(p, 'dev').locator('[data-flag=muted]').count(), 1);
    expect(await p.locator(':focus').textContent()).toBe('Options');
  });

  it('slow answers: a late answer to an older view or To: search never replaces the newer one', async () => {
    app = await startApp();
    const p = await openInbox(chromium(), app, 'dana');
    pages.push(p);
    const slow = (pattern: RegExp) =>
      p.route(pattern, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 800));
        await route.continue().catch(() => undefined);
      });
    await slow(/\/api\/inbox\?.*view=unread/);
    await p.click('#views [data-view=unread]');
    await p.click('#views [data-view=read]');
    await until('the Read view', () => rowIds(p), ['dev']);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the Unread answer has come and gone
    expect(await rowIds(p)).toEqual(['dev']);
    expect(await p.getAttribute('#views [data-view=read]', 'aria-checked')).toBe('true');

    await slow(/\/api\/clients\?.*q=ben/);
    await p.click('#new-conversation');
    await p.fill('#to', 'ana');
    await until('Ana found', () => p.locator('#to-results [role=option]').first().textContent().then((t) => t?.startsWith('Ana Lima') ?? false), true);
    await p.fill('#to', 'ben');
    await p.keyboard.press('Enter'); // Ben's answer is not in yet: Enter must not pick Ana
    expect(await p.locator('#to-chosen').textContent()).toBe('');
    await until('Ben found', () => p.locator('#to-results [role=option]').first().textContent().then((t) => t?.startsWith('Ben Okafor') ?? false), true);
    await p.keyboard.press('Enter');
    expect(await p.locator('#to-chosen').textContent()).toBe('To Ben Okafor (+16465550142)');
  });

  it('phone width: nothing scrolls sideways, and a conversation opened from the list is brought into view', async () => {
    app = await startApp();
    const context = await chromium().newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const p = await context.newPage();
    pages.push(p);
    await p.goto(`${app.url}/?staff=dana`);
    await p.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    expect(await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await until('the list', () => rowIds(p), ['zoe', 'dev', 'ben', 'ana']);
    await row(p, 'ana').tap();
    // The conversation first (the empty pane's title may already be on screen), then where it is.
    await until('the conversation opened', () => p.locator('#pane-title').textContent(), 'Ana Lima');
    await until('the pane in view', () => p.evaluate('document.getElementById("pane-title").getBoundingClientRect().top >= 0 && document.getElementById("pane-title").getBoundingClientRect().bottom <= window.innerHeight'), true);
  });
});
