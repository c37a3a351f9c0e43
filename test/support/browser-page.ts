/**
 * A page of Debian's chromium through playwright-core (no downloaded browser; CHROMIUM_PATH points
 * elsewhere), for the unit tests of the drawings and the e2e checks of `lab serve` alike.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserPage {
  page: Page;
  /** Console errors and warnings, page errors and dialogs (an alert() would be one, as `dialog: <message>`). */
  problems: string[];
  close(): Promise<void>;
}

/** A 1920x1080 page, as a projector shows it, recording everything that went wrong. */
export async function openBrowserPage(): Promise<BrowserPage> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, problems, close: () => browser.close() };
}
