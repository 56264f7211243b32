/**
 * A real headless Chromium for the browser tests (Debian's `chromium`, or CHROMIUM_PATH), driven by
 * playwright-core. Without a browser the tests fail with what to install: they never pass unrun.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const chromiumPath = (): string => {
  const given = process.env['CHROMIUM_PATH'];
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist`);
    return given;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      'The web inbox browser tests need Chromium and found none at ' +
        `${CANDIDATES.join(', ')}. Install it (Debian/Ubuntu: apt-get install -y chromium; .ci/run does this) or set CHROMIUM_PATH.`,
    );
  }
  return found;
};

export const launchChromium = async (): Promise<{ readonly browser: Browser; readonly close: () => Promise<void> }> => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // No sandbox (CI runs as root); no background traffic (the machine has no outside network).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    // playwright gives the browser a new empty profile of its own and removes it on close.
    close: () => browser.close(),
  };
};

export const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;

export const screenshot = async (page: Page, name: string): Promise<void> => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

export type { Browser, BrowserContext, Page };

/** One Chromium for the enclosing file: launched before its tests, closed after them. */
export const useChromium = (): (() => Browser) => {
  let launched: { readonly browser: Browser; readonly close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    launched = await launchChromium();
  });
  afterAll(async () => {
    await launched?.close();
  });
  return () => {
    if (launched === undefined) throw new Error('Chromium was not launched (did beforeAll fail?)');
    return launched.browser;
  };
};
