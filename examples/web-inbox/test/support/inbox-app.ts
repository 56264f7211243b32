/**
 * One web inbox per test: the real server (in-memory store, demo transport) on a free loopback port, and
 * a page in a fresh browser context acting as one staff member. Events the test causes "from outside"
 * (a client's text, a status callback) go through the server's signed webhook by HTTP, never through the
 * page, so a page that shows them got them live.
 */
import type { Browser, Page } from 'playwright-core';
import { startWebInbox, type RunningWebInbox } from '../../app/server.js';

export const startApp = (): Promise<RunningWebInbox> => startWebInbox({ host: '127.0.0.1', port: 0, twilio: null, log: () => undefined });

/** Where an inbox listens: an in-process server's, or a host process's (inbox-process.ts). */
export type Listening = Pick<RunningWebInbox, 'url'>;

export const openInbox = async (browser: Browser, app: Listening, staffId: string): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('status of 4')) problems.push(message.text());
  });
  await page.goto(`${app.url}/?staff=${staffId}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  await page.waitForSelector('#live:text("live")');
  pageProblems.set(page, problems);
  return page;
};

const pageProblems = new WeakMap<Page, ReadonlyArray<string>>();

/** Script errors the page reported (an uncaught exception, a failed request other than a 4xx answer). */
export const problemsOf = (page: Page): ReadonlyArray<string> => pageProblems.get(page) ?? [];

/** A client texts the salon: a signed inbound webhook posted by the server's simulator, not by the page. */
export const clientTexts = async (app: Listening, from: string, body: string, pictures = 0): Promise<void> => {
  const response = await fetch(`${app.url}/api/simulate/text`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, body, pictures }) });
  const answer: unknown = await response.json();
  if (!response.ok || typeof answer !== 'object' || answer === null || !('status' in answer) || answer.status !== 200) throw new Error(`the inbound webhook was not accepted: ${JSON.stringify(answer)}`);
};

/** Twilio reports a status for an outbound message (by its provider id). */
export const twilioReports = async (app: Listening, providerMessageId: string, status: string): Promise<void> => {
  const response = await fetch(`${app.url}/api/simulate/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ providerMessageId, status }) });
  const answer: unknown = await response.json();
  if (!response.ok || typeof answer !== 'object' || answer === null || !('status' in answer) || answer.status !== 200) throw new Error(`the status callback was not accepted: ${JSON.stringify(answer)}`);
};

/** The row of a conversation in the list. */
export const row = (page: Page, conversationId: string) => page.locator(`#rows [data-conversation="${conversationId}"]`);

/** Waits until `read` answers `expected` (the page updates asynchronously); fails with the last value seen. */
export const until = async <A>(what: string, read: () => Promise<A>, expected: A, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last: A = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected)) {
    if (Date.now() > deadline) throw new Error(`${what}: expected ${JSON.stringify(expected)}, still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
};

export const badge = (page: Page): Promise<string | null> => page.locator('#badge').textContent();
export const rowIds = (page: Page): Promise<ReadonlyArray<string | null>> => page.locator('#rows [data-conversation]').evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation')));
