import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeOf, formatText, renderHtml, type RehearsalResult } from '../src';

const happy = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'happy.json'), 'utf8')) as RehearsalResult;

describe('reports', () => {
  it('HTML: self-contained (nothing to load), escaped, with the KPI table and the chart', () => {
    const html = renderHtml({ ...happy, events: [...happy.events, { t: 1, kind: 'info', text: '<script>alert(1)</script>' }] });
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<svg id="timeline"');
    expect((html.match(/<tr class="met">/g) ?? []).length).toBe(happy.kpis.length);
  });
  it('text names the missed KPI; exit codes 0 / 1 / 2', () => {
    const missed: RehearsalResult = { ...happy, outcome: 'missed', kpis: [{ ...happy.kpis[0], met: false }, ...happy.kpis.slice(1)] };
    expect(formatText(missed)).toContain(`KPI missed: ${happy.kpis[0].name}`);
    expect([exitCodeOf(happy), exitCodeOf(missed), exitCodeOf({ ...happy, outcome: 'error', error: 'x' })]).toEqual([0, 1, 2]);
  });
});
