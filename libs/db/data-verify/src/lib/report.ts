import type { VerifyResult } from './types';

const KIND_LABEL = { missing_in_target: 'missing in target', missing_in_source: 'missing in source', changed: 'changed' } as const;

function rows(n: number | null): string {
  return n === null ? '-' : String(n);
}

function key(k: Readonly<Record<string, string | null>>): string {
  return Object.entries(k)
    .map(([c, v]) => `${c}=${v === null ? 'NULL' : JSON.stringify(v)}`)
    .join(', ');
}

/** A readable summary: one line per table, differing rows indented below, warnings, then the verdict. */
export function formatText(result: VerifyResult): string {
  const lines: string[] = [];
  const width = Math.max(5, ...result.tables.map((t) => t.table.length));
  lines.push(`${'table'.padEnd(width)}  ${'status'.padEnd(17)}  ${'source rows'.padStart(12)}  ${'target rows'.padStart(12)}`);
  for (const t of result.tables) {
    lines.push(`${t.table.padEnd(width)}  ${t.status.padEnd(17)}  ${rows(t.sourceRows).padStart(12)}  ${rows(t.targetRows).padStart(12)}`);
    for (const d of t.differences) lines.push(`    ${KIND_LABEL[d.kind].padEnd(17)}  ${key(d.key)}`);
  }
  if (result.warnings.length > 0) {
    lines.push('', 'warnings:');
    for (const w of result.warnings) lines.push(`  - ${w}`);
  }
  const different = result.tables.filter((t) => t.status !== 'identical').length;
  lines.push(
    '',
    result.identical
      ? `IDENTICAL: ${result.tables.length} table(s) hold the same data on both sides.`
      : `DIFFERENT: ${different} of ${result.tables.length} table(s) differ.`,
  );
  return lines.join('\n');
}
