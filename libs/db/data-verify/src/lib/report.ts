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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The compared tables, in full up to 20 names (the JSON output always lists all of them). */
function comparedLine(result: VerifyResult): string {
  const n = result.compared.length;
  if (n === 0) return 'compared 0 tables (an empty comparison was explicitly accepted)';
  const names = n > 20 ? `${result.compared.slice(0, 20).join(', ')}, … and ${n - 20} more (--format json lists all)` : result.compared.join(', ');
  return `compared ${plural(n, 'table')}: ${names}`;
}

/**
 * A readable summary: the tables compared, one line per table with its differing rows indented below, the chunks
 * that differed and converged on a recheck, warnings, then the verdict.
 */
export function formatText(result: VerifyResult): string {
  const lines: string[] = [comparedLine(result), ''];
  const width = Math.max(5, ...result.tables.map((t) => t.table.length));
  lines.push(`${'table'.padEnd(width)}  ${'status'.padEnd(17)}  ${'source rows'.padStart(12)}  ${'target rows'.padStart(12)}`);
  for (const t of result.tables) {
    lines.push(`${t.table.padEnd(width)}  ${t.status.padEnd(17)}  ${rows(t.sourceRows).padStart(12)}  ${rows(t.targetRows).padStart(12)}`);
    for (const d of t.differences) lines.push(`    ${KIND_LABEL[d.kind].padEnd(17)}  ${key(d.key)}`);
  }
  const converged = result.tables.reduce((n, t) => n + t.converged, 0);
  if (converged > 0) {
    lines.push('', `differed, converged on recheck (replication catching up, not a difference): ${plural(converged, 'chunk')}`);
    for (const c of result.convergedChunks) lines.push(`  ${c.table}  ${c.range}  after ${plural(c.attempts, 'recheck')}`);
    if (result.convergedChunks.length < converged) lines.push(`  … (${converged - result.convergedChunks.length} more)`);
  }
  if (result.warnings.length > 0) {
    lines.push('', 'warnings:');
    for (const w of result.warnings) lines.push(`  - ${w}`);
  }
  const different = result.tables.filter((t) => t.status !== 'identical');
  lines.push('');
  if (different.length > 0) {
    lines.push(`different: ${different.map((t) => t.table).join(', ')}`);
  }
  const scope = result.shard ? `SHARD ${result.shard.index}/${result.shard.count} (a part; merge every shard's JSON with 'bluegreen data verify merge' for the verdict): ` : '';
  const also = converged > 0 ? ` (${plural(converged, 'chunk')} differed while replication caught up and converged on recheck)` : '';
  lines.push(
    result.identical
      ? `${scope}IDENTICAL: ${plural(result.tables.length, 'table')} hold the same data on both sides${also}.`
      : `${scope}DIFFERENT: ${different.length} of ${plural(result.tables.length, 'table')} differ.`,
  );
  return lines.join('\n');
}
