/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, a Content-Security-Policy that lets
 * nothing load): the KPI table, a timeline chart (weights, 5xx rate, p95, replication lag, with markers for stages,
 * gates, alarms, rollbacks, cutover, promote) and every event.
 */
import type { Colour } from '@bluegreen/contract';
import type { EventKind, RehearsalEvent, RehearsalResult, TimelineSample } from '../types';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();

const COLOURS: Record<Colour, string> = { blue: '#1f6fd1', green: '#1e9e4a' };
const MARKERS: Partial<Record<EventKind, { colour: string; label: string }>> = {
  stage: { colour: '#6b7280', label: 'stage' },
  gate: { colour: '#b45309', label: 'gate refused' },
  alarm: { colour: '#dc2626', label: 'alarm' },
  rollback: { colour: '#dc2626', label: 'rollback' },
  cutover: { colour: '#7c3aed', label: 'cutover' },
  'db-rollback': { colour: '#db2777', label: 'database rollback' },
  promote: { colour: '#0891b2', label: 'promote' },
  fault: { colour: '#f97316', label: 'fault on' },
};

/** The events drawn as markers: every stage, alarm, rollback, fault, promote; a gate only when it refused; the first and last line of a cutover or database rollback. */
function markers(events: readonly RehearsalEvent[]): RehearsalEvent[] {
  const out: RehearsalEvent[] = [];
  for (const kind of ['cutover', 'db-rollback'] as const) {
    const of = events.filter((e) => e.kind === kind);
    if (of.length) out.push(of[0], { ...of[of.length - 1], text: `${of[of.length - 1].text} (${num((of[of.length - 1].t - of[0].t) / 1000)} s after it began)` });
  }
  for (const e of events) {
    if (e.kind === 'gate' && !/refused/.test(e.text)) continue;
    if (e.kind in MARKERS && e.kind !== 'cutover' && e.kind !== 'db-rollback') out.push(e);
  }
  return out.sort((a, b) => a.t - b.t);
}

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly max: number;
  readonly series: readonly { readonly name: string; readonly colour: string; readonly points: readonly [number, number][]; readonly dashed?: boolean }[];
  readonly threshold?: number;
}

function path(points: readonly [number, number][], x: (t: number) => number, y: (v: number) => number): string {
  // Gaps (no value in a sample) break the line instead of drawing 0.
  let d = '';
  let prev: number | undefined;
  for (const [t, v] of points) {
    d += `${prev === undefined || t - prev > 1000 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    prev = t;
  }
  return d;
}

function chart(r: RehearsalResult): string {
  const tl: readonly TimelineSample[] = r.timeline;
  const end = Math.max(1000, r.durationMs, ...tl.map((s) => s.t));
  const W = 1000;
  const left = 60;
  const right = 20;
  const panelH = 110;
  const gap = 34;
  const x = (t: number) => left + (t / end) * (W - left - right);
  const p95Threshold = r.settings.thresholds.p95LatencySeconds;
  const rateThreshold = r.settings.thresholds.http5xxRatePercent;
  const pts = (f: (s: TimelineSample) => number | undefined): [number, number][] => tl.flatMap((s) => (f(s) === undefined ? [] : [[s.t, f(s) as number] as [number, number]]));
  const maxOf = (vals: number[], floor: number) => Math.max(floor, ...vals) * 1.1;
  const rates = tl.flatMap((s) => Object.values(s.errorRate));
  const p95s = tl.flatMap((s) => Object.values(s.p95));
  const lags = tl.flatMap((s) => (s.lagSeconds === undefined ? [] : [s.lagSeconds]));
  const panels: Panel[] = [
    { title: 'listener weights', unit: '%', max: 100, series: (['blue', 'green'] as const).map((c) => ({ name: c, colour: COLOURS[c], points: pts((s) => s.weights[c]) })) },
    { title: '5xx rate (metrics window)', unit: '%', max: maxOf(rates, rateThreshold * 2), threshold: rateThreshold, series: (['blue', 'green'] as const).map((c) => ({ name: c, colour: COLOURS[c], points: pts((s) => s.errorRate[c]) })) },
    { title: 'p95 response time (metrics window)', unit: 's', max: maxOf(p95s, p95Threshold * 1.2), threshold: p95Threshold, series: (['blue', 'green'] as const).map((c) => ({ name: c, colour: COLOURS[c], points: pts((s) => s.p95[c]) })) },
    {
      title: 'replication latency',
      unit: 's',
      max: maxOf(lags, 1),
      series: [
        { name: 'forward (old -> new)', colour: '#6b7280', points: pts((s) => (s.lagDirection === 'forward' ? s.lagSeconds : undefined)) },
        { name: 'reverse (new -> old)', colour: '#db2777', points: pts((s) => (s.lagDirection === 'reverse' ? s.lagSeconds : undefined)), dashed: true },
      ],
    },
  ];
  const top0 = 44;
  const H = top0 + panels.length * (panelH + gap) + 30;
  const parts: string[] = [];
  panels.forEach((p, i) => {
    const top = top0 + i * (panelH + gap);
    const y = (v: number) => top + panelH - (Math.min(v, p.max) / p.max) * panelH;
    parts.push(`<g class="panel" data-panel="${esc(p.title)}">`);
    parts.push(`<text x="${left}" y="${top - 8}" class="ptitle">${esc(p.title)} (${p.unit})</text>`);
    parts.push(`<rect x="${left}" y="${top}" width="${W - left - right}" height="${panelH}" class="frame"/>`);
    for (const f of [0, 0.5, 1]) parts.push(`<text x="${left - 6}" y="${(y(p.max * f) + 4).toFixed(1)}" class="tick" text-anchor="end">${num(p.max * f)}</text>`);
    if (p.threshold !== undefined) parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(p.threshold).toFixed(1)}" y2="${y(p.threshold).toFixed(1)}" class="threshold"><title>threshold ${p.threshold} ${p.unit}</title></line>`);
    for (const s of p.series) {
      if (s.points.length) parts.push(`<path d="${path(s.points, x, y)}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''} class="series"><title>${esc(s.name)}</title></path>`);
    }
    parts.push('</g>');
  });
  const bottom = top0 + panels.length * (panelH + gap) - gap;
  for (let t = 0; t <= end; t += end > 60_000 ? 10_000 : 5000) parts.push(`<text x="${x(t).toFixed(1)}" y="${bottom + 16}" class="tick" text-anchor="middle">${t / 1000} s</text>`);
  for (const m of markers(r.events)) {
    const style = MARKERS[m.kind] ?? { colour: '#000', label: m.kind };
    parts.push(
      `<line x1="${x(m.t).toFixed(1)}" x2="${x(m.t).toFixed(1)}" y1="${top0}" y2="${bottom}" stroke="${style.colour}" class="marker" data-kind="${m.kind}"><title>${esc(`${num(m.t / 1000)} s ${style.label}: ${m.text}`)}</title></line>`,
    );
  }
  let lx = left;
  const legend = [
    ...(['blue', 'green'] as const).map((c) => [c, COLOURS[c], 10]),
    ['reverse replication', '#db2777', 10],
    ['threshold', '#9ca3af', 10],
    ...Object.values(MARKERS).map((m) => [m?.label ?? '', m?.colour ?? '', 3]),
  ]
    .map(([name, colour, width]) => {
      const g = `<g transform="translate(${lx},4)"><rect width="${width}" height="12" fill="${colour}"/><text x="${Number(width) + 4}" y="10" class="tick">${esc(String(name))}</text></g>`;
      lx += 20 + String(name).length * 5.9;
      return g;
    })
    .join('');
  return `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="rehearsal timeline">${legend}${parts.join('')}</svg>`;
}

