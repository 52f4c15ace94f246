/**
 * One table, cut into units of work, compared unit by unit:
 *
 * - `setupTable` (pure, from the two catalogs): which columns are compared, by which key, how;
 * - `planTable` (one sampling query on the source): the chunk boundaries of a keyed table;
 * - `runUnit`: hash one unit on both sides at once and, when it differs, list its differing rows.
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { Catalog } from './catalog';
import { compareChunks, compareUtf8, planChunks, reconcile, type ChunkSummary, type RawDifference } from './chunks';
import { CursorReader } from './cursor';
import { arrayTypeOf, fromClause, quoteIdent, rowHash, type ColumnInfo, type TableInfo } from './sql';

export interface Side {
  readonly client: Client;
  readonly catalog: Catalog;
}

/** How a table is compared. */
export type TableMode =
  /** Primary key: one unit per key-range chunk, each hashed by its own index range query. */
  | 'key-range'
  /** Primary key whose collation differs between the sides: one unit, one bytewise-chunked scan per side. */
  | 'key-grouped'
  /** No primary key: one unit, rows compared as a multiset. */
  | 'multiset'
  | 'missing_in_target'
  | 'missing_in_source'
  /** Both sides have the table but no column in common. */
  | 'no-common-columns';

interface Prepared {
  readonly info: TableInfo;
  /** The compared columns, in the same order on both sides. */
  readonly cols: readonly ColumnInfo[];
  readonly serverVersionNum: number;
}

export interface TableSetup {
  readonly name: string;
  readonly mode: TableMode;
  readonly source?: Prepared;
  readonly target?: Prepared;
  readonly pk?: readonly string[];
  readonly sourceKey?: ColumnInfo;
  readonly targetKey?: ColumnInfo;
  readonly warnings: readonly string[];
  /** A column exists in the source only: the table cannot be identical whatever its rows. */
  readonly missingColumns: boolean;
  /** Identifies what is compared (mode, columns and types, key): a checkpoint is only reused for the same shape. */
  readonly shape: string;
}

export interface TablePlan {
  readonly table: string;
  /** Ascending key texts separating the chunks of a `key-range`/`key-grouped` table; empty otherwise. */
  readonly boundaries: readonly string[];
  /** Hash buckets of a `multiset` table. */
  readonly buckets: number;
  readonly estimatedRows: number;
  /** Fingerprint of shape + boundaries + buckets: shards and checkpoints must agree on it. */
  readonly fingerprint: string;
}

