import type { Client } from 'pg';
import type { Catalog } from './catalog';
import { compareChunks, compareUtf8, planChunks, reconcile, type ChunkSummary, type RawDifference } from './chunks';
import { CursorReader } from './cursor';
import { arrayTypeOf, fromClause, quoteIdent, rowHash, type ColumnInfo, type TableInfo } from './sql';
import type { RowDifference, TableResult, TableStatus } from './types';

export interface Side {
  readonly client: Client;
  readonly catalog: Catalog;
}

export interface CompareOptions {
  readonly chunkSize: number;
  readonly maxDifferences: number;
}

export interface TableOutcome {
  readonly result: TableResult;
  readonly warnings: readonly string[];
}

/** Pages to sample for chunk boundaries; tables up to this size are read whole (key column only). */
const SAMPLE_PAGES = 256;

function strip(d: RawDifference): RowDifference {
  return { key: d.key, kind: d.kind };
}

async function countRows(side: Side, t: TableInfo): Promise<number> {
  const { rows } = await side.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${fromClause(t)}`);
  return Number(rows[0].n);
}

/** Compares one table that exists on at least one side. */
export async function compareTable(name: string, source: Side, target: Side, options: CompareOptions): Promise<TableOutcome> {
  const s = source.catalog.tables.get(name);
  const t = target.catalog.tables.get(name);
  if (!s && !t) throw new Error(`table ${name} exists on neither side`);
  if (!t) {
    return { result: { table: name, status: 'missing_in_target', sourceRows: await countRows(source, s as TableInfo), targetRows: null, differences: [] }, warnings: [] };
  }
  if (!s) {
    return { result: { table: name, status: 'missing_in_source', sourceRows: null, targetRows: await countRows(target, t), differences: [] }, warnings: [] };
  }

  const warnings: string[] = [];
  const targetCols = new Map(t.columns.map((c) => [c.name, c]));
  const sourceColNames = new Set(s.columns.map((c) => c.name));
  const common = s.columns.filter((c) => targetCols.has(c.name)).map((c) => c.name);
  const onlySource = s.columns.filter((c) => !targetCols.has(c.name)).map((c) => c.name);
  const onlyTarget = t.columns.filter((c) => !sourceColNames.has(c.name)).map((c) => c.name);
  if (onlySource.length > 0) warnings.push(`${name}: columns missing in target: ${onlySource.join(', ')} (their data is not there; compared the common columns)`);
  if (onlyTarget.length > 0) warnings.push(`${name}: columns only in target: ${onlyTarget.join(', ')} (not compared)`);
  if (common.length === 0) {
    warnings.push(`${name}: no columns in common`);
    return {
      result: { table: name, status: 'different', sourceRows: await countRows(source, s), targetRows: await countRows(target, t), differences: [] },
      warnings,
    };
  }
  const find = (info: TableInfo, c: string) => info.columns.find((x) => x.name === c) as ColumnInfo;
  const trim = (c: string) => find(s, c).type !== find(t, c).type || !/\(\d+,\d+\)$/.test(find(s, c).type);
  const columnsOf = (info: TableInfo): ColumnInfo[] => common.map((c) => ({ ...find(info, c), trimScale: trim(c) }));
  const sCols = columnsOf(s);
  const tCols = columnsOf(t);

  const usable = (pk: readonly string[] | undefined) => (pk && pk.every((c) => common.includes(c)) ? pk : undefined);
  const pk = usable(s.primaryKey) ?? usable(t.primaryKey);
  if (s.primaryKey && t.primaryKey && s.primaryKey.join(',') !== t.primaryKey.join(',')) {
    warnings.push(`${name}: primary keys differ (source ${s.primaryKey.join(', ')}; target ${t.primaryKey.join(', ')}); compared by ${pk?.join(', ') ?? 'whole rows'}`);
  } else if (pk && (!s.primaryKey || !t.primaryKey)) {
    warnings.push(`${name}: primary key (${pk.join(', ')}) exists on the ${s.primaryKey ? 'source' : 'target'} only; used on both sides`);
  }

  const outcome = pk
    ? await compareByKey(name, { side: source, info: s, cols: sCols }, { side: target, info: t, cols: tCols }, pk, options)
    : await compareMultiset(name, { side: source, info: s, cols: sCols }, { side: target, info: t, cols: tCols }, options);
  if (!pk) warnings.unshift(`${name}: no primary key; compared as a multiset of whole rows (duplicates counted)`);
  warnings.push(...outcome.warnings);
  const status = outcome.result.status === 'identical' && onlySource.length > 0 ? 'different' : outcome.result.status;
  return { result: { ...outcome.result, status, differences: outcome.result.differences }, warnings };
}

interface Prepared {
  readonly side: Side;
  readonly info: TableInfo;
  /** The compared columns, in the same order on both sides. */
  readonly cols: readonly ColumnInfo[];
}

/**
 * The key expression chunks are cut on. A text-like key whose collation differs between the sides is compared
 * bytewise (`COLLATE "C"`) on both, so a key falls in the same chunk on each side (at the price of index use when
 * narrowing); otherwise the column itself, whose index serves the chunk ranges.
 */
function keyExpr(keyCol: ColumnInfo, bytewise: boolean): string {
  return bytewise ? `(${quoteIdent(keyCol.name)} COLLATE "C")` : quoteIdent(keyCol.name);
}

async function sampleKeys(p: Prepared, keyCol: ColumnInfo, bytewise: boolean): Promise<{ sample: string[]; fraction: number }> {
  const pages = Math.ceil(p.info.bytes / p.side.catalog.blockSize);
  const k = keyExpr(keyCol, bytewise);
  if (pages <= SAMPLE_PAGES) {
    const { rows } = await p.side.client.query<{ k: string }>(`SELECT ${k}::text AS k FROM ${fromClause(p.info)} ORDER BY ${k}`);
    return { sample: rows.map((r) => r.k), fraction: 1 };
  }
  const percent = (100 * SAMPLE_PAGES) / pages;
  const { rows } = await p.side.client.query<{ k: string }>(`SELECT ${k}::text AS k FROM ${fromClause(p.info)} TABLESAMPLE SYSTEM ($1) REPEATABLE (42) ORDER BY ${k}`, [percent]);
  return { sample: rows.map((r) => r.k), fraction: percent / 100 };
}

function chunkExpression(keyCol: ColumnInfo, bytewise: boolean, boundaries: readonly string[]): string {
  return boundaries.length === 0 ? '0' : `width_bucket(${keyExpr(keyCol, bytewise)}, $1::text[]::${arrayTypeOf(keyCol)})`;
}

async function chunkSummaries(p: Prepared, chunkExpr: string, params: unknown[]): Promise<ChunkSummary[]> {
  const version = p.side.catalog.serverVersionNum;
  const { rows } = await p.side.client.query<{ c: number; n: string; s: string }>(
    // The subquery fence (OFFSET 0) hides that the chunk number is computed from a unique key: the planner then
    // estimates a few hundred groups and picks a hash aggregate, instead of sorting the whole table by chunk.
    `SELECT c, count(*) AS n, sum(h) AS s FROM (SELECT ${chunkExpr} AS c, ${rowHash(p.cols, version)} AS h FROM ${fromClause(p.info)} OFFSET 0) x GROUP BY c ORDER BY c`,
    params,
  );
  return rows.map((r) => ({ chunk: Number(r.c), rows: r.n, hash: r.s }));
}

/**
 * Primary-key tables: one pass per side (in parallel) returning count + sum of 64-bit row hashes per key-range
 * chunk; then, for differing chunks only, a key-ordered merge of (key, row hash) streamed from both sides.
 */
async function compareByKey(name: string, s: Prepared, t: Prepared, pk: readonly string[], options: CompareOptions): Promise<TableOutcome> {
  const warnings: string[] = [];
  const keyOf = (p: Prepared, c: string) => p.info.columns.find((x) => x.name === c) as ColumnInfo;
  const sKey = keyOf(s, pk[0]);
  const tKey = keyOf(t, pk[0]);

  const bytewise = sKey.collation !== tKey.collation && (sKey.collation !== null || tKey.collation !== null);
  if (bytewise) warnings.push(`${name}: key column ${pk[0]} has different collations (source ${sKey.collation}; target ${tKey.collation}); chunked bytewise`);

  // Boundaries from the source's keys (the target's when the source is empty); both sides chunk by the same values.
  let { sample, fraction } = await sampleKeys(s, sKey, bytewise);
  if (sample.length === 0) ({ sample, fraction } = await sampleKeys(t, tKey, bytewise));
  const plan = planChunks(sample, fraction, options.chunkSize);
  const boundaries = plan.boundaries;
  const params = boundaries.length === 0 ? [] : [boundaries];

  const [sChunks, tChunks] = await Promise.all([chunkSummaries(s, chunkExpression(sKey, bytewise, boundaries), params), chunkSummaries(t, chunkExpression(tKey, bytewise, boundaries), params)]);
  const cmp = compareChunks(sChunks, tChunks);
  const base = (status: TableStatus, differences: RowDifference[]): TableResult => ({ table: name, status, sourceRows: cmp.sourceRows, targetRows: cmp.targetRows, differences });
  if (cmp.differing.length === 0) return { result: base('identical', []), warnings };

  let diffs: RawDifference[] = [];
  let complete = true;
  for (let i = 0; i < cmp.differing.length; i++) {
    if (diffs.length >= options.maxDifferences) {
      complete = false;
      break;
    }
    const found = await narrowKeyChunk(s, t, pk, sKey, tKey, bytewise, boundaries, cmp.differing[i], options.maxDifferences - diffs.length);
    if (!found.complete) complete = false;
    diffs = reconcile([...diffs, ...found.diffs]);
  }
  if (diffs.length === 0 && complete) {
    // Every differing chunk was explained by rows that sit in other chunks on the other side (the servers order
    // the key differently, e.g. another ICU version), but the rows are the same.
    warnings.push(`${name}: the two servers order the key ${pk[0]} differently; rows matched across chunks`);
    return { result: base('identical', []), warnings };
  }
  if (!complete) warnings.push(`${name}: more than ${options.maxDifferences} differing rows may exist; listed the first ${Math.min(diffs.length, options.maxDifferences)}`);
  return { result: base('different', diffs.slice(0, options.maxDifferences).map(strip)), warnings };
}

interface KeyRow {
  sk: string;
  h: string;
  [k: string]: string;
}

async function narrowKeyChunk(
  s: Prepared,
  t: Prepared,
  pk: readonly string[],
  sKey: ColumnInfo,
  tKey: ColumnInfo,
  bytewise: boolean,
  boundaries: readonly string[],
  chunk: number,
  limit: number,
): Promise<{ diffs: RawDifference[]; complete: boolean }> {
  const open = (p: Prepared, keyCol: ColumnInfo) => {
    const k = keyExpr(keyCol, bytewise);
    const type = keyCol.type;
    const conds: string[] = [];
    const params: string[] = [];
    if (boundaries.length > 0 && chunk >= 1) {
      params.push(boundaries[chunk - 1]);
      conds.push(`${k} >= $${params.length}::${type}`);
    }
    if (boundaries.length > 0 && chunk < boundaries.length) {
      params.push(boundaries[chunk]);
      conds.push(`${k} < $${params.length}::${type}`);
    }
    const keyRecord = `ROW(${pk.map(quoteIdent).join(', ')})::text`;
    const keyCols = pk.map((c, i) => `${quoteIdent(c)}::text AS k${i}`).join(', ');
    const sql =
      `SELECT ${keyRecord} AS sk, ${keyCols}, ${rowHash(p.cols, p.side.catalog.serverVersionNum)}::text AS h ` +
      `FROM ${fromClause(p.info)} WHERE ${conds.length ? conds.join(' AND ') : 'true'} ORDER BY (${keyRecord}) COLLATE "C"`;
    return CursorReader.open<KeyRow>(p.side.client, sql, params);
  };
  const [a, b] = await Promise.all([open(s, sKey), open(t, tKey)]);
  const keyOf = (r: KeyRow) => Object.fromEntries(pk.map((c, i) => [c, r[`k${i}`] ?? null]));
  const diffs: RawDifference[] = [];
  let complete = true;
  try {
    for (;;) {
      const [x, y] = await Promise.all([a.peek(), b.peek()]);
      if (!x && !y) break;
      if (diffs.length >= limit) {
        complete = false;
        break;
      }
      const order = !x ? 1 : !y ? -1 : compareUtf8(x.sk, y.sk);
      if (order < 0 && x) {
        diffs.push({ sortKey: x.sk, key: keyOf(x), kind: 'missing_in_target', sourceHash: x.h });
        a.advance();
      } else if (order > 0 && y) {
        diffs.push({ sortKey: y.sk, key: keyOf(y), kind: 'missing_in_source', targetHash: y.h });
        b.advance();
      } else if (x && y) {
        if (x.h !== y.h) diffs.push({ sortKey: x.sk, key: keyOf(x), kind: 'changed', sourceHash: x.h, targetHash: y.h });
        a.advance();
        b.advance();
      }
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  return { diffs, complete };
}

/** Buckets for a table without a key: about one per chunkSize rows, bounded. */
function bucketCount(s: TableInfo, t: TableInfo, chunkSize: number): number {
  const estimate = (i: TableInfo) => (i.reltuples >= 0 ? i.reltuples : i.bytes / 50);
  return Math.max(1, Math.min(100_000, Math.ceil(Math.max(estimate(s), estimate(t)) / chunkSize)));
}

/**
 * Tables without a primary key: rows are a multiset. Rows are bucketed by their own hash; per bucket the count
 * and the hash sum are compared; differing buckets (up to maxDifferences of them, in one pass) are narrowed to
 * (row hash, count) pairs merged in hash order.
 */
async function compareMultiset(name: string, s: Prepared, t: Prepared, options: CompareOptions): Promise<TableOutcome> {
  const buckets = bucketCount(s.info, t.info, options.chunkSize);
  const summaries = (p: Prepared) =>
    p.side.client
      .query<{ c: number; n: string; s: string }>(
        `SELECT c, count(*) AS n, sum(h) AS s FROM (SELECT ((h % $1) + $1) % $1 AS c, h FROM (SELECT ${rowHash(p.cols, p.side.catalog.serverVersionNum)} AS h FROM ${fromClause(p.info)}) y OFFSET 0) x GROUP BY c ORDER BY c`,
        [buckets],
      )
      .then((r) => r.rows.map((x) => ({ chunk: Number(x.c), rows: x.n, hash: x.s })));
  const [sChunks, tChunks] = await Promise.all([summaries(s), summaries(t)]);
  const cmp = compareChunks(sChunks, tChunks);
  const base = (status: TableStatus, differences: RowDifference[]): TableResult => ({ table: name, status, sourceRows: cmp.sourceRows, targetRows: cmp.targetRows, differences });
  if (cmp.differing.length === 0) return { result: base('identical', []), warnings: [] };

  const selected = cmp.differing.slice(0, options.maxDifferences);
  const open = (p: Prepared) => {
    const h = rowHash(p.cols, p.side.catalog.serverVersionNum);
    const values = `ARRAY[${p.cols.map((c) => `${quoteIdent(c.name)}::text`).join(', ')}]`;
    return CursorReader.open<{ h: string; n: string; k: (string | null)[] }>(
      p.side.client,
      `SELECT x.h::text AS h, count(*) AS n, min(x.k) AS k FROM (SELECT ${h} AS h, ${values} AS k FROM ${fromClause(p.info)}) x ` +
        `WHERE ((x.h % $1) + $1) % $1 = ANY($2::int8[]) GROUP BY x.h ORDER BY x.h`,
      [buckets, selected],
    );
  };
  const [a, b] = await Promise.all([open(s), open(t)]);
  const keyOf = (k: (string | null)[]) => Object.fromEntries(s.cols.map((c, i) => [c.name, k[i] ?? null]));
  const diffs: RowDifference[] = [];
  let complete = selected.length === cmp.differing.length;
  try {
    for (;;) {
      const [x, y] = await Promise.all([a.peek(), b.peek()]);
      if (!x && !y) break;
      if (diffs.length >= options.maxDifferences) {
        complete = false;
        break;
      }
      const order = !x ? 1 : !y ? -1 : BigInt(x.h) < BigInt(y.h) ? -1 : BigInt(x.h) > BigInt(y.h) ? 1 : 0;
      let missingInTarget = 0;
      let missingInSource = 0;
      let row: (string | null)[] = [];
      if (order < 0 && x) {
        missingInTarget = Number(x.n);
        row = x.k;
        a.advance();
      } else if (order > 0 && y) {
        missingInSource = Number(y.n);
        row = y.k;
        b.advance();
      } else if (x && y) {
        const d = Number(x.n) - Number(y.n);
        if (d > 0) missingInTarget = d;
        else missingInSource = -d;
        row = x.k;
        a.advance();
        b.advance();
      }
      // One entry per missing copy: duplicates count.
      for (let i = 0; i < missingInTarget && diffs.length < options.maxDifferences; i++) diffs.push({ key: keyOf(row), kind: 'missing_in_target' });
      for (let i = 0; i < missingInSource && diffs.length < options.maxDifferences; i++) diffs.push({ key: keyOf(row), kind: 'missing_in_source' });
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  const warnings = complete ? [] : [`${name}: more than ${options.maxDifferences} differing rows may exist; listed the first ${diffs.length}`];
  return { result: base('different', diffs), warnings };
}
