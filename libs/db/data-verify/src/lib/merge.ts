/**
 * `bluegreen data verify merge`: the shards' JSON results into one verdict. Fails closed: shards of different
 * comparisons, a missing or repeated shard, plans that disagree, or units nobody covered are errors, never
 * "identical".
 */
import { NothingToCompareError, VerifyInputError } from './errors';
import { formatRanges, parseRanges } from './shard';
import type { ConvergedChunk, TableResult, TableStatus, VerifyResult } from './types';

/** Checks the shape of one result read from a file (`source` names it in errors). */
export function parseVerifyResult(value: unknown, source: string): VerifyResult {
  const r = value as Partial<VerifyResult> | null;
  const bad = (what: string) => new VerifyInputError(`${source}: not a data verify result (${what})`);
  if (r === null || typeof r !== 'object') throw bad('not a JSON object');
  if ('error' in r) throw new VerifyInputError(`${source}: that run could not verify (${JSON.stringify((r as { error: unknown }).error)}); rerun that shard`);
  if (!Array.isArray(r.tables) || !Array.isArray(r.compared) || typeof r.source !== 'string' || typeof r.target !== 'string') throw bad('tables, compared, source, target');
  for (const t of r.tables) {
    if (!t || typeof t.table !== 'string' || !t.coverage || typeof t.coverage.units !== 'number' || typeof t.coverage.done !== 'string') throw bad(`table entry ${JSON.stringify(t?.table)}`);
  }
  return r as VerifyResult;
}

const STATUS_ORDER: TableStatus[] = ['missing_in_target', 'missing_in_source', 'different', 'identical'];

/**
 * Combines the results of `--shard 1/N` … `--shard N/N` of one comparison. Every shard must be there exactly once;
 * every table's units must be covered exactly once by shards that planned it the same way.
 */
export function mergeResults(results: readonly { readonly result: VerifyResult; readonly source: string }[], options: { readonly maxDifferences?: number; readonly allowEmpty?: boolean } = {}): VerifyResult {
  const maxDifferences = options.maxDifferences ?? 100;
  if (results.length === 0) throw new VerifyInputError('merge needs at least one shard result');
  const first = results[0].result;
  const count = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { result, source } of results) {
    if (result.source !== first.source || result.target !== first.target) {
      throw new VerifyInputError(`${source} compares ${result.source} -> ${result.target}, ${results[0].source} compares ${first.source} -> ${first.target}: not shards of one comparison`);
    }
    const c = result.shard?.count ?? 1;
    const i = result.shard?.index ?? 1;
    if (c !== count) throw new VerifyInputError(`${source} is shard ${i}/${c}, ${results[0].source} is of ${count} shards: not shards of one run`);
    if (seen.has(i)) throw new VerifyInputError(`shard ${i}/${count} given twice (${seen.get(i)} and ${source})`);
    seen.set(i, source);
    if (JSON.stringify(result.compared) !== JSON.stringify(first.compared)) {
      throw new VerifyInputError(`${source} compared other tables than ${results[0].source} (the shards must run with the same --table/--exclude-schema)`);
    }
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new VerifyInputError(`shard result(s) missing: ${missing.map((k) => `${k}/${count}`).join(', ')} (got ${[...seen.keys()].sort((a, b) => a - b).map((k) => `${k}/${count}`).join(', ')})`);

  if (first.compared.length === 0 && !options.allowEmpty) throw new NothingToCompareError('the shard results compared no table');
  const tables: TableResult[] = [];
  const convergedChunks: ConvergedChunk[] = [];
  for (const name of first.compared) {
    const parts = results.flatMap(({ result, source }) => result.tables.filter((t) => t.table === name).map((t) => ({ t, source })));
    if (parts.length === 0) throw new VerifyInputError(`${name}: no shard result covers it`);
    const { units, plan } = parts[0].t.coverage;
    const covered = new Uint8Array(units);
    for (const { t, source } of parts) {
      if (t.coverage.plan !== plan || t.coverage.units !== units) {
        throw new VerifyInputError(
          `${name}: ${source} planned it differently from ${parts[0].source} (the table changed between the shards' starts); run the shards again against a quiet source`,
        );
      }
      for (const [from, to] of parseRanges(t.coverage.done)) {
        for (let u = from; u <= to; u++) {
          if (u >= units) throw new VerifyInputError(`${name}: ${source} covers unit ${u} of ${units}`);
          if (covered[u]) throw new VerifyInputError(`${name}: unit ${u} is covered by two shards`);
          covered[u] = 1;
        }
      }
    }
    const uncovered = covered.indexOf(0);
    if (uncovered >= 0) throw new VerifyInputError(`${name}: unit ${uncovered} of ${units} is covered by no shard result (was a shard interrupted? rerun it with its --checkpoint)`);
    // Shards own contiguous runs of units: ordering the parts by their first unit keeps the rows in key order.
    parts.sort((a, b) => (parseRanges(a.t.coverage.done)[0]?.[0] ?? 0) - (parseRanges(b.t.coverage.done)[0]?.[0] ?? 0));
    const sum = (pick: (t: TableResult) => number | null) => parts.reduce<number | null>((n, { t }) => (n === null || pick(t) === null ? null : n + (pick(t) as number)), 0);
    const status = STATUS_ORDER.find((s) => parts.some(({ t }) => t.status === s)) ?? 'identical';
    tables.push({
      table: name,
      status,
      sourceRows: sum((t) => t.sourceRows),
      targetRows: sum((t) => t.targetRows),
      differences: status === 'identical' ? [] : parts.flatMap(({ t }) => t.differences).slice(0, maxDifferences),
      converged: parts.reduce((n, { t }) => n + t.converged, 0),
      coverage: { units, done: formatRanges(Array.from({ length: units }, (_, k) => k)), plan },
    });
    for (const r of results) convergedChunks.push(...r.result.convergedChunks.filter((c) => c.table === name));
  }
  const warnings = [...new Set(results.flatMap((r) => r.result.warnings))];
  const stat = (k: keyof VerifyResult['stats']) => results.reduce((n, r) => n + (r.result.stats?.[k] ?? 0), 0);
  return {
    identical: tables.every((t) => t.status === 'identical'),
    complete: true,
    source: first.source,
    target: first.target,
    compared: first.compared,
    tables,
    convergedChunks,
    warnings,
    stats: {
      rowsHashed: stat('rowsHashed'),
      units: stat('units'),
      resumedUnits: stat('resumedUnits'),
      recheckRounds: Math.max(...results.map((r) => r.result.stats?.recheckRounds ?? 0)),
      elapsedMs: Math.max(...results.map((r) => r.result.stats?.elapsedMs ?? 0)),
    },
  };
}
