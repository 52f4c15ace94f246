import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtml, type RehearsalResult } from '../src';
import { itRequires } from '@bluegreen/testing-terraform';
import { CHROMIUM_MISSING, withPage } from './browser';

// A visible skip (listed at the end of npm test) where no browser is installed; under CI=true a failure.
const itBrowser = itRequires(CHROMIUM_MISSING);

describe('the HTML report in a browser', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'bluegreen-report-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  itBrowser(
    'renders the timeline chart in headless Chromium with no console error and no network request',
    async () => {
      // A real happy run's result (recorded), rendered by the code under test.
      const result = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'happy.json'), 'utf8')) as RehearsalResult;
      const file = join(dir, 'report.html');
      writeFileSync(file, renderHtml(result));
      const drawn = await withPage(file, async (page, seen) => {
        const svg = page.locator('svg#timeline');
        const box = await svg.boundingBox();
        return {
          seen,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          series: await page.locator('svg#timeline path.series').count(),
          panels: await page.locator('svg#timeline g.panel').count(),
          markerKinds: await page.locator('svg#timeline line.marker').evaluateAll((ls) => [...new Set(ls.map((l) => l.getAttribute('data-kind')))].sort()),
          // The longest drawn line must really have a length (the browser laid it out, not only parsed it).
          longest: await page.locator('svg#timeline path.series').evaluateAll((ps) => Math.max(...ps.map((p) => (p as unknown as { getTotalLength(): number }).getTotalLength()))),
          kpiRows: await page.locator('#kpis tbody tr').count(),
        };
      });
      expect(drawn.seen.consoleErrors).toEqual([]);
      expect(drawn.seen.requests).toEqual([]);
      expect(drawn.width).toBeGreaterThan(500);
      expect(drawn.height).toBeGreaterThan(300);
      expect(drawn.panels).toBe(4);
      expect(drawn.series).toBeGreaterThanOrEqual(5);
      expect(drawn.longest).toBeGreaterThan(100);
      expect(drawn.markerKinds).toEqual(expect.arrayContaining(['cutover', 'promote', 'stage']));
      expect(drawn.kpiRows).toBe(result.kpis.length);
    },
    120_000,
  );
});
