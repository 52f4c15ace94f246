/** Opens a file in Debian's headless Chromium through playwright-core: what it drew, what it logged, what it fetched. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Opened {
  readonly consoleErrors: string[];
  /** Every request the page made except the document itself. */
  readonly requests: string[];
}

export async function withPage<T>(file: string, fn: (page: Page, seen: Opened) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'bluegreen-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: 60_000, viewport: { width: 1200, height: 900 } });
  const url = pathToFileURL(file).href;
  const seen: Opened = { consoleErrors: [], requests: [] };
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') seen.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => seen.consoleErrors.push(e.message));
    context.on('request', (r) => {
      if (r.url() !== url) seen.requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    return await fn(page, seen);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