export function renderHtml(r: RehearsalResult): string {
  const verdict = r.outcome === 'met' ? 'every KPI met' : r.outcome === 'missed' ? `KPI missed: ${r.kpis.filter((k) => !k.met).map((k) => k.name).join('; ')}` : `could not run: ${r.error ?? ''}`;
  const kpiRows = r.kpis.map((k) => `<tr class="${k.met ? 'met' : 'missed'}"><td>${esc(k.name)}</td><td>${esc(k.expected)}</td><td>${k.met ? 'met' : 'MISSED'}</td><td>${esc(k.actual)}</td></tr>`).join('\n');
  const eventRows = r.events.map((e) => `<tr><td class="num">${num(e.t / 1000)} s</td><td>${esc(e.kind)}</td><td>${esc(e.text)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bluegreen rehearsal: ${esc(r.scenario)} (${esc(r.settings.env)})</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #111827; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.verdict { font-weight: 600; padding: 6px 10px; border-radius: 4px; display: inline-block; }
.verdict.met { background: #dcfce7; } .verdict.missed, .verdict.error { background: #fee2e2; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
tr.missed td { background: #fef2f2; } tr.missed td:nth-child(3) { color: #b91c1c; font-weight: 600; } tr.met td:nth-child(3) { color: #15803d; }
td.num { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #6b7280; }
svg .frame { fill: #fafafa; stroke: #d1d5db; } svg .tick { font-size: 11px; fill: #4b5563; } svg .ptitle { font-size: 12px; font-weight: 600; fill: #111827; }
svg .threshold { stroke: #9ca3af; stroke-dasharray: 4 3; } svg .marker { stroke-width: 1.5; opacity: 0.75; }
</style>
</head>
<body>
<h1>Rehearsal <code>${esc(r.scenario)}</code> of environment <code>${esc(r.settings.env)}</code></h1>
<p>${esc(r.description)}. <span class="muted">Expected: ${esc(r.expectation)}.</span></p>
<p class="verdict ${r.outcome}">${esc(verdict)}</p>
<h2>KPIs</h2>
<table id="kpis"><thead><tr><th>KPI</th><th>expected</th><th>result</th><th>actual</th></tr></thead><tbody>
${kpiRows}
</tbody></table>
<h2>Timeline</h2>
${chart(r)}
<p class="muted">Markers: hover a line for its event. ${esc(r.settings.timeScale)}.</p>
<h2>Settings</h2>
<p>${r.settings.rate} requests/s (half writes), at most ${r.settings.maxDurationSeconds} s; stages ${esc(r.settings.stages.join(' -> '))} %; rollback when 5xx &gt; ${r.settings.thresholds.http5xxRatePercent} %, p95 &gt; ${r.settings.thresholds.p95LatencySeconds} s, unhealthy &gt; ${r.settings.thresholds.unhealthyHosts}; CDC latency limit ${r.settings.cdcLatencyThresholdSeconds} s. ${esc(r.settings.databases)}. Started ${esc(r.startedAt)}, ran ${num(r.durationMs / 1000)} s.</p>
<h2>Events</h2>
<table id="events"><tbody>
${eventRows}
</tbody></table>
</body>
</html>
`;
}
