/** Opens a file in Debian's headless Chromium through playwright-core: what it drew, what it logged, what it fetched. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

/** The browser: BLUEGREEN_CHROMIUM, else `chromium` on PATH (Debian's package installs it there); undefined when neither. */
function findChromium(): string | undefined {
  if (process.env.BLUEGREEN_CHROMIUM) return existsSync(process.env.BLUEGREEN_CHROMIUM) ? process.env.BLUEGREEN_CHROMIUM : undefined;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8', timeout: 10_000 });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

export const CHROMIUM = findChromium();
/** Why the browser tests cannot run here, or undefined when they can. */
export const CHROMIUM_MISSING = CHROMIUM ? undefined : 'missing headless Chromium (apt-get install chromium, or set BLUEGREEN_CHROMIUM)';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Opened {
  readonly consoleErrors: string[];
  /** Every request the page made except the document itself. */
  readonly requests: string[];
}

export async function withPage<T>(file: string, fn: (page: Page, seen: Opened) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'bluegreen-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM ?? 'chromium', args: CHROMIUM_FLAGS, headless: true, timeout: 60_000, viewport: { width: 1200, height: 900 } });
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