/** Units of work of a planned table. */
export function unitCount(setup: TableSetup, plan: TablePlan): number {
  return setup.mode === 'key-range' ? plan.boundaries.length + 1 : 1;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** What is compared for one table, from the two catalogs alone. */
export function setupTable(name: string, source: Catalog, target: Catalog): TableSetup {
  const s = source.tables.get(name);
  const t = target.tables.get(name);
  if (!s && !t) throw new Error(`table ${name} exists on neither side`);
  const base = { name, warnings: [] as string[], missingColumns: false };
  if (!t) return { ...base, mode: 'missing_in_target', source: { info: s as TableInfo, cols: [], serverVersionNum: source.serverVersionNum }, shape: 'missing_in_target' };
  if (!s) return { ...base, mode: 'missing_in_source', target: { info: t, cols: [], serverVersionNum: target.serverVersionNum }, shape: 'missing_in_source' };

  const warnings: string[] = [];
  const targetCols = new Map(t.columns.map((c) => [c.name, c]));
  const sourceColNames = new Set(s.columns.map((c) => c.name));
  const common = s.columns.filter((c) => targetCols.has(c.name)).map((c) => c.name);
  const onlySource = s.columns.filter((c) => !targetCols.has(c.name)).map((c) => c.name);
  const onlyTarget = t.columns.filter((c) => !sourceColNames.has(c.name)).map((c) => c.name);
  if (onlySource.length > 0) warnings.push(`${name}: columns missing in target: ${onlySource.join(', ')} (their data is not there; compared the common columns)`);
  if (onlyTarget.length > 0) warnings.push(`${name}: columns only in target: ${onlyTarget.join(', ')} (not compared)`);
  const missingColumns = onlySource.length > 0;
  const sideOf = (info: TableInfo, cols: ColumnInfo[], cat: Catalog): Prepared => ({ info, cols, serverVersionNum: cat.serverVersionNum });
  if (common.length === 0) {
    warnings.push(`${name}: no columns in common`);
    return { name, mode: 'no-common-columns', source: sideOf(s, [], source), target: sideOf(t, [], target), warnings, missingColumns: true, shape: 'no-common-columns' };
  }
  const find = (info: TableInfo, c: string) => info.columns.find((x) => x.name === c) as ColumnInfo;
  const trim = (c: string) => find(s, c).type !== find(t, c).type || !/\(\d+,\d+\)$/.test(find(s, c).type);
  const columnsOf = (info: TableInfo): ColumnInfo[] => common.map((c) => ({ ...find(info, c), trimScale: trim(c) }));
  const sp = sideOf(s, columnsOf(s), source);
  const tp = sideOf(t, columnsOf(t), target);

  const usable = (pk: readonly string[] | undefined) => (pk && pk.every((c) => common.includes(c)) ? pk : undefined);
  const pk = usable(s.primaryKey) ?? usable(t.primaryKey);
  if (s.primaryKey && t.primaryKey && s.primaryKey.join(',') !== t.primaryKey.join(',')) {
    warnings.push(`${name}: primary keys differ (source ${s.primaryKey.join(', ')}; target ${t.primaryKey.join(', ')}); compared by ${pk?.join(', ') ?? 'whole rows'}`);
  } else if (pk && (!s.primaryKey || !t.primaryKey)) {
    warnings.push(`${name}: primary key (${pk.join(', ')}) exists on the ${s.primaryKey ? 'source' : 'target'} only; used on both sides`);
  }
  const shapeOf = (mode: TableMode) =>
    sha(JSON.stringify([mode, pk ?? null, sp.cols.map((c) => [c.name, c.type, c.collation, c.trimScale]), tp.cols.map((c) => [c.type, c.collation])]));
  if (!pk) {
    warnings.unshift(`${name}: no primary key; compared as a multiset of whole rows (duplicates counted)`);
    return { name, mode: 'multiset', source: sp, target: tp, warnings, missingColumns, shape: shapeOf('multiset') };
  }
  const sourceKey = find(s, pk[0]);
  const targetKey = find(t, pk[0]);
  const bytewise = sourceKey.collation !== targetKey.collation && (sourceKey.collation !== null || targetKey.collation !== null);
  if (bytewise) warnings.push(`${name}: key column ${pk[0]} has different collations (source ${sourceKey.collation}; target ${targetKey.collation}); chunked bytewise`);
  const mode: TableMode = bytewise ? 'key-grouped' : 'key-range';
  return { name, mode, source: sp, target: tp, pk, sourceKey, targetKey, warnings, missingColumns, shape: shapeOf(mode) };
}

/** Pages to sample for chunk boundaries; tables up to this size are read whole (key column only). */
const SAMPLE_PAGES = 256;

/**
 * The key expression chunks are cut on. A text-like key whose collation differs between the sides is compared
 * bytewise (`COLLATE "C"`) on both, so a key falls in the same chunk on each side; otherwise the column itself,
 * whose index serves the chunk ranges.
 */
function keyExpr(keyCol: ColumnInfo, bytewise: boolean): string {
  return bytewise ? `(${quoteIdent(keyCol.name)} COLLATE "C")` : quoteIdent(keyCol.name);
}

async function sampleKeys(client: Client, p: Prepared, blockSize: number, keyCol: ColumnInfo, bytewise: boolean): Promise<{ sample: string[]; fraction: number }> {
  const pages = Math.ceil(p.info.bytes / blockSize);
  const k = keyExpr(keyCol, bytewise);
  if (pages <= SAMPLE_PAGES) {
    const { rows } = await client.query<{ k: string }>(`SELECT ${k}::text AS k FROM ${fromClause(p.info)} ORDER BY ${k}`);
    return { sample: rows.map((r) => r.k), fraction: 1 };
  }
  const percent = (100 * SAMPLE_PAGES) / pages;
  const { rows } = await client.query<{ k: string }>(`SELECT ${k}::text AS k FROM ${fromClause(p.info)} TABLESAMPLE SYSTEM ($1) REPEATABLE (42) ORDER BY ${k}`, [percent]);
  return { sample: rows.map((r) => r.k), fraction: percent / 100 };
}

/** Buckets for a table without a key: about one per chunkSize rows, bounded. */
function bucketCount(s: TableInfo, t: TableInfo, chunkSize: number): number {
  const estimate = (i: TableInfo) => (i.reltuples >= 0 ? i.reltuples : i.bytes / 50);
  return Math.max(1, Math.min(100_000, Math.ceil(Math.max(estimate(s), estimate(t)) / chunkSize)));
}

export function planFingerprint(setup: TableSetup, boundaries: readonly string[], buckets: number): string {
  return sha(JSON.stringify([setup.name, setup.shape, buckets, boundaries]));
}

/** Chunk boundaries from the source's keys (the target's when the source is empty); both sides chunk by them. */
export async function planTable(setup: TableSetup, source: Side, target: Side, chunkSize: number): Promise<TablePlan> {
  const reltuples = (p?: Prepared) => Math.max(0, p?.info.reltuples ?? 0);
  let boundaries: readonly string[] = [];
  let buckets = 1;
  let estimatedRows = Math.max(reltuples(setup.source), reltuples(setup.target));
  if ((setup.mode === 'key-range' || setup.mode === 'key-grouped') && setup.source && setup.target && setup.sourceKey && setup.targetKey) {
    const bytewise = setup.mode === 'key-grouped';
    let { sample, fraction } = await sampleKeys(source.client, setup.source, source.catalog.blockSize, setup.sourceKey, bytewise);
    if (sample.length === 0) ({ sample, fraction } = await sampleKeys(target.client, setup.target, target.catalog.blockSize, setup.targetKey, bytewise));
    const plan = planChunks(sample, fraction, chunkSize);
    boundaries = plan.boundaries;
    estimatedRows = plan.estimatedRows;
  } else if (setup.mode === 'multiset' && setup.source && setup.target) {
    buckets = bucketCount(setup.source.info, setup.target.info, chunkSize);
  }
  return { table: setup.name, boundaries, buckets, estimatedRows, fingerprint: planFingerprint(setup, boundaries, buckets) };
}

export interface UnitOptions {
  readonly maxDifferences: number;
}

/** What one unit of work found. */
export interface UnitOutcome {
  readonly unit: number;
  readonly sourceRows: number | null;
  readonly targetRows: number | null;
  /** The hashes (or counts) differed. */
  readonly differs: boolean;
  /** Differing rows found (at most maxDifferences), in key order. */
  readonly diffs: readonly RawDifference[];
  /** False when more differing rows may exist than were listed. */
  readonly complete: boolean;
  /** Rows read on both sides together. */
  readonly rowsRead: number;
}

/** The `WHERE` condition of chunk `unit` with its parameters (each side casts them to its own key type). */
function chunkCondition(keyCol: ColumnInfo, bytewise: boolean, boundaries: readonly string[], unit: number): { sql: string; params: string[] } {
  const k = keyExpr(keyCol, bytewise);
  const conds: string[] = [];
  const params: string[] = [];
  if (boundaries.length > 0 && unit >= 1) {
    params.push(boundaries[unit - 1]);
    conds.push(`${k} >= $${params.length}::${keyCol.type}`);
  }
  if (boundaries.length > 0 && unit < boundaries.length) {
    params.push(boundaries[unit]);
    conds.push(`${k} < $${params.length}::${keyCol.type}`);
  }
  return { sql: conds.length ? conds.join(' AND ') : 'true', params };
}

/** A human-readable key range of chunk `unit` (for the report of converged chunks). */
export function describeUnit(setup: TableSetup, plan: TablePlan, unit: number): string {
  if (setup.mode !== 'key-range' || !setup.pk || plan.boundaries.length === 0) return 'whole table';
  const k = setup.pk[0];
  const lo = unit >= 1 ? `${k} >= ${plan.boundaries[unit - 1]}` : undefined;
  const hi = unit < plan.boundaries.length ? `${k} < ${plan.boundaries[unit]}` : undefined;
  return [lo, hi].filter(Boolean).join(' AND ');
}

/** Named (prepared once per connection) so the server plans each chunk query shape once. */
function named(text: string): string {
  return `bgdv_${sha(text)}`;
}

/** Count + hash sum of chunk `unit` of a `key-range` table on one side. */
export async function hashChunk(setup: TableSetup, plan: TablePlan, unit: number, side: 'source' | 'target', client: Client): Promise<ChunkSummary> {
  const p = (side === 'source' ? setup.source : setup.target) as Prepared;
  const keyCol = (side === 'source' ? setup.sourceKey : setup.targetKey) as ColumnInfo;
  return chunkHash(client, p, keyCol, plan.boundaries, unit);
}

/** The differing rows of chunk `unit` of a `key-range` table whose two summaries differ (both sides at once). */
export async function narrowChunk(setup: TableSetup, plan: TablePlan, a: ChunkSummary, b: ChunkSummary, source: Side, target: Side, options: UnitOptions): Promise<UnitOutcome> {
  const sourceRows = Number(a.rows);
  const targetRows = Number(b.rows);
  const found = await narrowKeyChunk(setup, plan.boundaries, false, a.chunk, source.client, target.client, options.maxDifferences);
  return { unit: a.chunk, sourceRows, targetRows, differs: true, diffs: found.diffs, complete: found.complete, rowsRead: sourceRows + targetRows };
}

/** Whether a `key-range` table's unit is hashed per side (true) or needs both sides at once (one-unit modes). */
export const hashedPerSide = (setup: TableSetup): boolean => setup.mode === 'key-range';

async function chunkHash(client: Client, p: Prepared, keyCol: ColumnInfo, boundaries: readonly string[], unit: number): Promise<ChunkSummary> {
  const cond = chunkCondition(keyCol, false, boundaries, unit);
  const text = `SELECT count(*) AS n, coalesce(sum(h), 0)::text AS s FROM (SELECT ${rowHash(p.cols, p.serverVersionNum)} AS h FROM ${fromClause(p.info)} WHERE ${cond.sql}) x`;
  const { rows } = await client.query<{ n: string; s: string }>({ name: named(text), text, values: cond.params });
  return { chunk: unit, rows: rows[0].n, hash: rows[0].s };
}

async function countRows(client: Client, info: TableInfo): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${fromClause(info)}`);
  return Number(rows[0].n);
}

/** Runs one unit of a table on both sides at once. */
export async function runUnit(setup: TableSetup, plan: TablePlan, unit: number, source: Side, target: Side, options: UnitOptions): Promise<UnitOutcome> {
  const s = setup.source;
  const t = setup.target;
  switch (setup.mode) {
    case 'missing_in_target': {
      const n = await countRows(source.client, (s as Prepared).info);
      return { unit, sourceRows: n, targetRows: null, differs: true, diffs: [], complete: true, rowsRead: n };
    }
    case 'missing_in_source': {
      const n = await countRows(target.client, (t as Prepared).info);
      return { unit, sourceRows: null, targetRows: n, differs: true, diffs: [], complete: true, rowsRead: n };
    }
    case 'no-common-columns': {
      const [a, b] = await Promise.all([countRows(source.client, (s as Prepared).info), countRows(target.client, (t as Prepared).info)]);
      return { unit, sourceRows: a, targetRows: b, differs: true, diffs: [], complete: true, rowsRead: a + b };
    }
    case 'multiset':
      return compareMultiset(unit, s as Prepared, t as Prepared, source.client, target.client, plan.buckets, options);
    case 'key-grouped':
      return compareGrouped(unit, setup, plan, source.client, target.client, options);
    case 'key-range': {
      const sKey = setup.sourceKey as ColumnInfo;
      const tKey = setup.targetKey as ColumnInfo;
      const [a, b] = await Promise.all([chunkHash(source.client, s as Prepared, sKey, plan.boundaries, unit), chunkHash(target.client, t as Prepared, tKey, plan.boundaries, unit)]);
      const sourceRows = Number(a.rows);
      const targetRows = Number(b.rows);
      const read = sourceRows + targetRows;
      if (a.rows === b.rows && a.hash === b.hash) return { unit, sourceRows, targetRows, differs: false, diffs: [], complete: true, rowsRead: read };
      const found = await narrowKeyChunk(setup, plan.boundaries, false, unit, source.client, target.client, options.maxDifferences);
      return { unit, sourceRows, targetRows, differs: true, diffs: found.diffs, complete: found.complete, rowsRead: read * 2 };
    }
  }
}

/**
 * A key table whose key collation differs between the sides: one scan per side returns count + hash sum per
 * bytewise chunk (`width_bucket` over the boundaries); only differing chunks are read row by row.
 */
async function compareGrouped(unit: number, setup: TableSetup, plan: TablePlan, sc: Client, tc: Client, options: UnitOptions): Promise<UnitOutcome> {
  const summaries = async (client: Client, p: Prepared, keyCol: ColumnInfo): Promise<ChunkSummary[]> => {
    const expr = plan.boundaries.length === 0 ? '0' : `width_bucket(${keyExpr(keyCol, true)}, $1::text[]::${arrayTypeOf(keyCol)})`;
    const { rows } = await client.query<{ c: number; n: string; s: string }>(
      // The subquery fence (OFFSET 0) hides that the chunk number comes from a unique key: the planner then picks a
      // hash aggregate instead of sorting the whole table by chunk.
      `SELECT c, count(*) AS n, sum(h) AS s FROM (SELECT ${expr} AS c, ${rowHash(p.cols, p.serverVersionNum)} AS h FROM ${fromClause(p.info)} OFFSET 0) x GROUP BY c ORDER BY c`,
      plan.boundaries.length === 0 ? [] : [plan.boundaries],
    );
    return rows.map((r) => ({ chunk: Number(r.c), rows: r.n, hash: r.s }));
  };
  const [a, b] = await Promise.all([summaries(sc, setup.source as Prepared, setup.sourceKey as ColumnInfo), summaries(tc, setup.target as Prepared, setup.targetKey as ColumnInfo)]);
  const cmp = compareChunks(a, b);
  const read = cmp.sourceRows + cmp.targetRows;
  let diffs: RawDifference[] = [];
  let complete = true;
  for (const chunk of cmp.differing) {
    if (diffs.length >= options.maxDifferences) {
      complete = false;
      break;
    }
    const found = await narrowKeyChunk(setup, plan.boundaries, true, chunk, sc, tc, options.maxDifferences - diffs.length);
    if (!found.complete) complete = false;
    diffs = reconcile([...diffs, ...found.diffs]);
  }
  // Rows found in another chunk on each side but equal are no difference (the servers order the key differently).
  const differs = cmp.differing.length > 0 && (diffs.length > 0 || !complete);
  return { unit, sourceRows: cmp.sourceRows, targetRows: cmp.targetRows, differs, diffs, complete, rowsRead: read };
}

interface KeyRow {
  sk: string;
  h: string;
  [k: string]: string;
}

/** Streams `(key, row hash)` of one chunk from both sides in bytewise key order and merge-joins them. */
async function narrowKeyChunk(
  setup: TableSetup,
  boundaries: readonly string[],
  bytewise: boolean,
  chunk: number,
  sc: Client,
  tc: Client,
  limit: number,
): Promise<{ diffs: RawDifference[]; complete: boolean }> {
  const pk = setup.pk as readonly string[];
  const open = (client: Client, p: Prepared, keyCol: ColumnInfo) => {
    const cond = chunkCondition(keyCol, bytewise, boundaries, chunk);
    const keyRecord = `ROW(${pk.map(quoteIdent).join(', ')})::text`;
    const keyCols = pk.map((c, i) => `${quoteIdent(c)}::text AS k${i}`).join(', ');
    const sql =
      `SELECT ${keyRecord} AS sk, ${keyCols}, ${rowHash(p.cols, p.serverVersionNum)}::text AS h ` +
      `FROM ${fromClause(p.info)} WHERE ${cond.sql} ORDER BY (${keyRecord}) COLLATE "C"`;
    return CursorReader.open<KeyRow>(client, sql, cond.params);
  };
  const [a, b] = await Promise.all([open(sc, setup.source as Prepared, setup.sourceKey as ColumnInfo), open(tc, setup.target as Prepared, setup.targetKey as ColumnInfo)]);
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

/**
 * Tables without a primary key: rows are a multiset. Rows are bucketed by their own hash; per bucket the count
 * and the hash sum are compared; differing buckets (up to maxDifferences of them, in one pass) are narrowed to
 * (row hash, count) pairs merged in hash order.
 */
async function compareMultiset(unit: number, s: Prepared, t: Prepared, sc: Client, tc: Client, buckets: number, options: UnitOptions): Promise<UnitOutcome> {
  const summaries = (client: Client, p: Prepared) =>
    client
      .query<{ c: number; n: string; s: string }>(
        `SELECT c, count(*) AS n, sum(h) AS s FROM (SELECT ((h % $1) + $1) % $1 AS c, h FROM (SELECT ${rowHash(p.cols, p.serverVersionNum)} AS h FROM ${fromClause(p.info)}) y OFFSET 0) x GROUP BY c ORDER BY c`,
        [buckets],
      )
      .then((r) => r.rows.map((x) => ({ chunk: Number(x.c), rows: x.n, hash: x.s })));
  const [sChunks, tChunks] = await Promise.all([summaries(sc, s), summaries(tc, t)]);
  const cmp = compareChunks(sChunks, tChunks);
  const read = cmp.sourceRows + cmp.targetRows;
  if (cmp.differing.length === 0) return { unit, sourceRows: cmp.sourceRows, targetRows: cmp.targetRows, differs: false, diffs: [], complete: true, rowsRead: read };

  const selected = cmp.differing.slice(0, options.maxDifferences);
  const open = (client: Client, p: Prepared) => {
    const h = rowHash(p.cols, p.serverVersionNum);
    const values = `ARRAY[${p.cols.map((c) => `${quoteIdent(c.name)}::text`).join(', ')}]`;
    return CursorReader.open<{ h: string; n: string; k: (string | null)[] }>(
      client,
      `SELECT x.h::text AS h, count(*) AS n, min(x.k) AS k FROM (SELECT ${h} AS h, ${values} AS k FROM ${fromClause(p.info)}) x ` +
        `WHERE ((x.h % $1) + $1) % $1 = ANY($2::int8[]) GROUP BY x.h ORDER BY x.h`,
      [buckets, selected],
    );
  };
  const [a, b] = await Promise.all([open(sc, s), open(tc, t)]);
  const keyOf = (k: (string | null)[]) => Object.fromEntries(s.cols.map((c, i) => [c.name, k[i] ?? null]));
  const diffs: RawDifference[] = [];
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
      let h = '';
      if (order < 0 && x) {
        missingInTarget = Number(x.n);
        row = x.k;
        h = x.h;
        a.advance();
      } else if (order > 0 && y) {
        missingInSource = Number(y.n);
        row = y.k;
        h = y.h;
        b.advance();
      } else if (x && y) {
        const d = Number(x.n) - Number(y.n);
        if (d > 0) missingInTarget = d;
        else missingInSource = -d;
        row = x.k;
        h = x.h;
        a.advance();
        b.advance();
      }
      // One entry per missing copy: duplicates count. The sort key is the row hash and the copy number.
      for (let i = 0; i < missingInTarget && diffs.length < options.maxDifferences; i++) diffs.push({ sortKey: `${h}#${i}`, key: keyOf(row), kind: 'missing_in_target' });
      for (let i = 0; i < missingInSource && diffs.length < options.maxDifferences; i++) diffs.push({ sortKey: `${h}#-${i}`, key: keyOf(row), kind: 'missing_in_source' });
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  return { unit, sourceRows: cmp.sourceRows, targetRows: cmp.targetRows, differs: true, diffs, complete, rowsRead: read * 2 };
}
