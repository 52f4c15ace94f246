import type { CompatibilityReport } from './check';
import type { Change } from './diff/index';

const HEADINGS: Record<Change['compatibility'], string> = {
  incompatible: 'INCOMPATIBLE — the old application will break',
  warning: 'WARNING — depends on data or usage',
  compatible: 'COMPATIBLE — the old application keeps working',
};

/** The machine-readable report (what `--format json` prints and the Lambda returns). */
export function reportToJson(report: CompatibilityReport): Record<string, unknown> {
  return {
    compatible: report.compatible,
    changes: report.changes.map((c) => ({ kind: c.kind, object: c.object, compatibility: c.compatibility, detail: c.detail, hint: c.hint, dependsOnRole: c.dependsOnRole })),
    summary: report.summary,
    blue: report.blue,
    green: report.green,
    schemas: report.schemas,
    appRole: report.appRole,
    compared: report.compared,
    catalogQueries: report.catalogQueries,
    durationMs: report.durationMs,
  };
}

/** A readable report grouped by verdict (plain text; the caller may colour it). */
export function formatReportText(report: CompatibilityReport, paint: { red(s: string): string; yellow(s: string): string; green(s: string): string; bold(s: string): string } = { red: (s) => s, yellow: (s) => s, green: (s) => s, bold: (s) => s }): string {
  const lines: string[] = [];
  lines.push(`blue:  ${report.blue.target ?? report.blue.database} (PostgreSQL ${report.blue.version})`);
  lines.push(`green: ${report.green.target ?? report.green.database} (PostgreSQL ${report.green.version})`);
  lines.push(`schemas: ${report.schemas === 'all' ? 'all non-system schemas' : report.schemas.join(', ')}${report.appRole ? `; application role: ${report.appRole}` : ''}`);
  lines.push(`compared: ${report.compared.schemas.length === 0 ? 'no schema' : `schema${report.compared.schemas.length > 1 ? 's' : ''} ${report.compared.schemas.join(', ')}`} (${report.compared.objects} objects)`);
  lines.push('');
  const colour = { incompatible: paint.red, warning: paint.yellow, compatible: paint.green };
  for (const verdict of ['incompatible', 'warning', 'compatible'] as const) {
    const group = report.changes.filter((c) => c.compatibility === verdict);
    if (group.length === 0) continue;
    lines.push(colour[verdict](paint.bold(`${HEADINGS[verdict]} (${group.length})`)));
    for (const c of group) {
      lines.push(`  ${c.object}  [${c.kind}]`, `      ${c.detail}`);
      if (c.dependsOnRole) lines.push('      depends on the role the application connects as: pass --app-role to judge it for that role');
      if (c.hint) lines.push(`      make it compatible: ${c.hint}`);
    }
    lines.push('');
  }
  if (report.changes.length === 0) lines.push('No schema differences.', '');
  const s = report.summary;
  const verdictLine = report.compatible
    ? paint.green(paint.bold(`COMPATIBLE: the old application keeps working on green (${s.warning} warning(s), ${s.compatible} compatible change(s))`))
    : paint.red(paint.bold(`INCOMPATIBLE: ${s.incompatible} change(s) break the old application (${s.warning} warning(s), ${s.compatible} compatible)`));
  lines.push(verdictLine);
  lines.push(`${report.catalogQueries} catalog queries per database, ${report.durationMs} ms`);
  return lines.join('\n');
}
