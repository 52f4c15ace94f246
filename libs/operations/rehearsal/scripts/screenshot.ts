/**
 * A PNG of a rehearsal's HTML report, taken in Debian's headless Chromium (for docs/rehearsal.md):
 *   npx tsx --tsconfig apps/cli/tsconfig.json libs/operations/rehearsal/scripts/screenshot.ts r.html docs/rehearsal-report.png
 */
import { withPage } from '../test/browser';

async function main(): Promise<void> {
  const [html, png] = process.argv.slice(2);
  if (!html || !png) throw new Error('usage: screenshot.ts REPORT.html OUT.png');
  const seen = await withPage(html, async (page, s) => {
    await page.setViewportSize({ width: 1200, height: 1300 });
    await page.screenshot({ path: png, clip: { x: 0, y: 0, width: 1200, height: 1300 } });
    return s;
  });
  if (seen.consoleErrors.length || seen.requests.length) throw new Error(`the report logged errors or made requests: ${JSON.stringify(seen)}`);
  process.stdout.write(`${png}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
