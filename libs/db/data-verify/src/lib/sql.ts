/**
 * SQL text builders. Identifiers are always quoted here; values always travel as bind parameters.
 *
 * The canonical row encoding is `ROW(c1, c2, …)::text` computed by the server after the session settings of
 * {@link CANONICAL_SESSION_SQL}: the record output writes NULL as nothing and '' as `""`, so the two differ; jsonb's
 * text is already key-order normalised; timestamptz is printed in UTC (an instant, not the session's zone); floats
 * print their shortest exact form; numerics are scale-trimmed (1.50 = 1.5) unless both sides fix the same scale;
 * json is compared as jsonb.
 */

/** Session settings that make every value's text form canonical. Both sides run exactly this. */
export const CANONICAL_SESSION_SQL = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 1',
  "SET bytea_output = 'hex'",
  "SET lc_monetary = 'C'",
].join('; ');

/**
 * Planner hints for the whole-table checksum pass: it reads every row and hashes it, so handing rows to parallel
 * workers pays off even though the planner's default costs say otherwise (the hashing is then done by the workers;
 * the leader only sums 12-byte tuples). Session-level, user-settable, no effect on results.
 */
export const SCAN_TUNING_SQL = ['SET parallel_setup_cost = 10', 'SET parallel_tuple_cost = 0.001'].join('; ');

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface ColumnInfo {
  readonly name: string;
  /** `format_type` of the column, e.g. `character varying(20)`. */
  readonly type: string;
  /** `format_type` of the base type (domains resolved), e.g. `numeric`. */
  readonly baseType: string;
  /** Identity of the column's collation (name/provider/locale; the database's for `default`); null when not collatable. */
  readonly collation: string | null;
  /**
   * Numeric only: compare scale-trimmed values (1.50 = 1.5). Needed when the two sides' numeric types differ or are
   * unconstrained; with the same `numeric(p,s)` on both sides the scale is fixed and trimming would only cost time.
   */
  readonly trimScale?: boolean;
}

export interface TableInfo {
  readonly schema: string;
  readonly name: string;
  readonly relkind: 'r' | 'p';
  /** Bytes on disk (heap only; summed over partitions). */
  readonly bytes: number;
  /** Planner estimate; -1 when never analysed. */
  readonly reltuples: number;
  readonly columns: readonly ColumnInfo[];
  /** Primary key columns in key order, or undefined. */
  readonly primaryKey?: readonly string[];
}

export function tableKey(t: Pick<TableInfo, 'schema' | 'name'>): string {
  return `${t.schema}.${t.name}`;
}

/** `ONLY "s"."t"` for a plain table (inheritance children are tables of their own), `"s"."t"` for a partitioned one. */
export function fromClause(t: TableInfo): string {
  return `${t.relkind === 'r' ? 'ONLY ' : ''}${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

/** The expression one column contributes to the canonical row. */
export function canonicalColumn(col: ColumnInfo, serverVersionNum: number): string {
  const q = quoteIdent(col.name);
  if (col.baseType === 'numeric' && col.trimScale && serverVersionNum >= 130000) return `trim_scale(${q}::numeric)`;
  if (col.baseType === 'json') return `${q}::jsonb`;
  return q;
}

/** `ROW(...)::text` over the given columns, in the given order (the same order on both sides). */
export function canonicalRow(columns: readonly ColumnInfo[], serverVersionNum: number): string {
  return `ROW(${columns.map((c) => canonicalColumn(c, serverVersionNum)).join(', ')})::text`;
}

/** 64-bit hash of the canonical row. */
export function rowHash(columns: readonly ColumnInfo[], serverVersionNum: number): string {
  return `hashtextextended(${canonicalRow(columns, serverVersionNum)}, 0)`;
}

/** The SQL type for casting boundary texts: `int4[]`-style array of the column's own type. */
export function arrayTypeOf(col: ColumnInfo): string {
  return `${col.type}[]`;
}
