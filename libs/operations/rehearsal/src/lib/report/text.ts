import type { RehearsalResult } from '../types';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The KPI table as aligned text columns. */
export function kpiTable(r: RehearsalResult): string {
  if (r.kpis.length === 0) return '(no KPI: the rehearsal did not run to its end)';
  const w1 = Math.max(...r.kpis.map((k) => k.name.length), 3);
  const w2 = Math.max(...r.kpis.map((k) => k.expected.length), 8);
  const lines = [`${pad('KPI', w1)}  ${pad('expected', w2)}  result  actual`];
  for (const k of r.kpis) lines.push(`${pad(k.name, w1)}  ${pad(k.expected, w2)}  ${k.met ? 'met   ' : 'MISSED'}  ${k.actual}`);
  return lines.join('\n');
}

const clock = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

/** The text report: what ran, the events, the KPI table, the verdict. */
export function formatText(r: RehearsalResult): string {
  const out = [
    `rehearsal ${r.scenario} (environment ${r.settings.env}): ${r.description}`,
    `expected: ${r.expectation}`,
    `settings: ${r.settings.rate} requests/s, ${r.settings.timeScale}`,
  ];
  if (r.settings.databases) out.push(`databases: ${r.settings.databases}`);
  out.push('', 'timeline:');
  for (const e of r.events) out.push(`${clock(e.t)}  ${e.kind.padEnd(11)} ${e.text}`);
  out.push('', kpiTable(r), '');
  if (r.outcome === 'error') out.push(`could not run the rehearsal: ${r.error}`);
  else if (r.outcome === 'missed') out.push(`KPI missed: ${r.kpis.filter((k) => !k.met).map((k) => k.name).join('; ')}`);
  else out.push(`every KPI met (${(r.durationMs / 1000).toFixed(1)} s)`);
  return out.join('\n');
}

/** Exit code of a result: 0 met, 1 a KPI missed, 2 could not run. */
export function exitCodeOf(r: RehearsalResult): 0 | 1 | 2 {
  return r.outcome === 'met' ? 0 : r.outcome === 'missed' ? 1 : 2;
}
